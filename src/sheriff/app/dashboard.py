"""What the dashboard shows, and the read-only port it reads it through.

The dashboard only reads. Its facts come from the store: cases (with their issue links),
failure occurrences, the audit log, run attempts and the cost ledger. Two facts come from
audit conventions that the writers follow:

- a re-run Sheriff asked for is the audit action ``rerun.requested`` with details
  ``{"run_id": int, "attempt": int, "job": str, "p_flaky": float}`` (``attempt`` is the
  attempt that failed; 1 when absent). Its result is the conclusion of the run's next
  attempt, read from the run history, so nobody has to log it;
- a case's fix pull request is the newest audit event of the case whose details carry
  ``"pull_request": int`` (and ``"pull_request_repo": "owner/name"`` when it is not the
  repository of the case's issue).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from sheriff.app.ports import AuditEntry, CaseView, IssueLink, OccurrenceEvidence
from sheriff.core.lifecycle.states import CaseState
from sheriff.core.model import FailureType

RERUN_REQUESTED = "rerun.requested"
FAILED_CONCLUSIONS = frozenset({"failure", "timed_out", "startup_failure"})
PULL_REQUEST_DETAIL = "pull_request"
PULL_REQUEST_REPO_DETAIL = "pull_request_repo"


@dataclass(frozen=True, slots=True)
class PullRequestRef:
    repo: str
    number: int


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """A case with what links to it: its issues and its fix pull request, if any."""

    case: CaseView
    issues: tuple[IssueLink, ...] = ()
    pull_request: PullRequestRef | None = None


@dataclass(frozen=True, slots=True)
class StateCount:
    state: CaseState
    count: int


@dataclass(frozen=True, slots=True)
class CasePage:
    """One page of the case table (newest seen first)."""

    cases: tuple[CaseSummary, ...]
    total: int
    offset: int
    limit: int

    @property
    def has_previous(self) -> bool:
        return self.offset > 0

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.cases) < self.total

    @property
    def page(self) -> int:
        return self.offset // self.limit + 1 if self.limit else 1


@dataclass(frozen=True, slots=True)
class DailyFailures:
    """How many failures of one type were seen on one (UTC) day."""

    day: date
    failure_type: FailureType
    count: int


class RerunResult(StrEnum):
    PASSED = "passed"  # the next attempt succeeded: the failure did not reproduce
    FAILED = "failed"  # the next attempt failed too
    INCONCLUSIVE = "inconclusive"  # the next attempt was cancelled, skipped...
    PENDING = "pending"  # no next attempt recorded yet, or it has no conclusion


@dataclass(frozen=True, slots=True)
class RerunOutcome:
    """A re-run Sheriff requested, and what the next attempt of the run concluded."""

    time: datetime
    repo: str | None
    fingerprint: str | None
    run_id: int
    attempt: int
    job: str | None
    p_flaky: float | None
    result: RerunResult
    conclusion: str | None = None  # the next attempt's conclusion, as GitHub said it


@dataclass(frozen=True, slots=True)
class CostTotals:
    calls: int
    input_tokens: int
    output_tokens: int
    usd: Decimal


@dataclass(frozen=True, slots=True)
class DailyCost:
    day: date
    totals: CostTotals


class DashboardReader(Protocol):
    """The read-only queries behind the dashboard (``sheriff.adapters.store``)."""

    def state_counts(self) -> list[StateCount]: ...

    def case_page(self, state: CaseState | None, offset: int, limit: int) -> CasePage: ...

    def case_summary(self, repo: str, fingerprint: str) -> CaseSummary | None: ...

    def flaky_leaderboard(self, limit: int) -> list[CaseSummary]: ...

    def failures_per_day(self, since: datetime) -> list[DailyFailures]: ...

    def rerun_outcomes(self, limit: int) -> list[RerunOutcome]: ...

    def costs_per_day(self, since: datetime) -> list[DailyCost]: ...

    def cost_totals(self, since: datetime | None = None) -> CostTotals: ...

    def audit_page(self, before: int | None, limit: int) -> list[AuditEntry]: ...

    def latest_excerpt(self, repo: str, fingerprint: str) -> str | None: ...

    def case_audit(self, repo: str, fingerprint: str, limit: int) -> list[AuditEntry]: ...

    def case_occurrences(
        self, repo: str, fingerprint: str, limit: int
    ) -> list[OccurrenceEvidence]: ...


def rerun_result(conclusion: str | None) -> RerunResult:
    """What a re-run's next attempt concluded, as the dashboard counts it."""
    if conclusion is None:
        return RerunResult.PENDING
    if conclusion == "success":
        return RerunResult.PASSED
    return RerunResult.FAILED if conclusion in FAILED_CONCLUSIONS else RerunResult.INCONCLUSIVE


def pull_request_of(entries: Sequence[AuditEntry], default_repo: str) -> PullRequestRef | None:
    """The fix pull request named by the newest of ``entries`` that names one."""
    for entry in sorted(entries, key=lambda item: item.sequence, reverse=True):
        number = entry.event.details.get(PULL_REQUEST_DETAIL)
        if isinstance(number, int) and not isinstance(number, bool) and number > 0:
            repo = entry.event.details.get(PULL_REQUEST_REPO_DETAIL)
            return PullRequestRef(repo if isinstance(repo, str) and repo else default_repo, number)
    return None
