"""Recognise GitHub's rate-limit answers and say how long they ask us to wait.

GitHub documents two kinds (both 403 or 429):

- secondary limits: a ``retry-after`` header, or a message about a "secondary rate limit";
  wait ``retry-after`` seconds, or at least a minute without it;
- primary limits: ``x-ratelimit-remaining: 0``; wait until ``x-ratelimit-reset`` (epoch s).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

RATE_LIMIT_STATUSES = frozenset({403, 429})


@dataclass(frozen=True, slots=True)
class RateLimit:
    """A rate-limit refusal: ``wait`` seconds from ``now``; ``reset_at`` when it lifts."""

    secondary: bool
    wait: float | None  # None: GitHub gave no hint (a secondary limit without retry-after)
    reset_at: datetime | None
    resource: str | None


def rate_limit_of(response: httpx.Response, now: float) -> RateLimit | None:
    """The rate limit ``response`` reports, or None when it is not a rate-limit answer."""
    if response.status_code not in RATE_LIMIT_STATUSES:
        return None
    headers = response.headers
    resource = headers.get("x-ratelimit-resource")
    retry_after = _seconds(headers.get("retry-after"))
    if retry_after is not None:
        return RateLimit(True, retry_after, _at(now + retry_after), resource)
    if _mentions_secondary_limit(response):
        return RateLimit(True, None, None, resource)
    if headers.get("x-ratelimit-remaining") == "0":
        reset = _seconds(headers.get("x-ratelimit-reset"))
        if reset is None:
            return RateLimit(False, None, None, resource)
        return RateLimit(False, max(reset - now, 0.0) + 1.0, _at(reset), resource)
    return None


def _seconds(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return max(float(value.strip()), 0.0)
    except ValueError:
        return None


def _at(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=UTC)


def _mentions_secondary_limit(response: httpx.Response) -> bool:
    try:
        body = json.loads(response.content or b"null")
    except ValueError:
        return False
    message = body.get("message") if isinstance(body, dict) else None
    return isinstance(message, str) and "secondary rate limit" in message.lower()
