"""The dashboard's queries over the audit log's re-runs and the cost ledger."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeGuard

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sheriff.adapters.store.database import Database
from sheriff.adapters.store.journal import MICROS, audit_entry
from sheriff.adapters.store.schema_cases import AuditRow, CostRow
from sheriff.adapters.store.schema_runs import RepositoryRow, RunAttemptRow, WorkflowRunRow
from sheriff.app.dashboard import (
    RERUN_REQUESTED,
    CostTotals,
    DailyCost,
    RerunOutcome,
    rerun_result,
)
from sheriff.app.ports import AuditEntry

Attempts = dict[tuple[str, int], list[tuple[int, str | None]]]
"""(repository, run id) -> [(attempt, conclusion)], in attempt order."""


@dataclass(frozen=True, slots=True)
class RerunRequested:
    entry: AuditEntry
    run_id: int
    attempt: int
    job: str | None
    p_flaky: float | None


class DashboardLedger:
    _db: Database

    def rerun_outcomes(self, limit: int) -> list[RerunOutcome]:
        """The newest re-runs Sheriff requested, each with its run's next attempt."""
        query = (
            select(AuditRow)
            .where(AuditRow.action == RERUN_REQUESTED)
            .order_by(AuditRow.id.desc())
            .limit(max(limit, 1))
        )

        def read(session: Session) -> list[RerunOutcome]:
            entries = [audit_entry(row) for row in session.execute(query).scalars()]
            requests = [found for entry in entries if (found := rerun_requested(entry))]
            attempts = attempts_of_runs(session, sorted({item.run_id for item in requests}))
            return [rerun_outcome(item, attempts) for item in requests]

        return self._db.run(read)

    def costs_per_day(self, since: datetime) -> list[DailyCost]:
        day = func.date(CostRow.occurred_at)
        query = (
            select(day, *cost_sums())
            .where(CostRow.occurred_at >= since)
            .group_by(day)
            .order_by(day)
        )
        rows = self._db.run(lambda session: session.execute(query).all())
        return [DailyCost(day_of(row[0]), cost_totals(row[1:])) for row in rows]

    def cost_totals(self, since: datetime | None = None) -> CostTotals:
        query = select(*cost_sums())
        if since is not None:
            query = query.where(CostRow.occurred_at >= since)
        row = self._db.run(lambda session: session.execute(query).one())
        return cost_totals(tuple(row))


def rerun_requested(entry: AuditEntry) -> RerunRequested | None:
    """The re-run an audit entry records, or None when its details lack a run id."""
    details = entry.event.details
    run_id, attempt = details.get("run_id"), details.get("attempt", 1)
    if not (is_count(run_id) and is_count(attempt)):
        return None
    job, p_flaky = details.get("job"), details.get("p_flaky")
    return RerunRequested(
        entry=entry,
        run_id=run_id,
        attempt=attempt,
        job=job if isinstance(job, str) else None,
        p_flaky=float(p_flaky) if isinstance(p_flaky, int | float) else None,
    )


def is_count(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def attempts_of_runs(session: Session, run_ids: Sequence[int]) -> Attempts:
    if not run_ids:
        return {}
    rows = session.execute(
        select(
            RepositoryRow.full_name,
            WorkflowRunRow.github_run_id,
            RunAttemptRow.attempt,
            RunAttemptRow.conclusion,
        )
        .join(WorkflowRunRow, WorkflowRunRow.id == RunAttemptRow.run_id)
        .join(RepositoryRow, RepositoryRow.id == WorkflowRunRow.repository_id)
        .where(WorkflowRunRow.github_run_id.in_(run_ids))
        .order_by(RunAttemptRow.attempt)
    )
    attempts: Attempts = defaultdict(list)
    for repo, run_id, attempt, conclusion in rows:
        attempts[(repo, run_id)].append((attempt, conclusion))
    return attempts


def rerun_outcome(item: RerunRequested, attempts: Attempts) -> RerunOutcome:
    event = item.entry.event
    later = [
        conclusion
        for attempt, conclusion in attempts.get((event.repo or "", item.run_id), [])
        if attempt > item.attempt
    ]
    conclusion = later[0] if later else None
    return RerunOutcome(
        time=item.entry.time,
        repo=event.repo,
        fingerprint=event.fingerprint,
        run_id=item.run_id,
        attempt=item.attempt,
        job=item.job,
        p_flaky=item.p_flaky,
        result=rerun_result(conclusion),
        conclusion=conclusion,
    )


def cost_sums() -> tuple[Any, ...]:
    return (
        func.count(CostRow.id),
        func.coalesce(func.sum(CostRow.input_tokens), 0),
        func.coalesce(func.sum(CostRow.output_tokens), 0),
        func.coalesce(func.sum(CostRow.usd_micros), 0),
    )


def cost_totals(row: Sequence[Any]) -> CostTotals:
    calls, input_tokens, output_tokens, micros = row
    return CostTotals(
        calls=int(calls),
        input_tokens=int(input_tokens),
        output_tokens=int(output_tokens),
        usd=Decimal(int(micros)) * MICROS,
    )


def day_of(value: date | str) -> date:
    """A day as the database's ``date()`` gives it (a string on SQLite)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
