"""What happens to a case, as values: each event may move it along the transition table.

Every event says what caused it (``cause``) in words for the audit log, and gives an
identity (``identity``) that makes the audit record's key, so the same event logged
twice (a retried step) is one record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeAlias

from sheriff.core.lifecycle.facts import Actor, FixStrategy, aware


def _stamp(moment: datetime) -> str:
    return aware(moment).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True, slots=True)
class IssueOpened:
    issue_number: int

    @property
    def cause(self) -> str:
        return f"issue #{self.issue_number} tracks the case"

    @property
    def identity(self) -> str:
        return f"issue-{self.issue_number}"


@dataclass(frozen=True, slots=True)
class AnalysisPosted:
    issue_number: int

    @property
    def cause(self) -> str:
        return f"analysis posted on issue #{self.issue_number}"

    @property
    def identity(self) -> str:
        return f"issue-{self.issue_number}"


@dataclass(frozen=True, slots=True)
class ApprovalRequested:
    """The analysis asks maintainers for a signal (approval, discussion)."""

    @property
    def cause(self) -> str:
        return "waiting for a maintainer's signal"

    @property
    def identity(self) -> str:
        return "asked"


@dataclass(frozen=True, slots=True)
class ApprovalGranted:
    """A person with ``permission`` approved a fix, by label or by command comment."""

    actor: Actor
    permission: str
    via: str  # "label" or "comment"
    reference: str  # the label name or the comment id
    at: datetime
    strategy: FixStrategy | None = None  # asked for in the command (``/ai-fix agent``)

    @property
    def cause(self) -> str:
        asked = f", asking for a {self.strategy.value} fix" if self.strategy else ""
        return (
            f"@{self.actor.login} ({self.permission}) approved a fix by {self.via} "
            f"{self.reference}{asked}"
        )

    @property
    def identity(self) -> str:
        return f"{self.via}-{self.reference}-{_stamp(self.at)}"


@dataclass(frozen=True, slots=True)
class FixStarted:
    strategy: FixStrategy

    @property
    def cause(self) -> str:
        return f"started a {self.strategy.value} fix"

    @property
    def identity(self) -> str:
        return self.strategy.value


@dataclass(frozen=True, slots=True)
class FixFailed:
    reason: str
    at: datetime

    @property
    def cause(self) -> str:
        return f"no fix: {self.reason}"

    @property
    def identity(self) -> str:
        return _stamp(self.at)


@dataclass(frozen=True, slots=True)
class PullRequestOpened:
    number: int

    @property
    def cause(self) -> str:
        return f"fix pull request #{self.number} is open"

    @property
    def identity(self) -> str:
        return f"pr-{self.number}"


@dataclass(frozen=True, slots=True)
class ChecksFailed:
    number: int
    head_sha: str
    checks: tuple[str, ...]

    @property
    def cause(self) -> str:
        return f"checks failed on #{self.number} at {self.head_sha[:7]}: {', '.join(self.checks)}"

    @property
    def identity(self) -> str:
        return f"pr-{self.number}-{self.head_sha[:12]}"


@dataclass(frozen=True, slots=True)
class ChangesRequested:
    number: int
    review_id: int
    reviewer: str

    @property
    def cause(self) -> str:
        return f"@{self.reviewer} requested changes on #{self.number} (review {self.review_id})"

    @property
    def identity(self) -> str:
        return f"review-{self.review_id}"


@dataclass(frozen=True, slots=True)
class UpdateStarted:
    number: int
    at: datetime

    @property
    def cause(self) -> str:
        return f"addressing the feedback on #{self.number}"

    @property
    def identity(self) -> str:
        return f"pr-{self.number}-{_stamp(self.at)}"


@dataclass(frozen=True, slots=True)
class ChangesPushed:
    number: int
    head_sha: str

    @property
    def cause(self) -> str:
        return f"pushed {self.head_sha[:7]} to #{self.number}"

    @property
    def identity(self) -> str:
        return f"pr-{self.number}-{self.head_sha[:12]}"


@dataclass(frozen=True, slots=True)
class UpdateFailed:
    number: int
    reason: str
    at: datetime

    @property
    def cause(self) -> str:
        return f"could not address the feedback on #{self.number}: {self.reason}"

    @property
    def identity(self) -> str:
        return f"pr-{self.number}-{_stamp(self.at)}"


@dataclass(frozen=True, slots=True)
class PullRequestMerged:
    number: int

    @property
    def cause(self) -> str:
        return f"fix pull request #{self.number} was merged"

    @property
    def identity(self) -> str:
        return f"pr-{self.number}"


@dataclass(frozen=True, slots=True)
class PullRequestClosedUnmerged:
    number: int

    @property
    def cause(self) -> str:
        return f"fix pull request #{self.number} was closed without merging"

    @property
    def identity(self) -> str:
        return f"pr-{self.number}"


@dataclass(frozen=True, slots=True)
class Recurred:
    seen_at: datetime
    run_id: int | None = None

    @property
    def cause(self) -> str:
        run = f" in run {self.run_id}" if self.run_id is not None else ""
        return f"the failure happened again{run} at {_stamp(self.seen_at)}"

    @property
    def identity(self) -> str:
        return f"run-{self.run_id}-{_stamp(self.seen_at)}"


@dataclass(frozen=True, slots=True)
class QuietPeriodElapsed:
    last_seen_at: datetime
    now: datetime
    quiet_period: timedelta

    @property
    def cause(self) -> str:
        return f"no recurrence for {self.quiet_period.days} days since {_stamp(self.last_seen_at)}"

    @property
    def identity(self) -> str:
        return _stamp(self.last_seen_at)


@dataclass(frozen=True, slots=True)
class Quarantined:
    reference: str  # what shows it: a pull request, a commit, "skipped on the default branch"

    @property
    def cause(self) -> str:
        return f"the test is quarantined: {self.reference}"

    @property
    def identity(self) -> str:
        return "quarantined"


@dataclass(frozen=True, slots=True)
class IssueClosed:
    """A person closed the case's issue before any fix was tried."""

    issue_number: int
    reason: str | None  # completed / not_planned
    at: datetime

    @property
    def cause(self) -> str:
        return f"issue #{self.issue_number} was closed ({self.reason or 'no reason given'})"

    @property
    def identity(self) -> str:
        return f"issue-{self.issue_number}-{_stamp(self.at)}"


CaseEvent: TypeAlias = (
    IssueOpened
    | AnalysisPosted
    | ApprovalRequested
    | ApprovalGranted
    | FixStarted
    | FixFailed
    | PullRequestOpened
    | ChecksFailed
    | ChangesRequested
    | UpdateStarted
    | ChangesPushed
    | UpdateFailed
    | PullRequestMerged
    | PullRequestClosedUnmerged
    | Recurred
    | QuietPeriodElapsed
    | Quarantined
    | IssueClosed
)


def event_name(event: CaseEvent) -> str:
    return type(event).__name__
