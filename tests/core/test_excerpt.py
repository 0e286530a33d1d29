from hypothesis import given
from hypothesis import strategies as st

from sheriff.core.excerpt import choose_excerpt
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Strength


def _view(count: int) -> LogView:
    return LogView.from_bytes(b"\n".join(f"line {n}".encode() for n in range(1, count + 1)))


def _finding(
    anchor: int, first: int, last: int, strength: Strength = Strength.CLEAR, message: str = "boom"
) -> Finding:
    return Finding("t", FailureType.TEST, "assertion", message, anchor, ((first, last),), strength)


def _lines(ranges: tuple[tuple[int, int], ...]) -> set[int]:
    return {n for a, b in ranges for n in range(a, b + 1)}


def test_primary_block_comes_first_and_whole_when_it_fits() -> None:
    excerpt = choose_excerpt(_view(500), [_finding(100, 100, 110)], budget=20)
    lines = {n for a, b in excerpt.ranges for n in range(a, b + 1)}
    assert set(range(100, 111)) <= lines
    assert excerpt.line_count == 20


def test_other_findings_get_their_anchor() -> None:
    ranked = [_finding(100, 100, 140), _finding(300, 300, 305), _finding(450, 450, 451)]
    excerpt = choose_excerpt(_view(500), ranked, budget=25)
    lines = {n for a, b in excerpt.ranges for n in range(a, b + 1)}
    assert {100, 300, 450} <= lines
    assert excerpt.line_count <= 25


def test_no_finding_falls_back_to_the_tail() -> None:
    excerpt = choose_excerpt(_view(500), [], budget=10)
    assert excerpt.ranges == ((491, 500),)


def test_no_finding_with_passing_log_prefers_novel_lines() -> None:
    excerpt = choose_excerpt(_view(500), [], budget=3, novel=[20, 21, 400])
    assert excerpt.ranges == ((20, 21), (400, 400))


def test_novel_lines_of_a_repeated_error_wait_behind_a_different_error() -> None:
    # The same exception raised three times, then a different one; with room for two
    # novel lines, the second error is shown rather than a repeat of the first.
    ranked = [
        _finding(100, 100, 100, message="RuntimeError: Fake Error"),
        _finding(200, 200, 200, message="RuntimeError: Fake Error"),
        _finding(250, 250, 250, message="RuntimeError: Fake Error"),
        _finding(300, 300, 300, message="BuilderError: upload failed"),
    ]
    excerpt = choose_excerpt(_view(500), ranked, budget=2, novel=[100, 200, 250, 300])
    assert _lines(excerpt.ranges) == {100, 300}


def test_a_novel_block_too_long_to_fit_keeps_its_findings_lines_first() -> None:
    # A 30-line novel traceback whose finding ends on the exception line (line 60):
    # with 10 lines to spend, the exception is kept, not only the first frames.
    traceback = _finding(31, 31, 60)
    excerpt = choose_excerpt(_view(100), [traceback], budget=10, novel=list(range(31, 61)))
    lines = _lines(excerpt.ranges)
    assert {31, 60} <= lines
    assert len(lines) == 10


@given(
    st.integers(min_value=0, max_value=300),
    st.lists(st.tuples(st.integers(1, 400), st.integers(0, 30)), max_size=12),
)
def test_never_exceeds_the_budget(budget: int, blocks: list[tuple[int, int]]) -> None:
    ranked = [_finding(start, start, min(start + size, 400)) for start, size in blocks]
    excerpt = choose_excerpt(_view(400), ranked, budget=budget)
    assert excerpt.line_count <= budget
    numbers = [n for a, b in excerpt.ranges for n in range(a, b + 1)]
    assert all(1 <= n <= 400 for n in numbers)
    assert numbers == sorted(set(numbers))
