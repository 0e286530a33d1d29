"""Several processes on PostgreSQL: ``sheriff serve --no-workers`` queues, two ``sheriff
worker`` processes share the queue; the worker running a scan is SIGKILLed while GitHub is
creating the issue, and the other one finishes the work: nothing lost, nothing done twice.

Needs SHERIFF_TEST_PG_URL (``eval "$(bash scripts/dbservers)"``); skipped without it,
except in CI, where it fails."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from dbos import DBOSClient

from tests.adapters.engine.databases import fresh_pg_database
from tests.app.scan_world import REPO
from tests.app.webhook_payloads import workflow_job_payload
from tests.entry.web.service_world import ServiceWorld, fake_github, wait_until


@pytest.fixture
def world(tmp_path: Path) -> Iterator[ServiceWorld]:
    with (
        fresh_pg_database("sheriff_store") as store_url,
        fresh_pg_database("sheriff_engine") as engine_url,
    ):
        for fake in fake_github(tmp_path):
            world = ServiceWorld(fake, tmp_path, store_url, engine_url)
            upgrade = [sys.executable, "-m", "sheriff", "db", "upgrade"]
            env = {**os.environ, **world.env()}
            subprocess.run(upgrade, env=env, check=True, capture_output=True, timeout=120)
            yield world


def executor_of(engine_url: str, workflow_id: str) -> tuple[str | None, str]:
    client = DBOSClient(system_database_url=engine_url)
    try:
        (status,) = client.list_workflows(workflow_ids=[workflow_id])
        return status.executor_id, status.status
    finally:
        client.destroy()


def test_a_killed_worker_loses_nothing_and_duplicates_nothing(world: ServiceWorld) -> None:
    # GitHub is slow to create the issue (2 s): the worker dies while its request is in
    # flight, and GitHub still creates the issue. The survivor resumes the work only after 5 s
    # of silence (longer than any request), so it finds that issue instead of filing another.
    slow = world.fake.fail_next(rf"^/repos/{REPO}/issues$", status=None, method="POST", delay=2)
    body = world.run_payload(201)
    env = {"SHERIFF_WORKER_DEAD_AFTER_SECONDS": "5"}
    with (
        world.sheriff("serve", "--no-workers", **env) as web,
        world.sheriff("worker", "--worker-id", "worker-1", **env) as first,
        world.sheriff("worker", "--worker-id", "worker-2", **env) as second,
    ):
        assert web.url
        answer = world.deliver(web.url, body, delivery_id="pg-201")
        assert (answer.status_code, answer.json()["result"]) == (202, "queued")
        wait_until(lambda: slow.hits == 1, what="a worker to reach the issue's creation")
        busy, _ = executor_of(world.engine_url, "pg-201")
        victim, survivor = (first, "worker-2") if busy == "worker-1" else (second, "worker-1")
        assert busy in ("worker-1", "worker-2")
        victim.kill()

        wait_until(lambda: world.issue_creations() == 1, what="GitHub to finish the creation")
        wait_until(lambda: len(world.audit_of("pg-201")) == 1, what="the survivor", seconds=90)
        assert executor_of(world.engine_url, "pg-201") == (survivor, "SUCCESS")
        issues = world.issues_by_fingerprint()
        assert issues
        assert all(len(numbers) == 1 for numbers in issues.values()), issues
        assert world.issue_creations() == 1

        # The survivor goes on working the shared queue; a redelivery is still a no-op.
        again = world.deliver(web.url, body, delivery_id="pg-201")
        assert again.json()["result"] == "duplicate"
        more = world.deliver(web.url, world.run_payload(202), delivery_id="pg-202")
        assert more.json()["result"] == "queued"
        wait_until(lambda: len(world.audit_of("pg-202")) == 1, what="the next delivery")
        assert executor_of(world.engine_url, "pg-202") == (survivor, "SUCCESS")
    assert world.issue_creations() == 1
    assert len(world.audit_of("pg-201")) == 1


def test_deliveries_are_spread_over_the_workers(world: ServiceWorld) -> None:
    """Events of different repositories run in parallel on whichever worker is free."""
    env = {"SHERIFF_WORKER_CONCURRENCY": "1"}
    with (
        world.sheriff("serve", "--no-workers", **env) as web,
        world.sheriff("worker", "--worker-id", "worker-1", **env),
        world.sheriff("worker", "--worker-id", "worker-2", **env),
    ):
        assert web.url
        # Every scan of acme/app is slowed down, so one worker stays busy with it ...
        world.fake.fail_next(r"/actions/jobs/\d+/logs$", status=None, count=None, delay=2)
        world.deliver(web.url, world.run_payload(201), delivery_id="spread-scan")
        wait_until(lambda: executor_of(world.engine_url, "spread-scan")[1] == "PENDING")
        busy, _ = executor_of(world.engine_url, "spread-scan")
        # ... while the other takes the events of other repositories.
        world.deliver(web.url, job_body("acme/other"), event="workflow_job", delivery_id="c1")
        wait_until(lambda: len(world.audit_of("c1")) == 1, what="the job event")
        other, state = executor_of(world.engine_url, "c1")
        assert state == "SUCCESS"
        assert {busy, other} == {"worker-1", "worker-2"}
        wait_until(lambda: len(world.audit_of("spread-scan")) == 1, what="the scan")


def job_body(repo: str) -> bytes:
    return json.dumps(workflow_job_payload(repo, 77001)).encode()
