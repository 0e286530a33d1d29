"""The @sheriff assistant behind the webhook service: a delivered text becomes a Mention."""

from __future__ import annotations

from sheriff.app.assistant import (
    AssistantOptions,
    AssistantStore,
    Mention,
    MirrorOpener,
    handle_mention,
)
from sheriff.app.event_service import ForgeOpener
from sheriff.app.llm import LLM
from sheriff.app.webhook_events import WebhookEvent
from sheriff.core.assistant.progress import MentionSource


class AssistantResponder:
    """Answers the mentions webhook events carry (idempotent, like ``handle_mention``)."""

    def __init__(
        self,
        options: AssistantOptions,
        open_forge: ForgeOpener,
        store: AssistantStore,
        *,
        llm: LLM | None = None,
        mirrors: MirrorOpener | None = None,
    ) -> None:
        self._options = options
        self._open_forge = open_forge
        self._store = store
        self._llm = llm
        self._mirrors = mirrors

    def respond(self, event: WebhookEvent) -> str | None:
        """What the assistant did with the event's text, or None when it carries none."""
        mention = mention_of(event)
        if mention is None:
            return None
        with self._open_forge(mention.repo) as forge:
            outcome = handle_mention(
                mention, forge, self._store, self._options, llm=self._llm, mirrors=self._mirrors
            )
        return f"assistant: {outcome.status.value}: {outcome.summary}"


def mention_of(event: WebhookEvent) -> Mention | None:
    text = event.text
    if text is None or event.repo is None or event.number is None:
        return None
    return Mention(
        repo=event.repo,
        number=event.number,
        source=MentionSource(text.source),
        source_id=text.source_id,
        body=text.body,
        author=event.sender,
        author_is_bot=event.sender_is_bot,
        is_pull_request=text.is_pull_request,
        delivery_id=event.delivery_id,
        html_url=text.html_url,
        path=text.path,
        line=text.line,
    )
