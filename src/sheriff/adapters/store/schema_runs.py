"""Tables of CI history: repositories, workflow runs, attempts, jobs, failure occurrences
and per-test results. Each has a unique natural key, so writes are upserts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from sheriff.adapters.store.schema_base import (
    MYSQL_TABLE_OPTIONS,
    Base,
    GitHubId,
    Id,
    Json,
    LongText,
    UtcDateTime,
)

NAME = 255  # repository, branch, workflow, job and runner names
SHA = 64
URL = 1024


class RepositoryRow(Base):
    __tablename__ = "repositories"
    __table_args__ = (MYSQL_TABLE_OPTIONS,)

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    full_name: Mapped[str] = mapped_column(String(NAME), unique=True)
    default_branch: Mapped[str] = mapped_column(String(NAME))
    read_repo: Mapped[str] = mapped_column(String(NAME))
    write_repo: Mapped[str] = mapped_column(String(NAME))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class WorkflowRunRow(Base):
    __tablename__ = "workflow_runs"
    __table_args__ = (
        UniqueConstraint("repository_id", "github_run_id", name="uq_workflow_runs_run"),
        MYSQL_TABLE_OPTIONS,
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    repository_id: Mapped[int] = mapped_column(Id, ForeignKey("repositories.id"))
    github_run_id: Mapped[int] = mapped_column(GitHubId)
    workflow_name: Mapped[str] = mapped_column(String(NAME))
    workflow_id: Mapped[int | None] = mapped_column(GitHubId)
    head_sha: Mapped[str] = mapped_column(String(SHA))
    head_branch: Mapped[str | None] = mapped_column(String(NAME))
    event: Mapped[str] = mapped_column(String(64))
    pull_requests: Mapped[list[int]] = mapped_column(Json)
    actor: Mapped[str | None] = mapped_column(String(NAME))
    html_url: Mapped[str | None] = mapped_column(String(URL))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RunAttemptRow(Base):
    __tablename__ = "run_attempts"
    __table_args__ = (
        UniqueConstraint("run_id", "attempt", name="uq_run_attempts_attempt"),
        MYSQL_TABLE_OPTIONS,
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(Id, ForeignKey("workflow_runs.id"))
    attempt: Mapped[int]
    conclusion: Mapped[str | None] = mapped_column(String(32))
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class JobRow(Base):
    __tablename__ = "jobs"
    __table_args__ = (
        UniqueConstraint("repository_id", "github_job_id", name="uq_jobs_job"),
        Index("ix_jobs_attempt", "attempt_id"),
        MYSQL_TABLE_OPTIONS,
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    repository_id: Mapped[int] = mapped_column(Id, ForeignKey("repositories.id"))
    attempt_id: Mapped[int] = mapped_column(Id, ForeignKey("run_attempts.id"))
    github_job_id: Mapped[int] = mapped_column(GitHubId)
    name: Mapped[str] = mapped_column(String(NAME))
    conclusion: Mapped[str | None] = mapped_column(String(32))
    runner_os: Mapped[str | None] = mapped_column(String(64))
    runner_labels: Mapped[list[str]] = mapped_column(Json)
    runner_name: Mapped[str | None] = mapped_column(String(NAME))
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    steps: Mapped[list[dict[str, Any]]] = mapped_column(Json)
    html_url: Mapped[str | None] = mapped_column(String(URL))
    log_status: Mapped[str] = mapped_column(String(16))
    log_path: Mapped[str | None] = mapped_column(String(URL))
    log_size: Mapped[int | None] = mapped_column(BigInteger)
    log_detail: Mapped[str | None] = mapped_column(String(512))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class OccurrenceRow(Base):
    """One failure found in one job's log (natural key: job, failure id)."""

    __tablename__ = "failure_occurrences"
    __table_args__ = (
        UniqueConstraint("job_id", "failure_id", name="uq_failure_occurrences_failure"),
        Index("ix_failure_occurrences_fingerprint", "repository_id", "fingerprint", "seen_at"),
        MYSQL_TABLE_OPTIONS,
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    repository_id: Mapped[int] = mapped_column(Id, ForeignKey("repositories.id"))
    job_id: Mapped[int] = mapped_column(Id, ForeignKey("jobs.id"))
    failure_id: Mapped[str] = mapped_column(String(32))
    fingerprint: Mapped[str] = mapped_column(String(SHA))
    failure_type: Mapped[str] = mapped_column(String(32))
    sub_type: Mapped[str] = mapped_column(String(64))
    tool: Mapped[str] = mapped_column(String(64))
    test_framework: Mapped[str | None] = mapped_column(String(64))
    test_suite: Mapped[str | None] = mapped_column(String(512))
    test_name: Mapped[str | None] = mapped_column(String(URL))
    message: Mapped[str] = mapped_column(LongText)
    signature: Mapped[str] = mapped_column(String(512))
    excerpt_ranges: Mapped[list[list[int]]] = mapped_column(Json)
    excerpt_text: Mapped[str] = mapped_column(LongText)
    classification: Mapped[dict[str, Any] | None] = mapped_column(Json)
    confidence: Mapped[int | None]
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class TestResultRow(Base):
    """One test's outcome in one job of one run attempt ([T3]'s history).

    Not tied to the jobs table: histories replayed from elsewhere have no GitHub job.
    ``test_key`` is a hash of framework, suite and name, which may be too long to index.
    """

    __test__ = False
    __tablename__ = "test_results"
    __table_args__ = (
        UniqueConstraint(
            "repository_id",
            "github_run_id",
            "attempt",
            "job_name",
            "test_key",
            name="uq_test_results_result",
        ),
        Index("ix_test_results_test", "repository_id", "test_key", "occurred_at"),
        Index("ix_test_results_sha", "repository_id", "sha"),
        Index("ix_test_results_time", "repository_id", "occurred_at"),
        MYSQL_TABLE_OPTIONS,
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=True)
    repository_id: Mapped[int] = mapped_column(Id, ForeignKey("repositories.id"))
    test_key: Mapped[str] = mapped_column(String(SHA))
    framework: Mapped[str] = mapped_column(String(64))
    suite: Mapped[str | None] = mapped_column(String(512))
    name: Mapped[str] = mapped_column(String(URL))
    outcome: Mapped[str] = mapped_column(String(8))
    github_run_id: Mapped[int] = mapped_column(GitHubId)
    attempt: Mapped[int]
    job_name: Mapped[str] = mapped_column(String(NAME))
    github_job_id: Mapped[int | None] = mapped_column(GitHubId)
    workflow: Mapped[str] = mapped_column(String(NAME))
    sha: Mapped[str] = mapped_column(String(SHA))
    branch: Mapped[str | None] = mapped_column(String(NAME))
    event: Mapped[str] = mapped_column(String(64))
    pr_number: Mapped[int | None]
    author: Mapped[str | None] = mapped_column(String(NAME))
    fingerprint: Mapped[str | None] = mapped_column(String(SHA))
    source: Mapped[str] = mapped_column(String(16))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # What the flakiness engine reads with each result (revision 0002; null before):
    # the failure's signature and class, and what its job attempt and the hour around
    # it said (``sheriff.core.flaky.ResultContext``).
    signature: Mapped[str | None] = mapped_column(String(512))
    failure_type: Mapped[str | None] = mapped_column(String(32))
    job_failed: Mapped[int | None]
    job_total: Mapped[int | None]
    job_shared: Mapped[int | None]
    job_infra: Mapped[bool | None]
    concurrent: Mapped[int | None]
