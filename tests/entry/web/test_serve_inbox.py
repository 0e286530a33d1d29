"""``sheriff serve``'s webhook inbox, as a real process over real HTTP: deliveries a dead
server acknowledged but never forwarded are processed by the next start (once); the inbox
shows in /metrics; when it cannot be written, deliveries get 503 with what to do, and
/healthz fails."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from sheriff.adapters.engine import Inbox, InboxSettings
from sheriff.entry.web.deliveries import read_event
from tests.entry.web.service_world import ServiceWorld, fake_github, wait_until
from tests.entry.web.test_serve import assert_one_issue, sqlite_world


@pytest.fixture
def world(tmp_path: Path) -> Iterator[ServiceWorld]:
    for fake in fake_github(tmp_path):
        yield sqlite_world(tmp_path, fake)


def default_inbox(world: ServiceWorld) -> Path:
    return world.folder / "data" / "sheriff-inbox.sqlite"


def test_deliveries_acknowledged_but_not_forwarded_are_processed_by_the_next_start(
    world: ServiceWorld,
) -> None:
    # A server acknowledged this delivery (it is in its inbox) and died before forwarding it.
    payload = json.loads(world.run_payload(201))
    inbox = Inbox(InboxSettings(default_inbox(world)))
    inbox.open()
    inbox.submit(read_event("workflow_run", "orphan-201", payload, time.time())).result(10)
    inbox.close()

    with world.sheriff("serve") as server:
        assert server.url
        wait_until(lambda: len(world.audit_of("orphan-201")) == 1, what="the forwarded event")
        again = world.deliver(server.url, world.run_payload(201), delivery_id="orphan-201")
        assert (again.status_code, again.json()["result"]) == (202, "duplicate")
        wait_until(lambda: "sheriff_inbox_depth 0" in httpx.get(f"{server.url}/metrics").text)
        metrics = httpx.get(f"{server.url}/metrics").text
        assert "sheriff_inbox_forwarded_total 1" in metrics
        assert "sheriff_inbox_oldest_seconds 0.000" in metrics
    assert_one_issue(world)
    assert len(world.audit_of("orphan-201")) == 1


def test_an_unwritable_inbox_answers_503_with_a_hint_and_fails_the_health_check(
    world: ServiceWorld,
) -> None:
    with world.sheriff("serve", SHERIFF_INBOX_PATH=str(world.folder / "own-inbox.db")) as server:
        assert server.url
        with sqlite3.connect(world.folder / "own-inbox.db") as vandal:
            vandal.execute("DROP TABLE deliveries")
        answer = world.deliver(server.url, world.run_payload(202), delivery_id="lost-202")
        assert (answer.status_code, answer.json()["result"]) == (503, "unavailable")
        assert "could not record delivery lost-202" in answer.json()["detail"]
        assert "redeliver" in answer.json()["detail"]
        health = httpx.get(f"{server.url}/healthz")
        assert health.status_code == 503
        assert "no such table" in health.json()["problem"]
        assert server.process.poll() is None  # still serving
    assert world.audit_of("lost-202") == []
