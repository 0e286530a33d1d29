"""The Protocols use cases depend on; adapters implement them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol


class LogReader(Protocol):
    """Gives the bytes of a named log (a path, ``-``, an archive...)."""

    def chunks(self, name: str) -> Iterator[bytes]: ...

    def read_all(self, name: str) -> bytes: ...
