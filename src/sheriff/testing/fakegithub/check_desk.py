"""Check suites, check runs and commit statuses of a commit.

Workflow runs are check suites of the ``github-actions`` App and their jobs its check
runs (a check run's id is its job's id, as on GitHub), so a seeded or added run attempt
shows in the Checks API of its head sha. Other check runs are created through the API by
a GitHub App (an installation token, acting as ``<slug>[bot]``) or by ``complete_checks``.
"""

from __future__ import annotations

import re
from typing import Any

from sheriff.testing.fakegithub.api_errors import ApiError, validation_failed
from sheriff.testing.fakegithub.records import AttemptRecord, RepoRecord, RunRecord
from sheriff.testing.fakegithub.records_pulls import (
    CheckRunRecord,
    CheckSuiteRecord,
    StatusRecord,
)
from sheriff.testing.fakegithub.world import World

ACTIONS_APP = "github-actions"
SUITE_OFFSET = 9_000_000_000  # a workflow run's check suite id, as payload_actions says
STATUSES = ("queued", "in_progress", "completed")
CONCLUSIONS = frozenset(
    {
        "action_required",
        "cancelled",
        "failure",
        "neutral",
        "success",
        "skipped",
        "stale",
        "timed_out",
    }
)
WORST_FIRST = (
    "failure",
    "timed_out",
    "cancelled",
    "action_required",
    "startup_failure",
    "stale",
    "neutral",
    "success",
    "skipped",
)
STATUS_STATES = ("error", "failure", "pending", "success")
_SHA = re.compile(r"[0-9a-f]{40}")


def resolve_ref(repo: RepoRecord, ref: str) -> str:
    """The commit ``ref`` names: a sha, a branch or a tag; 422 like GitHub otherwise."""
    if repo.git is not None:
        found = repo.git.resolve(ref)
    elif _SHA.fullmatch(ref):
        found = ref
    else:
        runs = sorted(repo.runs.values(), key=lambda run: run.created_at)
        found = next((run.head_sha for run in reversed(runs) if run.head_branch == ref), None)
    if found is None:
        raise ApiError(422, f"No commit found for SHA: {ref}")
    return found


def check_runs_for(repo: RepoRecord, sha: str) -> list[CheckRunRecord]:
    """The latest check run of each name in each suite of ``sha``, oldest first."""
    stored = [run for run in repo.check_runs.values() if run.head_sha == sha]
    latest: dict[tuple[int, str], CheckRunRecord] = {}
    for run in sorted(stored, key=lambda run: run.id):
        latest[(run.suite_id, run.name)] = run
    jobs = [job for run in repo.runs.values() if run.head_sha == sha for job in _job_runs(run)]
    return sorted([*latest.values(), *jobs], key=lambda run: (run.started_at, run.id))


def find_check_run(world: World, repo: RepoRecord, check_run_id: int) -> CheckRunRecord:
    """A check run by id: one created through the API, or a workflow job's."""
    found = repo.check_runs.get(check_run_id)
    if found is not None:
        return found
    job = world.jobs.get(check_run_id)
    if job is None or job.repo.lower() != repo.full_name.lower():
        raise ApiError(404, "Not Found")
    run = repo.runs[job.run_id]
    return next(item for item in _job_runs(run, run.attempts[job.attempt - 1]) if item.id == job.id)


def _job_runs(run: RunRecord, attempt: AttemptRecord | None = None) -> list[CheckRunRecord]:
    return [
        CheckRunRecord(
            id=job.id,
            suite_id=run.id + SUITE_OFFSET,
            name=job.name,
            head_sha=run.head_sha,
            app=ACTIONS_APP,
            status=job.status,
            conclusion=job.conclusion,
            started_at=job.started_at,
            completed_at=job.completed_at,
            workflow_run_id=run.id,
        )
        for job in (attempt or run.latest).jobs
    ]


def check_suites_for(repo: RepoRecord, sha: str) -> list[CheckSuiteRecord]:
    stored = [suite for suite in repo.check_suites.values() if suite.head_sha == sha]
    derived = [
        CheckSuiteRecord(run.id + SUITE_OFFSET, sha, run.head_branch, ACTIONS_APP, run.created_at)
        for run in repo.runs.values()
        if run.head_sha == sha
    ]
    return sorted([*stored, *derived], key=lambda suite: suite.id)


def suite_outcome(runs: list[CheckRunRecord]) -> tuple[str, str | None]:
    """A suite's status and conclusion from its check runs: the worst conclusion wins."""
    if not runs:
        return "queued", None
    if any(run.status != "completed" for run in runs):
        started = any(run.status != "queued" for run in runs)
        return ("in_progress" if started else "queued"), None
    found = {run.conclusion for run in runs}
    return "completed", next((name for name in WORST_FIRST if name in found), "success")


def create_check_run(
    world: World, repo: RepoRecord, app: str, fields: dict[str, Any]
) -> CheckRunRecord:
    name, sha = fields.get("name"), fields.get("head_sha")
    if not isinstance(name, str) or not name.strip():
        raise validation_failed("CheckRun", "name", "missing_field")
    if not isinstance(sha, str) or not sha:
        raise validation_failed("CheckRun", "head_sha", "missing_field")
    sha = resolve_ref(repo, sha)
    suite = _suite(world, repo, sha, app)
    run = CheckRunRecord(
        world.next_id("job"), suite.id, name, sha, app, "queued", None, world.clock()
    )
    repo.check_runs[run.id] = run
    update_check_run(world, run, fields)
    return run


def update_check_run(world: World, run: CheckRunRecord, fields: dict[str, Any]) -> None:
    """Apply ``fields`` (status, conclusion, details_url, external_id, output, name)."""
    status, conclusion = fields.get("status"), fields.get("conclusion")
    if status is not None and status not in STATUSES:
        raise validation_failed("CheckRun", "status", "invalid")
    if conclusion is not None and conclusion not in CONCLUSIONS:
        raise validation_failed("CheckRun", "conclusion", "invalid")
    if status == "completed" and conclusion is None and run.conclusion is None:
        raise validation_failed("CheckRun", "conclusion", "missing_field")
    for key in ("name", "details_url", "external_id"):
        if isinstance(fields.get(key), str):
            setattr(run, key, fields[key])
    output = fields.get("output")
    if isinstance(output, dict):
        run.title, run.summary = output.get("title"), output.get("summary")
        run.text = output.get("text")
    if conclusion is not None:
        run.status, run.conclusion, run.completed_at = "completed", conclusion, world.clock()
    elif status is not None:
        run.status = status


def _suite(world: World, repo: RepoRecord, sha: str, app: str) -> CheckSuiteRecord:
    for suite in repo.check_suites.values():
        if (suite.head_sha, suite.app) == (sha, app):
            return suite
    branch = branch_at(repo, sha)
    suite = CheckSuiteRecord(world.next_id("check_suite"), sha, branch, app, world.clock())
    repo.check_suites[suite.id] = suite
    return suite


def branch_at(repo: RepoRecord, sha: str) -> str | None:
    """A branch whose head is ``sha``, if any."""
    if repo.git is None:
        return None
    return next((name for name, head in repo.git.branches().items() if head == sha), None)


def add_status(
    world: World, repo: RepoRecord, sha: str, user: str, fields: dict[str, Any]
) -> StatusRecord:
    state = fields.get("state")
    if state not in STATUS_STATES:
        raise validation_failed("Status", "state", "invalid")
    context = fields.get("context") or "default"
    status = StatusRecord(
        world.next_id("status"),
        resolve_ref(repo, sha),
        str(state),
        str(context),
        fields.get("description"),
        fields.get("target_url"),
        user,
        world.clock(),
    )
    repo.statuses.append(status)
    return status


def latest_statuses(repo: RepoRecord, sha: str) -> list[StatusRecord]:
    """The newest status of each context for ``sha``."""
    latest: dict[str, StatusRecord] = {}
    for status in repo.statuses:
        if status.sha == sha:
            latest[status.context] = status
    return sorted(latest.values(), key=lambda status: status.id, reverse=True)


def combined_state(statuses: list[StatusRecord]) -> str:
    states = {status.state for status in statuses}
    if states & {"error", "failure"}:
        return "failure"
    return "pending" if not states or "pending" in states else "success"
