from __future__ import annotations

import json
from decimal import Decimal

import httpx2
import pydantic_ai.models
import pytest
from pydantic import BaseModel

from sheriff.adapters.llm import PydanticLLM, build_model
from sheriff.config import load_settings
from sheriff.errors import ConfigError


class Verdict(BaseModel):
    flaky: bool
    reason: str


def test_no_provider_means_no_llm() -> None:
    assert PydanticLLM.from_settings(load_settings()) is None


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        ({"llm_model": "gpt-4.1"}, "no llm_provider"),
        ({"llm_provider": "openai"}, "llm_model is unset"),
        ({"llm_provider": "anthropic", "llm_model": "claude-sonnet-4-5"}, "llm_api_key"),
        ({"llm_provider": "openai-compatible", "llm_model": "qwen"}, "llm_base_url"),
    ],
)
def test_incomplete_llm_settings_say_what_to_set(settings: dict[str, str], problem: str) -> None:
    with pytest.raises(ConfigError, match=problem) as raised:
        build_model(load_settings(**settings))
    assert raised.value.hint


def test_anthropic_and_openai_models_are_built_without_any_request() -> None:
    anthropic = build_model(
        load_settings(llm_provider="anthropic", llm_model="claude-sonnet-4-5", llm_api_key="k")
    )
    openai = build_model(load_settings(llm_provider="openai", llm_model="gpt-4.1", llm_api_key="k"))

    assert anthropic is not None
    assert openai is not None
    assert (anthropic.model.system, anthropic.model.model_name) == (
        "anthropic",
        "claude-sonnet-4-5",
    )
    assert anthropic.price_ref.provider_id == "anthropic"
    assert (openai.model.system, openai.model.model_name) == ("openai", "gpt-4.1")


def test_an_openai_compatible_server_answers_through_the_real_sdk(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pydantic_ai.models, "ALLOW_MODEL_REQUESTS", True)  # no network: mocked
    requests: list[httpx2.Request] = []

    def serve(request: httpx2.Request) -> httpx2.Response:
        requests.append(request)
        body = json.loads(request.content)
        tool = body["tools"][0]["function"]["name"]
        arguments = json.dumps({"flaky": True, "reason": "timing"})
        return httpx2.Response(200, json=_completion(body["model"], tool, arguments))

    client = httpx2.AsyncClient(transport=httpx2.MockTransport(serve))
    settings = load_settings(
        llm_provider="openai-compatible",
        llm_model="qwen2.5-7b",
        llm_base_url="http://127.0.0.1:9/v1",
        llm_api_key="local-key",
    )
    llm = PydanticLLM.from_settings(settings, http_client=client)
    assert llm is not None

    analysed = llm.analyse("Is it flaky?", Verdict)

    assert analysed.output == Verdict(flaky=True, reason="timing")
    assert str(requests[0].url) == "http://127.0.0.1:9/v1/chat/completions"
    assert requests[0].headers["authorization"] == "Bearer local-key"
    usage = analysed.usage
    assert (usage.input_tokens, usage.output_tokens, usage.requests) == (120, 30, 1)
    assert usage.usd == Decimal(0)
    assert "qwen2.5-7b" in usage.note


def test_fix_limits_come_from_the_settings() -> None:
    settings = load_settings(
        llm_provider="openai",
        llm_model="gpt-4.1",
        llm_api_key="k",
        llm_max_iterations=7,
        llm_max_cost_usd="0.5",
        fix_wall_seconds=60,
    )
    llm = PydanticLLM.from_settings(settings)
    assert llm is not None
    assert llm.model_name == "gpt-4.1"
    limits = llm.limits
    assert (limits.max_iterations, limits.max_usd, limits.wall_seconds) == (
        7,
        Decimal("0.5"),
        60.0,
    )


def _completion(model: str, tool: str, arguments: str) -> dict[str, object]:
    call = {"id": "call_1", "type": "function", "function": {"name": tool, "arguments": arguments}}
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 1_700_000_000,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": None, "tool_calls": [call]},
                "finish_reason": "tool_calls",
            }
        ],
        "usage": {"prompt_tokens": 120, "completion_tokens": 30, "total_tokens": 150},
    }
