"""Kept lines: windows join into regions, and a window may reach into the next buffer."""

from sheriff.core.kept_lines import KeptLines, joined_regions, merge_regions
from sheriff.core.logview import Region

LINES = [b"line %d" % n for n in range(1, 101)]


def _spans(kept: KeptLines) -> list[tuple[int, int]]:
    return [(region.first, region.last) for region in merge_regions(kept.regions)]


def test_windows_that_touch_or_overlap_are_one_region() -> None:
    kept = KeptLines()
    kept.keep_window(LINES, 9, 0, 2, 2)  # lines 8-12
    kept.keep_window(LINES, 14, 0, 2, 2)  # 13-17: touches
    kept.keep_window(LINES, 40, 0, 1, 1)  # 40-42
    assert _spans(kept) == [(8, 17), (40, 42)]
    assert merge_regions(kept.regions)[0].lines[5] == b"line 13"


def test_a_window_past_the_buffer_is_kept_from_the_next_one() -> None:
    kept = KeptLines()
    first, second = LINES[:50], LINES[50:]
    kept.keep_window(first, 48, 0, 0, 5)  # line 49 and four lines of the next buffer
    assert kept.until == 54
    kept.keep_carried(second, 50, 51)
    assert _spans(kept) == [(49, 54)]


def test_regions_kept_in_any_order_merge_in_log_order() -> None:
    regions = [Region(10, [b"j", b"k"]), Region(1, [b"a", b"b"]), Region(3, [b"c"])]
    assert [(r.first, r.lines) for r in merge_regions(regions)] == [
        (1, [b"a", b"b", b"c"]),
        (10, [b"j", b"k"]),
    ]


def test_lines_are_counted_once_however_often_they_are_kept() -> None:
    # The scan narrows its windows past MAX_KEPT_LINES kept lines, counted here.
    kept = KeptLines()
    kept.keep_window(LINES, 9, 0, 2, 2)
    kept.keep_window(LINES, 10, 0, 2, 2)  # overlaps: one more line
    assert kept.count == 6


def test_lines_kept_for_two_reasons_join_into_one_list() -> None:
    hits = [Region(1, [b"a", b"b"]), Region(9, [b"i"])]
    novel = [Region(3, [b"c"]), Region(9, [b"i", b"j"])]
    assert [(r.first, r.lines) for r in joined_regions(hits, novel)] == [
        (1, [b"a", b"b", b"c"]),
        (9, [b"i", b"j"]),
    ]
    assert joined_regions(hits, []) is hits  # no passing log: nothing to copy
