"""The read-only consultation: only the four read tools, answers redacted, bounded."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel
from pydantic_ai.messages import (
    ModelMessage,
    ModelRequest,
    ModelResponse,
    ToolCallPart,
    ToolReturnPart,
)
from pydantic_ai.models.function import AgentInfo, FunctionModel

from sheriff.adapters.llm import PriceRef, PydanticLLM
from sheriff.app.llm import READ_ONLY_TOOLS
from sheriff.app.workspace import Snippet, SourceLocation
from sheriff.errors import LLMBudgetError, WorkspacePathError

TOKEN = "ghp_" + "Q1w2E3r4" * 5
PRICE = PriceRef("claude-sonnet-4-5", provider_id="anthropic")


class Answer(BaseModel):
    answer: str


class FolderSource:
    """A ``SourceReader`` over a plain folder (the port's contract, nothing more)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def read_file(self, path: str, start: int = 1, end: int | None = None) -> Snippet:
        target = self.root / path
        if not target.is_file():
            raise WorkspacePathError(f"no file {path}", hint="check the path")
        lines = target.read_text().splitlines()
        last = min(end or len(lines), len(lines))
        text = "\n".join(lines[start - 1 : last])
        return Snippet(path, "0" * 40, start, last, text, len(lines))

    def search(self, text: str, *, limit: int = 50) -> list[SourceLocation]:
        return [
            SourceLocation(item.name, number, line)
            for item in sorted(self.root.iterdir())
            for number, line in enumerate(item.read_text().splitlines(), start=1)
            if text in line
        ][:limit]

    def find_test(self, name: str) -> list[SourceLocation]:
        return self.search(f"def {name}(")

    def list_files(self, under: str = "") -> list[str]:
        return sorted(item.name for item in self.root.iterdir())


class Reader:
    """Calls each read tool once, then answers with what the tools said."""

    def __init__(self) -> None:
        self.offered: list[tuple[str, ...]] = []
        self.results: list[str] = []

    def __call__(self, messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        self.offered.append(tuple(tool.name for tool in info.function_tools))
        last = messages[-1]
        if isinstance(last, ModelRequest):
            self.results += [str(p.content) for p in last.parts if isinstance(p, ToolReturnPart)]
        step = len(self.offered) - 1
        calls = [
            ToolCallPart("read_file", {"path": "app.py"}),
            ToolCallPart("read_file", {"path": "missing.py"}),
            ToolCallPart("search", {"text": "secret"}),
            ToolCallPart("find_test", {"name": "test_total"}),
            ToolCallPart("list_files", {}),
        ]
        if step < len(calls):
            return ModelResponse(parts=[calls[step]])
        output = info.output_tools[0].name
        return ModelResponse(parts=[ToolCallPart(output, {"answer": " | ".join(self.results)})])


@pytest.fixture
def source(tmp_path: Path) -> FolderSource:
    (tmp_path / "app.py").write_text(f"secret = '{TOKEN}'\n\ndef test_total():\n    pass\n")
    return FolderSource(tmp_path)


def test_only_the_read_only_tools_are_offered_and_their_answers_redacted(
    source: FolderSource,
) -> None:
    reader = Reader()
    llm = PydanticLLM(FunctionModel(reader, model_name="scripted"), PRICE)
    answered = llm.consult("Where is the total tested?", Answer, source, max_requests=10)
    assert set(reader.offered) == {READ_ONLY_TOOLS}
    assert TOKEN not in answered.output.answer
    assert "[REDACTED:github-token]" in answered.output.answer
    assert "error: no file missing.py" in answered.output.answer
    assert "app.py:3: def test_total():" in answered.output.answer
    assert answered.usage.requests == 6


def test_without_a_source_no_tools_are_offered() -> None:
    offered: list[int] = []

    def answer(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        offered.append(len(info.function_tools))
        return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, {"answer": "ok"})])

    llm = PydanticLLM(FunctionModel(answer), PRICE)
    assert llm.consult("Hi", Answer, None).output.answer == "ok"
    assert offered == [0]


def test_the_number_of_requests_is_bounded(source: FolderSource) -> None:
    llm = PydanticLLM(FunctionModel(Reader(), model_name="scripted"), PRICE)
    with pytest.raises(LLMBudgetError) as raised:
        llm.consult("Where?", Answer, source, max_requests=3)
    assert raised.value.input_tokens > 0
