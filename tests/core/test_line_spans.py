from hypothesis import given
from hypothesis import strategies as st

from sheriff.core.line_spans import LineSpans

_RANGES = st.lists(st.tuples(st.integers(1, 200), st.integers(-3, 40)), max_size=40).map(
    lambda pairs: [(first, first + length) for first, length in pairs]
)


@given(_RANGES, _RANGES)
def test_a_line_is_inside_exactly_when_some_range_holds_it(
    given_first: list[tuple[int, int]], added_later: list[tuple[int, int]]
) -> None:
    spans = LineSpans(given_first)
    for first, last in added_later:
        spans.add(first, last)
    ranges = given_first + added_later
    for number in range(260):
        assert (number in spans) == any(first <= number <= last for first, last in ranges)


def test_touching_and_overlapping_ranges_merge() -> None:
    spans = LineSpans([(10, 20), (21, 25), (40, 50)])
    assert len(spans) == 2
    spans.add(22, 45)
    assert len(spans) == 1
    assert [n in spans for n in (9, 10, 50, 51)] == [False, True, True, False]


def test_an_empty_range_adds_nothing() -> None:
    spans = LineSpans([(5, 4)])
    assert len(spans) == 0
    assert 5 not in spans
