"""``sheriff serve`` as a real process over real HTTP, with signed deliveries and the fake
GitHub: a failed run is scanned into an issue; unsigned, forged and oversized deliveries
change nothing; a redelivery (even after a restart) changes nothing; a server killed in the
middle of a scan finishes the work after a restart without filing twice."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from sheriff.entry.web.signatures import sign
from sheriff.testing.fakegithub import FakeGitHub
from tests.app.scan_world import REPO
from tests.entry.web.service_world import (
    SECRET,
    ServiceWorld,
    fake_github,
    wait_until,
)


def sqlite_world(folder: Path, fake: FakeGitHub) -> ServiceWorld:
    return ServiceWorld(
        fake,
        folder,
        store_url=f"sqlite:///{folder / 'store.db'}",
        engine_url=f"sqlite:///{folder / 'engine.sqlite'}",
    )


@pytest.fixture
def world(tmp_path: Path) -> Iterator[ServiceWorld]:
    for fake in fake_github(tmp_path):
        yield sqlite_world(tmp_path, fake)


@pytest.fixture(scope="module")
def quiet_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServiceWorld, str]]:
    """One server for the deliveries that must change nothing."""
    folder = tmp_path_factory.mktemp("quiet")
    for fake in fake_github(folder):
        world = sqlite_world(folder, fake)
        with world.sheriff("serve") as server:
            assert server.url
            yield world, server.url


def test_a_failed_run_is_scanned_into_an_issue_and_redeliveries_change_nothing(
    world: ServiceWorld,
) -> None:
    body = world.run_payload(201)
    with world.sheriff("serve") as server:
        assert server.url
        answer = world.deliver(server.url, body, delivery_id="delivery-201")
        assert (answer.status_code, answer.json()["result"]) == (202, "queued")
        wait_until(lambda: len(world.audit_of("delivery-201")) == 1, what="the audit entry")
        issues = world.issues_by_fingerprint()
        assert len(issues) == 1
        assert all(len(numbers) == 1 for numbers in issues.values())
        (entry,) = world.audit_of("delivery-201")
        assert entry.event.details["run_id"] == 201
        assert entry.event.details["issue_actions"] == {"create": 1}
        writes = world.writes()

        again = world.deliver(server.url, body, delivery_id="delivery-201")
        assert (again.status_code, again.json()["result"]) == (202, "duplicate")
        time.sleep(1.5)
        assert world.writes() == writes
        metrics = httpx.get(f"{server.url}/metrics").text
        assert 'event="workflow_run",result="duplicate"} 1' in metrics
        assert 'sheriff_events_processed_total{event="workflow_run",route="scan_run"} 1' in metrics
        dashboard = httpx.get(f"{server.url}/")  # served by the same app, from the same store
        assert dashboard.status_code == 200
        assert "Content-Security-Policy" in dashboard.headers
        assert REPO in dashboard.text

    with world.sheriff("serve") as restarted:  # the same databases, a new process
        assert restarted.url
        after_restart = world.deliver(restarted.url, body, delivery_id="delivery-201")
        assert after_restart.json()["result"] == "duplicate"
        time.sleep(1.5)
        assert restarted.stop() == 0  # SIGTERM: a clean stop ...
    assert live_executors(world) == []  # ... that handed over its place at once
    assert world.writes() == writes
    assert len(world.audit_of("delivery-201")) == 1


@pytest.mark.parametrize("how", ["unsigned", "wrong secret", "tampered body"])
def test_unverified_deliveries_get_401_and_change_nothing(
    quiet_server: tuple[ServiceWorld, str], how: str
) -> None:
    world, url = quiet_server
    body = world.run_payload(202)
    signature = {
        "unsigned": "",
        "wrong secret": sign(b"not the secret", body),
        "tampered body": sign(SECRET.encode(), body),  # signed, then changed below
    }[how]
    if how == "tampered body":
        changed = body.replace(b'"head_branch": "main"', b'"head_branch": "release"')
        assert changed != body
        body = changed
    before = len(world.fake.requests)  # building the payload read the fake
    answer = world.deliver(url, body, delivery_id=f"forged-{how}", signature=signature)
    assert (answer.status_code, answer.json()["result"]) == (401, "unauthorized")
    time.sleep(1.0)
    assert len(world.fake.requests) == before  # not one call to GitHub
    assert world.audit_of(f"forged-{how}") == []
    assert "sheriff_queue_depth 0" in httpx.get(f"{url}/metrics").text


def test_an_oversized_delivery_gets_413_and_changes_nothing(
    quiet_server: tuple[ServiceWorld, str],
) -> None:
    world, url = quiet_server
    body = world.run_payload(203)[:-1] + b', "padding": "' + b"x" * (1 << 20) + b'"}'
    before = len(world.fake.requests)
    answer = world.deliver(url, body, delivery_id="too-big")
    assert (answer.status_code, answer.json()["result"]) == (413, "too_large")
    time.sleep(1.0)
    assert len(world.fake.requests) == before
    assert world.audit_of("too-big") == []


def run_sheriff(world: ServiceWorld, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **world.env(**env)}
    return subprocess.run(
        [sys.executable, "-m", "sheriff", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_serve_refuses_to_start_without_a_secret(world: ServiceWorld) -> None:
    result = run_sheriff(world, "serve", "--port", "1", SHERIFF_WEBHOOK_SECRET="")
    assert result.returncode == 2
    assert "SHERIFF_WEBHOOK_SECRET" in result.stderr
    assert not (world.folder / "engine.sqlite").exists()


def test_serve_refuses_to_expose_the_dashboard_without_a_password(world: ServiceWorld) -> None:
    result = run_sheriff(world, "serve", "--host", "0.0.0.0", "--port", "1")
    assert result.returncode == 2
    assert "without a password" in result.stderr
    assert "SHERIFF_DASHBOARD_PASSWORD" in result.stderr
    assert not (world.folder / "engine.sqlite").exists()


def test_separate_workers_are_refused_on_sqlite(world: ServiceWorld) -> None:
    for args in (["serve", "--no-workers"], ["worker"]):
        result = run_sheriff(world, *args)
        assert result.returncode == 2, result.stderr
        assert "PostgreSQL" in result.stderr


def test_a_server_killed_mid_scan_finishes_after_a_restart_without_filing_twice(
    world: ServiceWorld,
) -> None:
    body = world.run_payload(201)
    # The issue's creation is slow: the server dies while GitHub is creating it.
    slow = world.fake.fail_next(rf"^/repos/{REPO}/issues$", status=None, method="POST", delay=3)
    with world.sheriff("serve") as server:
        assert server.url
        assert world.deliver(server.url, body, delivery_id="crash-201").status_code == 202
        wait_until(lambda: slow.hits == 1, what="the scan to reach the issue's creation")
        server.kill()
    wait_until(lambda: world.issue_creations() == 1, what="GitHub to finish the creation")
    assert world.audit_of("crash-201") == []  # the work was not finished

    with world.sheriff("serve") as restarted:
        assert restarted.url
        wait_until(lambda: len(world.audit_of("crash-201")) == 1, what="the resumed work")
        assert_one_issue(world)
        assert restarted.process.poll() is None


def assert_one_issue(world: ServiceWorld) -> None:
    issues = world.issues_by_fingerprint()
    assert issues
    assert all(len(numbers) == 1 for numbers in issues.values()), issues
    assert world.issue_creations() == 1
    titles = [issue.title for issue in world.fake.issues(REPO)]
    assert len(titles) == len(set(titles)), titles


def live_executors(world: ServiceWorld) -> list[str]:
    engine = create_engine(world.engine_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT executor_id FROM sheriff_executors"))
            return [row[0] for row in rows]
    finally:
        engine.dispose()


def test_without_a_slack_token_the_service_relays_nothing(tmp_path: Path) -> None:
    from sheriff.adapters.store import open_store
    from sheriff.app.notify_relay import AuditRelay
    from sheriff.config import Settings
    from sheriff.entry.web.service import notice_relay, service_work

    store = open_store(f"sqlite:///{tmp_path / 'store.db'}", upgrade=True)
    try:
        assert notice_relay(Settings(), store) is None
        assert service_work(Settings(data_dir=tmp_path), store).relay is None
        relay = notice_relay(Settings(slack_bot_token="xoxb-test"), store)
        assert isinstance(relay, AuditRelay)
    finally:
        store.close()
