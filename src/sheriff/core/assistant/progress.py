"""The one comment the assistant writes per request, edited in place as it works.

Its first line is Sheriff's hidden key marker, so a redelivered event finds it instead of
posting again, and its last line a hidden stage marker (``working`` until the answer is
in). The key of a request made in an issue or pull-request comment is ``reply:<id>``, the
same key the case discussion answers comments with: one comment gets one answer, whoever
writes it. Reviews, review comments and issue bodies have keys of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from sheriff.core.assistant.answer import safe_markdown
from sheriff.core.issues.comments import keyed_comment
from sheriff.core.issues.inline_markdown import html_text, safe_link

MAX_QUOTED_CHARS = 300
COMMENT_LIMIT = 60_000
_STAGE = re.compile(r"<!--[ \t]*sheriff:assistant=(?P<stage>[a-z]+)[ \t]*-->")


class MentionSource(StrEnum):
    """Where a mention was written."""

    ISSUE_COMMENT = "issue_comment"  # a comment on an issue or a pull request
    ISSUE_BODY = "issue_body"  # the body of an issue or a pull request
    REVIEW = "review"  # a pull request review's body
    REVIEW_COMMENT = "review_comment"  # a comment on a line of a pull request's diff


class Stage(StrEnum):
    WORKING = "working"
    DONE = "done"


_KEY_PREFIX = {
    MentionSource.ISSUE_COMMENT: "reply",
    MentionSource.ISSUE_BODY: "assist:body",
    MentionSource.REVIEW: "assist:review",
    MentionSource.REVIEW_COMMENT: "assist:review-comment",
}


def progress_key(source: MentionSource, source_id: int) -> str:
    """The key of the progress comment answering the text ``source_id`` of ``source``."""
    return f"{_KEY_PREFIX[source]}:{source_id}"


@dataclass(frozen=True, slots=True)
class ProgressNote:
    """Who asked what, for the comment's header."""

    key: str
    author: str
    request: str
    link: str | None = None  # the mention's URL


def render_working(note: ProgressNote, steps: tuple[str, ...], done: int) -> str:
    """The comment while Sheriff works: ``steps`` with the first ``done`` ticked."""
    ticks = [f"- [{'x' if index < done else ' '}] {step}" for index, step in enumerate(steps)]
    lines = [_header(note), "", "_Working on it…_", "", *ticks]
    return _body(note, "\n".join(lines), Stage.WORKING)


def render_final(note: ProgressNote, answer: str, footer: str) -> str:
    """The finished comment: the header, the answer (made safe here) and a small footer."""
    text = safe_markdown(answer)
    room = COMMENT_LIMIT - len(footer) - 400
    if len(text) > room:
        text = text[:room].rstrip() + "\n\n_(answer cut: too long for one comment)_"
    body = "\n".join([_header(note), "", text, "", f"<sub>{safe_markdown(footer)}</sub>"])
    return _body(note, body, Stage.DONE)


def stage_of(body: str) -> Stage | None:
    """The stage a progress comment records (None: not one, or an older format)."""
    found = None
    for match in _STAGE.finditer(body):
        found = match.group("stage")
    try:
        return Stage(found) if found else None
    except ValueError:
        return None


def _header(note: ProgressNote) -> str:
    request = " ".join(note.request.split())
    if len(request) > MAX_QUOTED_CHARS:
        request = request[: MAX_QUOTED_CHARS - 1].rstrip() + "…"
    link = safe_link(note.link) if note.link else None
    asked = f"[asked]({link})" if link else "asked"
    quoted = safe_markdown(request) or "(no question)"
    return f"> **{html_text(note.author)}** {asked}: {quoted}"


def _body(note: ProgressNote, text: str, stage: Stage) -> str:
    return keyed_comment(note.key, f"{text}\n<!-- sheriff:assistant={stage.value} -->").body
