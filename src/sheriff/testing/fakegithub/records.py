"""The fake's mutable state: repositories and what they hold.

Records are plain dataclasses guarded by the world's lock; payload builders turn them into
GitHub's JSON shapes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sheriff.testing.fakegithub.bare_git import BareRepository
from sheriff.testing.fakegithub.records_pulls import (
    CheckRunRecord,
    CheckSuiteRecord,
    IssueEventRecord,
    PullRecord,
    StatusRecord,
)


@dataclass
class WorkflowRecord:
    id: int
    name: str
    path: str
    created_at: datetime
    updated_at: datetime
    state: str = "active"


@dataclass
class StepRecord:
    number: int
    name: str
    status: str
    conclusion: str | None
    started_at: datetime | None
    completed_at: datetime | None


@dataclass
class JobRecord:
    id: int
    repo: str
    run_id: int
    attempt: int
    name: str
    status: str
    conclusion: str | None
    runner_os: str
    created_at: datetime
    started_at: datetime
    completed_at: datetime | None
    steps: list[StepRecord]
    log_path: Path | None = None
    log_text: bytes | None = None
    logs_expired: bool = False

    def log_bytes(self) -> bytes:
        if self.log_text is not None:
            return self.log_text
        return self.log_path.read_bytes() if self.log_path is not None else b""


@dataclass
class AttemptRecord:
    number: int
    status: str
    conclusion: str | None
    started_at: datetime
    updated_at: datetime
    actor: str
    jobs: list[JobRecord] = field(default_factory=list)


@dataclass
class ArtifactRecord:
    id: int
    run_id: int
    name: str
    path: Path | None
    content: bytes | None
    expired: bool
    created_at: datetime


@dataclass
class RunRecord:
    id: int
    repo: str
    workflow: WorkflowRecord
    run_number: int
    event: str
    head_sha: str
    head_branch: str
    pull_requests: list[int]
    created_at: datetime
    display_title: str
    attempts: list[AttemptRecord] = field(default_factory=list)
    artifacts: list[ArtifactRecord] = field(default_factory=list)

    @property
    def latest(self) -> AttemptRecord:
        return self.attempts[-1]

    def attempt(self, number: int) -> AttemptRecord | None:
        return self.attempts[number - 1] if 1 <= number <= len(self.attempts) else None


@dataclass
class LabelRecord:
    id: int
    name: str
    color: str
    description: str | None
    default: bool = False


@dataclass
class CommentRecord:
    id: int
    issue_number: int
    body: str
    user: str
    created_at: datetime
    updated_at: datetime


@dataclass
class IssueRecord:
    id: int
    number: int
    title: str
    body: str | None
    user: str
    created_at: datetime
    updated_at: datetime
    state: str = "open"
    state_reason: str | None = None
    labels: list[str] = field(default_factory=list)
    closed_at: datetime | None = None
    closed_by: str | None = None
    is_pull_request: bool = False
    head_branch: str = ""
    locked: bool = False
    comments: list[CommentRecord] = field(default_factory=list)
    events: list[IssueEventRecord] = field(default_factory=list)


@dataclass
class RepoRecord:
    id: int
    owner: str
    name: str
    default_branch: str
    created_at: datetime
    updated_at: datetime
    workflows: dict[str, WorkflowRecord] = field(default_factory=dict)
    runs: dict[int, RunRecord] = field(default_factory=dict)
    issues: dict[int, IssueRecord] = field(default_factory=dict)
    labels: dict[str, LabelRecord] = field(default_factory=dict)
    permissions: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    """Files on the default branch, by path, when no git repository backs this one."""
    git: BareRepository | None = None
    """The bare git repository behind this one, if any: files, branches, merges."""
    pulls: dict[int, PullRecord] = field(default_factory=dict)
    check_suites: dict[int, CheckSuiteRecord] = field(default_factory=dict)
    check_runs: dict[int, CheckRunRecord] = field(default_factory=dict)
    statuses: list[StatusRecord] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    def label(self, name: str) -> LabelRecord | None:
        return self.labels.get(name.lower())

    def next_issue_number(self) -> int:
        return max(self.issues, default=0) + 1
