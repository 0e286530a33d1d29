"""``sheriff serve`` runs the events in a worker process of its own: a worker that dies is
started again and the work goes on; a killed ``sheriff serve`` leaves no worker behind;
``--in-process`` keeps everything in one process; ``/metrics`` shows the worker's
processing."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.exc import OperationalError

from sheriff.entry.web.metrics import processing_families
from sheriff.entry.web.worker_child import WorkerChild, WorkerChildOptions
from tests.app.scan_world import REPO
from tests.entry.web.service_world import ServiceWorld, fake_github, wait_until
from tests.entry.web.test_serve import assert_one_issue, live_executors, sqlite_world


@pytest.fixture
def world(tmp_path: Path) -> Iterator[ServiceWorld]:
    for fake in fake_github(tmp_path):
        yield sqlite_world(tmp_path, fake)


def worker_pid(url: str) -> int | None:
    answer = httpx.get(f"{url}/healthz", timeout=5).json()
    pid = answer.get("worker_pid")
    return pid if isinstance(pid, int) else None


def unhealthy(url: str) -> bool:
    health = httpx.get(f"{url}/healthz", timeout=5)
    if health.status_code == 200:
        return False
    assert health.status_code == 503
    assert "worker process is not running" in health.json()["problem"]
    return True


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        return stat.read().split(") ", 1)[1][0] != "Z"  # a zombie has exited


def test_a_killed_worker_process_is_started_again_and_its_work_is_done_once(
    world: ServiceWorld,
) -> None:
    body = world.run_payload(201)
    slow = world.fake.fail_next(rf"^/repos/{REPO}/issues$", status=None, method="POST", delay=3)
    with world.sheriff("serve") as server:
        assert server.url
        first = worker_pid(server.url)
        assert first is not None
        assert first != server.process.pid
        assert world.deliver(server.url, body, delivery_id="child-201").status_code == 202
        wait_until(lambda: slow.hits == 1, what="the scan to reach the issue's creation")
        os.kill(first, signal.SIGKILL)  # the worker dies in the middle of the scan

        wait_until(lambda: unhealthy(server.url), seconds=5, what="/healthz to say so")
        wait_until(lambda: worker_pid(server.url) not in (None, first), what="a new worker")
        wait_until(lambda: len(world.audit_of("child-201")) == 1, what="the resumed work")
        assert_one_issue(world)
        assert httpx.get(f"{server.url}/healthz", timeout=5).status_code == 200
        assert "exited" in server.output()  # the supervisor said what happened


def test_a_killed_server_takes_its_worker_process_with_it(world: ServiceWorld) -> None:
    with world.sheriff("serve") as server:
        assert server.url
        child = worker_pid(server.url)
        assert child is not None
        assert is_running(child)
        server.kill()
    wait_until(lambda: not is_running(child), seconds=10, what="the worker process to die")


def test_a_stopped_server_stops_its_worker_process_cleanly(world: ServiceWorld) -> None:
    with world.sheriff("serve") as server:
        assert server.url
        child = worker_pid(server.url)
        assert child is not None
        assert server.stop() == 0
    assert not is_running(child)
    assert "not stop in time" not in server.output()


def test_in_process_serve_runs_no_worker_process(world: ServiceWorld) -> None:
    body = world.run_payload(202)
    with world.sheriff("serve", "--in-process") as server:
        assert server.url
        assert worker_pid(server.url) is None
        assert "worker_pid" not in httpx.get(f"{server.url}/healthz", timeout=5).json()
        assert world.deliver(server.url, body, delivery_id="inproc-202").status_code == 202
        wait_until(lambda: len(world.audit_of("inproc-202")) == 1, what="the work")
        metrics = httpx.get(f"{server.url}/metrics", timeout=5).text
        assert 'sheriff_events_processed_total{event="workflow_run",route="scan_run"} 1' in metrics


def test_processing_families_are_taken_from_another_process_page() -> None:
    page = "\n".join(
        [
            "# HELP sheriff_webhook_ack_seconds Time to answer a delivery.",
            "# TYPE sheriff_webhook_ack_seconds histogram",
            'sheriff_webhook_ack_seconds_bucket{le="0.001"} 0',
            "# HELP sheriff_events_processed_total Events this process finished.",
            "# TYPE sheriff_events_processed_total counter",
            'sheriff_events_processed_total{event="push",route="scan_run"} 3',
            "# TYPE sheriff_event_processing_seconds histogram",
            'sheriff_event_processing_seconds_bucket{le="+Inf"} 3',
            "sheriff_event_processing_seconds_sum 1.5",
            "sheriff_event_processing_seconds_count 3",
            "sheriff_queue_depth 4",
        ]
    )
    assert processing_families(page) == [
        "# HELP sheriff_events_processed_total Events this process finished.",
        "# TYPE sheriff_events_processed_total counter",
        'sheriff_events_processed_total{event="push",route="scan_run"} 3',
        "# TYPE sheriff_event_processing_seconds histogram",
        'sheriff_event_processing_seconds_bucket{le="+Inf"} 3',
        "sheriff_event_processing_seconds_sum 1.5",
        "sheriff_event_processing_seconds_count 3",
    ]


def test_the_worker_process_gets_urls_and_version_in_its_environment_not_its_command() -> None:
    secret_url = "postgresql://sheriff:s3cret@db.example/engine"
    options = WorkerChildOptions(
        executor_id="host-1-worker",
        engine_url=secret_url,
        application_version="abc123",
        db_url="postgresql://sheriff:s3cret@db.example/store",
        config=Path("/etc/sheriff.toml"),
    )
    child = WorkerChild(options)
    try:
        command = " ".join(child.command())
        assert "s3cret" not in command  # other users of the machine can read commands
        assert "--serve-child" in command
        assert "--config /etc/sheriff.toml" in command
        environment = child.environment()
        assert environment["SHERIFF_ENGINE_DB_URL"] == secret_url
        assert environment["SHERIFF_DB_URL"] == options.db_url
        assert environment["SHERIFF_WORKER_ID"] == "host-1-worker"
        assert environment["DBOS__APPVERSION"] == "abc123"  # takes what the server queues
    finally:
        child.stop()


class ShortLivedChild(WorkerChild):
    """A worker process that exits at once with code 3 (as a crashing worker would)."""

    def command(self) -> list[str]:
        return [sys.executable, "-c", "raise SystemExit(3)"]


def short_lived_child() -> ShortLivedChild:
    options = WorkerChildOptions("host-1-worker", "sqlite:///unused", "v1")
    return ShortLivedChild(options)


def test_a_worker_process_that_exits_is_started_again_after_a_pause() -> None:
    child = short_lived_child()
    child.start()
    try:
        wait_until(lambda: child.restarts >= 2, seconds=15, what="two restarts")
    finally:
        child.stop()


def test_stopping_during_the_pause_before_a_restart_starts_nothing() -> None:
    child = short_lived_child()
    child.start()
    wait_until(lambda: child.pid() is None, seconds=10, what="the child to exit")
    started = time.monotonic()
    child.stop()  # the supervisor is waiting out its first pause (1 s)
    assert time.monotonic() - started < 5
    assert child.restarts == 0
    assert child.pid() is None


def _executors(world: ServiceWorld) -> list[str]:
    """The heartbeat rows, or none while the engine has not made its table yet."""
    try:
        return live_executors(world)
    except OperationalError:
        return []


def test_a_worker_process_stopped_while_it_starts_still_hands_over_its_place(
    world: ServiceWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in world.env().items():
        monkeypatch.setenv(name, value)
    options = WorkerChildOptions("host-1-worker", world.engine_url, "v1", db_url=world.store_url)
    child = WorkerChild(options)
    child.start()
    try:  # SIGTERM as soon as its heartbeat row exists: it is still starting its engine
        wait_until(lambda: _executors(world) == ["host-1-worker"], what="the worker's heartbeat")
    finally:
        child.stop()
    assert _executors(world) == []
