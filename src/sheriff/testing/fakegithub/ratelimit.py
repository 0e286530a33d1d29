"""Primary rate limits: one budget per resource (``core``, ``search``, ...) per window.

A request spends one unit of its resource's budget unless it is answered 304 Not
Modified (GitHub does not count those). When a budget is spent, requests get 403 (or 429
if configured) with ``x-ratelimit-remaining: 0`` until the window resets.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from sheriff.testing.fakegithub.api_errors import RATE_LIMIT_DOCS, ApiError

DEFAULT_LIMITS = {
    "core": 5000,
    "search": 30,
    "graphql": 5000,
    "code_search": 10,
    "integration_manifest": 5000,
}
WINDOWS = {"search": 60, "code_search": 60}
HOUR = 3600


@dataclass
class Bucket:
    limit: int
    used: int
    reset: int

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)

    def as_json(self) -> dict[str, int]:
        return {
            "limit": self.limit,
            "used": self.used,
            "remaining": self.remaining,
            "reset": self.reset,
        }


class RateBudgets:
    def __init__(
        self,
        limits: dict[str, int] | None = None,
        *,
        exhausted_status: int = 403,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.limits = {**DEFAULT_LIMITS, **(limits or {})}
        self.exhausted_status = exhausted_status
        self.now = now
        self.buckets: dict[str, Bucket] = {}

    def bucket(self, resource: str) -> Bucket:
        """The current window's bucket, starting a new window once the old one has reset."""
        current = self.buckets.get(resource)
        moment = int(self.now())
        if current is None or moment >= current.reset:
            limit = self.limits.get(resource, self.limits["core"])
            current = Bucket(limit, 0, moment + WINDOWS.get(resource, HOUR))
            self.buckets[resource] = current
        return current

    def set_remaining(self, resource: str, remaining: int) -> None:
        bucket = self.bucket(resource)
        bucket.used = max(bucket.limit - remaining, 0)

    def check(self, resource: str, user_id: int) -> None:
        """Raise GitHub's primary-limit error when ``resource`` has nothing left."""
        bucket = self.bucket(resource)
        if bucket.remaining > 0:
            return
        raise ApiError(
            self.exhausted_status,
            f"API rate limit exceeded for user ID {user_id}. If you reach out to GitHub "
            "Support for help, please include the request ID and timestamp.",
            headers=self.headers(resource),
            documentation_url=RATE_LIMIT_DOCS + "#about-primary-rate-limits",
        )

    def spend(self, resource: str) -> None:
        bucket = self.bucket(resource)
        bucket.used = min(bucket.used + 1, bucket.limit)

    def headers(self, resource: str) -> dict[str, str]:
        bucket = self.bucket(resource)
        return {
            "x-ratelimit-limit": str(bucket.limit),
            "x-ratelimit-remaining": str(bucket.remaining),
            "x-ratelimit-reset": str(bucket.reset),
            "x-ratelimit-used": str(bucket.used),
            "x-ratelimit-resource": resource,
        }

    def overview(self) -> dict[str, object]:
        resources = {name: self.bucket(name).as_json() for name in self.limits}
        return {"resources": resources, "rate": resources["core"]}
