"""Faults on demand: the next N requests whose path matches a pattern fail (or slow down).

``status`` picks the failure, each in GitHub's form:

- 500, 503: JSON error body; 502: GitHub's HTML error page (clients must cope with a body
  that is not JSON);
- 403 or 429: a secondary rate limit, with ``retry-after`` and GitHub's message;
- 404: Not Found; 410: Gone, with the body GitHub sends for expired logs;
- ``None``: no failure, only ``delay`` seconds of latency.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from sheriff.testing.fakegithub.api_errors import SECONDARY_RATE_LIMIT_DOCS, ApiError
from sheriff.testing.fakegithub.seed_model import FaultSeed

BAD_GATEWAY_PAGE = (
    b"<!DOCTYPE html>\n<html>\n<head><title>Unicorn! &middot; GitHub</title></head>\n"
    b"<body>\n<h1>502 Bad Gateway</h1>\n<p>We had issues producing the response to your "
    b"request. Sorry about that. Please try resubmitting your request and contact us if "
    b"the problem persists.</p>\n</body>\n</html>\n"
)
SECONDARY_LIMIT_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try "
    "again. If you reach out to GitHub Support for help, please include the request ID."
)


@dataclass
class Fault:
    """Fail the next ``count`` requests (``None``: every one) whose path matches ``path``."""

    path: str
    status: int | None = 503
    count: int | None = 1
    method: str | None = None
    retry_after: int = 60
    delay: float = 0.0
    hits: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self._pattern = re.compile(self.path)

    @classmethod
    def from_seed(cls, seed: FaultSeed) -> Fault:
        return cls(seed.path, seed.status, seed.count, seed.method, seed.retry_after, seed.delay)

    def applies_to(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method.upper():
            return False
        return self._pattern.search(path) is not None

    @property
    def spent(self) -> bool:
        return self.count is not None and self.hits >= self.count

    def error(self) -> ApiError | None:
        """The error this fault answers with (``None`` for pure latency or a 502 page)."""
        if self.status in {403, 429}:
            return ApiError(
                self.status,
                SECONDARY_LIMIT_MESSAGE,
                headers={"retry-after": str(self.retry_after)},
                documentation_url=SECONDARY_RATE_LIMIT_DOCS,
            )
        messages = {
            404: "Not Found",
            410: "Server Error",
            500: "Server Error",
            503: "Service Unavailable",
        }
        if self.status in messages:
            return ApiError(self.status, messages[self.status])
        return None


class FaultPlan:
    """The faults waiting to fire, in the order they were added; safe across threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    @property
    def pending(self) -> list[Fault]:
        with self._lock:
            return [fault for fault in self._faults if not fault.spent]

    def take(self, method: str, path: str) -> Fault | None:
        """The first live fault for this request, counting the hit; spent faults drop out."""
        with self._lock:
            for fault in self._faults:
                if not fault.spent and fault.applies_to(method, path):
                    fault.hits += 1
                    self._faults = [item for item in self._faults if not item.spent]
                    return fault
        return None
