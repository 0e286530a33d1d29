"""The engine's upkeep on real DBOS, on SQLite and on PostgreSQL: the hourly prune deletes
finished workflows older than the retention with all their rows, never waiting or running
ones; the relay runs once per minute slot, and not at all without a relay."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from dbos import DBOS
from sqlalchemy import create_engine, text

from sheriff.adapters.engine import (
    PRUNE_SCHEDULE,
    RELAY_SCHEDULE,
    DurableEngine,
    EngineSettings,
    Enqueued,
    ServiceWork,
)
from sheriff.adapters.engine.schedules import slot_of
from sheriff.adapters.engine.upkeep import NoticeRelay, prune_finished_workflows
from sheriff.app.event_service import EventOutcome
from sheriff.app.notify_relay import RelayReport
from sheriff.app.webhook_events import EventRoute, WebhookEvent
from sheriff.errors import ConfigError, EngineError
from tests.adapters.engine.test_engine import (
    RecordingObserver,
    RecordingScans,
    event,
    settings_for,
    wait_until,
)
from tests.app.reconciler_doubles import IdleReconciler

DAY_MS = 86_400_000
PAYLOAD_TABLES = ("workflow_input", "workflow_output", "operation_outputs")


@dataclass
class HeldEvents:
    """Handles events at once, except those whose delivery id starts with ``held``: they
    wait until ``release`` is set."""

    release: threading.Event = field(default_factory=threading.Event)
    handled: list[str] = field(default_factory=list)

    def handle(self, item: WebhookEvent) -> EventOutcome:
        if item.delivery_id.startswith("held"):
            self.release.wait(30)
        self.handled.append(item.delivery_id)
        return EventOutcome(EventRoute.RECORD, "recorded")


@dataclass
class RecordingRelay:
    claimants: list[str] = field(default_factory=list)

    def relay(self, claimant: str) -> RelayReport:
        self.claimants.append(claimant)
        return RelayReport(0, 0, None)


@contextmanager
def running(
    settings: EngineSettings, events: HeldEvents, relay: NoticeRelay | None = None
) -> Iterator[DurableEngine]:
    work = ServiceWork(events, RecordingScans(), IdleReconciler(), relay=relay)
    with DurableEngine(settings, work, RecordingObserver()) as engine:
        yield engine


class EngineTables:
    """DBOS's tables, read and aged directly (its schema: ``dbos`` on PostgreSQL)."""

    def __init__(self, url: str) -> None:
        self._engine = create_engine(url)
        self._schema = "" if url.startswith("sqlite") else "dbos."

    def close(self) -> None:
        self._engine.dispose()

    def rows_of(self, table: str, workflow_id: str) -> int:
        column = "destination_uuid" if table == "notifications" else "workflow_uuid"
        query = f"SELECT COUNT(*) FROM {self._schema}{table} WHERE {column} = :id"
        with self._engine.connect() as connection:
            return int(connection.execute(text(query), {"id": workflow_id}).scalar_one())

    def age(self, workflow_id: str, days: int) -> None:
        """Make the workflow look created and finished ``days`` ago."""
        query = (
            f"UPDATE {self._schema}workflow_status SET created_at = created_at - :ms, "
            "completed_at = COALESCE(completed_at, created_at) - :ms WHERE workflow_uuid = :id"
        )
        with self._engine.begin() as connection:
            connection.execute(text(query), {"ms": days * DAY_MS, "id": workflow_id})


@pytest.fixture
def tables(engine_url: str) -> Iterator[EngineTables]:
    opened = EngineTables(engine_url)
    yield opened
    opened.close()


def status_of(workflow_id: str) -> str | None:
    found = DBOS.list_workflows(workflow_ids=[workflow_id], load_input=False, load_output=False)
    return found[0].status if found else None


def finished_runs_of(name: str) -> list[str]:
    found = DBOS.list_workflows(name=name, status="SUCCESS", load_input=False, load_output=False)
    return [status.workflow_id for status in found]


def test_the_prune_deletes_old_finished_workflows_with_their_rows_and_nothing_else(
    engine_url: str, tables: EngineTables, caplog: pytest.LogCaptureFixture
) -> None:
    events = HeldEvents()
    with running(settings_for(engine_url), events) as engine:
        for delivery in ("d-old", "d-new"):
            engine.enqueue(event(delivery, repo=f"acme/{delivery}"))
        wait_until(lambda: status_of("d-old") == status_of("d-new") == "SUCCESS")
        engine.enqueue(event("held-running", repo="acme/held"))  # PENDING while held
        wait_until(lambda: status_of("held-running") == "PENDING")
        engine.enqueue(event("held-waiting", repo="acme/held"))  # ENQUEUED behind it
        DBOS.send("d-old", "a message nobody read")  # a row that goes with the workflow
        assert all(tables.rows_of(table, "d-old") for table in (*PAYLOAD_TABLES, "notifications"))
        for workflow_id in ("d-old", "held-running", "held-waiting"):
            tables.age(workflow_id, days=20)  # the retention is 14 days

        with caplog.at_level(logging.INFO, logger="sheriff.engine"):
            engine.run_schedule_now(PRUNE_SCHEDULE)
            wait_until(lambda: len(finished_runs_of("sheriff.prune")) == 1)

        assert "pruned 1 finished workflow(s)" in caplog.text
        assert status_of("d-old") is None
        for table in (*PAYLOAD_TABLES, "notifications"):
            assert tables.rows_of(table, "d-old") == 0, table
        assert status_of("d-new") == "SUCCESS"
        assert tables.rows_of("operation_outputs", "d-new") > 0
        assert (status_of("held-running"), status_of("held-waiting")) == ("PENDING", "ENQUEUED")
        events.release.set()
        wait_until(lambda: status_of("held-waiting") == "SUCCESS")
        assert events.handled.count("held-running") == 1
        # Forgotten by the engine, a redelivery would be queued again: hence a retention of
        # at least the inbox's, which answers redeliveries first.
        assert engine.enqueue(event("d-new", repo="acme/d-new")) is Enqueued.DUPLICATE
        assert engine.enqueue(event("d-old", repo="acme/d-old")) is Enqueued.NEW


def test_a_finished_workflow_is_kept_at_least_as_long_as_a_schedule_slot() -> None:
    short = EngineSettings("sqlite://", "x", retention_seconds=86400.0)
    assert short.keep_finished_seconds == 72 * 3600  # the scan's slot
    assert EngineSettings("sqlite://", "x").keep_finished_seconds == 14 * 86400


def test_the_relay_runs_once_per_minute_slot_on_the_upkeep_queue(engine_url: str) -> None:
    relay = RecordingRelay()
    with running(settings_for(engine_url), HeldEvents(), relay) as engine:
        before = slot_of(datetime.now(UTC), 60)
        engine.run_schedule_now(RELAY_SCHEDULE)
        engine.run_schedule_now(RELAY_SCHEDULE)  # the same minute: nothing new
        wait_until(lambda: len(relay.claimants) >= 1)
        time.sleep(1.5)  # the queue's poll: a second relay of the slot would have run
        # The engine's own schedule may relay the next minute's slot meanwhile: every slot
        # up to now may appear, each once.
        after = slot_of(datetime.now(UTC), 60)
        slots = {f"relay:{slot}" for slot in range(before, after + 1)}
        assert len(relay.claimants) == len(set(relay.claimants)) <= len(slots)
        assert set(relay.claimants) <= slots


def test_without_a_relay_there_is_no_relay_schedule(engine_url: str) -> None:
    with running(settings_for(engine_url), HeldEvents(), RecordingRelay()):
        pass  # a first run with Slack on applies the schedule
    with running(settings_for(engine_url), HeldEvents()) as engine:
        with pytest.raises(EngineError):
            engine.run_schedule_now(RELAY_SCHEDULE)
        assert engine.run_schedule_now(PRUNE_SCHEDULE)


def test_the_prune_deletes_a_batch_at_a_time_up_to_its_most_batches(
    engine_url: str, tables: EngineTables
) -> None:
    events = HeldEvents()
    deliveries = [f"b-{number}" for number in range(5)]
    with running(settings_for(engine_url), events) as engine:
        for delivery in deliveries:
            engine.enqueue(event(delivery, repo=f"acme/{delivery}"))
        wait_until(lambda: all(status_of(delivery) == "SUCCESS" for delivery in deliveries))
        for delivery in deliveries:
            tables.age(delivery, days=20)
        cutoff = datetime.now(UTC) - timedelta(days=14)

        assert prune_finished_workflows(cutoff, batch=2, most_batches=1) == 2
        assert prune_finished_workflows(cutoff, batch=2) == 3  # 2 + 1: a short batch ends it
        assert [status_of(delivery) for delivery in deliveries] == [None] * 5


def test_the_engine_keeps_workflows_at_least_as_long_as_the_inbox_keeps_deliveries() -> None:
    from sheriff.config import load_settings
    from sheriff.entry.web.service import engine_settings_of

    with pytest.raises(ConfigError, match=r"engine_retention_days \(14\) must be at least"):
        load_settings(inbox_retention_days=30)
    with pytest.raises(ConfigError, match="engine_retention_days"):
        load_settings(engine_retention_days=0)
    settings = load_settings(engine_retention_days=30, inbox_retention_days=30)
    engine = engine_settings_of(settings, "sqlite://", process_queues=True)
    assert engine.retention_seconds == 30 * 86400
