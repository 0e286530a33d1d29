"""The dashboard's read-only queries (``sheriff.app.dashboard.DashboardReader``): cases
with their links, the flaky leaderboard, failures per day and the audit log's pages.
Re-runs and costs are in ``dashboard_ledger``.

Every query is bounded (a page, a limit or a time window), so the dashboard stays fast
however long Sheriff has been running. Portable across SQLite, PostgreSQL and MySQL:
``date()`` exists on all three (SQLite answers a string, the others a date).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from sheriff.adapters.store.cases import case_view
from sheriff.adapters.store.dashboard_ledger import DashboardLedger, day_of
from sheriff.adapters.store.issue_links import issue_link
from sheriff.adapters.store.journal import audit_entry
from sheriff.adapters.store.schema_cases import AuditRow, CaseRow, IssueLinkRow
from sheriff.adapters.store.schema_runs import OccurrenceRow, RepositoryRow
from sheriff.adapters.store.store import Store
from sheriff.app import dashboard
from sheriff.app.dashboard import CasePage, CaseSummary, DailyFailures, StateCount
from sheriff.app.ports import AuditEntry, OccurrenceEvidence
from sheriff.core.lifecycle.states import PULL_REQUEST_STATES, CaseState
from sheriff.core.model import FailureType

WITH_PULL_REQUEST = PULL_REQUEST_STATES | {CaseState.MERGED, CaseState.CLOSED_WONTFIX}
"""States in which a case may have had a fix pull request (only these are looked up)."""
AUDIT_ROWS_PER_CASE = 200  # newest audit rows of a case searched for its pull request


class StoreDashboard(DashboardLedger):
    """The dashboard's view of a Store. Holds no state but the store."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._db = store.database

    def state_counts(self) -> list[StateCount]:
        query = select(CaseRow.state, func.count()).group_by(CaseRow.state)
        counted = dict(self._db.run(lambda session: session.execute(query).all()))
        return [StateCount(state, counted.get(state.value, 0)) for state in CaseState]

    def case_page(self, state: CaseState | None, offset: int, limit: int) -> CasePage:
        query = cases_query()
        total_query = select(func.count()).select_from(CaseRow)
        if state is not None:
            query = query.where(CaseRow.state == state.value)
            total_query = total_query.where(CaseRow.state == state.value)
        query = query.order_by(
            CaseRow.last_seen_at.is_(None), CaseRow.last_seen_at.desc(), CaseRow.id.desc()
        )
        query = query.offset(max(offset, 0)).limit(max(limit, 1))

        def read(session: Session) -> CasePage:
            total = session.execute(total_query).scalar_one()
            cases = summaries(session, session.execute(query).all())
            return CasePage(tuple(cases), int(total), max(offset, 0), max(limit, 1))

        return self._db.run(read)

    def case_summary(self, repo: str, fingerprint: str) -> CaseSummary | None:
        query = cases_query().where(
            RepositoryRow.full_name == repo, CaseRow.fingerprint == fingerprint
        )

        def read(session: Session) -> CaseSummary | None:
            found = summaries(session, session.execute(query).all())
            return found[0] if found else None

        return self._db.run(read)

    def flaky_leaderboard(self, limit: int) -> list[CaseSummary]:
        """Test cases with a flakiness estimate, most likely flaky first."""
        query = (
            cases_query()
            .where(CaseRow.p_flaky.is_not(None), CaseRow.test_name.is_not(None))
            .order_by(CaseRow.p_flaky.desc(), CaseRow.occurrence_count.desc(), CaseRow.id)
            .limit(max(limit, 1))
        )
        return self._db.run(lambda session: summaries(session, session.execute(query).all()))

    def failures_per_day(self, since: datetime) -> list[DailyFailures]:
        day = func.date(OccurrenceRow.seen_at)
        query = (
            select(day, OccurrenceRow.failure_type, func.count())
            .where(OccurrenceRow.seen_at >= since)
            .group_by(day, OccurrenceRow.failure_type)
        )
        rows = self._db.run(lambda session: session.execute(query).all())
        return [
            DailyFailures(day_of(value), failure_type_of(kind), int(count))
            for value, kind, count in rows
        ]

    def audit_page(self, before: int | None, limit: int) -> list[AuditEntry]:
        """Audit events newest first, those logged before event ``before`` when given."""
        query = select(AuditRow).order_by(AuditRow.id.desc()).limit(max(limit, 1))
        if before is not None:
            query = query.where(AuditRow.id < before)
        rows = self._db.run(lambda session: list(session.execute(query).scalars()))
        return [audit_entry(row) for row in rows]

    def latest_excerpt(self, repo: str, fingerprint: str) -> str | None:
        query = (
            select(OccurrenceRow.excerpt_text)
            .join(RepositoryRow, RepositoryRow.id == OccurrenceRow.repository_id)
            .where(RepositoryRow.full_name == repo, OccurrenceRow.fingerprint == fingerprint)
            .order_by(OccurrenceRow.seen_at.desc(), OccurrenceRow.id.desc())
            .limit(1)
        )
        text = self._db.run(lambda session: session.execute(query).scalar_one_or_none())
        return text or None

    def case_audit(self, repo: str, fingerprint: str, limit: int) -> list[AuditEntry]:
        return self._store.audit_log(repo=repo, fingerprint=fingerprint, limit=limit)

    def case_occurrences(self, repo: str, fingerprint: str, limit: int) -> list[OccurrenceEvidence]:
        return self._store.occurrences_of(repo, fingerprint, limit=limit)


def cases_query() -> Select[CaseRow, str]:
    return select(CaseRow, RepositoryRow.full_name).join(
        RepositoryRow, RepositoryRow.id == CaseRow.repository_id
    )


def summaries(session: Session, rows: Sequence[Any]) -> list[CaseSummary]:
    """Cases with their issue links and (where their state says so) pull requests."""
    cases: list[tuple[CaseRow, str]] = [(row[0], row[1]) for row in rows]
    links = issue_links_of(session, [case.id for case, _ in cases])
    wanted = [(case, repo) for case, repo in cases if case.state in WITH_PULL_REQUEST]
    audit = pull_request_audit(session, wanted)
    found = []
    for case, repo in cases:
        issues = tuple(links.get(case.id, ()))
        default_repo = issues[0].issue_repo if issues else repo
        entries = audit.get((repo, case.fingerprint), [])
        pull_request = dashboard.pull_request_of(entries, default_repo)
        found.append(CaseSummary(case_view(case, repo), issues, pull_request))
    return found


def issue_links_of(session: Session, case_ids: Sequence[int]) -> dict[int, list[Any]]:
    if not case_ids:
        return {}
    rows = session.execute(
        select(IssueLinkRow).where(IssueLinkRow.case_id.in_(case_ids)).order_by(IssueLinkRow.id)
    ).scalars()
    links: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        links[row.case_id].append(issue_link(row))
    return links


def pull_request_audit(
    session: Session, cases: Sequence[tuple[CaseRow, str]]
) -> dict[tuple[str, str], list[AuditEntry]]:
    """The newest audit rows of each case (one query per case, on the subject index)."""
    found: dict[tuple[str, str], list[AuditEntry]] = {}
    for case, repo in cases:
        rows = session.execute(
            select(AuditRow)
            .where(AuditRow.repo == repo, AuditRow.fingerprint == case.fingerprint)
            .order_by(AuditRow.id.desc())
            .limit(AUDIT_ROWS_PER_CASE)
        ).scalars()
        found[(repo, case.fingerprint)] = [audit_entry(row) for row in rows]
    return found


def failure_type_of(value: str) -> FailureType:
    try:
        return FailureType(value)
    except ValueError:
        return FailureType.UNKNOWN


if TYPE_CHECKING:
    implements_the_port: type[dashboard.DashboardReader] = StoreDashboard
