"""Triage a large log file on several cores: processes share its parts, then its parsers.

Only regular, uncompressed files are split (their byte ranges can be read
independently). Cuts fall just after a line break and never inside ``\\r\\n``; each part
also reads a margin before and after its own range, so that what it keeps of its own
range is what one stream would have kept (``core.parts``).

Failures are not spread evenly through a log, so the file is cut into more parts than
there are processes, smaller and smaller towards the end, and every process (the parent
included) claims the next unscanned part whenever it finishes one: the processes finish
close together however dense the log is. Where the file is cut depends on its size and
the number of processes only, never on timing, so a report does not vary between runs.

The parts are merged into the scan of the whole log, and the parsers run on that, each
parser in whichever process is free first (busiest parsers first): a parser may relate
lines far apart, so it must see the whole log to say what one stream would say.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import BinaryIO

from sheriff.adapters.forked_work import MAX_TASKS, run_shared
from sheriff.core.diffing import PassingBaseline
from sheriff.core.encoding import SNIFF_BYTES, wide_codec
from sheriff.core.lines import count_breaks, first_break
from sheriff.core.model import Finding
from sheriff.core.parsers import (
    ALL_PARSERS,
    hits_by_parser,
    in_log_order,
    parser_findings,
    rule_set,
)
from sheriff.core.parts import PartResult, merge_parts, part_result
from sheriff.core.rules import TriggerMatcher
from sheriff.core.scan import MAX_HIT_LINES, ScanResult, context_lines
from sheriff.core.triage import ScannedLog, new_scanner

MIN_SPLIT_BYTES = 24 << 20
SPLIT_FLOOR_BYTES = 64 << 10
"""Never split less, whatever ``min_bytes`` asks: the first part must hold more than the
``SNIFF_BYTES`` that tell the log's encoding, or its line count would still be open."""
MIN_PART_BYTES = 2 << 20
MAX_PARTS = MAX_TASKS - 1
MARGIN_BYTES = 256 << 10
MAX_MARGIN_BYTES = 16 << 20
"""How far a margin widens to hold ``scan.context_lines`` lines of a log of long lines."""
READ_BYTES = 8 << 20
LOOK_BYTES = 1 << 20  # how far a cut may move to reach a line start
PEEK_BYTES = 4 << 10
MIN_PART_HIT_LINES = 1_000  # a part's share of scan.MAX_HIT_LINES, at least


@dataclass(frozen=True, slots=True)
class PartJob:
    """One file to scan in parts: what every process needs to scan any of them."""

    path: str
    ranges: tuple[tuple[int, int], ...]
    size: int
    baseline: PassingBaseline | None
    matcher: TriggerMatcher | None


class ProcessPartScanner:
    """Splits big plain files across worker processes; declines everything else."""

    def __init__(
        self,
        workers: int | None = None,
        min_bytes: int = MIN_SPLIT_BYTES,
        matcher: TriggerMatcher | None = None,
    ) -> None:
        self._workers = workers or min(os.cpu_count() or 1, 4)
        self._min_bytes = min_bytes
        self._matcher = matcher

    def scan(self, name: str, baseline: PassingBaseline | None) -> ScannedLog | None:
        """The whole file scanned in parts and parsed, or None when the source should be
        read as a stream."""
        parts = self.parts(name, baseline)
        if parts is None:
            return None
        scan = merge_parts(parts, rule_set())
        return ScannedLog(scan, _find_failures_shared(scan, self._workers))

    def parts(self, name: str, baseline: PassingBaseline | None) -> list[PartResult] | None:
        """What each part owns, in file order; None when the source is not to be split."""
        path = Path(name)
        if self._workers < 2 or name == "-" or not path.is_file():
            return None
        size = path.stat().st_size
        if size < max(self._min_bytes, SPLIT_FLOOR_BYTES) or not _is_plain(path):
            return None
        cuts = _cut_points(path, size, _part_ends(size, self._workers))
        if len(cuts) < 3:
            return None
        job = PartJob(str(path), tuple(pairwise(cuts)), size, baseline, self._matcher)
        rule_set()  # compiled once here, so forked workers inherit it
        parts = run_shared(len(job.ranges), self._workers, lambda index: _scan_part_of(job, index))
        return _rescan_below_the_limit(job, parts)


def _find_failures_shared(scan: ScanResult, workers: int) -> list[Finding]:
    """``core.triage.find_failures(scan)``, each parser run by whichever process is free
    first, those with the most hits first."""
    own = hits_by_parser(scan.hits)
    busy = sorted(
        (parser for parser in ALL_PARSERS if parser.name in own),
        key=lambda parser: len(own[parser.name]),
        reverse=True,
    )
    found = run_shared(
        len(busy),
        workers,
        lambda index: parser_findings(scan.view, busy[index], own[busy[index].name]),
    )
    by_parser = {parser.name: findings for parser, findings in zip(busy, found, strict=True)}
    return in_log_order(
        by_parser[parser.name] for parser in ALL_PARSERS if parser.name in by_parser
    )


def _rescan_below_the_limit(job: PartJob, parts: list[PartResult]) -> list[PartResult]:
    """Parts that left lines for their share of ``MAX_HIT_LINES``, scanned again whole
    when the log as a whole is within the limit. Failures crowd together (a test
    summary at the end), so a small part may exceed its share of a log that one stream
    would read whole; then the split report is the streamed one, as below the limit it
    always is. Past the limit, each part keeps to its share."""
    if not any(part.skipped for part in parts):
        return parts
    if sum(part.hit_lines + len(part.skipped) for part in parts) > MAX_HIT_LINES:
        return parts
    return [
        _scan_range(job, start, end, allowance=MAX_HIT_LINES) if part.skipped else part
        for part, (start, end) in zip(parts, job.ranges, strict=True)
    ]


def _part_ends(size: int, workers: int) -> list[int]:
    """Where parts should end: each part is an even share of what is left for
    ``2 * workers`` claims, so parts shrink as the file is used up (guided scheduling)
    and the last ones claimed are small: processes finish close together."""
    floor = max(min(MIN_PART_BYTES, size // (2 * workers)), 1)
    ends: list[int] = []
    position = 0
    while len(ends) < MAX_PARTS - 1:
        remaining = size - position
        part = max(remaining // (2 * workers), floor)
        if remaining - part < floor // 2:
            break
        position += part
        ends.append(position)
    return [*ends, size]


def _scan_part_of(job: PartJob, index: int) -> PartResult:
    start, end = job.ranges[index]
    return _scan_range(job, start, end)


def _scan_range(job: PartJob, start: int, end: int, allowance: int | None = None) -> PartResult:
    return scan_part(job.path, start, end, job.size, job.baseline, job.matcher, allowance)


def _claim(claims: int) -> bytes:
    """The next unclaimed part's index as one byte, or nothing when all are claimed."""
    try:
        return os.read(claims, 1)
    except BlockingIOError:
        return b""


def _is_plain(path: Path) -> bool:
    """Not compressed, and in an encoding whose line breaks are single bytes (a UTF-16
    file cut after a ``\n`` byte would leave its ``\0`` to the next part)."""
    with path.open("rb") as stream:
        head = stream.read(SNIFF_BYTES)
    packed = head[:2] == b"\x1f\x8b" or zipfile.is_zipfile(path)
    return not packed and wide_codec(head) is None


def _cut_points(path: Path, size: int, ends: list[int]) -> list[int]:
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


def _hit_line_share(part_bytes: int, size: int) -> int:
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
) -> PartResult:
    """Worker: scan ``[start, end)`` plus margins and keep what the range owns, confirming
    at most ``allowance`` hit lines in it (by default the part's share)."""
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
        scanner.allow_hit_lines(allowance or _hit_line_share(end - start, size))
        remaining = end - start
        while remaining > 0:
            chunk = stream.read(min(READ_BYTES, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            scanner.feed(chunk)
        owned_lines = scanner.lines_read - lines_before
        scanner.feed(stream.read(window_end - end))
    return part_result(scanner.finish(), lines_before, owned_lines, end - start)


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
