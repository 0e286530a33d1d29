"""The Forge's reviews, review comments and issue events, in the write repository."""

from __future__ import annotations

from sheriff.adapters.github.forge_core import ForgeCore
from sheriff.adapters.github.pull_payloads import (
    issue_event_from,
    review_comment_from,
    review_from,
)
from sheriff.app.forge_pulls import IssueEvent, Review, ReviewComment


class ReviewCalls(ForgeCore):
    def list_reviews(self, number: int) -> list[Review]:
        """Submitted reviews, oldest first (each with the head sha it reviewed)."""
        path = f"repos/{self.write_repo}/pulls/{number}/reviews"
        return list(self._listing(path, {}, review_from, conditional=False).items)

    def list_review_comments(self, number: int) -> list[ReviewComment]:
        """Every review comment of the pull request, replies included, oldest first."""
        path = f"repos/{self.write_repo}/pulls/{number}/comments"
        return list(self._listing(path, {}, review_comment_from, conditional=False).items)

    def reply_to_review_comment(self, number: int, comment_id: int, body: str) -> ReviewComment:
        """Reply in the thread of ``comment_id`` (GitHub files it under the thread's first
        comment)."""
        path = f"repos/{self.write_repo}/pulls/{number}/comments/{comment_id}/replies"
        return review_comment_from(self._write("POST", path, {"body": body}))

    def list_issue_events(self, number: int) -> list[IssueEvent]:
        """What happened to an issue or pull request and who did it, oldest first: who
        added a label, who closed, merged or reopened it."""
        path = f"repos/{self.write_repo}/issues/{number}/events"
        return list(self._listing(path, {}, issue_event_from, conditional=False).items)
