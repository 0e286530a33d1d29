"""Build the pydantic-ai model Settings describe: Anthropic, OpenAI or an OpenAI-compatible
server (vLLM, Ollama, LM Studio...). No provider configured means no model at all.

The provider SDKs take a second or two to import, so they are imported here, only when a
model is actually built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic_ai.models import Model

from sheriff.adapters.llm.pricing import PriceRef
from sheriff.config import Settings
from sheriff.errors import ConfigError

if TYPE_CHECKING:
    import httpx2


@dataclass(frozen=True, slots=True)
class ConfiguredModel:
    model: Model
    price_ref: PriceRef


def build_model(
    settings: Settings, *, http_client: httpx2.AsyncClient | None = None
) -> ConfiguredModel | None:
    """The model ``settings`` name, or None when no provider is configured."""
    provider = settings.llm_provider
    if provider is None:
        if settings.llm_model:
            raise ConfigError(
                f"llm_model is {settings.llm_model!r} but no llm_provider is set",
                hint="set llm_provider to anthropic, openai or openai-compatible",
            )
        return None
    name = settings.llm_model
    if not name:
        raise ConfigError(f"llm_provider is {provider} but llm_model is unset", hint=_MODEL_HINT)
    key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    if provider == "anthropic":
        model = _anthropic(name, _required(key, provider), settings.llm_base_url, http_client)
        return ConfiguredModel(model, PriceRef(name, provider_id="anthropic"))
    if provider == "openai":
        model = _openai(name, _required(key, provider), settings.llm_base_url, http_client)
        return ConfiguredModel(model, PriceRef(name, provider_id="openai"))
    if not settings.llm_base_url:
        raise ConfigError(
            "llm_provider is openai-compatible but llm_base_url is unset",
            hint="set llm_base_url to the server's API root, e.g. http://localhost:11434/v1",
        )
    model = _openai(name, key or "not-needed", settings.llm_base_url, http_client)
    return ConfiguredModel(model, PriceRef(name, api_url=settings.llm_base_url))


_MODEL_HINT = "set llm_model, e.g. claude-sonnet-4-5, gpt-4.1 or the name your server serves"


def _required(key: str | None, provider: str) -> str:
    if not key:
        raise ConfigError(
            f"llm_provider is {provider} but llm_api_key is unset",
            hint="set SHERIFF_LLM_API_KEY (or llm_api_key in the config file)",
        )
    return key


def _anthropic(
    name: str, key: str, base_url: str | None, http_client: httpx2.AsyncClient | None
) -> Model:
    from pydantic_ai.models.anthropic import AnthropicModel
    from pydantic_ai.providers.anthropic import AnthropicProvider

    provider = AnthropicProvider(api_key=key, base_url=base_url, http_client=http_client)
    return AnthropicModel(name, provider=provider)


def _openai(
    name: str, key: str, base_url: str | None, http_client: httpx2.AsyncClient | None
) -> Model:
    from pydantic_ai.models.openai import OpenAIChatModel
    from pydantic_ai.providers.openai import OpenAIProvider

    provider = OpenAIProvider(base_url=base_url, api_key=key, http_client=http_client)
    return OpenAIChatModel(name, provider=provider)
