"""Which lines of a buffer the matches of a trigger engine fall in.

The engines (RE2, Hyperscan) report byte offsets in a buffer of many lines; the scanner
wants line indices, counted as ``bytes.splitlines`` counts them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

_CR_AS_LF = bytes.maketrans(b"\r", b"\n")


def candidate_line_indices(buffer: bytes, offsets: Callable[[bytes], Iterable[int]]) -> list[int]:
    """0-based indices, within ``buffer``'s lines, of lines holding a candidate.

    The triggers are searched with every ``\\r`` read as ``\\n`` (same offsets): a
    line that starts after a bare ``\\r`` starts a line for ``^`` too, as it does for
    the line numbers, however the log was cut into chunks.
    """
    indices: list[int] = []
    position = 0
    line_index = 0
    bare_newlines = b"\r" not in buffer
    searched = buffer if bare_newlines else buffer.translate(_CR_AS_LF)
    for found in offsets(searched):
        if bare_newlines:
            offset = found
            line_index += buffer.count(b"\n", position, offset)
        else:  # breaks: every CR or LF, less one per CRLF (offset is not inside one)
            offset = found - 1 if buffer[found - 1 : found + 1] == b"\r\n" else found
            line_index += searched.count(b"\n", position, offset)
            line_index -= buffer.count(b"\r\n", position, offset)
        position = offset
        if not indices or indices[-1] != line_index:
            indices.append(line_index)
    return indices


def matched_lines(
    lines: list[bytes], first: int, last: int, offsets: Callable[[bytes], Iterable[int]]
) -> Iterator[int]:
    """Indices of the lines in ``lines[first : last + 1]`` where ``offsets`` (a matcher
    searching them joined by ``\\n``) found something, once per match, in order."""
    joined = b"\n".join(lines[first : last + 1])
    index, position = first, 0
    for found in offsets(joined):
        index += joined.count(b"\n", position, found)
        position = found
        yield index


def spans_around(indices: list[int], radius: int, last: int) -> list[tuple[int, int]]:
    """Merged spans of ``radius`` lines either side of each index, within ``[0, last]``."""
    spans: list[tuple[int, int]] = []
    for index in sorted(indices):
        first, end = max(index - radius, 0), min(index + radius, last)
        if spans and first <= spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((first, end))
    return spans
