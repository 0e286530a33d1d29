"""The durable engine on real DBOS, on SQLite and on PostgreSQL: delivery ids make
enqueueing idempotent (across restarts too), one repository's events never overlap, the
schedules queue each slot's work once, and transient failures are retried."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import pytest

from sheriff.adapters.engine import (
    SCAN_SCHEDULE,
    DurableEngine,
    EngineSettings,
    Enqueued,
    ServiceWork,
)
from sheriff.app.event_service import EventOutcome
from sheriff.app.scan import ScanReport
from sheriff.app.webhook_events import EventRoute, WebhookEvent
from sheriff.errors import GitHubUnavailableError
from tests.app.reconciler_doubles import IdleReconciler


def event(delivery_id: str, repo: str = "acme/app") -> WebhookEvent:
    return WebhookEvent(
        delivery_id, "issues", "opened", repo, "alice", False, time.time(), number=1
    )


@dataclass
class RecordingEvents:
    """Handles events slowly, noting overlap per repository; ``failures`` first calls fail."""

    pause: float = 0.0
    failures: int = 0
    handled: list[str] = field(default_factory=list)
    active: Counter[str] = field(default_factory=Counter)
    most_at_once: Counter[str] = field(default_factory=Counter)
    most_overall: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, item: WebhookEvent) -> EventOutcome:
        repo = item.repo or "-"
        with self.lock:
            if self.failures:
                self.failures -= 1
                raise GitHubUnavailableError("GitHub answered 503", hint="wait")
            self.active[repo] += 1
            self.most_at_once[repo] = max(self.most_at_once[repo], self.active[repo])
            self.most_overall = max(self.most_overall, sum(self.active.values()))
        time.sleep(self.pause)
        with self.lock:
            self.active[repo] -= 1
            self.handled.append(item.delivery_id)
        return EventOutcome(EventRoute.RECORD, "recorded")


@dataclass
class RecordingScans:
    repos: list[str] = field(default_factory=list)

    def scan_repository(self, repo: str) -> ScanReport:
        self.repos.append(repo)
        return ScanReport(repo)


@dataclass
class RecordingObserver:
    processed: list[tuple[str, str]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def event_processed(self, event: str, route: str, seconds: float) -> None:
        self.processed.append((event, route))

    def event_failed(self, event: str, seconds: float) -> None:
        self.failed.append(event)


def settings_for(url: str, **changes: object) -> EngineSettings:
    base = EngineSettings(
        system_database_url=url,
        executor_id="test-executor",
        worker_concurrency=4,
        repo_concurrency=1,
        poll_seconds=0.05,
        heartbeat_seconds=0.5,
        dead_after_seconds=5.0,
        retry_pauses=(0.1, 0.1),
        shutdown_grace_seconds=0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


@contextmanager
def running(
    settings: EngineSettings, events: RecordingEvents, scans: RecordingScans | None = None
) -> Iterator[tuple[DurableEngine, RecordingObserver]]:
    observer = RecordingObserver()
    work = ServiceWork(events, scans or RecordingScans(), IdleReconciler())
    with DurableEngine(settings, work, observer) as engine:
        yield engine, observer


def wait_until(condition: Callable[[], bool], seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {seconds}s")
        time.sleep(0.05)


def test_a_delivery_is_queued_once_and_handled_once(engine_url: str) -> None:
    events = RecordingEvents()
    with running(settings_for(engine_url), events) as (engine, observer):
        assert engine.enqueue(event("d-1")) is Enqueued.NEW
        assert engine.enqueue(event("d-1")) is Enqueued.DUPLICATE
        wait_until(lambda: events.handled == ["d-1"])
        assert engine.enqueue(event("d-1")) is Enqueued.DUPLICATE  # also once it is done
        wait_until(lambda: observer.processed == [("issues", "record")])
        time.sleep(0.3)
        assert events.handled == ["d-1"]


def test_deliveries_are_remembered_across_a_restart(engine_url: str) -> None:
    events = RecordingEvents()
    with running(settings_for(engine_url), events) as (engine, _):
        engine.enqueue(event("d-2"))
        wait_until(lambda: events.handled == ["d-2"])
    with running(settings_for(engine_url, executor_id="another-process"), events) as (engine, _):
        assert engine.enqueue(event("d-2")) is Enqueued.DUPLICATE
        assert engine.enqueue(event("d-3")) is Enqueued.NEW
        wait_until(lambda: events.handled == ["d-2", "d-3"])


def test_one_repository_runs_one_event_at_a_time_while_repositories_run_in_parallel(
    engine_url: str,
) -> None:
    events = RecordingEvents(pause=0.3)
    with running(settings_for(engine_url), events) as (engine, _):
        for number in range(4):
            engine.enqueue(event(f"a-{number}", "acme/app"))
            engine.enqueue(event(f"b-{number}", "acme/lib"))
        assert engine.queue_depth() > 0
        wait_until(lambda: len(events.handled) == 8, seconds=30)
        wait_until(lambda: engine.queue_depth() == 0)
    assert events.most_at_once == Counter({"acme/app": 1, "acme/lib": 1})
    assert events.most_overall == 2


def test_a_transient_failure_is_retried_after_a_durable_sleep(engine_url: str) -> None:
    events = RecordingEvents(failures=2)
    with running(settings_for(engine_url), events) as (engine, observer):
        engine.enqueue(event("d-4"))
        wait_until(lambda: events.handled == ["d-4"])
        wait_until(lambda: observer.processed == [("issues", "record")])
        assert observer.failed == []


def test_an_event_that_keeps_failing_is_counted_as_failed(engine_url: str) -> None:
    events = RecordingEvents(failures=10)
    with running(settings_for(engine_url), events) as (engine, observer):
        engine.enqueue(event("d-5"))
        wait_until(lambda: observer.failed == ["issues"])
    assert events.handled == []


def test_the_scan_schedule_queues_each_repository_once_per_slot(engine_url: str) -> None:
    scans = RecordingScans()
    repos = ("acme/app", "acme/lib")
    settings = settings_for(engine_url, watched_repos=repos)
    with running(settings, RecordingEvents(), scans) as (engine, _):
        engine.run_schedule_now(SCAN_SCHEDULE)
        wait_until(lambda: sorted(scans.repos) == sorted(repos))
        engine.run_schedule_now(SCAN_SCHEDULE)  # the same 72-hour slot: nothing new
        time.sleep(1.0)
        wait_until(lambda: engine.queue_depth() == 0)
    assert sorted(scans.repos) == sorted(repos)


def test_the_engine_reports_itself_healthy_while_it_beats(engine_url: str) -> None:
    with running(settings_for(engine_url), RecordingEvents()) as (engine, _):
        assert engine.healthy()
        time.sleep(1.2)  # a few beats later
        assert engine.healthy()
    assert not engine.healthy()
