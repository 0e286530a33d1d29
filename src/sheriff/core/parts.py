"""Scan a large log in parts (one per core) and stitch the parts into one scan.

Each part scans a window of the log: the byte range it owns plus a margin before and
after, so that its scanner is in the state a single stream would be in when the owned
range begins, and sees what follows it as a stream would. A part keeps only what lies in
its owned range (hits, kept lines, novel and skipped lines), numbered from its window's
first line; ``merge_parts`` shifts every part to the log's own line numbers and joins
them into the scan one stream would have made.

Parsers run on that merged scan, never on a part: many of them relate lines that may be
far apart (a Maven goal block and the compile error it reports, a test and the file
header above it, a "BUILD SUCCESS" that shows an earlier failure did not fail the job),
so findings made within a part would depend on where the log was cut.

Past ``MAX_NOVEL_LINES`` the merge keeps the log's first novel lines, and the lines kept
around them, as the stream does. Past the scan's other memory limits (``MAX_HIT_LINES``,
``MAX_KEPT_LINES``) each part counts towards them on its own, so only there may a split
log's scan differ from a streamed one.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from sheriff.core.kept_lines import joined_regions, merge_regions
from sheriff.core.line_offsets import spans_around
from sheriff.core.logview import LogView, Region
from sheriff.core.scan import MAX_NOVEL_LINES, NOVEL_RADIUS, Hit, RuleSet, ScanResult


class HitRecord(NamedTuple):
    """A hit as a worker process hands it back: its rule by id, without the match (a
    ``re.Match`` cannot be pickled; the precise pattern is searched again)."""

    number: int
    rule: str
    text: str


@dataclass(frozen=True, slots=True)
class PartResult:
    """What one part found in the range it owns, numbered from its window's first line."""

    hits: tuple[HitRecord, ...]
    regions: tuple[Region, ...]
    """Lines kept for what the scan found (``ScanResult.hit_regions``)."""
    novel_regions: tuple[Region, ...]
    """Lines kept around novel lines, those of the margins included."""
    novel: tuple[int, ...] | None
    lines_before: int
    """Lines of the window that precede the owned range (owned by the previous part)."""
    lines_owned: int
    bytes_owned: int
    skipped: array[int]
    """Candidate lines of the owned range left unexamined (``scan.MAX_HIT_LINES``)."""

    @property
    def hit_lines(self) -> int:
        """Lines of the owned range with a hit."""
        return len({hit.number for hit in self.hits})


def part_result(
    scan: ScanResult, lines_before: int, lines_owned: int, bytes_owned: int
) -> PartResult:
    """Keep what this part owns: lines ``lines_before + 1`` to ``lines_before +
    lines_owned`` of its window."""
    first, last = lines_before + 1, lines_before + lines_owned
    hits = tuple(
        HitRecord(hit.number, hit.rule.id, hit.text)
        for hit in scan.hits
        if first <= hit.number <= last
    )
    novel = None
    if scan.novel is not None:
        novel = tuple(number for number in scan.novel if first <= number <= last)
    skipped = scan.skipped[bisect_left(scan.skipped, first) : bisect_right(scan.skipped, last)]
    return PartResult(
        hits,
        tuple(_within(scan.hit_regions, [(first, last)])),
        tuple(_within(scan.novel_regions, [(first, last)])),
        novel,
        lines_before,
        lines_owned,
        bytes_owned,
        skipped,
    )


def merge_parts(parts: Sequence[PartResult], rules: RuleSet) -> ScanResult:
    """The scan of the whole log, in its own line numbers, from its parts in order."""
    hit_regions: list[Region] = []
    novel_regions: list[Region] = []
    hits: list[Hit] = []
    novel: list[int] | None = None
    skipped = array("Q")
    matched = _Rematcher(rules)
    owned_start = 1
    for part in parts:
        shift = owned_start - part.lines_before - 1
        hit_regions.extend(_shifted(part.regions, shift))
        novel_regions.extend(_shifted(part.novel_regions, shift))
        hits.extend(matched.hit(record, shift) for record in part.hits)
        if part.novel is not None:
            novel = novel or []
            novel.extend(number + shift for number in part.novel)
        skipped.extend(number + shift for number in part.skipped)
        owned_start += part.lines_owned
    hit_regions = merge_regions(hit_regions)
    novel_regions = merge_regions(novel_regions)
    if novel is not None:
        # One stream stops at the log's first MAX_NOVEL_LINES novel lines. A part stops
        # at its own count, or when the parts before it found that many; either way the
        # novel lines past the log's first ones go, and the neighbours kept for them.
        novel = novel[:MAX_NOVEL_LINES]
        novel_regions = _within(novel_regions, spans_around(novel, NOVEL_RADIUS, owned_start))
    view = LogView(owned_start - 1, joined_regions(hit_regions, novel_regions))
    for hit in hits:
        view.remember(hit.number, hit.text)
    total_bytes = sum(part.bytes_owned for part in parts)
    return ScanResult(view, hits, total_bytes, novel, skipped, hit_regions, novel_regions)


def _shifted(regions: Sequence[Region], shift: int) -> list[Region]:
    return [Region(region.first + shift, region.lines) for region in regions]


def _within(regions: Sequence[Region], spans: Sequence[tuple[int, int]]) -> list[Region]:
    """The lines of ``regions`` within ``spans`` (both in order and apart): a part's own
    lines (the margins are their owners' to keep), or the neighbours of novel lines."""
    near: list[Region] = []
    index = 0
    for first, last in spans:
        while index < len(regions) and regions[index].last < first:
            index += 1
        within = index
        while within < len(regions) and regions[within].first <= last:
            region = regions[within]
            start, end = max(region.first, first), min(region.last, last)
            near.append(Region(start, region.lines[start - region.first : end - region.first + 1]))
            within += 1
    return near


class _Rematcher:
    """Hits rebuilt from their records, each precise pattern searched once per line text
    (logs repeat lines, and the match is the same)."""

    def __init__(self, rules: RuleSet) -> None:
        self._rules = {rule.id: rule for rule in rules.rules}
        self._matches: dict[tuple[str, str], Hit] = {}

    def hit(self, record: HitRecord, shift: int) -> Hit:
        key = (record.rule, record.text)
        known = self._matches.get(key)
        if known is None:
            rule = self._rules[record.rule]
            match = rule.line.search(record.text) if rule.line is not None else None
            known = self._matches[key] = Hit(0, rule, record.text, match)
        return Hit(record.number + shift, known.rule, known.text, known.match)
