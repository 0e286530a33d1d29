"""Changes to workflow runs: re-running failed jobs, finishing an attempt, expiring logs."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from sheriff.testing.fakegithub.jobs_build import build_steps
from sheriff.testing.fakegithub.records import AttemptRecord, JobRecord, RunRecord
from sheriff.testing.fakegithub.seed_model import JobSeed
from sheriff.testing.fakegithub.world import World


def rerun_failed_jobs(world: World, run: RunRecord, actor: str) -> AttemptRecord:
    """A new queued attempt holding a fresh copy of each failed job, as GitHub makes one.

    With ``world.rerun_conclusion`` set, the attempt finishes at once with that outcome.
    """
    failed = world.check_rerunnable(run)
    now = world.clock()
    attempt = AttemptRecord(
        number=len(run.attempts) + 1,
        status="queued",
        conclusion=None,
        started_at=now,
        updated_at=now,
        actor=actor,
    )
    for job in failed:
        copy = replace(
            job,
            id=world.next_id("job"),
            attempt=attempt.number,
            status="queued",
            conclusion=None,
            created_at=now,
            started_at=now,
            completed_at=None,
            steps=[],
        )
        attempt.jobs.append(copy)
        world.jobs[copy.id] = copy
    run.attempts.append(attempt)
    if world.rerun_conclusion is not None:
        finish_attempt(world, run, world.rerun_conclusion)
    return attempt


def finish_attempt(
    world: World, run: RunRecord, conclusion: str, logs: dict[str, bytes | Path] | None = None
) -> AttemptRecord:
    """Complete the latest attempt: every unfinished job ends with ``conclusion``.

    ``logs`` maps job names to new log content (bytes or a file); other jobs keep the log
    of the attempt they were copied from.
    """
    attempt = run.latest
    now = world.clock()
    for job in attempt.jobs:
        if job.status == "completed":
            continue
        job.status, job.conclusion = "completed", conclusion
        job.started_at, job.completed_at = now, now + timedelta(minutes=2)
        _replace_log(job, (logs or {}).get(job.name))
        shape = JobSeed(job.id, job.name, conclusion, job.runner_os, None)
        job.steps = build_steps(shape, job.started_at, job.completed_at)
    attempt.status, attempt.conclusion = "completed", conclusion
    attempt.updated_at = now + timedelta(minutes=2)
    return attempt


def _replace_log(job: JobRecord, log: bytes | Path | None) -> None:
    if isinstance(log, Path):
        job.log_path, job.log_text = log, None
    elif log is not None:
        job.log_path, job.log_text = None, log
