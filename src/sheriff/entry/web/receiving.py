"""Wiring of the web tier's webhook inbox: its settings, the inbox and its forwarder
running beside the durable engine, and what /healthz and /metrics ask of them."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sheriff.config import Settings

if TYPE_CHECKING:
    from sheriff.adapters.engine import DurableEngine, Forwarder, Inbox, InboxSettings
    from sheriff.entry.web.web_app import InboxProbe

INBOX_FILE = "sheriff-inbox.sqlite"


@dataclass(frozen=True, slots=True)
class WebhookInbox:
    """The web tier's inbox and the thread that forwards it to the engine's queue."""

    inbox: Inbox
    forwarder: Forwarder


def inbox_settings_of(settings: Settings) -> InboxSettings:
    from sheriff.adapters.engine import InboxSettings

    path = settings.inbox_path
    if path is None:
        from sheriff.entry.scan_command import data_dir_of

        path = data_dir_of(settings) / INBOX_FILE
    return InboxSettings(
        path=path,
        synchronous="FULL" if settings.inbox_synchronous == "full" else "NORMAL",
        retention_seconds=settings.inbox_retention_days * 86400,
        stuck_after_seconds=settings.inbox_stuck_after_seconds,
    )


@contextmanager
def running_inbox(settings: InboxSettings, engine: DurableEngine) -> Iterator[WebhookInbox]:
    """The inbox, open, and its forwarder into ``engine``, running; at the end the forwarder
    moves what it can within a few seconds and the inbox finishes its writes."""
    from sheriff.adapters.engine import Forwarder, Inbox

    inbox = Inbox(settings)
    inbox.open()
    forwarder = Forwarder(inbox, engine.enqueue)
    try:
        forwarder.start()
        yield WebhookInbox(inbox, forwarder)
    finally:
        forwarder.stop()
        inbox.close()


def inbox_probe(receiving: WebhookInbox) -> InboxProbe:
    from sheriff.entry.web.metrics import InboxGauges
    from sheriff.entry.web.web_app import InboxProbe

    def gauges() -> InboxGauges:
        backlog = receiving.inbox.backlog()
        age = backlog.oldest_age(time.time())
        return InboxGauges(backlog.depth, age, receiving.forwarder.forwarded)

    return InboxProbe(gauges, receiving.forwarder.problem)
