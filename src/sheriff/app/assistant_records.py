"""The assistant's inputs, options and records: the mention the webhook layer passes in,
the options built from Settings, the narrow store it needs, and its audit and cost
entries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from importlib import resources
from typing import Any, Protocol

from sheriff.app.forge import Forge
from sheriff.app.llm import LlmUsage
from sheriff.app.ports import (
    AuditEvent,
    CaseView,
    CostRecord,
    JsonObject,
    OccurrenceDetail,
)
from sheriff.app.workspace import SourceMirror
from sheriff.config import Settings
from sheriff.core.assistant import DEFAULT_TRIGGER, MentionSource

ASSISTANT_ACTOR = "sheriff-assistant"

MirrorOpener = Callable[[str, str], SourceMirror]
"""Opens the local mirror of a repository: ``(OWNER/NAME, clone URL)``."""


def wall_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Mention:
    """One text that may call the assistant, as a webhook delivered it.

    ``repo`` is where it was written (the forge's write repository); ``source_id`` is the
    comment's, review's or review comment's id, or the issue's number for a body."""

    repo: str
    number: int  # the issue or pull request
    source: MentionSource
    source_id: int
    body: str
    author: str | None
    author_is_bot: bool = False
    is_pull_request: bool = False
    delivery_id: str | None = None
    html_url: str | None = None
    path: str | None = None  # a review comment's file
    line: int | None = None  # and line (new side of the diff)


class MentionStatus(StrEnum):
    NO_MENTION = "no_mention"
    DISABLED = "disabled"
    IGNORED = "ignored"  # a bot, or Sheriff itself
    REFUSED = "refused"  # a person without write permission
    ALREADY_ANSWERED = "already_answered"
    ANSWERED = "answered"
    CHANGED = "changed"  # a branch and a draft pull request were made
    DECLINED = "declined"  # a change asked for and not made (off, no model, it failed)
    FAILED = "failed"  # the answer could not be made; the progress comment says why


@dataclass(frozen=True, slots=True)
class AssistantOptions:
    """How the assistant behaves; ``own_login`` is Sheriff's GitHub login."""

    enabled: bool = True
    trigger: str = DEFAULT_TRIGGER
    changes: bool = False
    max_requests: int = 12
    own_login: str | None = None
    clock: Callable[[], datetime] = wall_clock

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> AssistantOptions:
        values: dict[str, Any] = {
            "enabled": settings.assistant_enabled,
            "trigger": settings.assistant_trigger,
            "changes": settings.assistant_changes,
            "max_requests": settings.assistant_max_requests,
            "own_login": settings.bot_login,
        }
        return cls(**(values | overrides))


class AssistantStore(Protocol):
    """What the assistant reads from and writes to the store."""

    def cases_for_issue(self, issue_repo: str, issue_number: int) -> list[CaseView]: ...

    def get_case(self, repo: str, fingerprint: str) -> CaseView | None: ...

    def latest_occurrence(self, repo: str, fingerprint: str) -> OccurrenceDetail | None: ...

    def occurrences_at(
        self, repo: str, head_sha: str, limit: int = 50
    ) -> list[OccurrenceDetail]: ...

    def append_audit(self, event: AuditEvent) -> None: ...

    def record_cost(self, cost: CostRecord) -> None: ...


@dataclass(frozen=True, slots=True)
class Answered:
    """What the assistant answered: the comment text, its footer and the audit details."""

    status: MentionStatus
    summary: str
    text: str
    footer: str
    details: JsonObject = field(default_factory=dict)


def audit_mention(
    store: AssistantStore, forge: Forge, mention: Mention, action: str, cause: str, **details: Any
) -> None:
    """One audit entry per mention and action (a redelivery writes nothing twice)."""
    where: JsonObject = {
        "number": mention.number,
        "source": mention.source.value,
        "source_id": mention.source_id,
        "author": mention.author,
    }
    if mention.delivery_id:
        where["delivery"] = mention.delivery_id
    store.append_audit(
        AuditEvent(
            actor=ASSISTANT_ACTOR,
            action=action,
            cause=cause,
            repo=forge.read_repo,
            details=where | details,
            key=f"{action}:{forge.write_repo}:{mention.source.value}:{mention.source_id}",
        )
    )


def record_usage(
    store: AssistantStore, forge: Forge, mention: Mention, purpose: str, usage: LlmUsage
) -> None:
    """One LLM call's tokens and price, in the cost ledger."""
    store.record_cost(
        CostRecord(
            purpose=purpose,
            model=usage.model,
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            usd=usage.usd,
            repo=forge.read_repo,
            request_id=f"{purpose}:{forge.write_repo}:{mention.source.value}:{mention.source_id}",
        )
    )


def declined(text: str, reason: str) -> Answered:
    """A change asked for and not made: the polite answer, and the reason for the audit."""
    return Answered(
        MentionStatus.DECLINED,
        f"change not made: {reason}",
        text,
        "Sheriff assistant · no change was made",
        {"reason": reason},
    )


def prompt_file(name: str) -> str:
    """A versioned prompt shipped in ``sheriff/prompts``."""
    return resources.files("sheriff").joinpath(f"prompts/{name}").read_text("utf-8")
