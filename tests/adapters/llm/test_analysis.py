from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import BaseModel, Field
from pydantic_ai.exceptions import ModelAuthenticationError, ModelHTTPError
from pydantic_ai.messages import ModelMessage, ModelRequest, ModelResponse, ToolCallPart
from pydantic_ai.models.function import AgentInfo, FunctionModel
from pydantic_ai.models.test import TestModel

from sheriff.adapters.llm import PriceRef, PydanticLLM
from sheriff.errors import LLMAuthError, LLMOutputError, LLMUnavailableError
from sheriff.testing.scripted_llm import answering, answering_badly

TOKEN = "ghp_" + "Z9y8X7w6" * 5


class Hypothesis(BaseModel):
    cause: str
    cites: list[str] = Field(min_length=1)


class RootCause(BaseModel):
    hypotheses: list[Hypothesis]
    reproduction: str
    confidence: float = Field(ge=0, le=1)


ANSWER = {
    "hypotheses": [{"cause": "an off-by-one surcharge", "cites": ["S1"]}],
    "reproduction": "python -m pytest tests/test_pricing.py",
    "confidence": 0.8,
}


def test_analyse_returns_the_validated_output_and_its_priced_usage() -> None:
    llm = PydanticLLM(
        answering(ANSWER, model_name="claude-sonnet-4-5"),
        PriceRef("claude-sonnet-4-5", provider_id="anthropic"),
    )

    analysed = llm.analyse("Why does test_total fail?", RootCause, instructions="Be precise.")

    assert analysed.output == RootCause.model_validate(ANSWER)
    usage = analysed.usage
    assert (usage.model, usage.requests) == ("claude-sonnet-4-5", 1)
    assert usage.input_tokens > 0
    assert usage.output_tokens > 0
    assert usage.usd > 0
    assert usage.note == ""


def test_a_model_without_a_known_price_costs_zero_with_a_note() -> None:
    llm = PydanticLLM(answering(ANSWER), PriceRef("qwen2.5-7b", api_url="http://127.0.0.1:9/v1"))

    usage = llm.analyse("Why?", RootCause).usage

    assert usage.usd == Decimal(0)
    assert "no price known for model 'qwen2.5-7b'" in usage.note
    assert usage.input_tokens > 0


def test_test_model_output_is_validated_into_the_callers_type() -> None:
    llm = PydanticLLM(TestModel(), PriceRef("test"))
    analysed = llm.analyse("Why?", RootCause)
    assert isinstance(analysed.output, RootCause)
    assert analysed.output.hypotheses[0].cites


def test_output_that_stays_invalid_is_a_clear_error_with_what_it_spent() -> None:
    llm = PydanticLLM(
        answering_badly(model_name="gpt-4.1"),
        PriceRef("gpt-4.1", provider_id="openai"),
        output_retries=2,
    )

    with pytest.raises(LLMOutputError) as raised:
        llm.analyse("Why?", RootCause)

    error = raised.value
    assert "retries" in error.message
    assert "llm_output_retries" in error.hint
    assert error.model == "gpt-4.1"
    assert error.input_tokens > 0
    assert error.usd > 0


def test_secrets_are_redacted_before_the_model_sees_them() -> None:
    seen: list[str] = []

    def remember(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        seen.extend(
            str(part.content)
            for message in messages
            if isinstance(message, ModelRequest)
            for part in message.parts
        )
        seen.append(str(info.instructions))
        return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, ANSWER)])

    llm = PydanticLLM(FunctionModel(remember), PriceRef("x"))
    llm.analyse(f"the log printed token={TOKEN}", RootCause, instructions=f"key {TOKEN}")

    assert seen
    assert not [text for text in seen if TOKEN in text]
    assert any("[REDACTED" in text for text in seen)


def failing_with(error: Exception) -> FunctionModel:
    def fail(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        raise error

    return FunctionModel(fail)


def test_provider_failures_become_llm_errors_with_a_next_step() -> None:
    overloaded = PydanticLLM(failing_with(ModelHTTPError(503, "m", "overloaded")), PriceRef("m"))
    with pytest.raises(LLMUnavailableError) as unavailable:
        overloaded.analyse("Why?", RootCause)
    assert "llm_base_url" in unavailable.value.hint

    refused = PydanticLLM(failing_with(ModelAuthenticationError("m", "bad key")), PriceRef("m"))
    with pytest.raises(LLMAuthError) as auth:
        refused.analyse("Why?", RootCause)
    assert auth.value.exit_code == 2
    assert "llm_api_key" in auth.value.hint
