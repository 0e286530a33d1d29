"""The guarded transition table: (state, event) -> next state, or a refusal saying why.

A rule names the states it leaves, the event type, the state it enters and an optional
guard. The first rule whose guard passes wins; when rules exist but every guard refuses,
the refusal carries the guards' reasons; when no rule exists, the refusal says which
events the state accepts. Every accepted transition comes back as a ``TransitionRecord``
for the audit log.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sheriff.core.lifecycle.events import (
    AnalysisPosted,
    ApprovalGranted,
    ApprovalRequested,
    CaseEvent,
    ChangesPushed,
    ChangesRequested,
    ChecksFailed,
    FixFailed,
    FixStarted,
    IssueClosed,
    IssueOpened,
    PullRequestClosedUnmerged,
    PullRequestMerged,
    PullRequestOpened,
    Quarantined,
    QuietPeriodElapsed,
    Recurred,
    UpdateFailed,
    UpdateStarted,
    event_name,
)
from sheriff.core.lifecycle.facts import APPROVING_PERMISSIONS, aware
from sheriff.core.lifecycle.states import BEFORE_APPROVAL, PULL_REQUEST_STATES, CaseState

S = CaseState
Guard = Callable[[Any, str | None], str | None]
"""(event, Sheriff's login) -> why the transition is refused, or None to allow it."""


@dataclass(frozen=True, slots=True)
class Rule:
    sources: frozenset[CaseState]
    event: type[Any]
    target: CaseState
    guard: Guard | None = None


def _approver(event: ApprovalGranted, sheriff_login: str | None) -> str | None:
    if event.actor.is_bot:
        return f"@{event.actor.login} is a bot: bots never approve"
    if sheriff_login and event.actor.login.casefold() == sheriff_login.casefold():
        return "Sheriff cannot approve its own fix"
    if event.permission not in APPROVING_PERMISSIONS:
        return f"@{event.actor.login} has {event.permission!r} permission; approving needs write"
    return None


def _quiet(event: QuietPeriodElapsed, _login: str | None) -> str | None:
    quiet_for = aware(event.now) - aware(event.last_seen_at)
    if quiet_for < event.quiet_period:
        return f"quiet for {quiet_for}, less than {event.quiet_period}"
    return None


def _not_planned(event: IssueClosed, _login: str | None) -> str | None:
    return None if event.reason == "not_planned" else "closed as completed"


def _completed(event: IssueClosed, _login: str | None) -> str | None:
    return "closed as not planned" if event.reason == "not_planned" else None


def _some_checks(event: ChecksFailed, _login: str | None) -> str | None:
    return None if event.checks else "no failed check named"


def _one(state: CaseState) -> frozenset[CaseState]:
    return frozenset({state})


TABLE: tuple[Rule, ...] = (
    Rule(_one(S.DISCOVERED), IssueOpened, S.ISSUE_OPEN),
    Rule(_one(S.ISSUE_OPEN), AnalysisPosted, S.TRIAGED),
    Rule(_one(S.TRIAGED), ApprovalRequested, S.WAITING_FOR_SIGNAL),
    Rule(_one(S.WAITING_FOR_SIGNAL), ApprovalGranted, S.APPROVED_TO_FIX, _approver),
    Rule(_one(S.WAITING_FOR_SIGNAL), QuietPeriodElapsed, S.RESOLVED, _quiet),
    Rule(BEFORE_APPROVAL, Quarantined, S.QUARANTINED),
    Rule(BEFORE_APPROVAL, IssueClosed, S.CLOSED_WONTFIX, _not_planned),
    Rule(BEFORE_APPROVAL, IssueClosed, S.RESOLVED, _completed),
    Rule(_one(S.APPROVED_TO_FIX), FixStarted, S.FIXING),
    Rule(frozenset({S.APPROVED_TO_FIX, S.FIXING}), FixFailed, S.WAITING_FOR_SIGNAL),
    Rule(_one(S.FIXING), PullRequestOpened, S.PR_OPEN),
    Rule(_one(S.PR_OPEN), ChecksFailed, S.PR_NEEDS_CHANGES, _some_checks),
    Rule(_one(S.PR_OPEN), ChangesRequested, S.PR_NEEDS_CHANGES),
    Rule(_one(S.PR_NEEDS_CHANGES), UpdateStarted, S.PR_UPDATING),
    Rule(_one(S.PR_UPDATING), ChangesPushed, S.PR_OPEN),
    Rule(_one(S.PR_UPDATING), UpdateFailed, S.PR_OPEN),
    Rule(PULL_REQUEST_STATES, PullRequestMerged, S.MERGED),
    Rule(PULL_REQUEST_STATES, PullRequestClosedUnmerged, S.CLOSED_WONTFIX),
    Rule(frozenset({S.MERGED, S.RESOLVED}), Recurred, S.ISSUE_OPEN),
)


@dataclass(frozen=True, slots=True)
class TransitionRecord:
    """An accepted transition, as the audit log keeps it."""

    from_state: CaseState
    to_state: CaseState
    event: CaseEvent
    cause: str

    @property
    def event_name(self) -> str:
        return event_name(self.event)

    def audit_key(self, repo: str, fingerprint: str) -> str:
        """Identifies this very change, so logging it twice keeps one record."""
        return (
            f"transition:{repo}:{fingerprint}:{self.from_state.value}>{self.to_state.value}:"
            f"{self.event_name}:{self.event.identity}"
        )


@dataclass(frozen=True, slots=True)
class TransitionRefused:
    """An event the table does not accept in ``state``, and why."""

    state: CaseState
    event: CaseEvent
    reason: str


class IllegalTransitionError(ValueError):
    """Raised by ``require_transition`` for an event the table refuses."""

    def __init__(self, refused: TransitionRefused) -> None:
        super().__init__(
            f"{event_name(refused.event)} is not allowed in {refused.state.value}: {refused.reason}"
        )
        self.refused = refused


def transition(
    state: CaseState, event: CaseEvent, *, sheriff_login: str | None = None
) -> TransitionRecord | TransitionRefused:
    """The transition ``event`` makes from ``state``, or why there is none."""
    rules = [rule for rule in TABLE if state in rule.sources and isinstance(event, rule.event)]
    if not rules:
        accepted = ", ".join(sorted(accepted_events(state))) or "none (a final state)"
        return TransitionRefused(state, event, f"{state.value} accepts {accepted}")
    refusals = []
    for rule in rules:
        refusal = rule.guard(event, sheriff_login) if rule.guard else None
        if refusal is None:
            return TransitionRecord(state, rule.target, event, event.cause)
        refusals.append(refusal)
    return TransitionRefused(state, event, "; ".join(refusals))


def require_transition(
    state: CaseState, event: CaseEvent, *, sheriff_login: str | None = None
) -> TransitionRecord:
    """Like ``transition``, raising ``IllegalTransitionError`` instead of refusing."""
    outcome = transition(state, event, sheriff_login=sheriff_login)
    if isinstance(outcome, TransitionRefused):
        raise IllegalTransitionError(outcome)
    return outcome


def accepted_events(state: CaseState) -> frozenset[str]:
    """The names of the events that may move a case out of ``state``."""
    return frozenset(rule.event.__name__ for rule in TABLE if state in rule.sources)


def targets_of(state: CaseState) -> frozenset[CaseState]:
    """Every state a case in ``state`` can move to."""
    return frozenset(rule.target for rule in TABLE if state in rule.sources)
