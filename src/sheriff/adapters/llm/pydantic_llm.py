"""The LLM port over pydantic-ai: validated structured answers, read-only consultations
(the assistant's allow-list of tools) and the bounded fix agent.

Text is redacted once more right before it leaves (the caller has already redacted it;
this is the last line of defence). Usage is priced per call and returned as a value.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from pydantic_ai import Agent, capture_run_messages
from pydantic_ai.messages import ModelMessage
from pydantic_ai.models import Model
from pydantic_ai.usage import UsageLimits

from sheriff.adapters.llm.consult_agent import run_consult, spent
from sheriff.adapters.llm.error_translation import LIBRARY_ERRORS, translate
from sheriff.adapters.llm.fix_agent import run_fix
from sheriff.adapters.llm.fix_progress import FixLimits
from sheriff.adapters.llm.models import build_model
from sheriff.adapters.llm.pricing import PriceRef, usage_value
from sheriff.app.llm import Analysed, FixOutcome, FixTask, LlmUsage, OutputT
from sheriff.app.workspace import SourceReader, Workspace
from sheriff.config import Settings
from sheriff.core.redact import redact

if TYPE_CHECKING:
    import httpx2


class PydanticLLM:
    def __init__(
        self,
        model: Model,
        price_ref: PriceRef,
        *,
        limits: FixLimits | None = None,
        output_retries: int = 2,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._model = model
        self._price_ref = price_ref
        self._limits = limits or FixLimits()
        self._output_retries = output_retries
        self._monotonic = monotonic

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        http_client: httpx2.AsyncClient | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> PydanticLLM | None:
        """The configured LLM, or None when no provider is set (deterministic output then)."""
        configured = build_model(settings, http_client=http_client)
        if configured is None:
            return None
        limits = FixLimits(
            max_iterations=settings.llm_max_iterations,
            max_tokens=settings.llm_max_tokens,
            max_usd=settings.llm_max_cost_usd,
            wall_seconds=float(settings.fix_wall_seconds),
        )
        return cls(
            configured.model,
            configured.price_ref,
            limits=limits,
            output_retries=settings.llm_output_retries,
            monotonic=monotonic,
        )

    @property
    def model_name(self) -> str:
        return self._price_ref.model

    @property
    def limits(self) -> FixLimits:
        return self._limits

    def analyse(
        self, prompt: str, output_type: type[OutputT], *, instructions: str = ""
    ) -> Analysed[OutputT]:
        agent = Agent(
            self._model,
            output_type=output_type,
            instructions=redact(instructions) or None,
            retries={"output": self._output_retries},
            defer_model_check=True,
        )
        limits = UsageLimits(request_limit=self._output_retries + 2)
        with capture_run_messages() as messages:
            try:
                result = agent.run_sync(redact(prompt), usage_limits=limits)
            except LIBRARY_ERRORS as error:
                raise translate(error, self._spent(messages)) from error
        usage = usage_value(self._price_ref, result.usage, result.usage.requests)
        return Analysed(result.output, usage)

    def consult(
        self,
        prompt: str,
        output_type: type[OutputT],
        source: SourceReader | None,
        *,
        instructions: str = "",
        max_requests: int = 12,
    ) -> Analysed[OutputT]:
        return run_consult(
            self._model,
            self._price_ref,
            prompt,
            output_type,
            source,
            instructions=instructions,
            max_requests=max_requests,
            output_retries=self._output_retries,
        )

    def fix(self, task: FixTask, workspace: Workspace) -> FixOutcome:
        return run_fix(
            self._model,
            task,
            workspace,
            limits=self._limits,
            price_ref=self._price_ref,
            output_retries=self._output_retries,
            monotonic=self._monotonic,
        )

    def _spent(self, messages: list[ModelMessage]) -> LlmUsage:
        return spent(self._price_ref, messages)
