"""Use a passing run of the same job as evidence: lines it never printed are news."""

from __future__ import annotations

from collections.abc import Iterable

from sheriff.core.logview import decode
from sheriff.core.noise import clean_line
from sheriff.core.normalise import mask_volatile


def diff_key(raw: bytes) -> str:
    """The comparable form of a line: no CI decoration, no run-specific values."""
    return mask_volatile(clean_line(decode(raw)))


class PassingBaseline:
    """The set of line shapes a passing run printed."""

    def __init__(self, raw_lines: Iterable[bytes]) -> None:
        self._keys = {diff_key(raw) for raw in raw_lines}

    def is_novel(self, raw: bytes) -> bool:
        key = diff_key(raw)
        return bool(key) and key not in self._keys

    def __len__(self) -> int:
        return len(self._keys)
