"""The forwarder from a real inbox into the real durable engine (SQLite and PostgreSQL):
acknowledged deliveries are processed once, also when the process died between queueing
a delivery and marking it forwarded, and when it died before forwarding at all; while the
queue is unreachable the deliveries wait and /healthz is told."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from sheriff.adapters.engine import Enqueued, Forwarder, Inbox, InboxSettings
from sheriff.app.webhook_events import WebhookEvent
from sheriff.errors import EngineError
from tests.adapters.engine.test_engine import (
    RecordingEvents,
    event,
    running,
    settings_for,
    wait_until,
)


def received(delivery_id: str, at: float) -> WebhookEvent:
    return replace(event(delivery_id), received_at=at)


@contextmanager
def opened(settings: InboxSettings) -> Iterator[Inbox]:
    inbox = Inbox(settings)
    inbox.open()
    try:
        yield inbox
    finally:
        inbox.close()


@pytest.fixture
def inbox_settings(tmp_path: Path) -> InboxSettings:
    return InboxSettings(tmp_path / "inbox.sqlite", poll_seconds=0.1)


def test_acknowledged_deliveries_are_forwarded_and_processed_once(
    engine_url: str, inbox_settings: InboxSettings
) -> None:
    events = RecordingEvents()
    with running(settings_for(engine_url), events) as (engine, _), opened(inbox_settings) as inbox:
        forwarder = Forwarder(inbox, engine.enqueue)
        forwarder.start()
        try:
            ids = [f"f-{number}" for number in range(5)]
            for delivery_id in ids:
                assert inbox.submit(event(delivery_id)).result(10) is Enqueued.NEW
            assert inbox.submit(event("f-0")).result(10) is Enqueued.DUPLICATE
            wait_until(lambda: sorted(events.handled) == ids)
            wait_until(lambda: inbox.backlog().depth == 0)
            assert forwarder.problem() is None
        finally:
            forwarder.stop()
        assert forwarder.forwarded == 5
        assert forwarder.already_queued == 0
    time.sleep(0.2)
    assert sorted(events.handled) == ids


def test_a_crash_between_queueing_and_marking_does_not_process_twice(
    engine_url: str, inbox_settings: InboxSettings
) -> None:
    events = RecordingEvents()
    with opened(inbox_settings) as inbox:
        inbox.submit(event("crash-1")).result(10)
        inbox.submit(event("crash-2")).result(10)
    with running(settings_for(engine_url), events) as (engine, _):
        # The previous process queued crash-1, then died before marking it forwarded.
        assert engine.enqueue(event("crash-1")) is Enqueued.NEW
        wait_until(lambda: events.handled == ["crash-1"])
    with (
        running(settings_for(engine_url, executor_id="restarted"), events) as (engine, _),
        opened(inbox_settings) as inbox,
    ):
        forwarder = Forwarder(inbox, engine.enqueue)
        assert inbox.backlog().depth == 2  # both still look unforwarded
        assert forwarder.forward_pending() == 2
        assert forwarder.already_queued == 1  # crash-1: the queue already had it
        wait_until(lambda: sorted(events.handled) == ["crash-1", "crash-2"])
        assert inbox.backlog().depth == 0
        time.sleep(0.5)
    assert sorted(events.handled) == ["crash-1", "crash-2"]


def test_deliveries_acknowledged_before_a_crash_are_forwarded_by_the_next_start(
    engine_url: str, inbox_settings: InboxSettings
) -> None:
    with opened(inbox_settings) as inbox:  # acknowledged, then the process died
        for number in range(3):
            inbox.submit(event(f"before-{number}")).result(10)
    events = RecordingEvents()
    with running(settings_for(engine_url), events) as (engine, _), opened(inbox_settings) as inbox:
        forwarder = Forwarder(inbox, engine.enqueue)
        forwarder.start()
        try:
            wait_until(lambda: len(events.handled) == 3)
        finally:
            forwarder.stop()
    assert sorted(events.handled) == [f"before-{number}" for number in range(3)]


def test_while_the_queue_is_unreachable_deliveries_wait_and_health_says_why(
    tmp_path: Path,
) -> None:
    now = [1000.0]
    reachable = [False]
    forwarded: list[str] = []

    def forward(item: WebhookEvent) -> Enqueued:
        if not reachable[0]:
            raise EngineError("could not queue: the engine database is unreachable")
        forwarded.append(item.delivery_id)
        return Enqueued.NEW

    settings = InboxSettings(tmp_path / "inbox.sqlite", stuck_after_seconds=30, poll_seconds=0.05)
    with opened(settings) as inbox:
        forwarder = Forwarder(inbox, forward, clock=lambda: now[0])
        assert forwarder.problem() == "the inbox forwarder is not running"
        forwarder.start()
        try:
            inbox.submit(received("waiting", now[0])).result(10)
            with pytest.raises(EngineError):
                forwarder.forward_pending()
            assert forwarder.problem() is None  # not waiting long yet
            now[0] += 31
            wait_until(lambda: forwarder.last_error is not None)
            problem = forwarder.problem()
            assert problem is not None
            assert "waited 31 s" in problem
            assert "unreachable" in problem
            reachable[0] = True
            wait_until(lambda: forwarded == ["waiting"], seconds=10)
            wait_until(lambda: forwarder.problem() is None)
        finally:
            forwarder.stop()


def test_an_unreadable_row_is_dropped_and_does_not_block_the_others(
    inbox_settings: InboxSettings,
) -> None:
    forwarded: list[str] = []

    def forward(item: WebhookEvent) -> Enqueued:
        forwarded.append(item.delivery_id)
        return Enqueued.NEW

    with opened(inbox_settings) as inbox:
        inbox.submit(received("broken", 1.0)).result(10)
        inbox.submit(received("fine", 2.0)).result(10)
        with sqlite3.connect(inbox.path) as vandal:
            vandal.execute("UPDATE deliveries SET event_json = '[' WHERE delivery_id = 'broken'")
        forwarder = Forwarder(inbox, forward)
        assert forwarder.forward_pending() == 2
        assert forwarded == ["fine"]
        assert inbox.backlog().depth == 0
