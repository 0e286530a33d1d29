"""A case's history as the audit log holds it: what the lifecycle planner needs to know
about the past (transitions, the strategy asked for, Sheriff's own pushes, prepared and
failed fixes, update rounds that pushed nothing) and what ``sheriff case show`` prints.

The audit log is the record: every transition and every external action the lifecycle
takes is appended to it (``sheriff.app.case_actions.audit``), with its cause and details,
so reading it back gives the facts GitHub cannot tell (who pushed, why a fix failed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sheriff.app.ports import AuditEntry, CaseState, CaseStore, JournalStore
from sheriff.core.issues import AutomationStatus
from sheriff.core.lifecycle import (
    CaseFacts,
    FixStrategy,
    LifecycleSettings,
    PullRequestFacts,
    StateChange,
    UpdateOutcome,
    automation_status,
)
from sheriff.core.repo_config import RepoSettings

LIFECYCLE_ACTOR = "sheriff-lifecycle"

TRANSITION = "case.transition"
FIX_PREPARED = "fix.prepared"  # a verified fix commit exists in the mirror
FIX_FAILED = "fix.failed"  # an attempt produced no fix (details: reason)
FIX_PUSHED = "fix.push"  # Sheriff pushed (or found pushed) a commit to the fix branch
PULL_REQUEST_OPENED = "pull_request.open"  # the fix pull request (details: number, url)
UPDATE_FAILED = "review.update_failed"  # a review round that pushed nothing (details: reason)
ACTION_FAILED = "action.failed"  # an action raised; details: action, error, hint

HISTORY_LIMIT = 5000


@dataclass(frozen=True, slots=True)
class PreparedFix:
    commit: str
    branch: str
    strategy: FixStrategy | None
    at: datetime
    details: dict[str, object]


@dataclass(frozen=True, slots=True)
class Push:
    branch: str
    commit: str
    at: datetime
    pull_request: int | None = None  # None: pushed before the pull request was opened


@dataclass(frozen=True, slots=True)
class CaseHistory:
    """The facts about a case's past that only Sheriff's own log holds."""

    entries: tuple[AuditEntry, ...]

    @property
    def changes(self) -> tuple[StateChange, ...]:
        """Every transition of the case, oldest first (the scan's included)."""
        found = []
        for entry in self.entries:
            details = entry.event.details
            source, target = details.get("from"), details.get("to")
            if isinstance(source, str) and isinstance(target, str):
                event = str(details.get("event", entry.event.action))
                found.append(StateChange(CaseState(source), CaseState(target), entry.time, event))
        return tuple(found)

    def _latest(self, action: str) -> AuditEntry | None:
        return next((item for item in reversed(self.entries) if item.event.action == action), None)

    def _strategy_of(self, event: str) -> FixStrategy | None:
        for entry in reversed(self.entries):
            details = entry.event.details
            if entry.event.action == TRANSITION and details.get("event") == event:
                return _strategy(details.get("strategy"))
        return None

    @property
    def requested_strategy(self) -> FixStrategy | None:
        """What the latest approval asked for (``/ai-fix agent``), if anything."""
        return self._strategy_of("ApprovalGranted")

    @property
    def fix_strategy(self) -> FixStrategy | None:
        """The strategy of the latest fix attempt."""
        return self._strategy_of("FixStarted")

    @property
    def prepared(self) -> PreparedFix | None:
        entry = self._latest(FIX_PREPARED)
        if entry is None:
            return None
        details = dict(entry.event.details)
        return PreparedFix(
            str(details.get("commit", "")),
            str(details.get("branch", "")),
            _strategy(details.get("strategy")),
            entry.time,
            details,
        )

    @property
    def failure(self) -> tuple[str, datetime] | None:
        """Why the latest fix attempt produced nothing, and when."""
        entry = self._latest(FIX_FAILED)
        return None if entry is None else (str(entry.event.details.get("reason", "")), entry.time)

    def pushes(self, branch: str) -> list[Push]:
        found = []
        for entry in self.entries:
            details = entry.event.details
            if entry.event.action != FIX_PUSHED or details.get("branch") != branch:
                continue
            number = details.get("pull_request")
            pull = number if isinstance(number, int) else None
            found.append(Push(branch, str(details.get("commit", "")), entry.time, pull))
        return found

    def last_push(
        self, branch: str, *, commit: str | None = None, pull_request: int | None = None
    ) -> Push | None:
        pushes = [
            push
            for push in self.pushes(branch)
            if (commit is None or push.commit == commit)
            and (pull_request is None or push.pull_request == pull_request)
        ]
        return pushes[-1] if pushes else None

    @property
    def update_outcome(self) -> UpdateOutcome | None:
        entry = self._latest(UPDATE_FAILED)
        if entry is None:
            return None
        return UpdateOutcome(entry.time, str(entry.event.details.get("reason", "")))

    @property
    def pull_request(self) -> int | None:
        entry = self._latest(PULL_REQUEST_OPENED)
        number = entry.event.details.get("number") if entry else None
        return number if isinstance(number, int) else None

    def entered(self, state: CaseState) -> datetime | None:
        times = [change.at for change in self.changes if change.to_state is state]
        return times[-1] if times else None


def _strategy(value: object) -> FixStrategy | None:
    try:
        return FixStrategy(str(value)) if value else None
    except ValueError:
        return None


def read_history(store: JournalStore, repo: str, fingerprint: str) -> CaseHistory:
    return CaseHistory(tuple(store.audit_log(repo, fingerprint, limit=HISTORY_LIMIT)))


class CaseRecords(CaseStore, JournalStore, Protocol):
    """The store's cases and audit log."""


def lifecycle_status(
    store: CaseRecords, repo: str, fingerprint: str, settings: RepoSettings
) -> AutomationStatus:
    """What the issue's status block says about a case, from the store alone (the scan
    refreshes issues with it, so it shows the same as reconcile does): its state and its
    fix pull request."""
    view = store.get_case(repo, fingerprint)
    if view is None:
        return AutomationStatus()
    number = read_history(store, repo, fingerprint).pull_request
    at = view.state_changed_at
    pull = PullRequestFacts(number, "", "", "", at) if number is not None else None
    facts = CaseFacts(
        repo, fingerprint, view.state, at, at, pull_request=pull,
        settings=LifecycleSettings.from_repo(settings),
    )  # fmt: skip
    return automation_status(facts)


def describe_entry(entry: AuditEntry) -> str:
    """One line of ``sheriff case show``: time, actor, action, cause and the details that
    say the most (state change, issue, pull request, comment, commit)."""
    event = entry.event
    details = event.details
    moved = f" {details['from']} -> {details['to']}" if "from" in details else ""
    extras = [
        f"{name}={details[name]}"
        for name in ("issue", "number", "pull_request", "comment", "key", "commit", "reason")
        if name in details and details[name] not in (None, "")
    ]
    tail = f" [{', '.join(str(item) for item in extras)}]" if extras else ""
    when = entry.time.strftime("%Y-%m-%d %H:%M:%S")
    return f"{when}  {event.actor:<18} {event.action:<22}{moved} {event.cause}{tail}"


def describe_history(entries: Sequence[AuditEntry]) -> list[str]:
    return [describe_entry(entry) for entry in entries]
