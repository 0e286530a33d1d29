"""The web tier's inbox on real SQLite files: a delivery's future resolves only after its
commit, many waiting deliveries share one commit, redeliveries are recognised (also across
a restart), rows survive a restart, a failed write says what to do, and pruning keeps only
what the retention period asks for."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sheriff.adapters.engine import Enqueued, Forwarder, Inbox, InboxSettings
from sheriff.adapters.engine.inbox_codec import decode_event, encode_event
from sheriff.app.forge import WorkflowRun
from sheriff.app.webhook_events import EventText, WebhookEvent
from sheriff.core.installations import InstallationChange
from sheriff.errors import EngineError


def event(delivery_id: str, received_at: float = 1000.0) -> WebhookEvent:
    return WebhookEvent(
        delivery_id, "issues", "opened", "acme/app", "alice", False, received_at, number=1
    )


def run_event(delivery_id: str) -> WebhookEvent:
    run = WorkflowRun(
        run_id=7,
        attempt=2,
        workflow="CI",
        workflow_path=".github/workflows/ci.yml",
        workflow_id=3,
        run_number=41,
        head_sha="a" * 40,
        head_branch="main",
        event="push",
        status="completed",
        conclusion="failure",
        created_at=datetime(2024, 5, 1, 10, 0, tzinfo=UTC),
        updated_at=datetime(2024, 5, 1, 10, 9, 30, tzinfo=UTC),
        pull_requests=(12, 13),
        html_url="https://github.com/acme/app/actions/runs/7",
    )
    text = EventText("issue_comment", 77, '@sheriff why? ☃ \x00 "quoted"', html_url="u")
    return WebhookEvent(
        delivery_id, "workflow_run", "completed", "acme/app", "bob", False, 1.5, 9, run, text=text
    )


@pytest.fixture
def inbox(tmp_path: Path) -> Iterator[Inbox]:
    opened = Inbox(InboxSettings(tmp_path / "inbox.sqlite"))
    opened.open()
    try:
        yield opened
    finally:
        opened.close()


def test_events_are_stored_as_json_and_read_back_unchanged() -> None:
    original = run_event("d-json")
    text = encode_event(original)
    assert text.startswith('{"delivery_id":"d-json"')
    assert decode_event(text) == original
    assert decode_event(text).run.created_at.tzinfo is UTC  # type: ignore[union-attr]
    newer = text.replace('{"delivery_id"', '{"field_of_a_later_release":1,"delivery_id"')
    assert decode_event(newer) == original
    for broken in ("[]", '{"delivery_id": "x"}', '{"run": 3}'):
        with pytest.raises((ValueError, TypeError)):
            decode_event(broken)


def test_an_installation_change_is_read_back_unchanged() -> None:
    change = InstallationChange("acme", ("acme/app", "acme/lib"), ("acme/old",), "selected")
    original = WebhookEvent(
        "d-installation",
        "installation_repositories",
        "added",
        None,
        "octocat",
        False,
        1.5,
        installation_id=7001,
        installation=change,
    )
    assert decode_event(encode_event(original)) == original


def test_a_delivery_is_answered_only_after_its_commit_and_waiting_ones_share_a_commit(
    inbox: Inbox,
) -> None:
    blocker = sqlite3.connect(inbox.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another writer holds the file's write lock
    first = inbox.submit(event("d-0"))
    time.sleep(0.2)  # the writer took d-0 and now waits for the lock
    later = [inbox.submit(event(f"d-{number}")) for number in range(1, 50)]
    time.sleep(0.3)
    assert not first.done()
    assert not any(future.done() for future in later)
    commits_before = inbox.commits
    blocker.execute("COMMIT")
    blocker.close()
    answers = [future.result(10) for future in [first, *later]]
    assert answers == [Enqueued.NEW] * 50
    assert inbox.commits - commits_before == 2  # d-0 alone, then the 49 that waited together
    assert inbox.backlog().depth == 50


def test_many_threads_at_once_all_get_their_answer(inbox: Inbox) -> None:
    answers: dict[str, Enqueued] = {}

    def send(number: int) -> None:
        delivery_id = f"t-{number % 100}"  # each delivery twice
        result = inbox.submit(event(delivery_id)).result(10)
        if result is Enqueued.NEW:
            answers[delivery_id] = result

    threads = [threading.Thread(target=send, args=(number,)) for number in range(200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 100
    assert inbox.backlog().depth == 100
    assert inbox.commits < 200


def test_a_redelivery_is_a_duplicate_in_one_batch_across_batches_and_after_a_restart(
    tmp_path: Path,
) -> None:
    settings = InboxSettings(tmp_path / "inbox.sqlite")
    inbox = Inbox(settings)
    inbox.open()
    together = [inbox.submit(event("same")), inbox.submit(event("same"))]
    assert sorted(future.result(10) for future in together) == [
        Enqueued.DUPLICATE,
        Enqueued.NEW,
    ]
    assert inbox.submit(event("same")).result(10) is Enqueued.DUPLICATE
    inbox.close()

    reopened = Inbox(settings)
    reopened.open()
    try:
        assert reopened.submit(event("same")).result(10) is Enqueued.DUPLICATE
        assert reopened.backlog().depth == 1
    finally:
        reopened.close()


def test_acknowledged_rows_survive_a_restart_oldest_first(tmp_path: Path) -> None:
    settings = InboxSettings(tmp_path / "inbox.sqlite")
    inbox = Inbox(settings)
    inbox.open()
    inbox.submit(run_event("late")).result(10)
    inbox.submit(event("early", received_at=0.5)).result(10)
    inbox.close()

    reopened = Inbox(settings)
    reopened.open()
    try:
        rows = reopened.pending(10)
        assert [row.delivery_id for row in rows] == ["early", "late"]
        assert rows[1].event == run_event("late")
        assert reopened.backlog().oldest_received_at == 0.5
    finally:
        reopened.close()


def test_a_failed_write_fails_the_waiting_deliveries_with_a_hint(inbox: Inbox) -> None:
    vandal = sqlite3.connect(inbox.path, isolation_level=None)
    vandal.execute("DROP TABLE deliveries")
    vandal.close()
    future = inbox.submit(event("lost"))
    with pytest.raises(EngineError) as failure:
        future.result(10)
    assert "could not record delivery lost" in failure.value.message
    assert "redeliver" in failure.value.hint
    assert inbox.writing()  # the writer goes on with the next requests


def test_a_closed_inbox_refuses_at_once(tmp_path: Path) -> None:
    inbox = Inbox(InboxSettings(tmp_path / "inbox.sqlite"))
    inbox.open()
    inbox.close()
    with pytest.raises(EngineError, match="closed"):
        inbox.submit(event("late")).result(1)


def test_a_request_given_up_before_the_write_is_not_written(inbox: Inbox) -> None:
    blocker = sqlite3.connect(inbox.path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    inbox.submit(event("ahead"))
    time.sleep(0.2)
    abandoned: Future[Enqueued] = inbox.submit(event("abandoned"))
    assert abandoned.cancel()  # what a timed-out request does
    blocker.execute("COMMIT")
    blocker.close()
    assert inbox.submit(event("after")).result(10) is Enqueued.NEW
    assert [row.delivery_id for row in inbox.pending(10)] == ["ahead", "after"]


def test_an_inbox_written_by_a_newer_release_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "inbox.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA user_version=99")
    with pytest.raises(EngineError, match="newer Sheriff"):
        Inbox(InboxSettings(path)).open()


def test_an_inbox_in_an_unusable_place_is_refused_with_a_hint(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    with pytest.raises(EngineError) as failure:
        Inbox(InboxSettings(tmp_path / "a-file" / "inbox.sqlite")).open()
    assert "SHERIFF_INBOX_PATH" in failure.value.hint


def test_pruning_removes_only_rows_forwarded_before_the_retention_period(tmp_path: Path) -> None:
    now = [10_000.0]

    def clock() -> float:
        return now[0]

    settings = InboxSettings(tmp_path / "inbox.sqlite", retention_seconds=100.0)
    inbox = Inbox(settings, clock=clock)
    inbox.open()
    try:
        for name in ("old", "recent", "waiting"):
            inbox.submit(event(name)).result(10)
        inbox.mark_forwarded(["old"]).result(10)
        now[0] += 60
        inbox.mark_forwarded(["recent"]).result(10)
        now[0] += 50  # "old" was forwarded 110 s ago, "recent" 50 s ago
        forwarder = Forwarder(inbox, lambda _event: Enqueued.NEW, clock=clock)
        assert forwarder.prune_forwarded() == 1
        assert inbox.submit(event("recent")).result(10) is Enqueued.DUPLICATE
        assert inbox.submit(event("old")).result(10) is Enqueued.NEW  # forgotten: new again
        assert sorted(row.delivery_id for row in inbox.pending(10)) == ["old", "waiting"]
    finally:
        inbox.close()


def test_pruning_works_in_small_transactions(inbox: Inbox) -> None:
    for number in range(25):
        inbox.submit(event(f"p-{number}")).result(10)
    inbox.mark_forwarded([f"p-{number}" for number in range(25)]).result(10)
    assert inbox.prune(time.time() + 1, most=10).result(10) == 10
    assert inbox.prune(time.time() + 1, most=10).result(10) == 10
    assert inbox.prune(time.time() + 1, most=10).result(10) == 5


def test_commits_never_checkpoint_the_log_the_forwarder_does(inbox: Inbox) -> None:
    for number in range(500):  # one commit each: far past SQLite's 1000-page checkpoint
        inbox.submit(event(f"c-{number}")).result(10)
    database, log = inbox.path, inbox.path.with_name(inbox.path.name + "-wal")
    assert log.stat().st_size > 1000 * 4096
    before = database.stat().st_size
    inbox.checkpoint()
    assert database.stat().st_size > before  # the rows reached the database file
    assert inbox.backlog().depth == 500
