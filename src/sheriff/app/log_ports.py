"""The two ports triage needs, kept apart from ``ports.py`` so that ``sheriff triage``
starts without importing the store, lifecycle and LLM ports (re-exported there)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from sheriff.core.diffing import PassingBaseline
from sheriff.core.triage import ScannedLog


class LogReader(Protocol):
    """Gives the bytes of a named log (a path, ``-``, an archive...)."""

    def chunks(self, name: str) -> Iterator[bytes]: ...

    def read_all(self, name: str) -> bytes: ...


class PartScanner(Protocol):
    """Scans and parses a big log on several cores, making the scan and the findings one
    stream would make, or declines (returns None)."""

    def scan(self, name: str, baseline: PassingBaseline | None) -> ScannedLog | None: ...
