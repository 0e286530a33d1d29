"""A sparse, read-only view of the log lines kept after scanning.

Large logs are never held whole: the scanner keeps windows of lines around candidate
lines, plus the head and tail of the log. ``LogView`` answers questions about those
lines by their original 1-based number and says plainly when a line was not kept.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field

from sheriff.core.noise import clean_line

MAX_LINE_BYTES = 8192
"""Longer lines are read as their head and tail: see ``abridge``."""
LINE_HEAD_BYTES = 6144
LINE_TAIL_BYTES = 2000
"""Head, tail and the note of the cut fit in ``MAX_LINE_BYTES``: an abridged line is
abridged no further, so a line may be abridged early (while it streams in) or late."""


def decode(raw: bytes) -> str:
    """Decode one raw line; invalid UTF-8 is tolerated, never fatal."""
    return raw.decode("utf-8", "replace")


def abridge(raw: bytes, dropped: int = 0) -> bytes:
    """A line as every stage reads it: whole up to ``MAX_LINE_BYTES``, else its first
    ``LINE_HEAD_BYTES`` and last ``LINE_TAIL_BYTES`` around a note of how much was cut.

    ``dropped`` counts bytes already taken out of ``raw``'s middle (the scanner drops
    the middle of a line that is still streaming in); ``raw`` must keep the line's
    first and last bytes around that gap. ``abridge(abridge(x)) == abridge(x)``.
    """
    length = len(raw) + dropped
    if length <= MAX_LINE_BYTES:
        return raw
    cut = length - LINE_HEAD_BYTES - LINE_TAIL_BYTES
    return b"%s \xe2\x80\xa6 %d bytes cut \xe2\x80\xa6 %s" % (
        raw[:LINE_HEAD_BYTES],
        cut,
        raw[-LINE_TAIL_BYTES:],
    )


def line_text(raw: bytes) -> str:
    """The text of one raw line as every stage reads it: abridged, decoded and cleaned.

    A line longer than ``MAX_LINE_BYTES`` (a minified bundle, a classpath, a list of
    thousands of test ids) is cut in its middle (``abridge``). The precise patterns of
    stage 2 then read a bounded line, whatever the log holds, and a report pasted into an
    issue stays readable; a failure is stated at a line's start or end, not in its middle.
    """
    return clean_line(decode(abridge(raw)))


@dataclass(slots=True)
class Region:
    """Consecutive kept lines: ``lines[0]`` is line number ``first``."""

    first: int
    lines: list[bytes]

    @property
    def last(self) -> int:
        return self.first + len(self.lines) - 1

    def __reduce__(self) -> tuple[object, tuple[int, int, bytes]]:
        """Pickled as its lines joined by ``\\n`` (no kept line holds a line break): a
        worker process sends its part's regions back, and one bytes object pickles an order
        of magnitude faster than a list of lines."""
        return (_region_from, (self.first, len(self.lines), b"\n".join(self.lines)))


def _region_from(first: int, count: int, joined: bytes) -> Region:
    return Region(first, joined.split(b"\n") if count else [])


@dataclass(slots=True)
class LogView:
    """Kept lines of one log, addressed by original line number."""

    total_lines: int
    regions: list[Region]
    _starts: list[int] = field(default_factory=list, init=False)
    _clean: dict[int, str] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.regions.sort(key=lambda region: region.first)
        self._starts = [region.first for region in self.regions]

    def raw(self, number: int) -> bytes | None:
        """The raw bytes of a line, or None when the line was not kept."""
        index = bisect_right(self._starts, number) - 1
        if index < 0:
            return None
        region = self.regions[index]
        offset = number - region.first
        return region.lines[offset] if offset < len(region.lines) else None

    def text(self, number: int) -> str | None:
        """The cleaned text of a line (no colours, timestamps or CI markers)."""
        cached = self._clean.get(number)
        if cached is not None:
            return cached
        raw = self.raw(number)
        if raw is None:
            return None
        cleaned = line_text(raw)
        self._clean[number] = cleaned
        return cleaned

    def remember(self, number: int, cleaned: str) -> None:
        """Record a line's cleaned text already computed elsewhere (the scan's hits)."""
        self._clean[number] = cleaned

    def has(self, number: int) -> bool:
        return self.raw(number) is not None

    def span(self, first: int, last: int) -> Iterator[tuple[int, str]]:
        """Kept lines in ``[first, last]`` with their cleaned text, in order."""
        for number in range(max(first, 1), min(last, self.total_lines) + 1):
            text = self.text(number)
            if text is not None:
                yield number, text

    @classmethod
    def from_bytes(cls, data: bytes) -> LogView:
        """A view that keeps every line: for small inputs and tests."""
        lines = data.splitlines()
        return cls(len(lines), [Region(1, lines)] if lines else [])
