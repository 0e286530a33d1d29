import re
from collections.abc import Iterator

from hypothesis import given
from hypothesis import strategies as st

from sheriff.core.line_offsets import candidate_line_indices, matched_lines, spans_around

_FAIL = re.compile(rb"^FAIL|panic", re.MULTILINE)


def _offsets(buffer: bytes) -> Iterator[int]:
    return (match.start() for match in _FAIL.finditer(buffer))


_LINES = st.lists(
    st.sampled_from([b"ok", b"FAIL: x", b"a panic here", b"", b" FAIL not at start", b"x"]),
    max_size=30,
)
_BREAKS = st.sampled_from([b"\n", b"\r\n", b"\r"])


@given(_LINES, st.lists(_BREAKS, min_size=30, max_size=30))
def test_candidates_fall_on_the_lines_splitlines_numbers(
    lines: list[bytes], breaks: list[bytes]
) -> None:
    buffer = b"".join(line + brk for line, brk in zip(lines, breaks, strict=False))
    expected = [
        index
        for index, line in enumerate(buffer.splitlines())
        if line.startswith(b"FAIL") or b"panic" in line
    ]
    assert candidate_line_indices(buffer, _offsets) == expected


def test_a_line_after_a_bare_carriage_return_starts_a_line_for_anchors() -> None:
    buffer = b"progress 10%\rFAIL: TestX\r\nok\n"
    assert buffer.splitlines()[1] == b"FAIL: TestX"
    assert candidate_line_indices(buffer, _offsets) == [1]


def test_matched_lines_counts_within_the_given_slice() -> None:
    lines = [b"ok", b"a panic here", b"ok", b"FAIL: y", b"panic twice panic"]
    assert list(matched_lines(lines, 1, 4, _offsets)) == [1, 3, 4, 4]
    assert list(matched_lines(lines, 2, 3, _offsets)) == [3]


def test_spans_around_merge_when_they_touch() -> None:
    assert spans_around([10, 2, 30], 3, 31) == [(0, 5), (7, 13), (27, 31)]  # 6 is a gap
    assert spans_around([5, 12], 3, 100) == [(2, 15)]  # 8 and 9 touch
    assert spans_around([], 3, 10) == []
