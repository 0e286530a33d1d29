"""Comments Sheriff posts, keyed so that two scans never post the same one twice.

Every Sheriff comment starts with a hidden key marker (``<!-- sheriff:comment=KEY -->``) on
its first line. Before posting, ``decide_comment`` looks for a comment with the same key:
a managed comment (one per case on a person's issue) is then edited in place when its
content changed; a one-off notice (such as "reopened because...") is never posted again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sheriff.core.issues.facts import CommentSnapshot
from sheriff.core.issues.issue_body import body_changed
from sheriff.core.issues.markers import comment_key_marker, comment_key_of

_KEY = re.compile(r"[A-Za-z0-9:._/-]{1,200}")


class CommentAction(StrEnum):
    POST = "post"
    EDIT = "edit"
    KEEP = "keep"  # already there and up to date (or a notice already posted)


@dataclass(frozen=True, slots=True)
class WantedComment:
    """A comment Sheriff wants on an issue; ``body`` starts with the key marker."""

    key: str
    body: str
    editable: bool = True  # False: a one-off notice, never edited once posted


@dataclass(frozen=True, slots=True)
class CommentDecision:
    action: CommentAction
    wanted: WantedComment
    comment_id: int | None = None  # the comment to edit, or the one already there


def managed_comment_key(fingerprint: str) -> str:
    return f"case:{fingerprint}"


def reopen_comment_key(fingerprint: str, run_id: int, attempt: int) -> str:
    return f"reopen:{fingerprint}:{run_id}.{attempt}"


def keyed_comment(key: str, text: str, *, editable: bool = True) -> WantedComment:
    """A comment whose first line is the key marker; keys use ``[A-Za-z0-9:._/-]``."""
    if not _KEY.fullmatch(key):
        raise ValueError(f"invalid comment key {key!r}: use 1-200 of A-Z a-z 0-9 : . _ / -")
    return WantedComment(key, f"{comment_key_marker(key)}\n{text}", editable)


def find_keyed_comment(
    comments: Sequence[CommentSnapshot], key: str, *, sheriff_login: str | None = None
) -> CommentSnapshot | None:
    """The oldest comment carrying ``key`` (written by Sheriff, when its login is known)."""
    return next(
        (
            comment
            for comment in sorted(comments, key=lambda item: item.id)
            if comment_key_of(comment.body) == key
            and (sheriff_login is None or comment.author.casefold() == sheriff_login.casefold())
        ),
        None,
    )


def decide_comment(
    wanted: WantedComment,
    comments: Sequence[CommentSnapshot],
    *,
    sheriff_login: str | None = None,
) -> CommentDecision:
    """Post, edit in place, or keep: never a second comment with the same key."""
    existing = find_keyed_comment(comments, wanted.key, sheriff_login=sheriff_login)
    if existing is None:
        return CommentDecision(CommentAction.POST, wanted)
    if wanted.editable and body_changed(existing.body, wanted.body):
        return CommentDecision(CommentAction.EDIT, wanted, existing.id)
    return CommentDecision(CommentAction.KEEP, wanted, existing.id)
