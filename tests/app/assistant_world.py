"""A world for the @sheriff assistant, end to end: the fake GitHub over real HTTP with a
real bare git repository holding a small project with a flaky test, a scan that filed
Sheriff's issue for it, Sheriff's real GitHub adapter, a SQLite store, real git mirrors
and worktrees, and scripted models (pydantic-ai FunctionModels) that record what they
were sent."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic_ai.messages import (
    ModelMessage,
    ModelRequest,
    ModelResponse,
    TextPart,
    ToolCallPart,
    ToolReturnPart,
    UserPromptPart,
)
from pydantic_ai.models.function import AgentInfo, FunctionModel

from sheriff.adapters.git import GitOptions, GitWorkspaces, WorktreeSlots
from sheriff.adapters.github import GitHubForge, GitHubSettings, Retrier, TokenCredentials
from sheriff.adapters.llm import PriceRef, PydanticLLM
from sheriff.adapters.logfiles import FileLogReader
from sheriff.adapters.store import Store, open_store
from sheriff.app.assistant import (
    AssistantOptions,
    Mention,
    MentionOutcome,
    handle_mention,
)
from sheriff.app.scan import ScanRequest, scan_repository
from sheriff.app.workspace import SourceMirror
from sheriff.core.assistant import MentionSource
from sheriff.core.repo_config import RepoSettings
from sheriff.testing.fakegithub import FakeGitHub
from sheriff.testing.fakegithub.records import CommentRecord
from sheriff.testing.flaky_project import failing_log, seed_flaky_repository
from sheriff.testing.scripted_llm import Call

REPO = "acme/shop"
SHERIFF = "sheriff-bot"
MAINTAINER = "ada"
WRITER = "wes"
OUTSIDER = "mallory"
TRIAGER = "tim"
PRICED = PriceRef("claude-sonnet-4-5", provider_id="anthropic")
_LOG: list[bytes] = []


def flaky_log() -> bytes:
    if not _LOG:
        _LOG.append(failing_log())
    return _LOG[0]


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@dataclass
class ScriptedAssistant:
    """A model that reads the test file through a tool, then answers from what it saw.

    ``answer`` builds the final answer from the user prompt and the tool results; every
    prompt, tool list and tool result is recorded, and ``on_request`` runs before each
    answer (to look at GitHub while Sheriff waits for the model)."""

    answer: Callable[[str, list[str]], str]
    reads: tuple[Call, ...] = (Call("read_file", {"path": "tests/test_retry.py"}),)
    on_request: Callable[[], None] | None = None
    prompts: list[str] = field(default_factory=list)
    instructions: list[str] = field(default_factory=list)
    tool_names: list[tuple[str, ...]] = field(default_factory=list)
    tool_results: list[str] = field(default_factory=list)

    @property
    def model(self) -> FunctionModel:
        return FunctionModel(self._respond, model_name="scripted")

    def _respond(self, messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        self._record(messages, info)
        if self.on_request is not None:
            self.on_request()
        calls_made = sum(
            1 for message in messages if isinstance(message, ModelResponse) for _ in message.parts
        )
        if calls_made < len(self.reads) and info.function_tools:
            call = self.reads[calls_made]
            return ModelResponse(parts=[ToolCallPart(call.tool, dict(call.args))])
        text = self.answer(self.prompts[0], self.tool_results)
        data = {"answer": text, "files": ["tests/test_retry.py"]}
        if info.output_tools:
            return ModelResponse(parts=[ToolCallPart(info.output_tools[0].name, data)])
        return ModelResponse(parts=[TextPart(str(data))])

    def _record(self, messages: list[ModelMessage], info: AgentInfo) -> None:
        self.tool_names.append(tuple(tool.name for tool in info.function_tools))
        if info.instructions and not self.instructions:
            self.instructions.append(info.instructions)
        last = messages[-1]
        if not isinstance(last, ModelRequest):
            return
        for part in last.parts:
            if isinstance(part, UserPromptPart) and isinstance(part.content, str):
                self.prompts.append(part.content)
            elif isinstance(part, ToolReturnPart):
                self.tool_results.append(str(part.content))


def grounded_answer(prompt: str, tool_results: list[str]) -> str:
    """An answer made only of what the prompt and the tools showed the model."""
    signature = re.search(r"^Signature: (.+)$", prompt, re.MULTILINE)
    read = "\n".join(tool_results)
    defined = re.search(r"^ *(\d+) +def (test_fetch_within_deadline)", read, re.MULTILINE)
    assert signature is not None, "the prompt lacked the failure"
    assert defined is not None, "the tools did not show the test"
    return (
        f"The test failed with `{signature.group(1)}`. It is defined at "
        f"`tests/test_retry.py:{defined.group(1)}` and draws a random latency, so it is flaky."
    )


@dataclass
class AssistantWorld:
    fake: FakeGitHub
    store: Store
    forge: GitHubForge
    folder: Path
    clock: Clock
    issue: int
    slots: int = 2

    def workspaces(self) -> GitWorkspaces:
        options = GitOptions(
            bot_name="sheriff[bot]",
            bot_email="sheriff@example.org",
            git_timeout=60,
            test_command=None,
            test_timeout=60,
        )
        pool = WorktreeSlots(
            self.folder / "sheriff" / "worktrees", self.slots, wait_seconds=2, poll_seconds=0.01
        )
        return GitWorkspaces(self.folder / "sheriff", pool, options)

    def comment(self, user: str, body: str, number: int | None = None) -> CommentRecord:
        return self.fake.comment_as(REPO, number or self.issue, user, body)

    def mention_of(self, record: CommentRecord, *, is_bot: bool = False) -> Mention:
        return Mention(
            repo=REPO,
            number=record.issue_number,
            source=MentionSource.ISSUE_COMMENT,
            source_id=record.id,
            body=record.body,
            author=record.user,
            author_is_bot=is_bot,
            delivery_id=f"delivery-{record.id}",
            html_url=f"https://github.com/{REPO}/issues/{record.issue_number}#issuecomment-{record.id}",
        )

    def handle(
        self, mention: Mention, *, model: FunctionModel | None = None, **options: Any
    ) -> MentionOutcome:
        workspaces = self.workspaces()

        def mirrors(repo: str, url: str) -> SourceMirror:
            return workspaces.mirror(repo, url)

        llm = PydanticLLM(model, PRICED) if model is not None else None
        chosen = AssistantOptions(own_login=SHERIFF, clock=self.clock, **options)
        return handle_mention(mention, self.forge, self.store, chosen, llm=llm, mirrors=mirrors)

    def sheriff_comments(self, number: int | None = None) -> list[CommentRecord]:
        return [c for c in self.fake.comments(REPO, number or self.issue) if c.user == SHERIFF]

    def audit_actions(self) -> list[str]:
        return [
            entry.event.action
            for entry in self.store.audit_log(REPO)
            if entry.event.action.startswith("assistant.")
        ]


def running_assistant_world(folder: Path) -> Iterator[AssistantWorld]:
    clock = Clock()
    folder.mkdir(parents=True, exist_ok=True)
    with FakeGitHub.running(clock=clock) as fake:
        seed_flaky_repository(fake, REPO, flaky_log(), folder, at=clock())
        store = open_store(f"sqlite:///{folder}/sheriff.db", upgrade=True, clock=clock)
        settings = GitHubSettings(
            REPO, api_url=fake.url, read_credentials=TokenCredentials("sheriff-token")
        )
        retrier = Retrier(settings.retry, sleep=lambda _seconds: None, jitter=lambda: 0.5)
        forge = GitHubForge(settings, None, retrier=retrier)
        for login, role in (
            (MAINTAINER, "maintain"), (WRITER, "write"), (OUTSIDER, "read"), (TRIAGER, "triage"),
        ):  # fmt: skip
            fake.set_permission(REPO, login, role)
        request = ScanRequest(folder / "data", RepoSettings(), clock=clock)
        scan_repository(request, forge, store, FileLogReader(1 << 20))
        issues = [item for item in fake.issues(REPO) if item.user == SHERIFF]
        assert len(issues) == 1, [item.title for item in issues]
        try:
            yield AssistantWorld(fake, store, forge, folder, clock, issues[0].number)
        finally:
            forge.close()
            store.close()
