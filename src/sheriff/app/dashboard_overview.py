"""Use cases of the dashboard: read the overview, one case with its timeline, and the
failures-per-day series, through the read-only ``DashboardReader``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sheriff.app.dashboard import (
    CasePage,
    CaseSummary,
    CostTotals,
    DailyCost,
    DailyFailures,
    DashboardReader,
    RerunOutcome,
    RerunResult,
    StateCount,
)
from sheriff.app.ports import AuditEntry, OccurrenceEvidence
from sheriff.core.lifecycle.states import CaseState
from sheriff.core.model import FailureType

MAX_WINDOW_DAYS = 366


@dataclass(frozen=True, slots=True)
class OverviewRequest:
    """What the overview page was asked for (paging and the chart window)."""

    state: CaseState | None = None
    case_offset: int = 0
    case_limit: int = 25
    audit_before: int | None = None
    audit_limit: int = 25
    leaderboard_limit: int = 15
    rerun_limit: int = 15
    days: int = 30


@dataclass(frozen=True, slots=True)
class RerunTally:
    requested: int = 0
    passed: int = 0
    failed: int = 0
    inconclusive: int = 0
    pending: int = 0


@dataclass(frozen=True, slots=True)
class CostReport:
    per_day: tuple[DailyCost, ...]
    window: CostTotals
    all_time: CostTotals


@dataclass(frozen=True, slots=True)
class Overview:
    now: datetime
    days: int
    states: tuple[StateCount, ...]
    cases: CasePage
    state: CaseState | None
    leaderboard: tuple[CaseSummary, ...]
    reruns: tuple[RerunOutcome, ...]
    rerun_tally: RerunTally
    costs: CostReport
    audit: tuple[AuditEntry, ...]

    @property
    def total_cases(self) -> int:
        return sum(item.count for item in self.states)


@dataclass(frozen=True, slots=True)
class FailureSeries:
    """Failures per day and type over a window, with zero days filled in."""

    days: tuple[date, ...]
    counts: dict[FailureType, tuple[int, ...]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(sum(values) for values in self.counts.values())


@dataclass(frozen=True, slots=True)
class TimelineItem:
    """One moment of a case's history: an audit event or a failure occurrence."""

    time: datetime
    audit: AuditEntry | None = None
    occurrence: OccurrenceEvidence | None = None


@dataclass(frozen=True, slots=True)
class CaseReport:
    summary: CaseSummary
    excerpt: str | None
    timeline: tuple[TimelineItem, ...]


def window_start(now: datetime, days: int) -> datetime:
    """Midnight UTC at the start of a window of ``days`` days ending today."""
    days = min(max(days, 1), MAX_WINDOW_DAYS)
    first = now.astimezone(UTC).date() - timedelta(days=days - 1)
    return datetime(first.year, first.month, first.day, tzinfo=UTC)


def read_overview(reader: DashboardReader, now: datetime, request: OverviewRequest) -> Overview:
    since = window_start(now, request.days)
    reruns = reader.rerun_outcomes(request.rerun_limit)
    return Overview(
        now=now,
        days=request.days,
        states=tuple(reader.state_counts()),
        cases=reader.case_page(request.state, request.case_offset, request.case_limit),
        state=request.state,
        leaderboard=tuple(reader.flaky_leaderboard(request.leaderboard_limit)),
        reruns=tuple(reruns),
        rerun_tally=tally_reruns(reruns),
        costs=read_costs(reader, since),
        audit=tuple(reader.audit_page(request.audit_before, request.audit_limit)),
    )


def read_costs(reader: DashboardReader, since: datetime) -> CostReport:
    return CostReport(
        per_day=tuple(reader.costs_per_day(since)),
        window=reader.cost_totals(since),
        all_time=reader.cost_totals(None),
    )


def tally_reruns(outcomes: Sequence[RerunOutcome]) -> RerunTally:
    results = [item.result for item in outcomes]
    return RerunTally(
        requested=len(results),
        passed=results.count(RerunResult.PASSED),
        failed=results.count(RerunResult.FAILED),
        inconclusive=results.count(RerunResult.INCONCLUSIVE),
        pending=results.count(RerunResult.PENDING),
    )


def read_failure_series(reader: DashboardReader, now: datetime, days: int) -> FailureSeries:
    since = window_start(now, days)
    return failure_series(reader.failures_per_day(since), since.date(), now.astimezone(UTC).date())


def failure_series(rows: Sequence[DailyFailures], first: date, last: date) -> FailureSeries:
    """Counts per type for every day from ``first`` to ``last``; types in taxonomy order,
    only those seen; rows outside the window are ignored."""
    days = tuple(first + timedelta(days=offset) for offset in range((last - first).days + 1))
    position = {day: index for index, day in enumerate(days)}
    counts: dict[FailureType, list[int]] = {}
    for row in rows:
        if row.day in position:
            series = counts.setdefault(row.failure_type, [0] * len(days))
            series[position[row.day]] += row.count
    ordered = {kind: tuple(counts[kind]) for kind in FailureType if kind in counts}
    return FailureSeries(days, ordered)


def read_case(
    reader: DashboardReader, repo: str, fingerprint: str, limit: int = 200
) -> CaseReport | None:
    summary = reader.case_summary(repo, fingerprint)
    if summary is None:
        return None
    timeline = case_timeline(
        reader.case_audit(repo, fingerprint, limit),
        reader.case_occurrences(repo, fingerprint, limit),
    )
    return CaseReport(summary, reader.latest_excerpt(repo, fingerprint), tuple(timeline))


def case_timeline(
    audit: Sequence[AuditEntry], occurrences: Sequence[OccurrenceEvidence]
) -> list[TimelineItem]:
    """Audit events and occurrences together, newest first (an audit event before an
    occurrence of the same instant: the event usually reacts to it)."""
    items = [TimelineItem(entry.time, audit=entry) for entry in audit]
    items += [TimelineItem(item.seen_at, occurrence=item) for item in occurrences]
    return sorted(
        items,
        key=lambda item: (
            item.time,
            item.audit is not None,
            item.audit.sequence if item.audit else 0,
        ),
        reverse=True,
    )
