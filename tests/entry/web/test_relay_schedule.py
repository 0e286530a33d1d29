"""The service's Slack relay runs on the engine's schedule, not after webhook events: an
audit entry logged with no event behind it (a scheduled scan's, say) reaches a fake Slack
once when the relay's tick fires, however often it fires in that minute; on a SQLite and
on a PostgreSQL engine database, and with two worker processes both firing the tick."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sheriff.adapters.engine import RELAY_SCHEDULE
from sheriff.adapters.store import Store, open_store
from sheriff.app.notify import Notifications
from sheriff.app.notify_relay import relay_audit_notices
from sheriff.app.ports import AuditEvent
from sheriff.config import Settings
from sheriff.core.notify import NotifyRoutes
from sheriff.entry.web.service import running_service
from sheriff.testing.fakeslack import FakeSlack
from tests.adapters.engine.databases import fresh_pg_database
from tests.entry.web.service_world import ServiceWorld, fake_github, wait_until

TOKEN = "xoxb-sheriff"


def log_an_error_after_the_relay_started(store: Store) -> None:
    """The relay has run before (its first pass marks where it starts); then an error."""
    store.append_audit(AuditEvent("sheriff", "scan.started", "an old entry"))
    relay_audit_notices(store, Notifications(None, NotifyRoutes(), store))
    store.append_audit(
        AuditEvent("sheriff-lifecycle", "llm.failed", "the analysis failed", repo="acme/app")
    )


def test_a_notice_reaches_slack_once_when_the_relay_schedule_fires(
    tmp_path: Path, engine_url: str
) -> None:
    store_url = f"sqlite:///{tmp_path / 'store.db'}"
    store = open_store(store_url, upgrade=True)
    try:
        log_an_error_after_the_relay_started(store)
    finally:
        store.close()
    with FakeSlack.running(token=TOKEN, channels={"#ops"}) as slack:
        settings = Settings(
            db_url=store_url,
            data_dir=tmp_path / "data",
            queue_poll_seconds=0.05,
            slack_bot_token=TOKEN,
            slack_api_url=slack.url,
            slack_ops_channel="#ops",
        )
        with running_service(settings, engine_url, process_queues=True) as service:
            assert slack.messages == []  # nothing is relayed until the schedule fires
            service.engine.run_schedule_now(RELAY_SCHEDULE)
            service.engine.run_schedule_now(RELAY_SCHEDULE)
            wait_until(lambda: len(slack.messages) >= 1, seconds=30, what="the notice")
            time.sleep(1.5)  # a second relay in this minute would have posted by now
        [message] = slack.messages
        assert message.channel == "#ops"
        assert message.text.endswith("llm.failed: the analysis failed")


@pytest.mark.slow
def test_two_workers_firing_the_relay_every_minute_send_a_notice_once(tmp_path: Path) -> None:
    with (
        fresh_pg_database("sheriff_store") as store_url,
        fresh_pg_database("sheriff_engine") as engine_url,
        FakeSlack.running(token=TOKEN, channels={"#ops"}) as slack,
    ):
        for fake in fake_github(tmp_path):
            world = ServiceWorld(fake, tmp_path, store_url, engine_url)
            upgrade = [sys.executable, "-m", "sheriff", "db", "upgrade"]
            env = {**os.environ, **world.env()}
            subprocess.run(upgrade, env=env, check=True, capture_output=True, timeout=120)
            with world.store() as store:
                log_an_error_after_the_relay_started(store)
            slack_env = {
                "SHERIFF_SLACK_BOT_TOKEN": TOKEN,
                "SHERIFF_SLACK_API_URL": slack.url,
                "SHERIFF_SLACK_OPS_CHANNEL": "#ops",
            }
            with (
                world.sheriff("worker", "--worker-id", "worker-1", **slack_env),
                world.sheriff("worker", "--worker-id", "worker-2", **slack_env),
            ):
                wait_until(lambda: len(slack.messages) >= 1, seconds=90, what="the minute tick")
                time.sleep(3)  # the other worker fired the same tick
            [message] = slack.messages
            assert message.text.endswith("llm.failed: the analysis failed")
