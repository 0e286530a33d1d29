"""A read-only consultation: the model answers in a validated shape and may read source
code through ``ReadOnlyTools`` on the way, within a bounded number of requests."""

from __future__ import annotations

from pydantic_ai import Agent, capture_run_messages
from pydantic_ai.messages import ModelMessage, ModelResponse
from pydantic_ai.models import Model
from pydantic_ai.usage import RunUsage, UsageLimits

from sheriff.adapters.llm.error_translation import LIBRARY_ERRORS, translate
from sheriff.adapters.llm.pricing import PriceRef, usage_value
from sheriff.adapters.llm.read_tools import ReadOnlyTools
from sheriff.app.llm import Analysed, LlmUsage, OutputT
from sheriff.app.workspace import SourceReader
from sheriff.core.redact import redact


def run_consult(
    model: Model,
    price_ref: PriceRef,
    prompt: str,
    output_type: type[OutputT],
    source: SourceReader | None,
    *,
    instructions: str,
    max_requests: int,
    output_retries: int,
) -> Analysed[OutputT]:
    """The model's validated answer and its priced usage; an LLMError (carrying what was
    spent) when it fails or runs out of requests."""
    agent = Agent(
        model,
        output_type=output_type,
        instructions=redact(instructions) or None,
        tools=ReadOnlyTools(source).tools() if source is not None else [],
        retries={"tools": 2, "output": output_retries},
        defer_model_check=True,
    )
    limits = UsageLimits(request_limit=max(max_requests, 1))
    with capture_run_messages() as messages:
        try:
            result = agent.run_sync(redact(prompt), usage_limits=limits)
        except LIBRARY_ERRORS as error:
            raise translate(error, spent(price_ref, messages)) from error
    return Analysed(result.output, usage_value(price_ref, result.usage, result.usage.requests))


def spent(price_ref: PriceRef, messages: list[ModelMessage]) -> LlmUsage:
    """What the answers of a failed run cost (pydantic-ai keeps them in the messages)."""
    responses = [message for message in messages if isinstance(message, ModelResponse)]
    total = RunUsage(
        requests=len(responses),
        input_tokens=sum(response.usage.input_tokens for response in responses),
        output_tokens=sum(response.usage.output_tokens for response in responses),
    )
    return usage_value(price_ref, total, total.requests)
