"""Per-test outcomes per run attempt: the flakiness engine's history ([T3])."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sheriff.adapters.store.database import Database
from sheriff.adapters.store.lookups import repository_id
from sheriff.adapters.store.schema_base import clip
from sheriff.adapters.store.schema_runs import NAME, RepositoryRow, TestResultRow
from sheriff.adapters.store.upsert import upsert
from sheriff.app.ports import TestOutcome, TestResultRecord
from sheriff.core.flaky.records import ResultContext
from sheriff.core.model import FailureType, TestIdentity

RESULT_KEY = ("repository_id", "github_run_id", "attempt", "job_name", "test_key")
CONTEXT_COLUMNS = ("job_failed", "job_total", "job_shared", "job_infra", "concurrent")


def key_of_test(test: TestIdentity) -> str:
    """A fixed-length key for a test: its identity may be too long for an index."""
    identity = "\x1f".join((test.framework, test.suite or "", test.name))
    return hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()


class ResultHistory:
    _db: Database

    def record_test_results(self, results: Sequence[TestResultRecord]) -> None:
        """Record outcomes; recording the same test in the same job and attempt again
        replaces its outcome rather than adding one."""
        if results:
            self._db.run(lambda session: self._record_results(session, results))

    def _record_results(self, session: Session, results: Sequence[TestResultRecord]) -> None:
        now = self._db.now()
        repo_ids = {repo: repository_id(session, repo) for repo in {r.repo for r in results}}
        rows = [result_row(result, repo_ids[result.repo], now) for result in results]
        updated = [column for column in rows[0] if column not in RESULT_KEY]
        upsert(session, TestResultRow, rows, key=RESULT_KEY, update=updated)

    def recent_test_results(
        self, repo: str, test: TestIdentity, limit: int = 100
    ) -> list[TestResultRecord]:
        """The test's latest results in this repository, newest first."""
        query = (
            select(TestResultRow)
            .join(RepositoryRow, RepositoryRow.id == TestResultRow.repository_id)
            .where(RepositoryRow.full_name == repo, TestResultRow.test_key == key_of_test(test))
            .order_by(TestResultRow.occurred_at.desc(), TestResultRow.id.desc())
            .limit(limit)
        )
        rows = self._db.run(lambda session: list(session.execute(query).scalars()))
        return [result_record(row, repo) for row in rows]

    def failed_results_between(
        self, repo: str, since: datetime, until: datetime, limit: int = 5000
    ) -> list[TestResultRecord]:
        """Every test failure in the repository in ``[since, until]``, oldest first."""
        query = (
            select(TestResultRow)
            .join(RepositoryRow, RepositoryRow.id == TestResultRow.repository_id)
            .where(
                RepositoryRow.full_name == repo,
                TestResultRow.occurred_at >= since,
                TestResultRow.occurred_at <= until,
                TestResultRow.outcome == TestOutcome.FAILED.value,
            )
            .order_by(TestResultRow.occurred_at, TestResultRow.id)
            .limit(limit)
        )
        rows = self._db.run(lambda session: list(session.execute(query).scalars()))
        return [result_record(row, repo) for row in rows]


def result_row(result: TestResultRecord, repo_id: int, now: datetime) -> dict[str, Any]:
    return {
        "repository_id": repo_id,
        "test_key": key_of_test(result.test),
        "framework": clip(result.test.framework, 64),
        "suite": clip(result.test.suite, 512),
        "name": clip(result.test.name, 1024),
        "outcome": result.outcome.value,
        "github_run_id": result.run_id,
        "attempt": result.attempt,
        "job_name": clip(result.job, NAME),
        "github_job_id": result.job_id,
        "workflow": clip(result.workflow, NAME),
        "sha": result.sha,
        "branch": result.branch,
        "event": result.event,
        "pr_number": result.pr_number,
        "author": result.author,
        "fingerprint": result.fingerprint,
        "source": result.source,
        "occurred_at": result.time,
        "updated_at": now,
        "signature": clip(result.signature, 512),
        "failure_type": result.failure_type.value if result.failure_type else None,
        **context_columns(result.context),
    }


def context_columns(context: ResultContext | None) -> dict[str, Any]:
    if context is None:
        return dict.fromkeys(CONTEXT_COLUMNS)
    return {
        "job_failed": context.failed,
        "job_total": context.total,
        "job_shared": context.shared,
        "job_infra": context.infra,
        "concurrent": context.concurrent,
    }


def context_of(row: TestResultRow) -> ResultContext | None:
    if row.job_failed is None or row.job_total is None:
        return None
    return ResultContext(
        failed=row.job_failed,
        total=row.job_total,
        shared=row.job_shared or 0,
        infra=bool(row.job_infra),
        concurrent=row.concurrent,
    )


def result_record(row: TestResultRow, repo: str) -> TestResultRecord:
    return TestResultRecord(
        repo=repo,
        test=TestIdentity(row.framework, row.suite, row.name),
        outcome=TestOutcome(row.outcome),
        run_id=row.github_run_id,
        attempt=row.attempt,
        job=row.job_name,
        workflow=row.workflow,
        sha=row.sha,
        branch=row.branch,
        event=row.event,
        time=row.occurred_at,
        job_id=row.github_job_id,
        pr_number=row.pr_number,
        author=row.author,
        fingerprint=row.fingerprint,
        source=row.source,
        signature=row.signature,
        failure_type=FailureType(row.failure_type) if row.failure_type else None,
        context=context_of(row),
    )
