"""Every request the fake answered, for tests and benchmarks to count."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class RecordedRequest:
    """``operation`` is GitHub's operation id (``issues/create``), ``unmatched`` for none."""

    method: str
    path: str
    query: str
    operation: str
    resource: str
    status: int
    login: str | None
    faulted: bool = False

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class RequestLog:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[RecordedRequest] = []

    def add(self, entry: RecordedRequest) -> None:
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def count(
        self,
        operation: str | None = None,
        *,
        method: str | None = None,
        path: str | None = None,
        status: int | None = None,
        api_only: bool = False,
    ) -> int:
        """How many requests match every filter given; ``path`` is a regex searched for.

        ``api_only`` leaves out downloads (the redirect targets), which are not API calls.
        """
        pattern = re.compile(path) if path is not None else None
        return sum(
            1
            for entry in self.entries()
            if (operation is None or entry.operation == operation)
            and (method is None or entry.method == method.upper())
            and (pattern is None or pattern.search(entry.path))
            and (status is None or entry.status == status)
            and not (api_only and entry.resource == "download")
        )
