"""What the planner asks the app to do now, as values (a dry run prints ``describe``).

The app executes a plan's actions in order and stops at the first that fails; the next
reconcile plans again from fresh facts. Actions whose text Sheriff writes without an LLM
carry that text (``CommentOnIssue``); the others name what the app must produce.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from sheriff.core.issues.comments import WantedComment
from sheriff.core.lifecycle.facts import CheckRun, Comment, FixStrategy, Review, ReviewComment
from sheriff.core.lifecycle.transitions import TransitionRecord


@dataclass(frozen=True, slots=True)
class PostAnalysis:
    """Build the context pack, analyse (LLM, else deterministic), render the managed comment
    with ``key`` and post it, or edit ``comment_id`` in place."""

    issue_number: int
    key: str
    comment_id: int | None = None

    def describe(self) -> str:
        verb = f"edit comment {self.comment_id}" if self.comment_id else "post"
        return f"analysis on #{self.issue_number}: {verb} ({self.key})"


@dataclass(frozen=True, slots=True)
class ReplyToComment:
    """Answer a person's comment, grounded in the context pack; the reply's first line is
    ``comment_key_marker(key)`` so it is never answered twice."""

    issue_number: int
    comment: Comment
    key: str

    def describe(self) -> str:
        return f"reply on #{self.issue_number} to @{self.comment.author.login} ({self.key})"


@dataclass(frozen=True, slots=True)
class CommentOnIssue:
    """Post a keyed comment (or edit ``comment_id``, for an editable one)."""

    issue_number: int
    comment: WantedComment
    comment_id: int | None = None

    def describe(self) -> str:
        verb = "edit" if self.comment_id else "post"
        return f"{verb} comment {self.comment.key} on #{self.issue_number}"


@dataclass(frozen=True, slots=True)
class CommentOnPullRequest:
    pull_request: int
    comment: WantedComment

    def describe(self) -> str:
        return f"post comment {self.comment.key} on pull request #{self.pull_request}"


@dataclass(frozen=True, slots=True)
class CloseIssue:
    issue_number: int
    reason: str = "completed"  # or not_planned

    def describe(self) -> str:
        return f"close #{self.issue_number} ({self.reason})"


@dataclass(frozen=True, slots=True)
class ReopenIssue:
    issue_number: int

    def describe(self) -> str:
        return f"reopen #{self.issue_number}"


@dataclass(frozen=True, slots=True)
class StartFix:
    """Lease a worktree at the head of ``base``, make the fix with ``strategy``, verify it,
    and commit it on ``branch`` in the mirror (or record why there is no fix)."""

    strategy: FixStrategy
    branch: str
    base: str
    issue_number: int | None

    def describe(self) -> str:
        return f"start a {self.strategy.value} fix on {self.branch} from {self.base}"


@dataclass(frozen=True, slots=True)
class PushFix:
    branch: str
    commit: str

    def describe(self) -> str:
        return f"push {self.commit[:7]} to {self.branch}"


@dataclass(frozen=True, slots=True)
class OpenPullRequest:
    """A draft pull request from ``branch`` to ``base`` that links the issue."""

    branch: str
    base: str
    issue_number: int | None
    strategy: FixStrategy | None

    def describe(self) -> str:
        return f"open a draft pull request {self.branch} -> {self.base}"


@dataclass(frozen=True, slots=True)
class AddressReview:
    """Run the agent on the pull request's branch with this feedback, push, and report."""

    pull_request: int
    branch: str
    head_sha: str
    reviews: tuple[Review, ...] = ()
    comments: tuple[ReviewComment, ...] = ()
    failed_checks: tuple[CheckRun, ...] = ()

    def describe(self) -> str:
        parts = [f"{len(self.reviews)} review(s)", f"{len(self.comments)} comment(s)"]
        parts.append(f"{len(self.failed_checks)} failed check(s)")
        return f"address feedback on #{self.pull_request}: {', '.join(parts)}"


@dataclass(frozen=True, slots=True)
class ReplyToReviewComment:
    """Answer a review comment in its thread; ``addressed_in`` is a commit pushed after it."""

    pull_request: int
    comment: ReviewComment
    key: str
    addressed_in: str | None = None

    def describe(self) -> str:
        return (
            f"reply on #{self.pull_request} to review comment {self.comment.id} "
            f"by @{self.comment.author.login}"
        )


@dataclass(frozen=True, slots=True)
class Transition:
    """Move the case (compare-and-set on ``record.from_state``) and audit it."""

    record: TransitionRecord

    def describe(self) -> str:
        record = self.record
        return f"{record.from_state.value} -> {record.to_state.value}: {record.cause}"


Action: TypeAlias = (
    PostAnalysis
    | ReplyToComment
    | CommentOnIssue
    | CommentOnPullRequest
    | CloseIssue
    | ReopenIssue
    | StartFix
    | PushFix
    | OpenPullRequest
    | AddressReview
    | ReplyToReviewComment
    | Transition
)
