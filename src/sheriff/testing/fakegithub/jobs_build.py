"""Jobs and their steps for one run attempt, timed from the job's own log when it can be.

A GitHub Actions log line starts with an ISO 8601 timestamp; the first and last of them
give the job's duration. The steps are GitHub's frame around the work: "Set up job",
checkout, the command that decided the job, "Complete job". A seed may name its own steps.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

from sheriff.testing.fakegithub.records import JobRecord, StepRecord
from sheriff.testing.fakegithub.seed_fields import parse_timestamp
from sheriff.testing.fakegithub.seed_model import JobSeed, RunAttemptSeed, StepSeed

_STAMP = re.compile(rb"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)")
_PROBE_BYTES = 8192
_DEFAULT_DURATION = timedelta(minutes=2)
RUNNER_LABELS = {"Linux": "ubuntu-latest", "Windows": "windows-latest", "macOS": "macos-latest"}


def build_jobs(seed: RunAttemptSeed, started_at: datetime) -> list[JobRecord]:
    jobs: list[JobRecord] = []
    for index, job in enumerate(seed.jobs):
        start = started_at + timedelta(seconds=3 + index)
        duration = _log_duration(job.log) if job.log else None
        end = start + (duration or _DEFAULT_DURATION) if job.conclusion else None
        jobs.append(
            JobRecord(
                id=job.job_id,
                repo=seed.repo,
                run_id=seed.run_id,
                attempt=seed.run_attempt,
                name=job.name,
                status="completed" if job.conclusion else "in_progress",
                conclusion=job.conclusion,
                runner_os=job.runner_os,
                created_at=started_at,
                started_at=start,
                completed_at=end,
                steps=build_steps(job, start, end),
                log_path=job.log,
                logs_expired=job.logs_expired,
            )
        )
    return jobs


def build_steps(job: JobSeed, start: datetime, end: datetime | None) -> list[StepRecord]:
    """The seed's steps, or GitHub's usual frame with the job's outcome on the third step."""
    named = job.steps or _default_steps(job.conclusion)
    finish = end or start
    share = (finish - start) / max(len(named), 1)
    steps: list[StepRecord] = []
    for number, step in enumerate(named, start=1):
        begun = start + share * (number - 1)
        done = step.conclusion is not None
        steps.append(
            StepRecord(
                number=number,
                name=step.name,
                status="completed" if done else "in_progress",
                conclusion=step.conclusion,
                started_at=begun,
                completed_at=begun + share if done else None,
            )
        )
    return steps


def _default_steps(conclusion: str | None) -> tuple[StepSeed, ...]:
    if conclusion is None:
        return (StepSeed("Set up job", "success"), StepSeed("Run actions/checkout@v4", None))
    after = "success" if conclusion == "success" else "skipped"
    return (
        StepSeed("Set up job", "success"),
        StepSeed("Run actions/checkout@v4", "success"),
        StepSeed("Run the job's commands", conclusion),
        StepSeed("Post Run actions/checkout@v4", after),
        StepSeed("Complete job", "success"),
    )


def _log_duration(path: Path) -> timedelta | None:
    """Time between the first and last timestamped lines, reading only both ends."""
    try:
        with path.open("rb") as stream:
            head = stream.read(_PROBE_BYTES)
            size = stream.seek(0, 2)
            stream.seek(max(0, size - _PROBE_BYTES))
            tail = stream.read()
    except OSError:
        return None
    first, last = _STAMP.search(head), _STAMP.findall(tail)
    if first is None or not last:
        return None
    try:
        span = parse_timestamp(last[-1].decode()) - parse_timestamp(first.group(1).decode())
    except ValueError:
        return None
    return max(span, timedelta(seconds=1))
