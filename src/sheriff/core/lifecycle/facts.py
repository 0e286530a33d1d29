"""Everything the lifecycle planner knows about a case, as the app gathered it.

The app reads GitHub, the store and the local mirror, then hands a ``CaseFacts`` to
``next_step``. Nothing here reads a clock: ``now`` is a fact like any other. Times are
aware datetimes (naive ones are taken as UTC).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Literal

from sheriff.core.lifecycle.states import CaseState
from sheriff.core.model import TestIdentity
from sheriff.core.repo_config import RepoSettings

APPROVING_PERMISSIONS = frozenset({"admin", "maintain", "write"})
"""Repository roles whose approval starts a fix (GitHub's collaborator permission)."""


class FixStrategy(StrEnum):
    QUARANTINE = "quarantine"  # skip the test in its framework's own idiom, with the issue link
    AGENT = "agent"  # an LLM agent edits the code inside a worktree


StrategySetting = Literal["auto", "quarantine", "agent"]


@dataclass(frozen=True, slots=True)
class Actor:
    """A GitHub account; ``kind`` is GitHub's user type (User, Bot, Organization)."""

    login: str
    kind: str = "User"

    @property
    def is_bot(self) -> bool:
        return self.kind.casefold() == "bot" or self.login.casefold().endswith("[bot]")


@dataclass(frozen=True, slots=True)
class Comment:
    """A comment on an issue or on a pull request's conversation."""

    id: int
    author: Actor
    body: str
    created_at: datetime
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class LabelEvent:
    """Someone added (or removed) a label; from the issue's events."""

    label: str
    actor: Actor
    at: datetime
    added: bool = True


@dataclass(frozen=True, slots=True)
class IssueFacts:
    number: int
    open: bool
    labels: frozenset[str] = frozenset()
    comments: tuple[Comment, ...] = ()
    label_events: tuple[LabelEvent, ...] = ()
    created_by_sheriff: bool = True
    state_reason: str | None = None  # completed / not_planned / reopened
    closed_at: datetime | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Review:
    id: int
    author: Actor
    state: str  # APPROVED / CHANGES_REQUESTED / COMMENTED / DISMISSED
    submitted_at: datetime
    body: str = ""
    commit_id: str | None = None


@dataclass(frozen=True, slots=True)
class ReviewComment:
    """A comment on a line of the pull request's diff."""

    id: int
    author: Actor
    body: str
    created_at: datetime
    path: str | None = None
    line: int | None = None
    in_reply_to: int | None = None


FAILED_CHECK_CONCLUSIONS = frozenset(
    {"failure", "timed_out", "cancelled", "action_required", "startup_failure"}
)


@dataclass(frozen=True, slots=True)
class CheckRun:
    id: int
    name: str
    head_sha: str
    status: str  # queued / in_progress / completed
    conclusion: str | None = None
    completed_at: datetime | None = None
    details_url: str | None = None
    app: str | None = None

    @property
    def failed(self) -> bool:
        return self.status == "completed" and self.conclusion in FAILED_CHECK_CONCLUSIONS


@dataclass(frozen=True, slots=True)
class PullRequestFacts:
    """The fix pull request: the newest one whose head is the case's fix branch."""

    number: int
    head_ref: str
    head_sha: str
    base_ref: str
    created_at: datetime
    open: bool = True
    merged: bool = False
    last_push_at: datetime | None = None  # None: no push since it was opened
    reviews: tuple[Review, ...] = ()
    review_comments: tuple[ReviewComment, ...] = ()
    check_runs: tuple[CheckRun, ...] = ()
    comments: tuple[Comment, ...] = ()
    url: str | None = None


@dataclass(frozen=True, slots=True)
class FixFacts:
    """The fix branch as the local mirror and the remote know it."""

    branch: str
    local_head: str | None = None  # a fix commit prepared in the mirror
    prepared_at: datetime | None = None
    remote_head: str | None = None  # what the remote branch points at
    pushed_at: datetime | None = None
    failure: str | None = None  # why the last attempt produced no fix
    failed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class UpdateOutcome:
    """How the last attempt to address review feedback ended, when it pushed nothing."""

    at: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class StateChange:
    """One transition from the audit log: the history the planner reasons about."""

    from_state: CaseState
    to_state: CaseState
    at: datetime
    event: str = ""


@dataclass(frozen=True, slots=True)
class LastOccurrence:
    run_id: int
    attempt: int
    seen_at: datetime
    run_url: str | None = None


@dataclass(frozen=True, slots=True)
class LifecycleSettings:
    """How a repository wants its cases handled."""

    label_prefix: str = "sheriff/"
    approval_label_name: str | None = None  # None: "<prefix>ai-fix-approved"
    command: str = "/ai-fix"
    fix_strategy: StrategySetting = "auto"
    quiet_period: timedelta = timedelta(days=14)
    max_update_rounds: int = 3
    max_replies_per_issue: int = 20
    max_replies_per_pull_request: int = 30
    discussion: bool = True
    close_resolved_issues: bool = True
    silencing_labels: tuple[str, ...] = ("sheriff/ignore",)

    @property
    def approval_label(self) -> str:
        return self.approval_label_name or f"{self.label_prefix}ai-fix-approved"

    @classmethod
    def from_repo(cls, repo: RepoSettings) -> LifecycleSettings:
        """Defaults that share the repository's label prefix and silencing labels (change
        the rest with ``dataclasses.replace``)."""
        return cls(label_prefix=repo.label_prefix, silencing_labels=repo.silencing_labels)


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """One case and everything around it, at ``now``.

    ``permissions`` maps a login to its repository role, checked by the app for the
    people ``actors_to_check`` names; a login missing from it is not trusted yet.
    ``history`` is the case's transitions, oldest first. ``last_seen_at`` is the newest
    occurrence on a watched branch. ``requested_strategy`` and ``fix_strategy`` come from
    the audit details of the ``ApprovalGranted`` and ``FixStarted`` transitions (None:
    chosen again from the settings).
    """

    repo: str
    fingerprint: str
    state: CaseState
    state_changed_at: datetime
    now: datetime
    sheriff_login: str | None = None
    default_branch: str = "main"
    issue: IssueFacts | None = None
    pull_request: PullRequestFacts | None = None
    fix: FixFacts | None = None
    update_outcome: UpdateOutcome | None = None
    history: tuple[StateChange, ...] = ()
    last_seen_at: datetime | None = None
    last_occurrence: LastOccurrence | None = None
    test: TestIdentity | None = None
    quarantine_candidate: bool = False
    quarantined_on_default_branch: bool = False
    llm_available: bool = False
    requested_strategy: FixStrategy | None = None  # asked for by the approving command
    fix_strategy: FixStrategy | None = None  # the strategy of the attempt under way
    permissions: Mapping[str, str] = field(default_factory=dict)
    settings: LifecycleSettings = LifecycleSettings()

    def permission_of(self, login: str) -> str | None:
        lowered = {name.casefold(): role for name, role in self.permissions.items()}
        return lowered.get(login.casefold())

    def is_sheriff(self, actor: Actor) -> bool:
        login = self.sheriff_login
        return login is not None and actor.login.casefold() == login.casefold()

    def is_human(self, actor: Actor) -> bool:
        return not actor.is_bot and not self.is_sheriff(actor)


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def later(first: datetime | None, second: datetime | None) -> datetime | None:
    """The later of two optional times."""
    if first is None or second is None:
        return second if first is None else first
    return max(aware(first), aware(second))


def not_before(moment: datetime, start: datetime) -> bool:
    """Whether ``moment`` is at or after ``start``, to the second (GitHub's timestamps have
    whole seconds, Sheriff's clock does not)."""
    return aware(moment).replace(microsecond=0) >= aware(start).replace(microsecond=0)


def entered_at(facts: CaseFacts, state: CaseState) -> datetime | None:
    """When the case last entered ``state`` (its current state: ``state_changed_at``)."""
    if facts.state is state:
        return aware(facts.state_changed_at)
    times = [aware(change.at) for change in facts.history if change.to_state is state]
    return max(times, default=None)


def fix_branch(fingerprint: str) -> str:
    """The branch a case's fix is pushed to: one per case, so a retry never makes another."""
    return f"sheriff/fix-{fingerprint[:8]}"
