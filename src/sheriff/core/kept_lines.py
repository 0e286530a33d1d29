"""The lines a scan keeps of a log: runs of consecutive lines (regions), built as it goes.

A scan keeps the head and tail of the log and windows around the lines it found; a hit
near the end of one buffer may ask for lines of the next (``until``). Past
``MAX_KEPT_LINES`` kept lines, the scan narrows its windows: memory stays bounded on a
log dense in failures.
"""

from __future__ import annotations

from sheriff.core.logview import MAX_LINE_BYTES, Region, abridge

MAX_KEPT_LINES = 250_000


class KeptLines:
    """Regions of kept lines in log order, each appended or extended as lines are kept."""

    def __init__(self) -> None:
        self._regions: list[Region] = []
        self._count = 0
        self.until = 0
        """The last line a kept window reaches (it may lie in a buffer not yet read)."""

    @property
    def count(self) -> int:
        """How many lines are kept (past ``MAX_KEPT_LINES``, windows should narrow)."""
        return self._count

    @property
    def regions(self) -> list[Region]:
        """The kept lines so far, in log order (regions touching are not yet joined)."""
        return self._regions

    def keep(self, lines: list[bytes], start: int, stop: int, base: int) -> None:
        """Keep ``lines[start:stop]``, where ``lines[0]`` is line ``base + 1``."""
        stop = min(stop, len(lines))
        if start >= stop:
            return
        first = base + start + 1
        kept = lines[start:stop]
        if max(map(len, kept)) > MAX_LINE_BYTES:
            kept = [abridge(line) for line in kept]  # bounded memory; read the same
        if self._regions:
            previous = self._regions[-1]
            previous_end = previous.first + len(previous.lines)  # just after its last line
            if previous.first <= first <= previous_end:
                held = previous_end - first  # skip the lines it already holds
                if held < len(kept):
                    previous.lines.extend(kept[held:])
                    self._count += len(kept) - held
                return
        self._regions.append(Region(first, kept))
        self._count += len(kept)

    def keep_window(
        self, lines: list[bytes], index: int, base: int, before: int, after: int
    ) -> None:
        """Keep ``before`` lines before ``lines[index]``, it, and ``after`` lines after it
        (those past ``lines`` when the next buffer comes, see ``keep_carried``)."""
        self.keep(lines, max(index - before, 0), index + after + 1, base)
        self.until = max(self.until, base + index + 1 + after)

    def keep_carried(self, extended: list[bytes], base: int, first: int) -> None:
        """Keep the lines from line ``first`` on that a window of an earlier buffer asked
        for; ``extended[0]`` is line ``base + 1``."""
        if self.until >= first:
            self.keep(extended, first - base - 1, self.until - base, base)


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


def joined_regions(first: list[Region], second: list[Region]) -> list[Region]:
    """The lines of two lists of merged regions as one (``first`` itself, not a copy, when
    ``second`` is empty: without a passing log there are no lines around novel ones)."""
    return merge_regions(first + second) if second else first
