"""What a call cost: tokens from pydantic-ai, dollars from genai-prices' bundled table.

A model genai-prices does not know (a local vLLM or Ollama model, a brand-new model) is
recorded at $0 with a note saying so, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from genai_prices import calc_price

from sheriff.app.llm import LlmUsage


class TokenCounts(Protocol):
    """pydantic-ai's RunUsage and RequestUsage."""

    @property
    def input_tokens(self) -> int: ...

    @property
    def output_tokens(self) -> int: ...


@dataclass(frozen=True, slots=True)
class PriceRef:
    """How genai-prices should look the model up."""

    model: str
    provider_id: str | None = None  # "anthropic", "openai"...
    api_url: str | None = None  # for OpenAI-compatible hosts it knows (Groq, DeepSeek...)


def price(ref: PriceRef, usage: TokenCounts) -> tuple[Decimal, str]:
    """The price of ``usage`` in USD, and a note when it could not be priced."""
    for provider_id, api_url in _lookups(ref):
        try:
            if api_url:
                found = calc_price(usage, ref.model, provider_api_url=api_url)
            else:
                found = calc_price(usage, ref.model, provider_id=provider_id)
        except LookupError:
            continue
        return found.total_price, ""
    return Decimal(0), f"no price known for model {ref.model!r}; recorded as $0"


def _lookups(ref: PriceRef) -> Iterator[tuple[str | None, str | None]]:
    """The host's URL, then the provider; the model name alone only when neither is known
    (a local server's "llama-3" must not be priced as someone's hosted one)."""
    if ref.api_url:
        yield None, ref.api_url
    if ref.provider_id:
        yield ref.provider_id, None
    if not ref.api_url and not ref.provider_id:
        yield None, None


def usage_value(ref: PriceRef, usage: TokenCounts, requests: int) -> LlmUsage:
    """``usage`` as the port's value, priced."""
    usd, note = price(ref, usage)
    return LlmUsage(
        model=ref.model,
        requests=requests,
        input_tokens=usage.input_tokens,
        output_tokens=usage.output_tokens,
        usd=usd,
        note=note,
    )
