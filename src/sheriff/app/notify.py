"""The Notifier port and sending notices: routed to channels, idempotent, audited.

A ``Notifier`` posts one text to one channel (the adapter is
``sheriff.adapters.slack.SlackNotifier``). ``Notifications`` routes a ``Notice`` by its
paths and the repository's CODEOWNERS (``core.notify.channels_for``), posts it to each
channel it has not reached yet (the audit log remembers ``notify.post`` per key and
channel), and writes every post, and every failure, to the audit log. A failed post is
never an error for the caller: notices are best effort. Without a notifier (no Slack
configured) sending is a no-op that says so once in the log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from sheriff.app.forge import Forge
from sheriff.app.ports import AuditEvent, JournalStore
from sheriff.core.notify import (
    CODEOWNERS_PATHS,
    CodeOwners,
    Notice,
    NotifyRoutes,
    channels_for,
    parse_codeowners,
    slack_text,
)
from sheriff.errors import GitHubError, NotifyError

ACTOR = "sheriff-notify"
POSTED = "notify.post"
FAILED = "notify.failed"
SENT_LOOKBACK = 2000  # audit entries read to find what was already sent
log = logging.getLogger("sheriff.notify")


class Notifier(Protocol):
    """A chat service; every failure is a ``NotifyError``."""

    @property
    def name(self) -> str: ...

    def post(self, channel: str, text: str) -> str:
        """Post ``text`` to ``channel``; the message's id (Slack: its ``ts``)."""
        ...


@dataclass(frozen=True, slots=True)
class Delivery:
    channel: str
    status: str  # sent / already_sent / failed
    detail: str = ""


class Notifications:
    """Sends notices (see the module docstring)."""

    def __init__(
        self,
        notifier: Notifier | None,
        routes: NotifyRoutes,
        journal: JournalStore,
        *,
        logger: logging.Logger = log,
    ) -> None:
        self._notifier = notifier
        self._routes = routes
        self._journal = journal
        self._log = logger
        self._said_off = False

    @property
    def enabled(self) -> bool:
        return self._notifier is not None

    def send(self, notice: Notice, codeowners: CodeOwners | None = None) -> list[Delivery]:
        notifier = self._notifier
        if notifier is None:
            self._say_off()
            return []
        channels = channels_for(notice, self._routes, codeowners)
        if not channels:
            self._log.info("notice %s: no channel configured for it", notice.key)
            return []
        sent = self._already_sent(notice.repo)
        return [self._deliver(notifier, notice, channel, sent) for channel in channels]

    def _deliver(
        self, notifier: Notifier, notice: Notice, channel: str, sent: set[str]
    ) -> Delivery:
        key = f"notify:{notice.key}:{channel}"
        if key in sent:
            return Delivery(channel, "already_sent")
        details = {"channel": channel, "kind": notice.kind.value, "notifier": notifier.name}
        try:
            message_id = notifier.post(channel, slack_text(notice))
        except NotifyError as error:
            cause = f"could not notify {channel} of {notice.kind.value}: {notice.title}"
            failed: dict[str, object] = {
                **details,
                "key": notice.key,
                "error": error.message,
                "hint": error.hint,
            }
            self._audit(notice, FAILED, cause, failed, None)
            self._log.warning("notice %s to %s failed: %s", notice.key, channel, error)
            return Delivery(channel, "failed", error.message)
        self._audit(notice, POSTED, f"{notice.kind.value}: {notice.title}",
                    {**details, "message": message_id}, key)  # fmt: skip
        return Delivery(channel, "sent", message_id)

    def _already_sent(self, repo: str) -> set[str]:
        entries = self._journal.audit_log(repo=repo, action=POSTED, limit=SENT_LOOKBACK)
        return {entry.event.key for entry in entries if entry.event.key}

    def _audit(
        self, notice: Notice, action: str, cause: str, details: dict[str, object], key: str | None
    ) -> None:
        self._journal.append_audit(
            AuditEvent(
                ACTOR,
                action,
                cause[:500],
                repo=notice.repo,
                fingerprint=notice.fingerprint,
                details=details,
                key=key,
            )
        )

    def _say_off(self) -> None:
        if not self._said_off:
            self._log.info(
                "notifications are off: no Slack token configured (set SHERIFF_SLACK_BOT_TOKEN)"
            )
            self._said_off = True


def read_codeowners(forge: Forge) -> CodeOwners | None:
    """The CODEOWNERS file of the default branch (GitHub's three places, in its order), or
    None when there is none or it cannot be read (routing then ignores owners)."""
    for path in CODEOWNERS_PATHS:
        try:
            raw = forge.read_default_branch_file(path)
        except GitHubError as error:
            log.warning("CODEOWNERS at %s could not be read: %s", path, error)
            return None
        if raw is not None:
            return parse_codeowners(raw.decode("utf-8", "replace"))
    return None
