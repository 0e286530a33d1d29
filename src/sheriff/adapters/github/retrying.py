"""Retries: backoff with jitter on 5xx and network errors, waits for rate limits to lift.

githubkit's own ``auto_retry`` is switched off: it retries a rate limit only once, waits
however long GitHub says (even an hour), never retries network errors, adds no jitter and
sleeps with ``time.sleep``, which tests cannot skip. This loop does all of that with an
injected sleep and clock.

A request that is not idempotent (creating an issue or a comment) is retried only when it
surely was not carried out: a rate-limit refusal or a failed connection. After a 5xx or a
broken connection GitHub may have done it anyway, so the error goes to the caller.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from sheriff.adapters.github.error_translation import network_failure, rate_limited
from sheriff.adapters.github.ratelimits import rate_limit_of
from sheriff.adapters.github.settings import RetryPolicy

RETRIED_STATUSES = frozenset({500, 502, 503, 504})
SAFE_NETWORK_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout)


@dataclass(frozen=True, slots=True)
class WaitNotice:
    """Told to ``on_wait`` before each pause, e.g. to show it in a progress display."""

    reason: str
    seconds: float
    retry: int
    url: str


@dataclass
class Retrier:
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    jitter: Callable[[], float] = random.random
    on_wait: Callable[[WaitNotice], None] | None = None

    def send(
        self, request: httpx.Request, send_once: Callable[[], httpx.Response], idempotent: bool
    ) -> httpx.Response:
        """The first answer not worth retrying (it may be an error: the caller decides)."""
        retry = 0
        while True:
            try:
                response = send_once()
            except httpx.TransportError as error:
                delay = self._delay_after_network_error(error, retry, idempotent)
                if delay is None:
                    raise network_failure(error, request) from error
                reason = f"network error ({type(error).__name__})"
            else:
                outcome = self._delay_after_response(response, retry, idempotent)
                if outcome is None:
                    return response
                delay, reason = outcome
                response.close()
            self._pause(delay, WaitNotice(reason, delay, retry + 1, str(request.url)))
            retry += 1

    def _delay_after_network_error(
        self, error: httpx.TransportError, retry: int, idempotent: bool
    ) -> float | None:
        if retry >= self.policy.max_retries:
            return None
        if not idempotent and not isinstance(error, SAFE_NETWORK_ERRORS):
            return None
        return self.policy.backoff(retry, self.jitter())

    def _delay_after_response(
        self, response: httpx.Response, retry: int, idempotent: bool
    ) -> tuple[float, str] | None:
        now = self.clock()
        limit = rate_limit_of(response, now)
        if limit is not None:
            wait = limit.wait
            if wait is None:
                wait = self.policy.secondary_limit_default_wait * (2.0**retry)
            where = f"{response.request.method} {response.request.url.path}"
            if wait > self.policy.max_rate_limit_wait:
                raise rate_limited(limit, where, now)
            if retry >= self.policy.max_retries:
                return None
            kind = "secondary rate limit" if limit.secondary else "rate limit reset"
            return wait, kind
        if response.status_code in RETRIED_STATUSES and idempotent:
            if retry >= self.policy.max_retries:
                return None
            return self.policy.backoff(retry, self.jitter()), f"HTTP {response.status_code}"
        return None

    def _pause(self, seconds: float, notice: WaitNotice) -> None:
        if self.on_wait is not None:
            self.on_wait(notice)
        self.sleep(seconds)
