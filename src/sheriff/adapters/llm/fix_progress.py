"""The fix agent's bounds: iterations, tokens, dollars, wall time and the stall detector.

``FixProgress`` is one attempt's running account. ``GuardedModel`` wraps the real model and
consults it before every request and after every answer; the tools consult it too. A limit
reached raises ``LoopStopped``, which ends the pydantic-ai run and becomes the outcome's
stop reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from pydantic_ai.messages import ModelMessage, ModelResponse
from pydantic_ai.models import Model, ModelRequestParameters
from pydantic_ai.models.wrapper import WrapperModel
from pydantic_ai.settings import ModelSettings

from sheriff.adapters.llm.pricing import PriceRef, TokenCounts, price
from sheriff.app.llm import FixStop, LlmUsage
from sheriff.app.workspace import CommandResult

# What changes between two runs of the same failure: durations, clock times, addresses.
_VOLATILE = re.compile(
    r"\b\d+(?:\.\d+)?\s?(?:ns|us|µs|ms|s|sec|secs|seconds)\b|\b0x[0-9a-fA-F]+\b"
    r"|\b\d\d:\d\d:\d\d(?:[.,]\d+)?\b"
)


@dataclass(frozen=True, slots=True)
class FixLimits:
    max_iterations: int = 25  # model requests
    max_tokens: int = 400_000  # input + output, all requests
    max_usd: Decimal = Decimal("2.00")
    wall_seconds: float = 1200.0


class LoopStopped(Exception):  # noqa: N818 (a signal, not an error: it becomes a FixStop)
    """Raised inside the agent run to end it; never leaves the adapter."""

    def __init__(self, reason: FixStop, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


class FixProgress:
    def __init__(
        self, limits: FixLimits, price_ref: PriceRef, monotonic: Callable[[], float]
    ) -> None:
        self.limits = limits
        self._price_ref = price_ref
        self._monotonic = monotonic
        self._started = monotonic()
        self.requests = 0
        self.input_tokens = 0
        self.output_tokens = 0
        self.usd = Decimal(0)
        self.note = ""
        self.test_runs: list[CommandResult] = []
        self.edited: set[str] = set()
        self.edited_since_run = False
        self._last_failure: str | None = None

    def before_request(self) -> None:
        if self.requests >= self.limits.max_iterations:
            raise LoopStopped(
                FixStop.MAX_ITERATIONS, f"stopped after {self.requests} model requests"
            )
        if self.input_tokens + self.output_tokens >= self.limits.max_tokens:
            spent = self.input_tokens + self.output_tokens
            raise LoopStopped(
                FixStop.BUDGET, f"{spent} tokens used (limit {self.limits.max_tokens})"
            )
        if self.usd >= self.limits.max_usd and self.usd > 0:
            raise LoopStopped(FixStop.BUDGET, f"${self.usd} spent (limit ${self.limits.max_usd})")
        self.remaining_seconds()
        self.requests += 1

    def after_response(self, usage: TokenCounts) -> None:
        self.input_tokens += usage.input_tokens
        self.output_tokens += usage.output_tokens
        usd, note = price(self._price_ref, usage)
        self.usd += usd
        self.note = self.note or note

    def remaining_seconds(self) -> float:
        """Seconds left of the wall-time budget; LoopStopped when none are."""
        left = self.limits.wall_seconds - (self._monotonic() - self._started)
        if left <= 0:
            raise LoopStopped(
                FixStop.WALL_TIME, f"no time left of {self.limits.wall_seconds:g}s wall time"
            )
        return left

    def record_edit(self, path: str) -> None:
        self.edited.add(path)
        self.edited_since_run = True

    def record_run(self, result: CommandResult, *, detect_stall: bool = True) -> None:
        """Keep a test run; LoopStopped when it failed exactly like the run before it."""
        self.test_runs.append(result)
        self.edited_since_run = False
        if result.passed:
            self._last_failure = None
            return
        failure = _VOLATILE.sub("<v>", result.output)
        if detect_stall and failure == self._last_failure:
            raise LoopStopped(FixStop.STALLED, "the same test failure twice in a row")
        self._last_failure = failure

    def usage(self) -> LlmUsage:
        return LlmUsage(
            model=self._price_ref.model,
            requests=self.requests,
            input_tokens=self.input_tokens,
            output_tokens=self.output_tokens,
            usd=self.usd,
            note=self.note,
        )


class GuardedModel(WrapperModel):
    """The real model, asked only while the attempt is within its bounds."""

    def __init__(self, wrapped: Model, progress: FixProgress) -> None:
        super().__init__(wrapped)
        self._progress = progress

    async def request(
        self,
        messages: list[ModelMessage],
        model_settings: ModelSettings | None,
        model_request_parameters: ModelRequestParameters,
    ) -> ModelResponse:
        self._progress.before_request()
        response = await super().request(messages, model_settings, model_request_parameters)
        self._progress.after_response(response.usage)
        return response
