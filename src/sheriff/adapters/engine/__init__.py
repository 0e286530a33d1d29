"""Durable execution on DBOS: webhook events as workflows keyed by delivery id, a queue
partitioned by repository, scheduled scans and reconciles, the engine's upkeep (pruning
finished workflows, relaying notices to chat), and resuming dead workers' work;
in front of it, the web tier's inbox of acknowledged deliveries and its forwarder.

    with DurableEngine(settings, work, observer) as engine:
        engine.enqueue(event)
"""

from sheriff.adapters.engine.engine import DurableEngine
from sheriff.adapters.engine.engine_settings import (
    EVENTS_QUEUE,
    PRUNE_SCHEDULE,
    RECONCILE_SCHEDULE,
    RELAY_SCHEDULE,
    SCAN_SCHEDULE,
    EngineSettings,
)
from sheriff.adapters.engine.enqueued import Enqueued
from sheriff.adapters.engine.forwarder import Forwarder
from sheriff.adapters.engine.inbox import Backlog, Inbox, InboxRow, InboxSettings
from sheriff.adapters.engine.upkeep import NoticeRelay
from sheriff.adapters.engine.workflows import ProcessingObserver, ServiceWork

__all__ = [
    "EVENTS_QUEUE",
    "PRUNE_SCHEDULE",
    "RECONCILE_SCHEDULE",
    "RELAY_SCHEDULE",
    "SCAN_SCHEDULE",
    "Backlog",
    "DurableEngine",
    "EngineSettings",
    "Enqueued",
    "Forwarder",
    "Inbox",
    "InboxRow",
    "InboxSettings",
    "NoticeRelay",
    "ProcessingObserver",
    "ServiceWork",
]
