"""Answering people on the case's issue: one answer per comment, never to bots or Sheriff.

A comment is answered by a Sheriff comment keyed ``reply:<id>``. Command comments
(``/ai-fix``) get a short notice (approved, refused, or what the case is doing); other
comments get a ``ReplyToComment`` the app writes from the context pack. On an issue a
person filed, only comments after Sheriff joined it are answered. The number of replies per
issue is bounded.
"""

from __future__ import annotations

from collections.abc import Sequence

from sheriff.core.issues.markers import comment_key_of
from sheriff.core.lifecycle import notices
from sheriff.core.lifecycle.actions import Action, CommentOnIssue, ReplyToComment
from sheriff.core.lifecycle.approval import approval_signals, find_command
from sheriff.core.lifecycle.facts import APPROVING_PERMISSIONS, CaseFacts, Comment, IssueFacts

REPLY_PREFIX = "reply:"


def answered_comments(facts: CaseFacts, planned: Sequence[Action] = ()) -> set[int]:
    """Ids of comments Sheriff answered, or is about to answer in ``planned``."""
    keys = set(notices.sheriff_keys(facts, facts.issue.comments if facts.issue else ()))
    keys |= {item.comment.key for item in planned if isinstance(item, CommentOnIssue)}
    keys |= {item.key for item in planned if isinstance(item, ReplyToComment)}
    return {
        int(key.removeprefix(REPLY_PREFIX))
        for key in keys
        if key.startswith(REPLY_PREFIX) and key.removeprefix(REPLY_PREFIX).isdigit()
    }


def issue_replies(facts: CaseFacts, planned: Sequence[Action] = ()) -> list[Action]:
    """The answers due on the case's issue, after what is already ``planned``."""
    issue = facts.issue
    if issue is None or not issue.open:
        return []
    answered = answered_comments(facts, planned)
    budget = facts.settings.max_replies_per_issue - len(answered)
    replies: list[Action] = []
    for comment in _answerable(facts, issue):
        if len(replies) >= budget:
            break
        if comment.id in answered:
            continue
        reply = _answer(facts, issue, comment)
        if reply is not None:
            replies.append(reply)
    return replies


def _answerable(facts: CaseFacts, issue: IssueFacts) -> list[Comment]:
    """People's comments Sheriff may answer, oldest first."""
    ordered = sorted(issue.comments, key=lambda item: item.id)
    if not issue.created_by_sheriff:
        first = next((c.id for c in ordered if _is_sheriffs(facts, c)), None)
        if first is None:
            return []
        ordered = [comment for comment in ordered if comment.id > first]
    return [c for c in ordered if facts.is_human(c.author) and not _is_sheriffs(facts, c)]


def _is_sheriffs(facts: CaseFacts, comment: Comment) -> bool:
    """Written by Sheriff: its login, or its hidden key marker (never answered either way)."""
    return facts.is_sheriff(comment.author) or comment_key_of(comment.body) is not None


def _answer(facts: CaseFacts, issue: IssueFacts, comment: Comment) -> Action | None:
    key = notices.reply_key(comment.id)
    settings = facts.settings
    if find_command(comment.body, settings.command) is None:
        return ReplyToComment(issue.number, comment, key) if settings.discussion else None
    permission = facts.permission_of(comment.author.login)
    if permission is None:
        return None  # the app checks it first (actors_to_check)
    login = comment.author.login
    if permission in APPROVING_PERMISSIONS:
        text = notices.command_not_applicable(login, facts)
    else:
        text = notices.approval_refused(
            login, permission, settings.command, settings.approval_label
        )
    return CommentOnIssue(issue.number, notices.keyed(key, text))


def label_refusals(facts: CaseFacts) -> list[Action]:
    """A notice when someone without write permission added the approval label."""
    issue = facts.issue
    if issue is None or not issue.open:
        return []
    posted = notices.sheriff_keys(facts, issue.comments)
    notices_due: list[Action] = []
    for signal in approval_signals(facts):
        permission = facts.permission_of(signal.actor.login)
        if signal.via != "label" or permission is None or permission in APPROVING_PERMISSIONS:
            continue
        key = f"label-refused:{facts.fingerprint}:{notices.stamp(signal.at)}"
        if key in posted:
            continue
        settings = facts.settings
        text = notices.approval_refused(
            signal.actor.login, permission, settings.command, settings.approval_label
        )
        notices_due.append(CommentOnIssue(issue.number, notices.keyed(key, text)))
    return notices_due
