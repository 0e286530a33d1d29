"""Repositories, workflow runs, run attempts and jobs, keyed by GitHub's ids."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sheriff.adapters.store.database import Database
from sheriff.adapters.store.lookups import repository_id
from sheriff.adapters.store.schema_base import clip
from sheriff.adapters.store.schema_runs import (
    NAME,
    JobRow,
    RepositoryRow,
    RunAttemptRow,
    WorkflowRunRow,
)
from sheriff.adapters.store.upsert import id_of, rows_matched, upsert
from sheriff.app.ports import JobLog, JobRecord, LogStatus, RepositoryRecord, RunAttemptRecord
from sheriff.errors import StoreError

RUN_KEY = ("repository_id", "github_run_id")
RUN_FIELDS = (
    "workflow_name",
    "workflow_id",
    "head_sha",
    "head_branch",
    "event",
    "pull_requests",
    "actor",
    "html_url",
    "created_at",
    "updated_at",
)
JOB_FIELDS = (
    "attempt_id",
    "name",
    "conclusion",
    "runner_os",
    "runner_labels",
    "runner_name",
    "started_at",
    "completed_at",
    "steps",
    "html_url",
    "updated_at",
)


class RunHistory:
    _db: Database

    def upsert_repository(self, repository: RepositoryRecord) -> None:
        row = {
            "full_name": repository.full_name,
            "default_branch": repository.default_branch,
            "read_repo": repository.read_repo or repository.full_name,
            "write_repo": repository.write_repo or repository.full_name,
            "updated_at": self._db.now(),
        }
        fields = ("default_branch", "read_repo", "write_repo", "updated_at")
        self._db.run(
            lambda session: upsert(session, RepositoryRow, [row], key=("full_name",), update=fields)
        )

    def upsert_run_attempt(self, attempt: RunAttemptRecord) -> None:
        self._db.run(lambda session: self._upsert_run_attempt(session, attempt))

    def _upsert_run_attempt(self, session: Session, attempt: RunAttemptRecord) -> None:
        now = self._db.now()
        run = run_row(attempt, repository_id(session, attempt.repo), now)
        upsert(session, WorkflowRunRow, [run], key=RUN_KEY, update=RUN_FIELDS)
        row = {
            "run_id": id_of(session, WorkflowRunRow, {column: run[column] for column in RUN_KEY}),
            "attempt": attempt.attempt,
            "conclusion": attempt.conclusion,
            "started_at": attempt.started_at,
            "updated_at": now,
        }
        upsert(
            session,
            RunAttemptRow,
            [row],
            key=("run_id", "attempt"),
            update=("conclusion", "started_at", "updated_at"),
        )

    def upsert_job(self, job: JobRecord) -> None:
        self._db.run(lambda session: self._upsert_job(session, job))

    def _upsert_job(self, session: Session, job: JobRecord) -> None:
        repo_id = repository_id(session, job.repo)
        row = job_row(job, repo_id, attempt_id_of(session, job), self._db.now())
        upsert(session, JobRow, [row], key=("repository_id", "github_job_id"), update=JOB_FIELDS)

    def record_job_log(self, repo: str, job_id: int, log: JobLog) -> None:
        def record(session: Session) -> None:
            changed = session.execute(
                update(JobRow)
                .where(
                    JobRow.repository_id == repository_id(session, repo),
                    JobRow.github_job_id == job_id,
                )
                .values(
                    log_status=log.status.value,
                    log_path=log.path,
                    log_size=log.size,
                    log_detail=clip(log.detail, 512),
                    updated_at=self._db.now(),
                )
            )
            if rows_matched(changed) == 0:
                raise missing_job(repo, job_id)

        self._db.run(record)

    def job_log_status(self, repo: str, job_id: int) -> LogStatus | None:
        query = (
            select(JobRow.log_status)
            .join(RepositoryRow, RepositoryRow.id == JobRow.repository_id)
            .where(RepositoryRow.full_name == repo, JobRow.github_job_id == job_id)
        )
        found = self._db.run(lambda session: session.execute(query).scalar_one_or_none())
        return None if found is None else LogStatus(found)


def run_row(attempt: RunAttemptRecord, repo_id: int, now: datetime) -> dict[str, Any]:
    return {
        "repository_id": repo_id,
        "github_run_id": attempt.run_id,
        "workflow_name": clip(attempt.workflow, NAME),
        "workflow_id": attempt.workflow_id,
        "head_sha": attempt.head_sha,
        "head_branch": attempt.head_branch,
        "event": attempt.event,
        "pull_requests": list(attempt.pull_requests),
        "actor": attempt.actor,
        "html_url": attempt.html_url,
        "created_at": attempt.created_at,
        "updated_at": now,
    }


def attempt_id_of(session: Session, job: JobRecord) -> int:
    query = (
        select(RunAttemptRow.id)
        .join(WorkflowRunRow, WorkflowRunRow.id == RunAttemptRow.run_id)
        .join(RepositoryRow, RepositoryRow.id == WorkflowRunRow.repository_id)
        .where(
            RepositoryRow.full_name == job.repo,
            WorkflowRunRow.github_run_id == job.run_id,
            RunAttemptRow.attempt == job.attempt,
        )
    )
    found = session.execute(query).scalar_one_or_none()
    if found is None:
        raise StoreError(
            f"attempt {job.attempt} of run {job.run_id} in {job.repo} is not in the store",
            hint="record it with upsert_run_attempt before its jobs (a bug in the caller)",
        )
    return found


def job_row(job: JobRecord, repo_id: int, attempt_id: int, now: datetime) -> dict[str, Any]:
    return {
        "repository_id": repo_id,
        "attempt_id": attempt_id,
        "github_job_id": job.job_id,
        "name": clip(job.name, NAME),
        "conclusion": job.conclusion,
        "runner_os": job.runner_os,
        "runner_labels": list(job.runner_labels),
        "runner_name": clip(job.runner_name, NAME),
        "started_at": job.started_at,
        "completed_at": job.completed_at,
        "steps": [dict(step) for step in job.steps],
        "html_url": job.html_url,
        "log_status": LogStatus.PENDING.value,
        "log_path": None,
        "log_size": None,
        "log_detail": None,
        "updated_at": now,
    }


def missing_job(repo: str, job_id: int) -> StoreError:
    return StoreError(
        f"job {job_id} of {repo} is not in the store",
        hint="record it with upsert_job first (a bug in the caller)",
    )
