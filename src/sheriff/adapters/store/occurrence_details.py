"""Occurrences with what triage said about them (tool, test, excerpt): what the case
lifecycle reads to ground an analysis or a fix prompt."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from sheriff.adapters.store.database import Database
from sheriff.adapters.store.occurrences import EVIDENCE_COLUMNS
from sheriff.adapters.store.schema_runs import (
    JobRow,
    OccurrenceRow,
    RepositoryRow,
    RunAttemptRow,
    WorkflowRunRow,
)
from sheriff.app.ports import OccurrenceDetail, OccurrenceEvidence
from sheriff.core.model import FailureType, TestIdentity

DETAIL_COLUMNS: dict[str, Any] = {
    "fingerprint": OccurrenceRow.fingerprint,
    "tool": OccurrenceRow.tool,
    "failure_type": OccurrenceRow.failure_type,
    "sub_type": OccurrenceRow.sub_type,
    "test_framework": OccurrenceRow.test_framework,
    "test_suite": OccurrenceRow.test_suite,
    "test_name": OccurrenceRow.test_name,
    "excerpt_ranges": OccurrenceRow.excerpt_ranges,
    "excerpt_text": OccurrenceRow.excerpt_text,
}


class OccurrenceDetails:
    _db: Database

    def latest_occurrence(self, repo: str, fingerprint: str) -> OccurrenceDetail | None:
        """The fingerprint's most recent occurrence, with its excerpt and test."""
        query = _details(repo).where(OccurrenceRow.fingerprint == fingerprint).limit(1)
        rows = self._db.run(lambda session: session.execute(query).all())
        return detail_of(rows[0]._asdict()) if rows else None

    def occurrences_at(self, repo: str, head_sha: str, limit: int = 50) -> list[OccurrenceDetail]:
        """The failures found in the runs of commit ``head_sha``, newest first."""
        query = _details(repo).where(WorkflowRunRow.head_sha == head_sha).limit(limit)
        rows = self._db.run(lambda session: session.execute(query).all())
        return [detail_of(row._asdict()) for row in rows]


def _details(repo: str) -> Select[Any]:
    columns = {**EVIDENCE_COLUMNS, **DETAIL_COLUMNS}
    return (
        select(*(column.label(name) for name, column in columns.items()))
        .join(JobRow, JobRow.id == OccurrenceRow.job_id)
        .join(RunAttemptRow, RunAttemptRow.id == JobRow.attempt_id)
        .join(WorkflowRunRow, WorkflowRunRow.id == RunAttemptRow.run_id)
        .join(RepositoryRow, RepositoryRow.id == OccurrenceRow.repository_id)
        .where(RepositoryRow.full_name == repo)
        .order_by(OccurrenceRow.seen_at.desc(), OccurrenceRow.id.desc())
    )


def detail_of(row: dict[str, Any]) -> OccurrenceDetail:
    evidence = OccurrenceEvidence(**{name: row[name] for name in EVIDENCE_COLUMNS})
    framework, name = row["test_framework"], row["test_name"]
    test = TestIdentity(framework, row["test_suite"], name) if framework and name else None
    return OccurrenceDetail(
        evidence=evidence,
        fingerprint=row["fingerprint"],
        tool=row["tool"],
        failure_type=FailureType(row["failure_type"]),
        sub_type=row["sub_type"],
        test=test,
        excerpt=numbered_excerpt(row["excerpt_ranges"] or [], row["excerpt_text"] or ""),
    )


def numbered_excerpt(ranges: list[list[int]], text: str) -> tuple[tuple[int, str], ...]:
    """The stored excerpt's lines with their log line numbers. The text holds the lines of
    the failure's ranges that the excerpt kept, in order: when it kept them all, the numbers
    are exact; when the excerpt was trimmed, lines are numbered from the first range on."""
    lines = text.splitlines()
    numbers = [number for first, last in ranges for number in range(first, last + 1)]
    if len(numbers) < len(lines):
        start = numbers[0] if numbers else 1
        numbers = list(range(start, start + len(lines)))
    return tuple(zip(numbers, lines, strict=False))
