"""The relay's claimed cursor, on a SQLite and a PostgreSQL store and a fake Slack: of two
passes starting from one position (two processes), one relays and the other sends nothing;
a pass killed after its claim finishes its range when it is resumed; a backlog longer than
one pass is relayed in order, nothing skipped."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sheriff.adapters.slack import SlackNotifier
from sheriff.adapters.store import Store, open_store
from sheriff.app.notify import Notifications, Notifier
from sheriff.app.notify_relay import AuditRelay, relay_audit_notices
from sheriff.app.ports import AuditEvent
from sheriff.config import Settings
from sheriff.testing.fakeslack import FakeSlack
from tests.adapters.engine.databases import fresh_pg_database

TOKEN = "xoxb-sheriff"
REPO = "acme/shop"


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        opened = open_store(f"sqlite:///{tmp_path / 'store.db'}", upgrade=True)
        yield opened
        opened.close()
        return
    with fresh_pg_database("sheriff_relay") as url:
        opened = open_store(url, upgrade=True)
        yield opened
        opened.close()


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack.running(token=TOKEN, channels={"#ci", "#ops"}) as fake:
        yield fake


def slack_notifier(slack: FakeSlack) -> SlackNotifier:
    return SlackNotifier(TOKEN, base_url=slack.url)


def notifications(store: Store, notifier: Notifier) -> Notifications:
    settings = Settings(slack_default_channel="#ci", slack_ops_channel="#ops")
    return Notifications(notifier, settings.notify_routes, store)


def log_errors(store: Store, *causes: str) -> None:
    for cause in causes:
        store.append_audit(AuditEvent("sheriff-lifecycle", "llm.failed", cause, repo=REPO))


def started_relay(store: Store, slack: FakeSlack) -> AuditRelay:
    """A relay whose first pass has marked where it starts."""
    log_errors(store, "before the relay started")
    relay = AuditRelay(store, notifications(store, slack_notifier(slack)))
    assert relay.relay("relay:0").through is not None
    return relay


class RivalFirst:
    """The real store, except that another process relays just before this one claims
    (both read the same position first)."""

    def __init__(self, store: Store, rival: Callable[[], object]) -> None:
        self._store = store
        self._rival: Callable[[], object] | None = rival

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def claim_audit(self, event: AuditEvent) -> bool:
        if self._rival is not None:
            rival, self._rival = self._rival, None
            rival()
        return self._store.claim_audit(event)


class KilledError(Exception):
    """The process died while posting."""


class DyingNotifier:
    """A chat service whose process dies at the first post."""

    @property
    def name(self) -> str:
        return "slack"

    def post(self, channel: str, text: str) -> str:
        raise KilledError(channel)


def test_of_two_relays_at_one_position_one_sends_and_the_other_sends_nothing(
    store: Store, slack: FakeSlack
) -> None:
    relay = started_relay(store, slack)
    log_errors(store, "the analysis failed", "the fix failed")
    reports = []

    def rival() -> None:
        reports.append(relay.relay("relay:2"))

    racing = RivalFirst(store, rival)
    mine = relay_audit_notices(racing, relay.notifications, claimant="relay:1")  # type: ignore[arg-type]

    assert (mine.notices_sent, [report.notices_sent for report in reports]) == (0, [2])
    assert [message.text.rsplit(": ", 1)[-1] for message in slack.messages] == [
        "the analysis failed",
        "the fix failed",
    ]
    assert relay.relay("relay:3").notices_sent == 0


def test_a_relay_killed_after_its_claim_finishes_its_range_when_resumed(
    store: Store, slack: FakeSlack
) -> None:
    relay = started_relay(store, slack)
    log_errors(store, "the analysis failed", "the fix failed")
    dying = notifications(store, DyingNotifier())

    with pytest.raises(KilledError):
        relay_audit_notices(store, dying, claimant="relay:1")
    assert relay.relay("relay:2").notices_sent == 0  # relay:1 holds those entries
    assert relay.relay("relay:1").notices_sent == 2  # resumed, it sends them
    assert relay.relay("relay:1").notices_sent == 0  # and only once
    assert relay.relay("relay:3").notices_sent == 0
    assert len(slack.messages) == 2


def test_a_backlog_longer_than_a_pass_is_relayed_in_order_without_gaps(
    store: Store, slack: FakeSlack
) -> None:
    relay = started_relay(store, slack)
    log_errors(store, *(f"failure {number}" for number in range(5)))
    sent = [
        relay_audit_notices(store, relay.notifications, limit=2, claimant=f"relay:{n}")
        for n in range(1, 5)
    ]
    assert [report.notices_sent for report in sent] == [1, 2, 2, 0]  # the first mark takes a place
    assert [message.text.rsplit(" ", 1)[-1] for message in slack.messages] == list("01234")
