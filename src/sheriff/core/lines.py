"""Cut a stream of chunks into buffers of whole lines, whatever the line lengths.

A chunk may end inside a line, or between the two bytes of a ``\\r\\n``; the unfinished
part is carried into the next chunk. A line still unfinished after ``LONG_LINE_BYTES``
(a minified bundle, progress dots with no line break, hostile input) loses its middle at
once and is read as ``abridge`` reads it, so memory stays bounded by the chunk size
whatever one line's length. A log in UTF-16 is read as UTF-8 (``encoding.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sheriff.core.encoding import Utf8Input
from sheriff.core.logview import LINE_HEAD_BYTES, LINE_TAIL_BYTES, abridge

LONG_LINE_BYTES = 1 << 20
LONG_LINE_TAIL_BYTES = 2 * LINE_TAIL_BYTES  # kept of such a line's end while it streams


class LineCarry:
    """Push chunks in order; get back buffers that end on a line break.

    ``from_start`` says the chunks start at the log's first byte, where its encoding is
    told; a part of a file scanned on its own (``parallel_scan``) starts elsewhere, in a
    file already known not to be UTF-16.
    """

    def __init__(self, *, from_start: bool = True) -> None:
        self._utf8 = Utf8Input() if from_start else None
        self._carry = b""
        self._dropped = 0  # bytes taken out of the middle of the carried line

    @property
    def pending(self) -> bool:
        """Whether an unfinished line is carried (exact once ``SNIFF_BYTES`` are in)."""
        return bool(self._carry) or (self._utf8 is not None and self._utf8.holding)

    def push(self, chunk: bytes) -> bytes:
        """The whole lines completed by ``chunk`` (maybe none), with their breaks."""
        if self._utf8 is not None:
            chunk = self._utf8.push(chunk)
        return self._lines_of(chunk)

    def flush(self) -> bytes:
        """What is left at the end of the input: the last lines, the last unfinished."""
        lines = self._lines_of(self._utf8.flush()) if self._utf8 is not None else b""
        rest = self._close_long_line(self._carry, last=True) if self._dropped else self._carry
        self._carry = b""
        return lines + rest

    def _lines_of(self, chunk: bytes) -> bytes:
        buffer = self._carry + chunk if self._carry else chunk
        if self._dropped:
            buffer = self._close_long_line(buffer, last=False)
        cut = _last_complete_line_end(buffer)
        self._carry = buffer[cut:]
        if len(self._carry) > LONG_LINE_BYTES:
            self._drop_carried_middle()
        return buffer[:cut] if cut < len(buffer) else buffer

    def _drop_carried_middle(self) -> None:
        carry = self._carry
        kept_end = carry[-LONG_LINE_TAIL_BYTES:]
        self._dropped += len(carry) - LINE_HEAD_BYTES - len(kept_end)
        self._carry = carry[:LINE_HEAD_BYTES] + kept_end

    def _close_long_line(self, buffer: bytes, *, last: bool) -> bytes:
        """``buffer`` with its first line (the carried long one) abridged, if it ends in
        ``buffer`` or the input does (``last``); unchanged while that line goes on."""
        end = first_break(buffer)
        if end < 0:
            if not last:
                return buffer
            end = len(buffer)
        abridged = abridge(buffer[:end], self._dropped)
        self._dropped = 0
        return abridged + buffer[end:]


def split_lines(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """Every line of a chunked input, as ``bytes.splitlines`` of the whole would give
    them, except that a line longer than ``LONG_LINE_BYTES`` may come abridged (which
    every stage reads the same: ``line_text``)."""
    carry = LineCarry()
    for chunk in chunks:
        yield from carry.push(chunk).splitlines()
    yield from carry.flush().splitlines()


def count_breaks(data: bytes) -> int:
    """How many line breaks ``data`` holds: each ``\\r\\n``, ``\\r`` or ``\\n``."""
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")


def first_break(buffer: bytes) -> int:
    """Where the first line break (``\\r`` or ``\\n``) in ``buffer`` is, or -1."""
    newline = buffer.find(b"\n")
    carriage = buffer.find(b"\r", 0, newline if newline >= 0 else len(buffer))
    return carriage if carriage >= 0 else newline


def _last_complete_line_end(buffer: bytes) -> int:
    """Where the last complete line ends; a trailing ``\\r`` waits for a possible ``\\n``."""
    newline = buffer.rfind(b"\n")
    carriage = buffer.rfind(b"\r", 0, len(buffer) - 1)
    return max(newline, carriage) + 1
