"""Turn pydantic-ai's failures into LLMErrors that say what to do next."""

from __future__ import annotations

from pydantic_ai.exceptions import (
    AgentRunError,
    ModelAPIError,
    ModelAuthenticationError,
    ModelNotFoundError,
    UnexpectedModelBehavior,
    UsageLimitExceeded,
    UserError,
)

from sheriff.app.llm import LlmUsage
from sheriff.errors import (
    LLMAuthError,
    LLMBudgetError,
    LLMError,
    LLMOutputError,
    LLMUnavailableError,
)

LIBRARY_ERRORS = (AgentRunError, UserError)


def translate(error: AgentRunError | UserError, spent: LlmUsage) -> LLMError:
    """The LLMError for ``error``, carrying what the failed call spent."""
    kind, hint = _kind_of(error)
    return kind(
        f"{spent.model}: {error}",
        hint=hint,
        model=spent.model,
        input_tokens=spent.input_tokens,
        output_tokens=spent.output_tokens,
        usd=spent.usd,
    )


def _kind_of(error: AgentRunError | UserError) -> tuple[type[LLMError], str]:
    if isinstance(error, ModelAuthenticationError | ModelNotFoundError):
        return LLMAuthError, (
            "check llm_api_key and llm_model (SHERIFF_LLM_API_KEY, SHERIFF_LLM_MODEL); the key "
            "may be wrong or revoked, or the model name unknown to the provider"
        )
    if isinstance(error, ModelAPIError):
        return LLMUnavailableError, (
            "the LLM provider failed or could not be reached; check llm_base_url, the network "
            "and the provider's status, then retry (Sheriff falls back to deterministic output)"
        )
    if isinstance(error, UsageLimitExceeded):
        return LLMBudgetError, "raise the LLM limits in the settings, or send a shorter prompt"
    if isinstance(error, UnexpectedModelBehavior):
        return LLMOutputError, (
            "the model kept answering in the wrong shape; try a stronger model, raise "
            "llm_output_retries, or use the deterministic output"
        )
    return LLMError, "check the llm_* settings; if they look right, report this as a bug"
