"""Read a log written in UTF-16 as the UTF-8 text every other stage expects.

Windows PowerShell's ``Out-File``, ``Tee-Object`` and ``>`` write UTF-16 with a byte
order mark, and some .NET and Windows tools write it without one. Read as bytes, such
a log has a NUL after every ASCII character: no trigger fires, and ``\\r\\0\\n\\0``
breaks each line in three. The first bytes decide: a byte order mark, or NULs in nine
of ten odd (or even) bytes and in at most one of ten of the others. The rest is decoded
as it streams. A UTF-8 byte order mark is dropped. Anything else passes through
untouched, invalid bytes included. UTF-32 is not told apart: no CI tool writes it, and
its little-endian byte order mark is UTF-16's followed by a NUL character (which a
UTF-16 log may well start with).
"""

from __future__ import annotations

import codecs

SNIFF_BYTES = 4096
"""How much of the start of a log decides its encoding (less if the log is shorter)."""
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_MIN_SNIFFED = 16
_NUL_SHARE = 0.9


def wide_codec(head: bytes) -> str | None:
    """The codec of a log that starts with ``head``, when it is UTF-16."""
    if head.startswith(_UTF16_BOMS):
        return "utf-16"
    sample = head[:SNIFF_BYTES]
    if len(sample) < _MIN_SNIFFED:
        return None
    even, odd = sample[0::2], sample[1::2]
    if _nul_share(odd) >= _NUL_SHARE and _nul_share(even) <= 1 - _NUL_SHARE:
        return "utf-16-le"
    if _nul_share(even) >= _NUL_SHARE and _nul_share(odd) <= 1 - _NUL_SHARE:
        return "utf-16-be"
    return None


def _nul_share(data: bytes) -> float:
    return data.count(0) / len(data)


class Utf8Input:
    """Push a log's chunks in order; get back its bytes as UTF-8 (maybe later, while
    the first ``SNIFF_BYTES`` are gathered), then ``flush`` at the end."""

    def __init__(self) -> None:
        self._head = b""
        self._decided = False
        self._decoder: codecs.IncrementalDecoder | None = None

    @property
    def holding(self) -> bool:
        """Whether bytes are held back until the encoding is told."""
        return bool(self._head)

    def push(self, chunk: bytes) -> bytes:
        if self._decided:
            return chunk if self._decoder is None else _decode(self._decoder, chunk, final=False)
        head = self._head + chunk if self._head else chunk
        if len(head) < SNIFF_BYTES:
            self._head = head
            return b""
        self._head = b""
        return self._decide(head, final=False)

    def flush(self) -> bytes:
        if not self._decided:
            head, self._head = self._head, b""
            return self._decide(head, final=True)
        return b"" if self._decoder is None else _decode(self._decoder, b"", final=True)

    def _decide(self, head: bytes, *, final: bool) -> bytes:
        self._decided = True
        codec = wide_codec(head)
        if codec is None:
            return head.removeprefix(codecs.BOM_UTF8)
        self._decoder = codecs.getincrementaldecoder(codec)(errors="replace")
        return _decode(self._decoder, head, final=final)


def _decode(decoder: codecs.IncrementalDecoder, chunk: bytes, *, final: bool) -> bytes:
    return decoder.decode(chunk, final).encode("utf-8", "replace")
