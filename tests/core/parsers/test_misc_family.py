"""Helpers the parser families share."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from sheriff.core.logview import LogView, Region
from sheriff.core.parsers.misc_family import LineAbove, previous_line

_FILE = re.compile(r"^(?P<file>\S+\.t)\s\.+")
_LINES = st.sampled_from([b"t/a.t .. ", b"t/b.t ....", b"ok 1", b"not ok 2 - x", b"", b"# note"])


@st.composite
def _views(draw: st.DrawFn) -> LogView:
    """A view of up to 120 lines with some lines not kept (the walk stops there)."""
    regions, number = [], 1
    for _ in range(draw(st.integers(1, 6))):
        number += draw(st.integers(0, 5))  # a gap of lines not kept
        lines = draw(st.lists(_LINES, min_size=1, max_size=25))
        regions.append(Region(number, lines))
        number += len(lines)
    return LogView(number - 1, regions)


@settings(max_examples=400)
@given(_views(), st.lists(st.integers(1, 130), max_size=60), st.integers(1, 12))
def test_line_above_finds_what_previous_line_finds(
    view: LogView, starts: list[int], limit: int
) -> None:
    above = LineAbove(view, _FILE, limit=limit)
    for start in [*sorted(starts), *starts]:  # ascending, then in any order
        found = above.find(start)
        expected = previous_line(view, start, _FILE, limit=limit)
        assert (found and (found[0], found[1].group())) == (
            expected and (expected[0], expected[1].group())
        )


def test_a_line_the_last_search_found_is_out_of_reach_of_a_later_start() -> None:
    lines = [b"ok"] * 12
    lines[6] = b"t/a.t .."  # line 7
    view = LogView(12, [Region(1, lines)])
    above = LineAbove(view, _FILE, limit=5)
    first = above.find(10)
    assert first is not None
    assert first[0] == 7
    assert above.find(12) is None  # lines 11 down to 8 only
    assert previous_line(view, 12, _FILE, limit=5) is None
