"""Scan a log chunk by chunk and keep bounded windows of it around candidate lines.

Memory stays bounded: chunks are fed one at a time and only windows around hits, the
head and the tail of the log (and, with a passing log, lines it never printed) are
kept. Line numbers are 1-based over lines split on ``\\r\\n``, ``\\r`` or ``\\n``,
exactly as ``bytes.splitlines`` splits them, however the input is cut into chunks.
"""

from __future__ import annotations

from dataclasses import dataclass

from sheriff.core.diffing import PassingBaseline
from sheriff.core.logview import LogView, Region
from sheriff.core.rules import Hit, Rule, RuleSet, window

__all__ = ["Hit", "LogScanner", "Rule", "RuleSet", "ScanResult", "merge_regions", "scan_bytes"]

HEAD_LINES = 40
TAIL_LINES = 300
MAX_KEPT_LINES = 250_000
NOISY_RADIUS = 40
NOISY_BEFORE = 8
NOISY_AFTER = 12


@dataclass(slots=True)
class ScanResult:
    view: LogView
    hits: list[Hit]
    total_bytes: int
    novel: list[int] | None = None
    """Lines absent from the passing log, when one was given."""


class LogScanner:
    """Feed raw chunks in order; ``finish`` returns the kept view and the hits."""

    def __init__(self, rules: RuleSet, baseline: PassingBaseline | None = None) -> None:
        self._rules = rules
        self._baseline = baseline
        self._novel: list[int] | None = [] if baseline is not None else None
        self._carry = b""
        self._lines_before = 0
        self._total_bytes = 0
        self._regions: list[Region] = []
        self._kept = 0
        self._hits: list[Hit] = []
        self._last_lines: list[bytes] = []
        self._examined_tail: set[int] = set()

    def feed(self, chunk: bytes) -> None:
        self._total_bytes += len(chunk)
        buffer = self._carry + chunk if self._carry else chunk
        cut = _last_complete_line_end(buffer)
        self._carry = buffer[cut:]
        if cut:
            self._scan_buffer(buffer[:cut])

    def finish(self) -> ScanResult:
        if self._carry:
            self._scan_buffer(self._carry)
            self._carry = b""
        total = self._lines_before
        tail_first = total - len(self._last_lines) + 1
        skip = {n - tail_first for n in self._examined_tail if n >= tail_first}
        tail_span = [(0, len(self._last_lines) - 1)]
        self._examine_noisy(self._last_lines, tail_first - 1, tail_span, skip)
        self._keep(Region(tail_first, self._last_lines))
        view = LogView(total, merge_regions(self._regions))
        unique = {(hit.number, hit.rule.id): hit for hit in self._hits}
        hits = sorted(unique.values(), key=lambda hit: hit.number)
        return ScanResult(view, hits, self._total_bytes, self._novel)

    def _scan_buffer(self, buffer: bytes) -> None:
        lines = buffer.splitlines()
        base = self._lines_before
        if base == 0:
            self._keep(Region(1, lines[:HEAD_LINES]))
        examined: set[int] = set()
        anchors: list[int] = []
        for index in self._candidate_line_indices(buffer):
            examined.add(index)
            hits = self._record(lines, index, base)
            if any(not hit.rule.structural for hit in hits):
                anchors.append(index)
        spans = _spans_around(anchors, NOISY_RADIUS, len(lines) - 1)
        self._examine_noisy(lines, base, spans, examined)
        if self._baseline is not None:
            self._keep_novel(lines, base)
        tail_start = max(len(lines) - TAIL_LINES, 0)
        self._examined_tail = {base + i + 1 for i in examined if i >= tail_start}
        self._last_lines = (self._last_lines + lines)[-TAIL_LINES:]
        self._lines_before += len(lines)

    def _record(self, lines: list[bytes], index: int, base: int) -> list[Hit]:
        """Confirm the rules on one line; keep the hits and the context they need."""
        hits = self._rules.hits_on(base + index + 1, lines[index])
        if hits:
            self._hits.extend(hits)
            before, after = window(hits)
            if self._kept > MAX_KEPT_LINES:
                before, after = min(before, 3), min(after, 3)
            start = max(index - before, 0)
            self._keep(Region(base + start + 1, lines[start : index + after + 1]))
        return hits

    def _examine_noisy(
        self, lines: list[bytes], base: int, spans: list[tuple[int, int]], skip: set[int]
    ) -> None:
        """Look for noisy rules inside the given spans of line indices."""
        for first, last in spans:
            joined = b"\n".join(lines[first : last + 1])
            index, position = first, 0
            for offset in self._rules.noisy_offsets(joined):
                index += joined.count(b"\n", position, offset)
                position = offset
                if index not in skip:
                    skip.add(index)
                    self._record_noisy(lines, index, base)

    def _record_noisy(self, lines: list[bytes], index: int, base: int) -> None:
        hits = self._rules.hits_on(base + index + 1, lines[index])
        if hits:
            self._hits.extend(hits)
            start = max(index - NOISY_BEFORE, 0)
            self._keep(Region(base + start + 1, lines[start : index + NOISY_AFTER + 1]))

    def _keep_novel(self, lines: list[bytes], base: int) -> None:
        if self._baseline is None or self._novel is None:
            return
        for index, raw in enumerate(lines):
            if self._baseline.is_novel(raw):
                self._novel.append(base + index + 1)
                start = max(index - 2, 0)
                self._keep(Region(base + start + 1, lines[start : index + 3]))

    def _candidate_line_indices(self, buffer: bytes) -> list[int]:
        """0-based indices, within ``buffer``'s lines, of lines holding a candidate."""
        indices: list[int] = []
        position = 0
        line_index = 0
        bare_newlines = b"\r" not in buffer
        for offset in self._rules.candidate_offsets(buffer):
            if bare_newlines:
                line_index += buffer.count(b"\n", position, offset)
            else:
                line_index += count_breaks(buffer, position, offset)
            position = offset
            indices.append(line_index)
        return indices

    def _keep(self, region: Region) -> None:
        if not region.lines:
            return
        previous_first = self._regions[-1].first if self._regions else -1
        if self._regions and previous_first <= region.first <= self._regions[-1].last + 1:
            previous = self._regions[-1]
            overlap = previous.last - region.first + 1
            if overlap >= len(region.lines):
                return
            added = region.lines[max(overlap, 0) :]
            previous.lines.extend(added)
            self._kept += len(added)
            return
        self._regions.append(Region(region.first, list(region.lines)))
        self._kept += len(region.lines)


def _spans_around(indices: list[int], radius: int, last: int) -> list[tuple[int, int]]:
    """Merged spans of ``radius`` lines either side of each index, within ``[0, last]``."""
    spans: list[tuple[int, int]] = []
    for index in sorted(indices):
        first, end = max(index - radius, 0), min(index + radius, last)
        if spans and first <= spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((first, end))
    return spans


def count_breaks(buffer: bytes, start: int, end: int) -> int:
    """Line breaks (``\\r\\n``, ``\\r`` or ``\\n``) in ``buffer[start:end]``.

    ``start`` and ``end`` must not fall between the two bytes of a ``\\r\\n``.
    """
    return (
        buffer.count(b"\n", start, end)
        + buffer.count(b"\r", start, end)
        - buffer.count(b"\r\n", start, end)
    )


def _last_complete_line_end(buffer: bytes) -> int:
    """Where the last complete line ends; a trailing ``\\r`` waits for a possible ``\\n``."""
    newline = buffer.rfind(b"\n")
    carriage = buffer.rfind(b"\r", 0, len(buffer) - 1)
    return max(newline, carriage) + 1


def merge_regions(regions: list[Region]) -> list[Region]:
    """Sort regions and join those that overlap or touch."""
    merged: list[Region] = []
    for region in sorted(regions, key=lambda item: item.first):
        if merged and region.first <= merged[-1].last + 1:
            previous = merged[-1]
            overlap = previous.last - region.first + 1
            if overlap < len(region.lines):
                previous.lines.extend(region.lines[max(overlap, 0) :])
            continue
        merged.append(Region(region.first, list(region.lines)))
    return merged


def scan_bytes(data: bytes, rules: RuleSet, baseline: PassingBaseline | None = None) -> ScanResult:
    """Scan a whole in-memory log."""
    scanner = LogScanner(rules, baseline)
    scanner.feed(data)
    return scanner.finish()
