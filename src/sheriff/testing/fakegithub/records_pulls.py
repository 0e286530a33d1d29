"""Records of pull requests, reviews, checks, commit statuses and issue events.

A pull request is an issue (``IssueRecord`` with ``is_pull_request``: title, body, state,
labels, comments) plus a ``PullRecord`` holding what only pull requests have.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class ReviewRecord:
    id: int
    user: str
    state: str  # APPROVED / CHANGES_REQUESTED / COMMENTED / DISMISSED
    body: str
    commit_id: str
    submitted_at: datetime


@dataclass
class ReviewCommentRecord:
    id: int
    review_id: int
    user: str
    body: str
    path: str
    line: int | None
    commit_id: str
    diff_hunk: str
    created_at: datetime
    updated_at: datetime
    in_reply_to_id: int | None = None
    side: str = "RIGHT"


@dataclass
class PullRecord:
    """``head_sha`` is the head branch's sha when last seen; ``base_sha`` the base's at
    merge or close time (while open, the base branch's current head is served)."""

    id: int
    number: int
    head_ref: str
    base_ref: str
    head_sha: str
    base_sha: str
    draft: bool = False
    maintainer_can_modify: bool = True
    merged_at: datetime | None = None
    merged_by: str | None = None
    merge_commit_sha: str | None = None
    reviews: list[ReviewRecord] = field(default_factory=list)
    review_comments: list[ReviewCommentRecord] = field(default_factory=list)

    @property
    def merged(self) -> bool:
        return self.merged_at is not None


@dataclass
class CheckSuiteRecord:
    id: int
    head_sha: str
    head_branch: str | None
    app: str  # the App's slug: ``github-actions`` for workflow runs
    created_at: datetime


@dataclass
class CheckRunRecord:
    id: int
    suite_id: int
    name: str
    head_sha: str
    app: str
    status: str  # queued / in_progress / completed
    conclusion: str | None
    started_at: datetime
    completed_at: datetime | None = None
    details_url: str | None = None
    html_url: str | None = None
    external_id: str | None = None
    title: str | None = None
    summary: str | None = None
    text: str | None = None
    workflow_run_id: int | None = None
    """For a GitHub Actions job: its workflow run (the check run id is the job id)."""


@dataclass
class StatusRecord:
    id: int
    sha: str
    state: str  # error / failure / pending / success
    context: str
    description: str | None
    target_url: str | None
    creator: str
    created_at: datetime


@dataclass
class IssueEventRecord:
    """An entry of ``GET /issues/{n}/events``: who labelled, closed, merged..."""

    id: int
    event: str
    actor: str
    created_at: datetime
    label: str | None = None
    commit_id: str | None = None
    state_reason: str | None = None
