"""Reviews and review comments on pull requests, with GitHub's 422s.

A review comment sits on a line of the pull request's diff (the new side); each single
comment or reply comes with its own COMMENTED review, as on GitHub. A reply to a reply
joins the thread of the first comment.
"""

from __future__ import annotations

import re

from sheriff.testing.fakegithub import pull_desk
from sheriff.testing.fakegithub.api_errors import ApiError, not_found, validation_failed
from sheriff.testing.fakegithub.git_history import changed_files
from sheriff.testing.fakegithub.pull_desk import PullInRepo
from sheriff.testing.fakegithub.records import RepoRecord
from sheriff.testing.fakegithub.records_pulls import (
    PullRecord,
    ReviewCommentRecord,
    ReviewRecord,
)
from sheriff.testing.fakegithub.world import World

REVIEW_EVENTS = {
    "APPROVE": "APPROVED",
    "REQUEST_CHANGES": "CHANGES_REQUESTED",
    "COMMENT": "COMMENTED",
}
_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)


def add_review(world: World, at: PullInRepo, user: str, state: str, body: str = "") -> ReviewRecord:
    """A submitted review (APPROVED / CHANGES_REQUESTED / COMMENTED) of the current head."""
    if state not in REVIEW_EVENTS.values():
        raise validation_failed("PullRequestReview", "event", "invalid")
    if state != "COMMENTED" and user.lower() == at.issue.user.lower():
        verb = "approve" if state == "APPROVED" else "request changes on"
        raise _unprocessable(f"Review Can not {verb} your own pull request")
    if state == "CHANGES_REQUESTED" and not body.strip():
        raise _unprocessable("Review body is required for this event")
    commit = pull_desk.head_sha(world, at)
    review = ReviewRecord(world.next_id("review"), user, state, body, commit, world.clock())
    at.pull.reviews.append(review)
    at.issue.updated_at = review.submitted_at
    return review


def add_review_comment(
    world: World, at: PullInRepo, user: str, body: str, *, path: str, line: int
) -> ReviewCommentRecord:
    """A new thread on ``path`` at ``line`` of the head (a line the diff shows)."""
    if not body.strip():
        raise validation_failed("PullRequestReviewComment", "body", "missing_field")
    commit = pull_desk.head_sha(world, at)
    hunk = _hunk(at.repo, pull_desk.base_sha(at), commit, path, line)
    review = _comment_review(world, at.pull, user, commit)
    now = world.clock()
    comment = ReviewCommentRecord(
        world.next_id("review_comment"), review.id, user, body, path, line, commit, hunk, now, now
    )
    at.pull.review_comments.append(comment)
    at.issue.updated_at = now
    return comment


def reply(
    world: World, at: PullInRepo, user: str, comment_id: int, body: str
) -> ReviewCommentRecord:
    """A reply in the thread of review comment ``comment_id``."""
    pull = at.pull
    if not body.strip():
        raise validation_failed("PullRequestReviewComment", "body", "missing_field")
    parent = find_review_comment(pull, comment_id)
    root = find_review_comment(pull, parent.in_reply_to_id or parent.id)
    review = _comment_review(world, pull, user, root.commit_id)
    now = world.clock()
    comment = ReviewCommentRecord(
        world.next_id("review_comment"),
        review.id,
        user,
        body,
        root.path,
        root.line,
        root.commit_id,
        root.diff_hunk,
        now,
        now,
        in_reply_to_id=root.id,
    )
    pull.review_comments.append(comment)
    at.issue.updated_at = now
    return comment


def find_review_comment(pull: PullRecord, comment_id: int) -> ReviewCommentRecord:
    for comment in pull.review_comments:
        if comment.id == comment_id:
            return comment
    raise not_found()


def _comment_review(world: World, pull: PullRecord, user: str, commit: str) -> ReviewRecord:
    review = ReviewRecord(world.next_id("review"), user, "COMMENTED", "", commit, world.clock())
    pull.reviews.append(review)
    return review


def _hunk(repo: RepoRecord, base: str, head: str, path: str, line: int) -> str:
    """The diff hunk up to ``line``; 422 when the diff does not show that line."""
    if repo.git is None:
        return f"@@ -{line},1 +{line},1 @@"
    fork = repo.git.merge_base(base, head) or base
    patch = next((f.patch for f in changed_files(repo.git, fork, head) if f.filename == path), None)
    if patch is None:
        raise _unprocessable("pull_request_review_thread.path could not be resolved")
    for found in _HUNK.finditer(patch):
        start, length = int(found.group(1)), int(found.group(2) or 1)
        if start <= line < start + length:
            return _hunk_until(patch[found.start() :], start, line)
    raise _unprocessable("pull_request_review_thread.line must be part of the diff")


def _hunk_until(hunk: str, start: int, line: int) -> str:
    lines = hunk.split("\n")
    kept, number = [lines[0]], start - 1
    for text in lines[1:]:
        kept.append(text)
        number += 0 if text.startswith("-") else 1
        if number >= line:
            break
    return "\n".join(kept)


def _unprocessable(message: str) -> ApiError:
    return ApiError(422, "Unprocessable Entity", errors=[message])
