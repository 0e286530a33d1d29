"""The review loop: follow the fix pull request until it is merged or closed.

Feedback is what people and CI said since it was last handled: ``CHANGES_REQUESTED``
reviews and review comments from people (never bots or Sheriff), and failed check runs on
the pull request's head. Feedback is handled by a push after it, or by an update round
that started after it (even one that pushed nothing, so a failing round is not repeated
for the same feedback). Rounds are bounded per pull request; each review comment gets one
reply, once the case is back in PR_OPEN (so the reply can name the commit that addressed
it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sheriff.core.issues.markers import comment_key_of
from sheriff.core.lifecycle import notices
from sheriff.core.lifecycle.actions import (
    Action,
    AddressReview,
    CommentOnPullRequest,
    ReplyToReviewComment,
)
from sheriff.core.lifecycle.events import (
    ChangesPushed,
    ChangesRequested,
    ChecksFailed,
    PullRequestClosedUnmerged,
    PullRequestMerged,
    UpdateFailed,
    UpdateStarted,
)
from sheriff.core.lifecycle.facts import (
    CaseFacts,
    CheckRun,
    PullRequestFacts,
    Review,
    ReviewComment,
    aware,
    entered_at,
    later,
    not_before,
)
from sheriff.core.lifecycle.states import CaseState
from sheriff.core.lifecycle.steps import Step

S = CaseState


@dataclass(frozen=True, slots=True)
class Feedback:
    reviews: tuple[Review, ...] = ()
    comments: tuple[ReviewComment, ...] = ()
    failed_checks: tuple[CheckRun, ...] = ()

    @property
    def actionable(self) -> bool:
        """Whether it calls for a new commit (review comments alone get replies)."""
        return bool(self.reviews or self.failed_checks)


def handled_until(facts: CaseFacts, pr: PullRequestFacts) -> datetime:
    """Feedback up to this time was handled: by a push, or by a finished update round."""
    since = later(pr.created_at, pr.last_push_at) or aware(pr.created_at)
    ends = [
        aware(change.at)
        for change in facts.history
        if change.from_state is S.PR_UPDATING and change.to_state is S.PR_OPEN
    ]
    if not ends:
        return since
    starts = [
        aware(change.at)
        for change in facts.history
        if change.to_state is S.PR_UPDATING and aware(change.at) <= max(ends)
    ]
    return later(since, max(starts, default=None)) or since


def pending_feedback(facts: CaseFacts, pr: PullRequestFacts) -> Feedback:
    since = handled_until(facts, pr)
    reviews = tuple(
        review
        for review in pr.reviews
        if review.state == "CHANGES_REQUESTED"
        and facts.is_human(review.author)
        and aware(review.submitted_at) > since
    )
    comments = tuple(
        comment
        for comment in pr.review_comments
        if _from_person(facts, comment) and aware(comment.created_at) > since
    )
    checks = tuple(
        check
        for check in pr.check_runs
        if check.failed
        and check.head_sha == pr.head_sha
        and (check.completed_at is None or aware(check.completed_at) > since)
    )
    return Feedback(reviews, comments, checks)


def _from_person(facts: CaseFacts, comment: ReviewComment) -> bool:
    return facts.is_human(comment.author) and comment_key_of(comment.body) is None


def rounds_used(facts: CaseFacts, pr: PullRequestFacts) -> int:
    opened = aware(pr.created_at)
    return sum(
        1
        for change in facts.history
        if change.to_state is S.PR_NEEDS_CHANGES and aware(change.at) >= opened
    )


def pull_request_step(facts: CaseFacts) -> Step:
    pr = facts.pull_request
    if pr is None:
        return Step()
    if pr.merged:
        return Step(event=PullRequestMerged(pr.number))
    if not pr.open:
        return Step(event=PullRequestClosedUnmerged(pr.number))
    if facts.state is S.PR_NEEDS_CHANGES:
        return Step(event=UpdateStarted(pr.number, facts.now))
    if facts.state is S.PR_UPDATING:
        return _updating(facts, pr)
    return _open(facts, pr)


def _open(facts: CaseFacts, pr: PullRequestFacts) -> Step:
    feedback = pending_feedback(facts, pr)
    if not feedback.actionable:
        return Step()
    rounds = rounds_used(facts, pr)
    if rounds >= facts.settings.max_update_rounds:
        key = f"gave-up:{facts.fingerprint}:{pr.number}"
        if key in notices.sheriff_keys(facts, pr.comments):
            return Step()
        return Step((CommentOnPullRequest(pr.number, notices.keyed(key, notices.gave_up(rounds))),))
    if feedback.reviews:
        first = feedback.reviews[0]
        return Step(event=ChangesRequested(pr.number, first.id, first.author.login))
    names = tuple(sorted({check.name for check in feedback.failed_checks}))
    return Step(event=ChecksFailed(pr.number, pr.head_sha, names))


def _updating(facts: CaseFacts, pr: PullRequestFacts) -> Step:
    started = entered_at(facts, S.PR_UPDATING) or aware(facts.state_changed_at)
    if pr.last_push_at is not None and not_before(pr.last_push_at, started):
        return Step(event=ChangesPushed(pr.number, pr.head_sha))
    outcome = facts.update_outcome
    if outcome is not None and not_before(outcome.at, started):
        key = f"update-failed:{facts.fingerprint}:{pr.number}:{notices.stamp(outcome.at)}"
        actions: tuple[Action, ...] = ()
        if key not in notices.sheriff_keys(facts, pr.comments):
            text = notices.update_failed(outcome.reason)
            actions = (CommentOnPullRequest(pr.number, notices.keyed(key, text)),)
        return Step(actions, UpdateFailed(pr.number, outcome.reason, outcome.at))
    feedback = pending_feedback(facts, pr)
    address = AddressReview(
        pr.number, pr.head_ref, pr.head_sha, feedback.reviews, feedback.comments,
        feedback.failed_checks,
    )  # fmt: skip
    return Step((address,))


def review_replies(facts: CaseFacts) -> list[ReplyToReviewComment]:
    """One reply per review comment from a person, while the pull request is open and not
    being updated."""
    pr = facts.pull_request
    if pr is None or not pr.open or pr.merged or facts.state is not S.PR_OPEN:
        return []
    answered = _answered_review_comments(facts, pr)
    budget = facts.settings.max_replies_per_pull_request - len(answered)
    replies: list[ReplyToReviewComment] = []
    for comment in sorted(pr.review_comments, key=lambda item: item.id):
        if len(replies) >= budget:
            break
        if comment.id in answered or not _from_person(facts, comment):
            continue
        pushed = pr.last_push_at
        addressed = pushed is not None and aware(comment.created_at) < aware(pushed)
        key = notices.review_reply_key(comment.id)
        replies.append(
            ReplyToReviewComment(pr.number, comment, key, pr.head_sha if addressed else None)
        )
    return replies


def _answered_review_comments(facts: CaseFacts, pr: PullRequestFacts) -> set[int]:
    answered = set()
    for comment in pr.review_comments:
        key = comment_key_of(comment.body)
        mine = facts.is_sheriff(comment.author) or (facts.sheriff_login is None and key)
        if not mine:
            continue
        if comment.in_reply_to is not None:
            answered.add(comment.in_reply_to)
        if key and key.startswith("review-reply:") and key.split(":", 1)[1].isdigit():
            answered.add(int(key.split(":", 1)[1]))
    return answered
