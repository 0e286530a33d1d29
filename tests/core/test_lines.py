from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from sheriff.core.lines import LONG_LINE_BYTES, LineCarry, split_lines
from sheriff.core.logview import abridge

# Short lines with every kind of break, cut into chunks anywhere (inside a \r\n too).
_LOG = st.lists(st.sampled_from([b"a", b"bc", b"\r", b"\n", b"\r\n", b"", b"\xff"])).map(b"".join)


def _chunked(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({0, len(data), *(cut % (len(data) + 1) for cut in cuts)})
    return [data[a:b] for a, b in pairwise(points)]


@given(_LOG, st.lists(st.integers(0, 1000), max_size=8))
def test_lines_of_a_chunked_input_are_those_of_the_whole(data: bytes, cuts: list[int]) -> None:
    assert list(split_lines(_chunked(data, cuts))) == data.splitlines()


@given(_LOG, st.lists(st.integers(0, 1000), max_size=8))
def test_every_pushed_buffer_ends_a_line(data: bytes, cuts: list[int]) -> None:
    carry = LineCarry()
    buffers = [carry.push(chunk) for chunk in _chunked(data, cuts)]
    for buffer in buffers:
        assert not buffer or buffer.endswith((b"\n", b"\r"))
    assert b"".join([*buffers, carry.flush()]) == data


@given(st.integers(1, 5), st.sampled_from([b"\n", b"\r\n", b"\r", b""]))
def test_a_line_longer_than_the_limit_reads_the_same_in_any_chunking(
    pieces: int, end: bytes
) -> None:
    line = b"head " + b"0123456789" * (3 * LONG_LINE_BYTES // 10) + b" tail"
    data = b"before\n" + line + end + b"after\n"
    size = len(data) // pieces + 1
    chunks = [data[start : start + size] for start in range(0, len(data), size)]
    expected = (
        [b"before", abridge(line), b"after"] if end else [b"before", abridge(line + b"after")]
    )
    lines = list(split_lines(chunks))
    assert [abridge(line) for line in lines] == expected
    if pieces > 1:  # carried across chunks: abridged as it streamed, memory bounded
        assert max(map(len, lines)) <= len(abridge(line))
