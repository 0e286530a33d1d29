import re

import pytest

from sheriff.core.diffing import MAX_REMEMBERED_CHARS, PassingBaseline, diff_key
from tests.conftest import read_shared


def test_a_line_differing_only_in_numbers_and_times_is_not_novel() -> None:
    baseline = PassingBaseline([b"2024-01-02 10:11:12 ran 12 tests in 3.5s"])
    assert not baseline.is_novel(b"2024-03-04 09:08:07 ran 12 tests in 4.1s")
    assert baseline.is_novel(b"2024-03-04 09:08:07 FAILED test_upload")


def test_a_bare_number_line_is_never_novel() -> None:
    # Chunk lengths of a streamed attachment (subunit) change with the content.
    baseline = PassingBaseline([b"tags: worker-0"])
    assert diff_key(b"15C") == diff_key(b"2C66") == diff_key(b"529")
    assert not baseline.is_novel(b"15C")
    assert not baseline.is_novel(b"  529  ")
    assert baseline.is_novel(b"CAFE")  # a word, not a number


def test_the_same_items_in_another_order_are_not_novel() -> None:
    # A dict printed in hash order (Python 2) shows its items in another order each run.
    baseline = PassingBaseline([b"Assigning request {'nodes': [], 'reuse': False, 'id': 7}"])
    assert not baseline.is_novel(b"Assigning request {'id': 8, 'nodes': [], 'reuse': False}")
    assert baseline.is_novel(b"Assigning request {'id': 8, 'nodes': [], 'reuse': True}")


def test_blank_lines_are_not_novel() -> None:
    assert not PassingBaseline([]).is_novel(b"   ")


def _novel_by_definition(passing: list[bytes], failing: list[bytes]) -> list[bytes]:
    """Lines whose key and bag of words the passing run never printed (blank and
    bare-number lines never are novel)."""
    keys = {diff_key(line) for line in passing}
    bags = {_bag(key) for key in keys}
    ignored = {"", diff_key(b"0")}
    novel = []
    for raw in failing:
        key = diff_key(raw)
        if key not in ignored and key not in keys and _bag(key) not in bags:
            novel.append(raw)
    return novel


def _bag(key: str) -> tuple[str, ...]:
    return tuple(sorted(re.findall(r"\w+|[^\w\s]", key)))


@pytest.mark.parametrize("remembered_chars", [MAX_REMEMBERED_CHARS, 2000, 0])
def test_novel_lines_of_a_real_pair_follow_the_definition(remembered_chars: int) -> None:
    # The baseline keeps the passing run's text to skip masking lines it printed as they
    # are; with little or no room for it, lines are masked each time, same answers.
    case = "cidiff-breakages/breakages/commonslang_2089"
    passing = read_shared(f"{case}/pass.log").splitlines()
    failing = read_shared(f"{case}/fail.log").splitlines()
    baseline = PassingBaseline(passing, remembered_chars)
    novel = [raw for raw in failing if baseline.is_novel(raw)]
    assert novel == _novel_by_definition(passing, failing)
    assert 0 < len(novel) < len(failing) // 2
