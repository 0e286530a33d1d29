"""Durable execution on DBOS: webhook events as workflows keyed by delivery id, a queue
partitioned by repository, scheduled scans and reconciles, and resuming dead workers' work.

    with DurableEngine(settings, work, observer) as engine:
        engine.enqueue(event)
"""

from sheriff.adapters.engine.engine import DurableEngine, Enqueued
from sheriff.adapters.engine.engine_settings import (
    EVENTS_QUEUE,
    RECONCILE_SCHEDULE,
    SCAN_SCHEDULE,
    EngineSettings,
)
from sheriff.adapters.engine.workflows import ProcessingObserver, ServiceWork

__all__ = [
    "EVENTS_QUEUE",
    "RECONCILE_SCHEDULE",
    "SCAN_SCHEDULE",
    "DurableEngine",
    "EngineSettings",
    "Enqueued",
    "ProcessingObserver",
    "ServiceWork",
]
