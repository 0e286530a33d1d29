"""Language models through pydantic-ai: Anthropic, OpenAI or any OpenAI-compatible server.

``PydanticLLM.from_settings`` gives the configured model as the ``LLM`` port, or None when
no provider is configured.
"""

from sheriff.adapters.llm.fix_agent import FixReport
from sheriff.adapters.llm.fix_progress import FixLimits
from sheriff.adapters.llm.models import ConfiguredModel, build_model
from sheriff.adapters.llm.pricing import PriceRef
from sheriff.adapters.llm.pydantic_llm import PydanticLLM

__all__ = ["ConfiguredModel", "FixLimits", "FixReport", "PriceRef", "PydanticLLM", "build_model"]
