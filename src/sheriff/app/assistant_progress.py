"""The assistant's one progress comment on the issue or pull request, edited in place.

It is found again by its key (``core.assistant.progress_key``): a finished one means the
mention was answered before (a redelivery, an edit, a retried step); a ``working`` one
left by a worker that died is taken over and finished. Reviews and review comments are
answered in the pull request's conversation, where a comment can be edited.
"""

from __future__ import annotations

from sheriff.app.assistant_records import Mention
from sheriff.app.forge import Forge, IssueComment
from sheriff.core.assistant import (
    AssistantAsk,
    ProgressNote,
    RequestKind,
    Stage,
    is_sheriff,
    progress_key,
    render_final,
    render_working,
    stage_of,
)
from sheriff.core.issues.markers import comment_key_of

ANSWER_STEPS = ("Read the request", "Gather the thread, CI failures and code", "Write the answer")
CHANGE_STEPS = (
    "Read the request",
    "Gather the thread, CI failures and code",
    "Make the change on a new branch",
    "Open a draft pull request",
)


class ProgressComment:
    def __init__(
        self, forge: Forge, number: int, note: ProgressNote, steps: tuple[str, ...], comment_id: int
    ) -> None:
        self._forge = forge
        self._number = number
        self._note = note
        self._steps = steps
        self.comment_id = comment_id

    @classmethod
    def open(
        cls, forge: Forge, mention: Mention, ask: AssistantAsk, own_login: str | None
    ) -> ProgressComment | None:
        """The progress comment for ``mention``, posted now or taken over; None when the
        mention was answered before."""
        key = progress_key(mention.source, mention.source_id)
        note = ProgressNote(key, mention.author or "someone", ask.text, mention.html_url)
        steps = CHANGE_STEPS if ask.kind is RequestKind.CHANGE else ANSWER_STEPS
        existing = _keyed(forge, mention.number, key, own_login)
        if existing is not None and stage_of(existing.body) is not Stage.WORKING:
            return None
        body = render_working(note, steps, 1)
        if existing is not None:
            return cls(forge, mention.number, note, steps, existing.comment_id)
        posted = forge.create_comment(mention.number, body)
        return cls(forge, mention.number, note, steps, posted.comment_id)

    def advance(self, done: int) -> None:
        """Tick the first ``done`` steps."""
        self._forge.update_comment(self.comment_id, render_working(self._note, self._steps, done))

    def finish(self, answer: str, footer: str) -> int:
        """Replace the progress with the answer; the comment's id."""
        self._forge.update_comment(self.comment_id, render_final(self._note, answer, footer))
        return self.comment_id


def _keyed(forge: Forge, number: int, key: str, own_login: str | None) -> IssueComment | None:
    """The oldest comment carrying ``key``, written by Sheriff when its login is known."""
    for comment in sorted(forge.list_comments(number).items, key=lambda item: item.comment_id):
        if comment_key_of(comment.body) != key:
            continue
        if own_login is None or is_sheriff(comment.author or "", own_login):
            return comment
    return None
