"""Scripted language models for tests and the offline demo (pydantic-ai FunctionModels).

``answering(output)`` answers every structured request with the same data; ``answering_badly``
never produces valid output; ``FixScript`` plays a fixed sequence of tool calls, one model
request per step, and records what the tools answered. Use them with
``sheriff.adapters.llm.PydanticLLM(model, PriceRef(...))``; nothing leaves the machine.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel
from pydantic_ai.messages import (
    ModelMessage,
    ModelRequest,
    ModelResponse,
    TextPart,
    ToolCallPart,
    ToolReturnPart,
)
from pydantic_ai.models.function import AgentInfo, FunctionModel

JsonData = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Call:
    """One tool call the scripted model makes."""

    tool: str
    args: JsonData = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Finish:
    """The scripted model's final answer (the fix agent's report)."""

    fixed: bool = True
    summary: str = "Scripted fix."


Step = Call | Sequence[Call] | Finish


def answering(output: JsonData | BaseModel, *, model_name: str = "scripted") -> FunctionModel:
    """A model that answers every request with ``output`` as its structured result."""
    data = output.model_dump(mode="json") if isinstance(output, BaseModel) else dict(output)

    def answer(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        return _final(info, data)

    return FunctionModel(answer, model_name=model_name)


def answering_badly(*, model_name: str = "scripted") -> FunctionModel:
    """A model whose structured answers never validate, however often it is asked again."""

    def answer(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        return _final(info, {"unexpected": "shape"})

    return FunctionModel(answer, model_name=model_name)


class FixScript:
    """Plays ``steps`` one per model request, then repeats ``then`` for as long as asked."""

    def __init__(
        self, steps: Sequence[Step], *, then: Step | None = None, model_name: str = "scripted"
    ) -> None:
        self._steps = list(steps)
        self._then = then if then is not None else Finish()
        self.requests = 0
        self.tool_results: list[str] = []  # what the tools answered, in order
        self.prompts: list[str] = []  # the user prompts the model was sent
        self.model = FunctionModel(self._respond, model_name=model_name)

    def _respond(self, messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        self._record(messages[-1])
        step = self._steps[self.requests] if self.requests < len(self._steps) else self._then
        self.requests += 1
        if isinstance(step, Finish):
            return _final(info, {"fixed": step.fixed, "summary": step.summary})
        calls = [step] if isinstance(step, Call) else list(step)
        return ModelResponse(parts=[ToolCallPart(call.tool, dict(call.args)) for call in calls])

    def _record(self, message: ModelMessage) -> None:
        if not isinstance(message, ModelRequest):
            return
        for part in message.parts:
            if isinstance(part, ToolReturnPart):
                self.tool_results.append(str(part.content))
            elif part.part_kind == "user-prompt" and isinstance(part.content, str):
                self.prompts.append(part.content)


def _final(info: AgentInfo, data: JsonData) -> ModelResponse:
    """``data`` as the run's output: through the output tool, or as JSON text."""
    if info.output_tools:
        return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, dict(data))])
    return ModelResponse(parts=[TextPart(json.dumps(data))])
