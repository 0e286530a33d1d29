"""The Forge port: what use cases ask of GitHub, and the plain records it answers with.

A Forge is bound to one watched repository: CI is read from ``read_repo``, issues live in
``write_repo`` (the same repository unless Sheriff is trialled in a fork). Reads use the
read credentials, changes the write credentials. The adapter is
``sheriff.adapters.github.GitHubForge``.

Listings that support conditional requests come back as a ``Listing``: when GitHub says
nothing changed since the listing was last *marked seen*, ``not_modified`` is true and
``items`` is empty. Call ``mark_seen(listing)`` once its items are safely stored, so a scan
killed midway sees the same listing again instead of a 304.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from sheriff.app.forge_pulls import PullRequestForge
from sheriff.app.ports import JobLog, JobRecord, JsonObject, RunAttemptRecord

T = TypeVar("T")

FAILED_CONCLUSIONS = frozenset({"failure", "timed_out", "cancelled", "startup_failure"})


class Permission(StrEnum):
    """A user's role on a repository, strongest first."""

    ADMIN = "admin"
    MAINTAIN = "maintain"
    WRITE = "write"
    TRIAGE = "triage"
    READ = "read"
    NONE = "none"

    def at_least(self, other: Permission) -> bool:
        order = list(Permission)
        return order.index(self) <= order.index(other)


@dataclass(frozen=True, slots=True)
class ListingCheckpoint:
    """The validators of a listing's first page, saved by ``Forge.mark_seen``."""

    url: str
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True, slots=True)
class Listing(Generic[T]):
    items: tuple[T, ...]
    not_modified: bool = False
    complete: bool = True  # False when the caller's stop condition (or a cap) ended it
    checkpoint: ListingCheckpoint | None = None


@dataclass(frozen=True, slots=True)
class ForgeRepository:
    full_name: str
    default_branch: str
    html_url: str | None = None
    private: bool = False
    archived: bool = False
    clone_url: str | None = None  # what ``git clone`` takes (https://, or file:// on the fake)


@dataclass(frozen=True, slots=True)
class RunQuery:
    """Which completed workflow runs to list; ``workflows`` are names or file names/paths."""

    branch: str | None = None
    event: str | None = None
    created_since: datetime | None = None
    conclusions: frozenset[str] = FAILED_CONCLUSIONS
    workflows: tuple[str, ...] = ()
    head_sha: str | None = None  # only the runs of this commit (a pull request's head)


@dataclass(frozen=True, slots=True)
class WorkflowRun:
    """One attempt of a workflow run, as GitHub describes it."""

    run_id: int
    attempt: int
    workflow: str
    workflow_path: str | None
    workflow_id: int | None
    run_number: int | None
    head_sha: str
    head_branch: str | None
    event: str
    status: str | None
    conclusion: str | None
    created_at: datetime
    started_at: datetime | None = None
    updated_at: datetime | None = None
    pull_requests: tuple[int, ...] = ()
    actor: str | None = None
    triggering_actor: str | None = None
    display_title: str | None = None
    html_url: str | None = None

    def as_attempt_record(self, repo: str) -> RunAttemptRecord:
        return RunAttemptRecord(
            repo=repo,
            run_id=self.run_id,
            attempt=self.attempt,
            workflow=self.workflow,
            head_sha=self.head_sha,
            head_branch=self.head_branch,
            event=self.event,
            created_at=self.created_at,
            conclusion=self.conclusion,
            started_at=self.started_at,
            pull_requests=self.pull_requests,
            workflow_id=self.workflow_id,
            actor=self.triggering_actor or self.actor,
            html_url=self.html_url,
        )


@dataclass(frozen=True, slots=True)
class JobStep:
    number: int
    name: str
    status: str | None
    conclusion: str | None
    started_at: datetime | None = None
    completed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class WorkflowJob:
    job_id: int
    run_id: int
    attempt: int
    name: str
    status: str | None
    conclusion: str | None
    runner_os: str | None = None  # Linux / Windows / macOS, read from the runner labels
    runner_labels: tuple[str, ...] = ()
    runner_name: str | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    steps: tuple[JobStep, ...] = ()
    html_url: str | None = None

    def as_job_record(self, repo: str) -> JobRecord:
        steps: tuple[JsonObject, ...] = tuple(
            {"number": step.number, "name": step.name, "conclusion": step.conclusion}
            for step in self.steps
        )
        return JobRecord(
            repo=repo,
            run_id=self.run_id,
            attempt=self.attempt,
            job_id=self.job_id,
            name=self.name,
            conclusion=self.conclusion,
            runner_os=self.runner_os,
            runner_labels=self.runner_labels,
            runner_name=self.runner_name,
            started_at=self.started_at,
            completed_at=self.completed_at,
            steps=steps,
            html_url=self.html_url,
        )


@dataclass(frozen=True, slots=True)
class Artifact:
    artifact_id: int
    name: str
    size_in_bytes: int
    expired: bool
    run_id: int | None = None
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ArtifactLimits:
    """Caps on a downloaded artifact (zip bombs); ``member_glob`` picks files to keep."""

    max_zip_bytes: int = 200 * 1024 * 1024
    max_entries: int = 10_000
    max_unzipped_bytes: int = 1024 * 1024 * 1024
    member_glob: str = "*.xml"


class ArtifactStatus(StrEnum):
    FETCHED = "fetched"
    EXPIRED = "expired"  # GitHub no longer keeps it (expired flag, 404 or 410)
    TOO_LARGE = "too_large"  # over a cap of ArtifactLimits: nothing kept
    INVALID = "invalid"  # not a readable zip, or a member with an unsafe path


@dataclass(frozen=True, slots=True)
class ArtifactFiles:
    artifact: Artifact
    status: ArtifactStatus
    paths: tuple[Path, ...] = ()
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class Issue:
    number: int
    title: str
    body: str
    state: str  # open / closed
    state_reason: str | None = None
    labels: tuple[str, ...] = ()
    author: str | None = None
    html_url: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    closed_at: datetime | None = None
    comment_count: int = 0
    is_pull_request: bool = False  # the issues API lists pull requests too
    author_is_bot: bool = False


@dataclass(frozen=True, slots=True)
class IssueComment:
    comment_id: int
    body: str
    author: str | None = None
    html_url: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    author_is_bot: bool = False  # a GitHub App or other bot account (Sheriff included)


@dataclass(frozen=True, slots=True)
class IssueChange:
    """Fields of an issue to change; ``None`` leaves a field as it is."""

    title: str | None = None
    body: str | None = None
    state: str | None = None  # open / closed
    state_reason: str | None = None  # completed / not_planned / reopened


StopCondition = Callable[[WorkflowRun], bool]


class Forge(PullRequestForge, Protocol):
    """GitHub as the use cases need it; every failure is a ``GitHubError``.

    Branches, pull requests, reviews, checks and issue events come from
    ``PullRequestForge`` (``sheriff.app.forge_pulls``).
    """

    @property
    def read_repo(self) -> str: ...
    @property
    def write_repo(self) -> str: ...

    # -- repository and CI (read_repo) ---------------------------------------------------
    def get_repository(self) -> ForgeRepository: ...
    def list_workflow_runs(
        self, query: RunQuery, *, stop_when: StopCondition | None = None
    ) -> Listing[WorkflowRun]: ...
    def list_run_attempts(self, run: WorkflowRun) -> list[WorkflowRun]: ...
    def get_run(self, run_id: int) -> WorkflowRun: ...  # as its latest attempt shows it
    def list_jobs(self, run_id: int, attempt: int) -> list[WorkflowJob]: ...
    def download_job_log(self, job_id: int, destination: Path) -> JobLog: ...
    def list_artifacts(self, run_id: int) -> list[Artifact]: ...
    def download_artifact_files(
        self, artifact: Artifact, destination: Path, limits: ArtifactLimits | None = None
    ) -> ArtifactFiles: ...
    def fetch_test_reports(
        self,
        run_id: int,
        name_glob: str,
        destination: Path,
        limits: ArtifactLimits | None = None,
    ) -> list[ArtifactFiles]: ...
    def read_default_branch_file(self, path: str) -> bytes | None: ...
    def rerun_failed_jobs(self, run_id: int) -> None: ...

    # -- issues (write_repo) ---------------------------------------------------------------
    def search_issues(
        self, terms: Sequence[str], *, state: str | None = None, limit: int = 50
    ) -> list[Issue]: ...
    def list_issues(
        self, *, labels: Collection[str] = (), state: str = "all"
    ) -> Listing[Issue]: ...
    def get_issue(self, number: int) -> Issue | None: ...
    def create_issue(self, title: str, body: str, labels: Collection[str] = ()) -> Issue: ...
    def update_issue(self, number: int, change: IssueChange) -> Issue: ...
    def add_labels(self, number: int, labels: Collection[str]) -> tuple[str, ...]: ...
    def remove_label(self, number: int, label: str) -> tuple[str, ...]: ...
    def list_comments(self, number: int) -> Listing[IssueComment]: ...
    def create_comment(self, number: int, body: str) -> IssueComment: ...
    def update_comment(self, comment_id: int, body: str) -> IssueComment: ...

    # -- people ------------------------------------------------------------------------------
    def authenticated_login(self) -> str: ...
    def permission_of(self, login: str) -> Permission: ...

    # -- conditional requests ------------------------------------------------------------------
    def mark_seen(self, listing: Listing[Any]) -> None: ...
