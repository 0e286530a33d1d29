"""Use a passing run of the same job as evidence: lines it never printed are news."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import line_text
from sheriff.core.normalise import mask_volatile

# A line that is one bare number, decimal or hex with at least one digit: a chunk length
# of a streamed attachment (subunit's `15C`), a counter, a byte count. Its value changes
# from run to run, so it would always look new, yet it says nothing about the failure.
_BARE_NUMBER = lazy_compile(r"(?<![0-9a-f])[a-f]*+[0-9][0-9a-f]*+", re.I)
_NUMBER_KEY = "<n>"
_TOKEN = lazy_compile(r"\w+|[^\w\s]")


MAX_REMEMBERED_CHARS = 64 << 20
"""Text of the passing log's lines kept as they are, besides their keys: most lines of a
failing run are lines of the passing run, and finding the text is much cheaper than
masking it. Past this much text, lines are masked every time (memory stays bounded)."""


def diff_key(raw: bytes) -> str:
    """The comparable form of a line: no CI decoration, no run-specific values."""
    return _key_of(line_text(raw))


def _key_of(text: str) -> str:
    key = mask_volatile(text)
    return _NUMBER_KEY if _BARE_NUMBER.fullmatch(key) else key


def _word_bag(key: str) -> tuple[str, ...]:
    """The key's words and symbols in sorted order: a dict or set printed in hash order
    (Python 2, Ruby 1.8, Go maps) shows the same items in another order on every run."""
    return tuple(sorted(_TOKEN.findall(key)))


class PassingBaseline:
    """The set of line shapes a passing run printed."""

    def __init__(
        self, raw_lines: Iterable[bytes], remembered_chars: int = MAX_REMEMBERED_CHARS
    ) -> None:
        self._keys: set[str] = set()
        self._texts: set[str] = set()
        room = remembered_chars
        for raw in raw_lines:
            text = line_text(raw)
            if text in self._texts:
                continue
            if room > 0:
                self._texts.add(text)
                room -= len(text)
            self._keys.add(_key_of(text))
        self._bags = {_word_bag(key) for key in self._keys}

    def is_novel(self, raw: bytes) -> bool:
        text = line_text(raw)
        if text in self._texts:
            return False
        key = _key_of(text)
        if not key or key == _NUMBER_KEY or key in self._keys:
            return False
        return _word_bag(key) not in self._bags

    def __len__(self) -> int:
        return len(self._keys)
