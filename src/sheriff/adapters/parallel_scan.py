"""Triage a large log file on several cores: processes share its parts, then its parsers.

Only regular, uncompressed files are split (their byte ranges can be read
independently). Each part reads a margin before and after its own range, so that what it
keeps of its own range is what one stream would have kept (``log_parts``, ``core.parts``).

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

from sheriff.adapters.forked_work import MAX_TASKS, run_shared
from sheriff.adapters.log_parts import NovelTally, cut_points, scan_part
from sheriff.core.diffing import PassingBaseline
from sheriff.core.encoding import SNIFF_BYTES, wide_codec
from sheriff.core.model import Finding
from sheriff.core.parsers import (
    ALL_PARSERS,
    hits_by_parser,
    in_log_order,
    parser_findings,
    rule_set,
)
from sheriff.core.parts import PartResult, merge_parts
from sheriff.core.rules import TriggerMatcher
from sheriff.core.scan import MAX_HIT_LINES, ScanResult
from sheriff.core.triage import ScannedLog

MIN_SPLIT_BYTES = 24 << 20
SPLIT_FLOOR_BYTES = 64 << 10
"""Never split less, whatever ``min_bytes`` asks: the first part must hold more than the
``SNIFF_BYTES`` that tell the log's encoding, or its line count would still be open."""
MIN_PART_BYTES = 2 << 20
MAX_PARTS = MAX_TASKS - 1


@dataclass(frozen=True, slots=True)
class PartJob:
    """One file to scan in parts: what every process needs to scan any of them."""

    path: str
    ranges: tuple[tuple[int, int], ...]
    size: int
    baseline: PassingBaseline | None
    matcher: TriggerMatcher | None
    tally: NovelTally | None
    """With a passing log: the novel lines each part found, shared by the processes."""


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
        cuts = cut_points(path, size, _part_ends(size, self._workers))
        if len(cuts) < 3:
            return None
        ranges = tuple(pairwise(cuts))
        tally = NovelTally(len(ranges)) if baseline is not None else None
        job = PartJob(str(path), ranges, size, baseline, self._matcher, tally)
        rule_set()  # compiled once here, so forked workers inherit it
        parts = run_shared(len(ranges), self._workers, lambda index: _scan_range(job, index))
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
        _scan_range(job, index, allowance=MAX_HIT_LINES) if part.skipped else part
        for index, part in enumerate(parts)
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


def _scan_range(job: PartJob, index: int, allowance: int | None = None) -> PartResult:
    start, end = job.ranges[index]
    return scan_part(
        job.path,
        start,
        end,
        job.size,
        job.baseline,
        job.matcher,
        allowance,
        tally=job.tally,
        index=index,
    )


def _is_plain(path: Path) -> bool:
    """Not compressed, and in an encoding whose line breaks are single bytes (a UTF-16
    file cut after a ``\n`` byte would leave its ``\0`` to the next part)."""
    with path.open("rb") as stream:
        head = stream.read(SNIFF_BYTES)
    packed = head[:2] == b"\x1f\x8b" or zipfile.is_zipfile(path)
    return not packed and wide_codec(head) is None
