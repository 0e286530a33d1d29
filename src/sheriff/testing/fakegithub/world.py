"""The fake's whole state, built from a seed and guarded by one lock.

Route handlers run with ``world.lock`` held, so each request sees and leaves a
consistent world.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from itertools import count
from typing import Any

from sheriff.testing.fakegithub.api_errors import ApiError, not_found
from sheriff.testing.fakegithub.issue_desk import ensure_label, relabel
from sheriff.testing.fakegithub.jobs_build import build_jobs
from sheriff.testing.fakegithub.ratelimit import RateBudgets
from sheriff.testing.fakegithub.records import (
    ArtifactRecord,
    AttemptRecord,
    CommentRecord,
    IssueRecord,
    JobRecord,
    RepoRecord,
    RunRecord,
    WorkflowRecord,
)
from sheriff.testing.fakegithub.records_pulls import PullRecord
from sheriff.testing.fakegithub.seed_model import IssueSeed, RunAttemptSeed, Seed

Clock = Callable[[], datetime]
REPOS_CREATED = datetime(2016, 1, 4, 9, 30, tzinfo=UTC)


def system_clock() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class World:
    """Repositories, runs, jobs, issues and permissions, as the fake's API exposes them."""

    def __init__(
        self, seed: Seed, *, clock: Clock = system_clock, budgets: RateBudgets | None = None
    ) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self.budgets = budgets or RateBudgets()
        self.repos: dict[str, RepoRecord] = {}
        self.jobs: dict[int, JobRecord] = {}
        self.default_permissions = {
            login.lower(): role for login, role in seed.collaborators.items()
        }
        self.rerun_conclusion: str | None = None
        self.tokens: dict[str, str] = {}
        """token → login; shared with the server's auth policy (installation tokens)."""
        self.app_installations: dict[int, Any] = {}
        """installation id → ``routes_apps.AppInstallation``."""
        self._ids = {kind: count(start) for kind, start in _ID_STARTS.items()}
        for repo in seed.repos:
            self.add_repo(repo.full_name, repo.default_branch)
        for run in sorted(seed.runs, key=lambda run: (run.run_id, run.run_attempt)):
            self.add_run_attempt(run)
        for issue in seed.issues:
            self.add_seeded_issue(issue)

    def next_id(self, kind: str) -> int:
        return next(self._ids[kind])

    def add_repo(self, full_name: str, default_branch: str = "main") -> RepoRecord:
        owner, _, name = full_name.partition("/")
        now = self.clock()
        record = RepoRecord(
            self.next_id("repo"), owner, name, default_branch, min(now, REPOS_CREATED), now
        )
        self.repos[full_name.lower()] = record
        return record

    def repo(self, full_name: str) -> RepoRecord:
        record = self.repos.get(full_name.lower())
        if record is None:
            raise not_found()
        return record

    def run(self, repo: RepoRecord, run_id: int) -> RunRecord:
        record = repo.runs.get(run_id)
        if record is None:
            raise not_found()
        return record

    def job(self, repo: RepoRecord, job_id: int) -> JobRecord:
        record = self.jobs.get(job_id)
        if record is None or record.repo.lower() != repo.full_name.lower():
            raise not_found()
        return record

    def permission(self, repo: RepoRecord, login: str) -> str:
        """The role of ``login``: its own for this repo, the seed's, or read (public repo)."""
        key = login.lower()
        return repo.permissions.get(key) or self.default_permissions.get(key) or "read"

    def add_run_attempt(self, seed: RunAttemptSeed) -> RunRecord:
        """Add one attempt (the run itself with attempt 1); attempts come in order."""
        repo = self.repo(seed.repo)
        run = repo.runs.get(seed.run_id) or self._new_run(repo, seed)
        if seed.run_attempt != len(run.attempts) + 1:
            raise ValueError(f"run {seed.run_id}: attempt {seed.run_attempt} is out of order")
        attempt = AttemptRecord(
            number=seed.run_attempt,
            status="completed" if seed.conclusion else "in_progress",
            conclusion=seed.conclusion,
            started_at=seed.created_at,
            updated_at=seed.created_at,
            actor=seed.actor,
        )
        attempt.jobs = build_jobs(seed, attempt.started_at)
        attempt.updated_at = max(
            [attempt.started_at, *(job.completed_at for job in attempt.jobs if job.completed_at)]
        )
        for job in attempt.jobs:
            self.jobs[job.id] = job
        run.attempts.append(attempt)
        for artifact in seed.artifacts:
            run.artifacts.append(
                ArtifactRecord(
                    self.next_id("artifact"),
                    run.id,
                    artifact.name,
                    artifact.path,
                    None,
                    artifact.expired,
                    attempt.updated_at,
                )
            )
        return run

    def _new_run(self, repo: RepoRecord, seed: RunAttemptSeed) -> RunRecord:
        workflow = self._workflow(repo, seed)
        number = 1 + sum(1 for run in repo.runs.values() if run.workflow is workflow)
        run = RunRecord(
            id=seed.run_id,
            repo=repo.full_name,
            workflow=workflow,
            run_number=number,
            event=seed.event,
            head_sha=seed.head_sha,
            head_branch=seed.head_branch,
            pull_requests=list(seed.pull_requests),
            created_at=seed.created_at,
            display_title=seed.display_title or f"{workflow.name} on {seed.head_branch}",
        )
        repo.runs[run.id] = run
        for number in seed.pull_requests:
            self._ensure_pull_request(repo, number, run)
        return run

    def _workflow(self, repo: RepoRecord, seed: RunAttemptSeed) -> WorkflowRecord:
        found = repo.workflows.get(seed.workflow)
        if found is None:
            slug = re.sub(r"[^a-z0-9]+", "-", seed.workflow.lower()).strip("-") or "ci"
            path = seed.workflow_path or f".github/workflows/{slug}.yml"
            found = WorkflowRecord(
                self.next_id("workflow"), seed.workflow, path, seed.created_at, seed.created_at
            )
            repo.workflows[seed.workflow] = found
        return found

    def _ensure_pull_request(self, repo: RepoRecord, number: int, run: RunRecord) -> None:
        if number in repo.issues:
            return
        repo.issues[number] = IssueRecord(
            id=self.next_id("issue"),
            number=number,
            title=run.display_title,
            body=None,
            user=run.attempts[0].actor if run.attempts else "octocat",
            created_at=run.created_at,
            updated_at=run.created_at,
            is_pull_request=True,
            head_branch=run.head_branch,
        )
        base_sha = hashlib.sha1(f"base-{run.head_sha}".encode(), usedforsecurity=False)
        repo.pulls[number] = PullRecord(
            1_900_000_000 + number,
            number,
            run.head_branch,
            repo.default_branch,
            run.head_sha,
            base_sha.hexdigest(),
        )

    def add_seeded_issue(self, seed: IssueSeed) -> IssueRecord:
        repo = self.repo(seed.repo)
        created = seed.created_at or self.clock()
        issue = IssueRecord(
            id=self.next_id("issue"),
            number=seed.number,
            title=seed.title,
            body=seed.body,
            user=seed.user,
            created_at=created,
            updated_at=created,
            state=seed.state,
            state_reason=seed.state_reason,
            closed_at=created if seed.state == "closed" else None,
        )
        relabel(
            self, issue, [ensure_label(self, repo, name).name for name in seed.labels], seed.user
        )
        for event in issue.events:
            event.created_at = created
        for comment in seed.comments:
            when = comment.created_at or created
            issue.comments.append(
                CommentRecord(
                    self.next_id("comment"), seed.number, comment.body, comment.user, when, when
                )
            )
            issue.updated_at = max(issue.updated_at, when)
        repo.issues[seed.number] = issue
        return issue

    def check_rerunnable(self, run: RunRecord) -> list[JobRecord]:
        """The failed jobs of a completed run's latest attempt, or a 403 like GitHub's."""
        if run.latest.status != "completed":
            raise ApiError(403, "This workflow run is not completed yet and cannot be re-run.")
        failed = [
            job
            for job in run.latest.jobs
            if job.conclusion in {"failure", "cancelled", "timed_out"}
        ]
        if not failed:
            raise ApiError(403, "This workflow run has no failed jobs to re-run.")
        return failed


_ID_STARTS = {
    "repo": 600_000_001,
    "workflow": 7_000_001,
    "issue": 2_100_000_001,
    "comment": 3_100_000_001,
    "label": 5_100_000_001,
    "artifact": 1_400_000_001,
    "job": 41_000_000_001,
    "run": 90_000_000_001,
    "pull": 1_800_000_001,
    "review": 2_200_000_001,
    "review_comment": 1_700_000_001,
    "check_suite": 50_000_000_001,
    "status": 33_000_000_001,
    "event": 12_000_000_001,
}
