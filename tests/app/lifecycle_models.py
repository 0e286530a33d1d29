"""A scripted model for the lifecycle's LLM paths (a pydantic-ai FunctionModel): it answers
analysis and reply requests with fixed data, and plays one fix script per agent run."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic_ai.messages import ModelMessage, ModelRequest, ModelResponse, ToolCallPart
from pydantic_ai.models.function import AgentInfo, FunctionModel

from sheriff.testing.scripted_llm import Call, Finish

ANALYSIS = {
    "summary": "The simulated server's latency sometimes exceeds the 1 s deadline.",
    "hypotheses": [
        {
            "title": "The deadline is shorter than the latency's range",
            "explanation": "fetch_with_deadline draws a latency up to 1.5 s against 1.0 s.",
            "likelihood": "high",
            "snippet_ids": ["S1", "S9"],
        }
    ],
    "reproduction": {"command": "pytest tests/test_retry.py -k deadline", "notes": ""},
    "fix_plan": ["Make the deadline cover the latency range, or mock the latency."],
    "risks": [],
    "checklist": [],
}


class LifecycleModel:
    """Routes each request by what the agent asks for: the fix agent (it has tools) plays
    the next script; structured requests get ``analysis`` or ``reply``."""

    def __init__(
        self,
        fixes: Sequence[Sequence[Call | Finish]] = (),
        *,
        analysis: dict[str, Any] | None = None,
        reply: str = "The deadline is shorter than the latency can be (S2).",
    ) -> None:
        self._fixes = [list(script) for script in fixes]
        self._analysis = analysis or ANALYSIS
        self._reply = reply
        self._script: list[Call | Finish] = []
        self.fix_prompts: list[str] = []
        self.structured_requests: list[str] = []
        self.model = FunctionModel(self._respond, model_name="scripted")

    def _respond(self, messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        if info.function_tools:
            return self._fix_step(messages, info)
        fields = info.output_tools[0].parameters_json_schema.get("properties", {})
        kind = "analysis" if "hypotheses" in fields else "reply"
        self.structured_requests.append(kind)
        data = self._analysis if kind == "analysis" else {"body": self._reply}
        return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, dict(data))])

    def _fix_step(self, messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        if len(messages) == 1:  # a new agent run: take the next script
            self._script = self._fixes.pop(0) if self._fixes else [Finish(fixed=False)]
            first = messages[0]
            if isinstance(first, ModelRequest):
                self.fix_prompts += [
                    str(part.content) for part in first.parts if part.part_kind == "user-prompt"
                ]
        step = self._script.pop(0) if self._script else Finish()
        if isinstance(step, Finish):
            data = {"fixed": step.fixed, "summary": step.summary}
            return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, data)])
        return ModelResponse(parts=[ToolCallPart(step.tool, dict(step.args))])
