"""Triage a large log in parts (one per core) and stitch the parts back together.

Each part scans a window of the log: the byte range it owns plus a little before and
after, so failure blocks that cross a boundary are read whole. A part keeps only the
findings anchored in the range it owns and numbers lines from its window's first line;
``merge_parts`` shifts every part to the log's own line numbers.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, fields

from sheriff.core.logview import LogView, Region
from sheriff.core.model import Finding, finding_fields
from sheriff.core.scan import ScanResult, merge_regions


@dataclass(frozen=True, slots=True)
class PartResult:
    """What one part found, numbered from the first line of its window."""

    findings: tuple[Finding, ...]
    regions: tuple[Region, ...]
    novel: tuple[int, ...] | None
    lines_before: int
    """Lines of the window that precede the owned range (owned by the previous part)."""
    lines_owned: int
    bytes_owned: int
    skipped: int = 0
    """Candidate lines of the owned range left unexamined (``scan.MAX_HIT_LINES``)."""
    hit_lines: int = 0
    """Lines of the owned range with a hit."""


def part_result(
    scan: ScanResult,
    findings: Sequence[Finding],
    lines_before: int,
    lines_owned: int,
    bytes_owned: int,
) -> PartResult:
    """Keep what this part owns: findings anchored inside its own range."""
    first, last = lines_before + 1, lines_before + lines_owned
    owned = tuple(f for f in findings if first <= f.anchor <= last)
    novel = None
    if scan.novel is not None:
        novel = tuple(number for number in scan.novel if first <= number <= last)
    skipped = bisect_right(scan.skipped, last) - bisect_left(scan.skipped, first)
    hit_lines = len({hit.number for hit in scan.hits if first <= hit.number <= last})
    return PartResult(
        owned,
        tuple(scan.view.regions),
        novel,
        lines_before,
        lines_owned,
        bytes_owned,
        skipped,
        hit_lines,
    )


@dataclass(frozen=True, slots=True)
class MergedScan:
    view: LogView
    findings: list[Finding]
    novel: list[int] | None
    total_bytes: int
    skipped: int = 0


def merge_parts(parts: Sequence[PartResult]) -> MergedScan:
    """One view and one list of findings, in the whole log's line numbers."""
    regions: list[Region] = []
    findings: list[Finding] = []
    novel: list[int] | None = None
    owned_start = 1
    for part in parts:
        shift = owned_start - part.lines_before - 1
        regions.extend(Region(region.first + shift, region.lines) for region in part.regions)
        findings.extend(_shifted(finding, shift) for finding in part.findings)
        if part.novel is not None:
            novel = (novel or []) + [number + shift for number in part.novel]
        owned_start += part.lines_owned
    total = owned_start - 1
    kept = [region for region in merge_regions(regions) if region.first <= total]
    for region in kept:
        del region.lines[max(total - region.first + 1, 0) :]
    view = LogView(total, kept)
    findings.sort(key=lambda finding: finding.anchor)
    return MergedScan(
        view,
        findings,
        novel,
        sum(part.bytes_owned for part in parts),
        sum(part.skipped for part in parts),
    )


_FIELD_NAMES = [item.name for item in fields(Finding)]
_ANCHOR = _FIELD_NAMES.index("anchor")
_RANGES = _FIELD_NAMES.index("ranges")


def _shifted(finding: Finding, shift: int) -> Finding:
    """The finding ``shift`` lines further down (built positionally: a part holds
    thousands of findings, and ``dataclasses.replace`` is several times slower)."""
    if shift == 0:
        return finding
    values = list(finding_fields(finding))
    values[_ANCHOR] = finding.anchor + shift
    values[_RANGES] = tuple((first + shift, last + shift) for first, last in finding.ranges)
    return Finding(*values)
