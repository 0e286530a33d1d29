"""Failure occurrences: what triage found in each job's log, and the evidence queries."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from sheriff.adapters.store.database import Database
from sheriff.adapters.store.lookups import repository_id
from sheriff.adapters.store.run_history import missing_job
from sheriff.adapters.store.schema_base import clip
from sheriff.adapters.store.schema_cases import CaseRow
from sheriff.adapters.store.schema_runs import (
    JobRow,
    OccurrenceRow,
    RepositoryRow,
    RunAttemptRow,
    WorkflowRunRow,
)
from sheriff.adapters.store.upsert import upsert
from sheriff.app.ports import OccurrenceEvidence, OccurrenceRecord
from sheriff.core.model import Classification
from sheriff.core.redact import redact

OCCURRENCE_KEY = ("job_id", "failure_id")
EVIDENCE_COLUMNS: dict[str, Any] = {  # OccurrenceEvidence's fields
    "run_id": WorkflowRunRow.github_run_id,
    "attempt": RunAttemptRow.attempt,
    "job_id": JobRow.github_job_id,
    "job_name": JobRow.name,
    "workflow": WorkflowRunRow.workflow_name,
    "head_sha": WorkflowRunRow.head_sha,
    "head_branch": WorkflowRunRow.head_branch,
    "event": WorkflowRunRow.event,
    "runner_os": JobRow.runner_os,
    "seen_at": OccurrenceRow.seen_at,
    "job_url": JobRow.html_url,
    "failure_id": OccurrenceRow.failure_id,
    "message": OccurrenceRow.message,
}


class Occurrences:
    _db: Database

    def record_occurrences(
        self,
        repo: str,
        job_id: int,
        occurrences: Sequence[OccurrenceRecord],
    ) -> None:
        """Make ``occurrences`` the job's failures (replacing an earlier triage of the same
        job) and bring the counts of the cases concerned up to date."""
        self._db.run(lambda session: self._record_occurrences(session, repo, job_id, occurrences))

    def _record_occurrences(
        self, session: Session, repo: str, job_id: int, occurrences: Sequence[OccurrenceRecord]
    ) -> None:
        repo_id = repository_id(session, repo)
        job = session.execute(
            select(JobRow.id, seen_at_of_job())
            .join(RunAttemptRow, RunAttemptRow.id == JobRow.attempt_id)
            .join(WorkflowRunRow, WorkflowRunRow.id == RunAttemptRow.run_id)
            .where(JobRow.repository_id == repo_id, JobRow.github_job_id == job_id)
        ).one_or_none()
        if job is None:
            raise missing_job(repo, job_id)
        now = self._db.now()
        rows = [occurrence_row(item, repo_id, job.id, job.seen_at, now) for item in occurrences]
        touched = set(
            session.execute(
                select(OccurrenceRow.fingerprint).where(OccurrenceRow.job_id == job.id)
            ).scalars()
        ) | {row["fingerprint"] for row in rows}
        session.execute(
            delete(OccurrenceRow).where(
                OccurrenceRow.job_id == job.id,
                OccurrenceRow.failure_id.not_in([row["failure_id"] for row in rows]),
            )
        )
        updated = [column for column in rows[0] if column not in OCCURRENCE_KEY] if rows else []
        upsert(session, OccurrenceRow, rows, key=OCCURRENCE_KEY, update=updated)
        refresh_case_counts(session, repo_id, touched, now)

    def occurrences_of(
        self, repo: str, fingerprint: str, limit: int = 20
    ) -> list[OccurrenceEvidence]:
        """The latest occurrences of a fingerprint with their runs and jobs, newest first."""
        query = (
            select(*(column.label(name) for name, column in EVIDENCE_COLUMNS.items()))
            .join(JobRow, JobRow.id == OccurrenceRow.job_id)
            .join(RunAttemptRow, RunAttemptRow.id == JobRow.attempt_id)
            .join(WorkflowRunRow, WorkflowRunRow.id == RunAttemptRow.run_id)
            .join(RepositoryRow, RepositoryRow.id == OccurrenceRow.repository_id)
            .where(RepositoryRow.full_name == repo, OccurrenceRow.fingerprint == fingerprint)
            .order_by(OccurrenceRow.seen_at.desc(), OccurrenceRow.id.desc())
            .limit(limit)
        )
        rows = self._db.run(lambda session: session.execute(query).all())
        return [OccurrenceEvidence(**row._asdict()) for row in rows]


def seen_at_of_job() -> Any:
    """When a job's failure was seen: the job's end, else its start, else the run's."""
    return func.coalesce(
        JobRow.completed_at,
        JobRow.started_at,
        RunAttemptRow.started_at,
        WorkflowRunRow.created_at,
    ).label("seen_at")


def occurrence_row(
    item: OccurrenceRecord, repo_id: int, job_id: int, seen_at: datetime, now: datetime
) -> dict[str, Any]:
    finding = item.failure.finding
    test = finding.test
    return {
        "repository_id": repo_id,
        "job_id": job_id,
        "failure_id": item.failure.id,
        "fingerprint": item.failure.fingerprint,
        "failure_type": finding.failure_type.value,
        "sub_type": clip(finding.sub_type, 64),
        "tool": clip(finding.tool, 64),
        "test_framework": clip(test.framework, 64) if test else None,
        "test_suite": clip(test.suite, 512) if test else None,
        "test_name": clip(test.name, 1024) if test else None,
        "message": redact(finding.message),
        "signature": clip(redact(item.failure.signature), 512),
        "excerpt_ranges": [list(pair) for pair in item.excerpt_ranges],
        "excerpt_text": redact(item.excerpt_text),
        "classification": classification_json(item.classification),
        "confidence": item.classification.confidence if item.classification else None,
        "seen_at": seen_at,
        "updated_at": now,
    }


def classification_json(classification: Classification | None) -> dict[str, Any] | None:
    if classification is None:
        return None
    data = dataclasses.asdict(classification)
    data["primary_error"] = redact(classification.primary_error)
    return data


def refresh_case_counts(
    session: Session, repo_id: int, fingerprints: set[str], now: datetime
) -> None:
    """Recount the occurrences of these fingerprints into their cases (if they have one)."""
    if not fingerprints:
        return
    counted = session.execute(
        select(
            OccurrenceRow.fingerprint,
            func.count(),
            func.min(OccurrenceRow.seen_at),
            func.max(OccurrenceRow.seen_at),
        )
        .where(OccurrenceRow.repository_id == repo_id)
        .where(OccurrenceRow.fingerprint.in_(sorted(fingerprints)))
        .group_by(OccurrenceRow.fingerprint)
    ).all()
    stats = {row[0]: row[1:] for row in counted}
    for fingerprint in sorted(fingerprints):
        count, first, last = stats.get(fingerprint, (0, None, None))
        session.execute(
            update(CaseRow)
            .where(CaseRow.repository_id == repo_id, CaseRow.fingerprint == fingerprint)
            .values(occurrence_count=count, first_seen_at=first, last_seen_at=last, updated_at=now)
        )
