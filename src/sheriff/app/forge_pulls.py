"""The Forge's pull-request side: branches, pull requests, reviews, checks and issue
history, as the case lifecycle needs them (fix branch → draft pull request → CI and
reviews → merged or closed).

All of it lives in the Forge's ``write_repo``, where fixes are pushed. People carry
``*_is_bot`` (GitHub's ``user.type`` is ``Bot``, or the login ends in ``[bot]``), so
callers can ignore bots and Sheriff itself. ``sheriff.app.forge.Forge`` includes
``PullRequestForge``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class MergeMethod(StrEnum):
    MERGE = "merge"
    SQUASH = "squash"
    REBASE = "rebase"


@dataclass(frozen=True, slots=True)
class PullRequest:
    number: int
    title: str
    body: str
    state: str  # open / closed (a merged pull request is closed and ``merged``)
    draft: bool
    merged: bool
    head_ref: str
    head_sha: str
    base_ref: str
    base_sha: str
    author: str | None = None
    author_is_bot: bool = False
    html_url: str | None = None
    labels: tuple[str, ...] = ()
    mergeable: bool | None = None  # None: unknown (listings, closed, still computing)
    mergeable_state: str | None = None  # clean / dirty / draft / unstable / blocked ...
    merge_commit_sha: str | None = None
    merged_by: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    closed_at: datetime | None = None
    merged_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class NewPullRequest:
    """A pull request to open from ``head`` (a branch of the write repository) into ``base``."""

    title: str
    head: str
    base: str
    body: str = ""
    draft: bool = False


@dataclass(frozen=True, slots=True)
class PullRequestChange:
    """Fields of a pull request to change; ``None`` leaves a field as it is."""

    title: str | None = None
    body: str | None = None
    state: str | None = None  # open / closed
    base: str | None = None


@dataclass(frozen=True, slots=True)
class PullRequestFile:
    filename: str
    status: str  # added / removed / modified / renamed ...
    additions: int
    deletions: int
    patch: str | None = None  # the diff hunks; None for binary or very large files


@dataclass(frozen=True, slots=True)
class Review:
    review_id: int
    state: str  # APPROVED / CHANGES_REQUESTED / COMMENTED / DISMISSED / PENDING
    body: str
    author: str | None
    author_is_bot: bool
    commit_id: str | None  # the head the review was written against
    submitted_at: datetime | None
    html_url: str | None = None


@dataclass(frozen=True, slots=True)
class ReviewComment:
    comment_id: int
    body: str
    path: str
    line: int | None  # None when the line is no longer in the diff (outdated)
    author: str | None
    author_is_bot: bool
    commit_id: str | None
    in_reply_to: int | None = None  # the thread's first comment, for a reply
    review_id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    html_url: str | None = None

    @property
    def thread_id(self) -> int:
        """The id of the thread's first comment (replies go to it)."""
        return self.in_reply_to if self.in_reply_to is not None else self.comment_id


@dataclass(frozen=True, slots=True)
class CheckRun:
    check_run_id: int
    name: str
    head_sha: str
    status: str  # queued / in_progress / completed ...
    conclusion: str | None  # success / failure / neutral / cancelled / timed_out ...
    details_url: str | None = None
    html_url: str | None = None
    app: str | None = None  # the App's slug: github-actions for workflow jobs
    check_suite_id: int | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    title: str | None = None
    summary: str | None = None


@dataclass(frozen=True, slots=True)
class CheckRunReport:
    """A check run to create, or the new state of one (creating needs GitHub App
    credentials: GitHub lets only Apps write check runs)."""

    name: str
    head_sha: str
    status: str = "completed"  # queued / in_progress / completed
    conclusion: str | None = None  # required once completed
    details_url: str | None = None
    external_id: str | None = None
    title: str | None = None
    summary: str | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class CommitStatus:
    context: str
    state: str  # error / failure / pending / success
    description: str | None = None
    target_url: str | None = None
    creator: str | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CombinedStatus:
    """The commit statuses of a ref (the older API beside check runs)."""

    sha: str
    state: str  # failure / pending / success (pending also when there are none)
    statuses: tuple[CommitStatus, ...] = ()


@dataclass(frozen=True, slots=True)
class IssueEvent:
    """What happened to an issue or pull request, and who did it (labeled, closed...)."""

    event_id: int
    event: str  # labeled / unlabeled / closed / reopened / merged / head_ref_deleted ...
    actor: str | None
    actor_is_bot: bool
    created_at: datetime | None = None
    label: str | None = None  # for labeled / unlabeled
    commit_id: str | None = None


class PullRequestForge(Protocol):
    """Branches, pull requests, reviews and checks of the write repository."""

    # -- branches ------------------------------------------------------------------------------
    def default_branch_head(self) -> str: ...
    def branch_head(self, branch: str) -> str | None: ...
    def delete_branch(self, branch: str) -> bool: ...

    # -- pull requests -------------------------------------------------------------------------
    def create_pull_request(self, new: NewPullRequest) -> PullRequest: ...
    def get_pull_request(self, number: int) -> PullRequest | None: ...
    def list_pull_requests(
        self, *, state: str = "open", head: str | None = None, base: str | None = None
    ) -> list[PullRequest]: ...
    def update_pull_request(self, number: int, change: PullRequestChange) -> PullRequest: ...
    def merge_pull_request(
        self,
        number: int,
        *,
        head_sha: str | None = None,
        method: MergeMethod = MergeMethod.MERGE,
        title: str | None = None,
        message: str | None = None,
    ) -> str: ...
    def list_pull_request_files(self, number: int) -> list[PullRequestFile]: ...

    # -- reviews -------------------------------------------------------------------------------
    def list_reviews(self, number: int) -> list[Review]: ...
    def list_review_comments(self, number: int) -> list[ReviewComment]: ...
    def reply_to_review_comment(self, number: int, comment_id: int, body: str) -> ReviewComment: ...

    # -- checks --------------------------------------------------------------------------------
    def list_check_runs(self, ref: str) -> list[CheckRun]: ...
    def create_check_run(self, report: CheckRunReport) -> CheckRun: ...
    def update_check_run(self, check_run_id: int, report: CheckRunReport) -> CheckRun: ...
    def combined_status(self, ref: str) -> CombinedStatus: ...

    # -- issue history -------------------------------------------------------------------------
    def list_issue_events(self, number: int) -> list[IssueEvent]: ...
