"""The two ports triage needs, kept apart from ``ports.py`` so that ``sheriff triage``
starts without importing the store, lifecycle and LLM ports (re-exported there)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from sheriff.core.diffing import PassingBaseline
from sheriff.core.parts import PartResult


class LogReader(Protocol):
    """Gives the bytes of a named log (a path, ``-``, an archive...)."""

    def chunks(self, name: str) -> Iterator[bytes]: ...

    def read_all(self, name: str) -> bytes: ...


class PartScanner(Protocol):
    """Scans a big log in parts on several cores, or declines (returns None)."""

    def scan(self, name: str, baseline: PassingBaseline | None) -> list[PartResult] | None: ...
