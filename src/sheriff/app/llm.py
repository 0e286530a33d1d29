"""The LLM port: structured analysis, a read-only consultation over source code (the
@sheriff assistant) and a bounded agent that fixes code in a Workspace.

Sheriff works without a language model: when none is configured the app gets no ``LLM``
and writes deterministic output instead. Every call reports what it spent as an
``LlmUsage`` value so the app can write it to the cost ledger (``CostRecord``); a failed
call raises an ``LLMError`` carrying the same numbers. The adapter is
``sheriff.adapters.llm.PydanticLLM``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Generic, Protocol, TypeVar

from pydantic import BaseModel

from sheriff.app.workspace import CommandResult, SourceReader, Workspace

OutputT = TypeVar("OutputT", bound=BaseModel)


READ_ONLY_TOOLS = ("read_file", "search", "find_test", "list_files")
"""The tools ``LLM.consult`` gives the model over a ``SourceReader``: nothing that writes,
runs a command or reaches the network."""


@dataclass(frozen=True, slots=True)
class LlmUsage:
    """Tokens and price of one call (all its requests); ``note`` says why ``usd`` is 0."""

    model: str
    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    usd: Decimal = Decimal(0)
    note: str = ""

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens


@dataclass(frozen=True, slots=True)
class Analysed(Generic[OutputT]):
    """A validated answer and what it cost."""

    output: OutputT
    usage: LlmUsage


class FixStop(StrEnum):
    """Why the fix agent stopped."""

    FINISHED = "finished"  # the model says the fix is done
    GAVE_UP = "gave_up"  # the model says it cannot fix this
    MAX_ITERATIONS = "max_iterations"
    BUDGET = "budget"  # token or cost limit reached
    WALL_TIME = "wall_time"
    STALLED = "stalled"  # the same test failure twice in a row
    INVALID_OUTPUT = "invalid_output"  # the model's answers stayed malformed
    MODEL_ERROR = "model_error"  # the provider failed (network, auth, rate limit)


@dataclass(frozen=True, slots=True)
class FixTask:
    """What the agent is asked to do; ``test`` names the failing test for ``run_tests``;
    ``instructions`` replace the fix agent's own (``prompts/fix_agent.md``) when given."""

    prompt: str
    test: str | None = None
    instructions: str | None = None


@dataclass(frozen=True, slots=True)
class FixOutcome:
    """What the agent did. ``verified``: it finished and the last test run, after its last
    edit, passed."""

    stop: FixStop
    summary: str
    changed_files: tuple[str, ...]
    test_runs: tuple[CommandResult, ...]
    usage: LlmUsage
    iterations: int
    verified: bool = False
    detail: str = ""  # what went wrong, for the stops that are failures


class LLM(Protocol):
    """A configured language model."""

    @property
    def model_name(self) -> str: ...

    def analyse(
        self, prompt: str, output_type: type[OutputT], *, instructions: str = ""
    ) -> Analysed[OutputT]:
        """A validated ``output_type``; LLMOutputError when the answers stay invalid."""
        ...

    def consult(
        self,
        prompt: str,
        output_type: type[OutputT],
        source: SourceReader | None,
        *,
        instructions: str = "",
        max_requests: int = 12,
    ) -> Analysed[OutputT]:
        """A validated ``output_type``; the model may read ``source`` through the
        ``READ_ONLY_TOOLS`` (and nothing else) within ``max_requests`` model requests."""
        ...

    def fix(self, task: FixTask, workspace: Workspace) -> FixOutcome:
        """Let the model edit ``workspace`` and run its tests, within the configured limits."""
        ...
