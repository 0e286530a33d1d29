"""What the durable engine needs to know, and the DBOS configuration built from it.

Built in ``entry/`` from Sheriff's Settings; nothing here reads the environment.
"""

from __future__ import annotations

from dataclasses import dataclass

from dbos import DBOSConfig
from sqlalchemy import Engine

APP_NAME = "sheriff"
EVENTS_QUEUE = "sheriff-events"
SCAN_SCHEDULE = "sheriff-scan"
RECONCILE_SCHEDULE = "sheriff-reconcile"
PRUNE_SCHEDULE = "sheriff-prune"
RELAY_SCHEDULE = "sheriff-relay"


@dataclass(frozen=True, slots=True)
class EngineSettings:
    """``process_queues`` false: this process only enqueues (a web tier in front of
    ``sheriff worker`` processes); it still fires schedules, which only enqueue."""

    system_database_url: str
    executor_id: str
    worker_concurrency: int = 16
    repo_concurrency: int = 1
    poll_seconds: float = 0.1
    process_queues: bool = True
    heartbeat_seconds: float = 5.0
    dead_after_seconds: float = 60.0  # > the longest GitHub request: see liveness
    scan_interval_seconds: int = 72 * 3600
    reconcile_interval_seconds: int = 3600
    watched_repos: tuple[str, ...] = ()
    retry_pauses: tuple[float, ...] = (5.0, 30.0, 120.0, 600.0)  # before each retry
    retention_seconds: float = 14 * 86400.0  # finished workflows are pruned after this
    shutdown_grace_seconds: int = 10  # events running at shutdown may finish (else resumed)
    application_version: str | None = None  # None: DBOS hashes the workflows' source
    log_level: str = "WARNING"

    @property
    def is_sqlite(self) -> bool:
        return self.system_database_url.startswith("sqlite")

    @property
    def keep_finished_seconds(self) -> float:
        """How long a finished workflow is kept: the retention, but never less than a
        schedule's slot (a slot's workflow id must outlive its slot)."""
        slots = (self.scan_interval_seconds, self.reconcile_interval_seconds)
        return max(self.retention_seconds, *slots)


def dbos_config(settings: EngineSettings, engine: Engine | None = None) -> DBOSConfig:
    """``engine``: a system-database engine of our own (the tuned SQLite one)."""
    config: DBOSConfig = {
        "name": APP_NAME,
        "system_database_url": settings.system_database_url,
        "executor_id": settings.executor_id,
        "log_level": settings.log_level,
        "notification_listener_polling_interval_sec": min(settings.poll_seconds, 1.0),
        "scheduler_polling_interval_sec": 30.0,
        "run_migrations": True,
    }
    if engine is not None:
        config["system_database_engine"] = engine
    if settings.application_version:
        config["application_version"] = settings.application_version
    return config
