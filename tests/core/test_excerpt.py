from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from sheriff.core.excerpt import choose_excerpt
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Strength


def _view(count: int, texts: dict[int, str] | None = None) -> LogView:
    texts = texts or {}
    lines = (texts.get(n, f"line {n}") for n in range(1, count + 1))
    return LogView.from_bytes("\n".join(lines).encode())


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


def test_the_neighbourhood_ends_where_another_test_passed() -> None:
    """Go, pytest -v, Gradle, unittest, cargo, TAP, gtest, jest: lines saying that some
    other test passed are not context; the budget they would fill stays unspent."""
    passes = {
        95: "--- PASS: TestOther (0.00s)",
        96: "tests/test_a.py::test_ok PASSED                  [ 10%]",
        97: "CartTest > total() PASSED",
        98: "test_parse (tests.test_x.ParseTests) ... ok",
        99: "test tests::parses ... ok",
        111: "ok 12 - adds numbers",
        112: "[       OK ] Cart.Total (0 ms)",
        113: "  ✓ renders (5 ms)",
    }
    excerpt = choose_excerpt(_view(113, passes), [_finding(100, 100, 110)], budget=40)
    assert _lines(excerpt.ranges) == set(range(100, 111))  # the tail is a passing test too


def test_the_tail_after_a_finding_stops_at_a_passing_test_too() -> None:
    passes = {n: f"--- PASS: Test{n} (0.00s)" for n in (99, 111, *range(480, 495))}
    excerpt = choose_excerpt(_view(500, passes), [_finding(100, 100, 110)], budget=30)
    assert _lines(excerpt.ranges) == set(range(100, 111)) | set(range(495, 501))


def test_the_lines_before_an_exit_line_stop_at_a_passing_test() -> None:
    exit_line = Finding("ci", FailureType.UNKNOWN, "exit", "exited with 1", 100, ((100, 100),))
    exit_line = replace(exit_line, kind="exit", strength=Strength.WEAK)
    passes = {95: "test_parse (tests.test_x.ParseTests) ... ok"}
    excerpt = choose_excerpt(_view(100, passes), [exit_line], budget=20)
    assert excerpt.ranges == ((96, 100),)


def test_without_a_finding_the_tail_is_taken_whatever_it_says() -> None:
    passes = {n: f"--- PASS: Test{n} (0.00s)" for n in range(1, 501)}
    excerpt = choose_excerpt(_view(500, passes), [], budget=10)
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


def test_a_finding_split_over_two_novel_blocks_keeps_both_its_parts_first() -> None:
    # A compiler error list in two parts (lines 10-20 and 40-50), each inside a longer
    # novel block: with room for 22 lines, both parts are shown before their context.
    error = Finding(
        "t", FailureType.BUILD, "compile", "boom", 10, ((10, 20), (40, 50)), Strength.CLEAR
    )
    novel = [*range(5, 23), *range(38, 53)]
    excerpt = choose_excerpt(_view(100), [error], budget=22, novel=novel)
    assert _lines(excerpt.ranges) == {*range(10, 21), *range(40, 51)}


def test_novel_blocks_that_say_what_an_earlier_one_said_wait_behind_the_failure() -> None:
    # The same mirror list printed at three steps is new each time (other hosts); it is
    # shown once, and the budget goes to the failure's own neighbourhood.
    mirrors = {
        n + k: f" * {repo}: mirror{n}.example.org"
        for n in (100, 200, 300)
        for k, repo in enumerate(("base", "extras", "updates"))
    }
    view = _view(500, {**mirrors, 450: "cp: cannot stat '/tmp/x': No such file"})
    novel = [*sorted(mirrors), 450]
    excerpt = choose_excerpt(view, [_finding(450, 450, 450)], budget=8, novel=novel)
    lines = _lines(excerpt.ranges)
    assert 450 in lines
    assert len(lines & set(mirrors)) == 3
    assert {445, 446, 447, 448, 449} & lines


def test_without_findings_near_duplicate_novel_blocks_come_after_distinct_ones() -> None:
    texts = {
        10: "disk quota exceeded on /dev/sda1",
        20: "Setting VERSION to 1.2.0",
        30: "Setting VERSION to 1.2.1",
    }
    excerpt = choose_excerpt(_view(100, texts), [], budget=2, novel=[10, 20, 30])
    assert _lines(excerpt.ranges) == {10, 30}
    wider = choose_excerpt(_view(100, texts), [], budget=3, novel=[10, 20, 30])
    assert _lines(wider.ranges) == {10, 20, 30}


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
