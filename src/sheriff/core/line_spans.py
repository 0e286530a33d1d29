"""Sets of line ranges that answer "is this line inside one?" in logarithmic time.

Parsers skip hits that fall inside a block another finding already claimed. Asked of a
plain list of ranges, that question costs one comparison per range: a log of 50,000
hits (the most the scan confirms) with as many claimed blocks took minutes. ``LineSpans``
keeps the ranges merged and sorted.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from sheriff.core.model import LineRange


class LineSpans:
    """Line ranges, merged where they overlap or touch; ranges may be added at any time."""

    __slots__ = ("_ends", "_starts")

    def __init__(self, ranges: Iterable[LineRange] = ()) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for first, last in sorted(ranges):
            self.add(first, last)

    def add(self, first: int, last: int) -> None:
        """Add ``[first, last]`` (both inclusive; an empty range, ``last < first``, adds
        nothing)."""
        if last < first:
            return
        low = bisect_left(self._ends, first - 1)  # the first range ending at or after it
        high = bisect_right(self._starts, last + 1)  # past the last range starting in it
        if low < high:
            first = min(first, self._starts[low])
            last = max(last, self._ends[high - 1])
        self._starts[low:high] = [first]
        self._ends[low:high] = [last]

    def __contains__(self, number: int) -> bool:
        index = bisect_right(self._starts, number) - 1
        return index >= 0 and number <= self._ends[index]

    def __len__(self) -> int:
        """How many separate ranges (after merging)."""
        return len(self._starts)
