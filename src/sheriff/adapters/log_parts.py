"""One part of a split log file: where the file is cut, the margins a part reads around
its own byte range, and the part's scan.

Cuts fall just after a line break and never inside ``\\r\\n``. A part reads a margin
before and after its range: at least ``MARGIN_BYTES`` and ``scan.context_lines`` lines,
widened for long lines up to ``MAX_MARGIN_BYTES``, so that its scanner is in one
stream's state when the range begins (``core.parts``). With a passing log, the parts
share a ``NovelTally`` so that a part after the log's first ``MAX_NOVEL_LINES`` novel
lines does not look for more.
"""

from __future__ import annotations

import mmap
from pathlib import Path
from typing import BinaryIO

from sheriff.core.diffing import PassingBaseline
from sheriff.core.lines import count_breaks, first_break
from sheriff.core.parsers import rule_set
from sheriff.core.parts import PartResult, part_result
from sheriff.core.rules import TriggerMatcher
from sheriff.core.scan import MAX_HIT_LINES, LogScanner, context_lines
from sheriff.core.triage import new_scanner

MARGIN_BYTES = 256 << 10
MAX_MARGIN_BYTES = 16 << 20
"""How far a margin widens to hold ``scan.context_lines`` lines of a log of long lines."""
READ_BYTES = 8 << 20
NOVEL_READ_BYTES = 1 << 20  # with a passing log: how often parts compare novel counts
LOOK_BYTES = 1 << 20  # how far a cut may move to reach a line start
PEEK_BYTES = 4 << 10
MIN_PART_HIT_LINES = 1_000  # a part's share of scan.MAX_HIT_LINES, at least


def cut_points(path: Path, size: int, ends: list[int]) -> list[int]:
    """Byte offsets just after a line break, at or after each wanted end of a part."""
    cuts = [0]
    with path.open("rb") as stream:
        for wanted in ends[:-1]:
            cut = _next_line_start(stream, wanted, size)
            if cut > cuts[-1] and cut < size:
                cuts.append(cut)
    cuts.append(size)
    return cuts


def _next_line_start(stream: BinaryIO, offset: int, size: int) -> int:
    """The first offset at or after ``offset`` that starts a line (``size`` when no line
    break comes within ``LOOK_BYTES``). Most lines are short: a small read decides, unless
    it ends on a ``\\r`` that may begin a ``\\r\\n``."""
    start = max(offset - 1, 0)
    stream.seek(start)
    data = stream.read(PEEK_BYTES)
    found = _first_break_end(data)
    if found is None or (found == len(data) and data.endswith(b"\r")):
        stream.seek(start)
        found = _first_break_end(stream.read(LOOK_BYTES))
    return size if found is None else start + found


def _first_break_end(data: bytes) -> int | None:
    """Where the first line break in ``data`` ends; a ``\\r`` ending ``data`` counts."""
    found = first_break(data)
    if found < 0:
        return None
    return found + (2 if data[found : found + 2] == b"\r\n" else 1)


def hit_line_share(part_bytes: int, size: int) -> int:
    """How many hit lines a part may confirm: twice its share of ``MAX_HIT_LINES`` by
    bytes (failures are not spread evenly through a log), so a split log confirms
    between one and two times the limit."""
    return max(2 * MAX_HIT_LINES * part_bytes // size, MIN_PART_HIT_LINES)


def scan_part(  # noqa: PLR0917 (a worker's task: positional by nature)
    path: str,
    start: int,
    end: int,
    size: int,
    baseline: PassingBaseline | None,
    matcher: TriggerMatcher | None = None,
    allowance: int | None = None,
    *,
    margin_bytes: int = MARGIN_BYTES,
    tally: NovelTally | None = None,
    index: int = 0,
) -> PartResult:
    """Worker: scan ``[start, end)`` plus margins and keep what the range owns, confirming
    at most ``allowance`` hit lines in it (by default the part's share). With a passing
    log, ``tally`` says how many novel lines the parts before part ``index`` found."""
    reach = context_lines(rule_set())
    with open(path, "rb") as stream:
        window_start = _margin_start(stream, start, size, margin_bytes, reach)
        window_end = _margin_end(stream, end, size, margin_bytes, reach)
        stream.seek(window_start)
        scanner = new_scanner(
            baseline, matcher, from_start=window_start == 0, to_end=window_end == size
        )
        scanner.feed(stream.read(start - window_start))
        lines_before = scanner.lines_read
        scanner.allow_hit_lines(allowance or hit_line_share(end - start, size))
        if tally is None:
            _feed(stream, scanner, end - start, READ_BYTES)
        else:
            _feed_counting_novel(stream, scanner, end - start, tally, index)
        owned_lines = scanner.lines_read - lines_before
        scanner.feed(stream.read(window_end - end))
    return part_result(scanner.finish(), lines_before, owned_lines, end - start)


def _feed(stream: BinaryIO, scanner: LogScanner, size: int, read_bytes: int) -> None:
    """Feed the scanner the next ``size`` bytes of the file, ``read_bytes`` at a time."""
    while size > 0:
        chunk = stream.read(min(read_bytes, size))
        if not chunk:
            break
        size -= len(chunk)
        scanner.feed(chunk)


def _feed_counting_novel(
    stream: BinaryIO, scanner: LogScanner, size: int, tally: NovelTally, index: int
) -> None:
    """``_feed`` in smaller reads, telling the tally how many novel lines this part's
    range holds so far, and the scanner how many the parts before it hold. A passing log
    of another job makes most lines novel: one stream keeps the first
    ``MAX_NOVEL_LINES``, and a part after them need not look for more."""
    in_margin = scanner.novel_count
    while size > 0:
        scanner.novel_found_before(max(tally.before(index) - in_margin, 0))
        read = min(NOVEL_READ_BYTES, size)
        _feed(stream, scanner, read, read)
        size -= read
        tally.found(index, scanner.novel_count - in_margin)


class NovelTally:
    """How many novel lines each part of a split log has found in its own range so far:
    an anonymous shared mapping made before the workers fork, written by each part's
    process (one 8-byte slot per part) and read by the others."""

    def __init__(self, parts: int) -> None:
        self._memory = mmap.mmap(-1, 8 * max(parts, 1))
        self._counts = memoryview(self._memory).cast("q")

    def found(self, index: int, count: int) -> None:
        self._counts[index] = count

    def before(self, index: int) -> int:
        """Novel lines the parts before part ``index`` have found so far (at least as
        many come before its range)."""
        return sum(self._counts[:index])


def _margin_start(stream: BinaryIO, start: int, size: int, margin: int, lines: int) -> int:
    """Where the window of a part owning bytes from ``start`` begins: a line start at least
    ``margin`` bytes and ``lines`` lines earlier (the log's start if it is nearer). Long
    lines widen the margin, up to ``MAX_MARGIN_BYTES``."""
    while True:
        offset = start - margin
        if offset <= 0:
            return 0
        stream.seek(offset)
        if count_breaks(stream.read(margin)) > lines or margin >= MAX_MARGIN_BYTES:
            return min(_next_line_start(stream, offset, size), start)
        margin *= 4


def _margin_end(stream: BinaryIO, end: int, size: int, margin: int, lines: int) -> int:
    """Where the window of a part owning bytes up to ``end`` ends: a line start at least
    ``margin`` bytes and ``lines`` lines later (the log's end if it is nearer). Long lines
    widen the margin, up to ``MAX_MARGIN_BYTES``; when no line starts near its end, the
    part reads no margin rather than a giant line (or the rest of the file)."""
    while True:
        if end + margin >= size:
            return size
        stream.seek(end)
        if count_breaks(stream.read(margin)) > lines or margin >= MAX_MARGIN_BYTES:
            break
        margin *= 4
    window_end = _next_line_start(stream, end + margin, size)
    return end if window_end - end > margin + LOOK_BYTES else window_end
