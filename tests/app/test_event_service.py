"""Handling webhook events in a worker: a failed run is scanned into one issue, every event
is audited once, and handling an event twice (a retried step) changes nothing twice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sheriff.adapters.logfiles import FileLogReader
from sheriff.app.event_service import (
    EventHandler,
    MentionResponder,
    ReconcileTrigger,
    ScanService,
)
from sheriff.app.forge import Forge
from sheriff.app.scan import ScanRequest
from sheriff.app.webhook_events import EventRoute, EventText, WebhookEvent
from sheriff.core.repo_config import RepoSettings
from tests.app.reconciler_doubles import IdleReconciler
from tests.app.scan_world import REPO, World, attempt_line, github_forge, running_world, write_seed
from tests.app.webhook_payloads import run_event, workflow_run_payload


class RecordingReconciler(IdleReconciler):
    def __init__(self) -> None:
        self.triggers: list[ReconcileTrigger] = []

    def reconcile(self, trigger: ReconcileTrigger) -> str:
        self.triggers.append(trigger)
        return super().reconcile(trigger)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    seed = write_seed(tmp_path / "seed", [attempt_line(102)])
    yield from running_world(seed, tmp_path / "data", github_forge)


def handler_for(
    world: World,
    reconciler: IdleReconciler | None = None,
    mentions: MentionResponder | None = None,
) -> EventHandler:
    def open_forge(repo: str) -> Forge:
        return world.make_forge(world.fake.url, repo, None)

    request = ScanRequest(world.data_dir, RepoSettings(recurrence_threshold=1))  # one run files
    scans = ScanService(request, open_forge, world.store, FileLogReader(1 << 20))  # type: ignore[arg-type]
    return EventHandler(
        world.store,
        scans,
        reconciler or IdleReconciler(),
        "sheriff-bot",
        mentions=mentions,
    )


def issue_creations(world: World) -> int:
    return sum(
        1 for item in world.fake.requests if item.method == "POST" and item.path.endswith("/issues")
    )


def test_a_failed_run_is_scanned_into_one_issue_and_audited(world: World) -> None:
    event = run_event(workflow_run_payload(world.fake.url, REPO, 102))
    outcome = handler_for(world).handle(event)
    assert outcome.route is EventRoute.SCAN_RUN
    assert outcome.details["runs_recorded"] == 1
    assert outcome.details["issue_actions"].get("create", 0) >= 1
    assert world.issues_by_fingerprint()
    audit = [entry for entry in world.store.audit_log(REPO) if entry.event.key]
    keyed = [entry for entry in audit if entry.event.key == f"webhook:{event.delivery_id}"]
    assert len(keyed) == 1
    assert keyed[0].event.action == "webhook.workflow_run.completed"
    assert keyed[0].event.details["run_id"] == 102


def test_handling_the_same_event_twice_writes_nothing_twice(world: World) -> None:
    event = run_event(workflow_run_payload(world.fake.url, REPO, 102))
    handler = handler_for(world)
    handler.handle(event)
    issues, creations = world.issues_by_fingerprint(), issue_creations(world)
    again = handler.handle(event)
    assert again.details["issue_actions"].get("create", 0) == 0
    assert world.issues_by_fingerprint() == issues
    assert issue_creations(world) == creations
    keyed = [
        e for e in world.store.audit_log(REPO) if e.event.key == f"webhook:{event.delivery_id}"
    ]
    assert len(keyed) == 1


def test_a_comment_reaches_the_reconcile_hook_and_the_audit_log(world: World) -> None:
    reconciler = RecordingReconciler()
    comment = WebhookEvent(
        delivery_id="c-1",
        name="issue_comment",
        action="created",
        repo=REPO,
        sender="maintainer-alice",
        sender_is_bot=False,
        received_at=0.0,
        number=5,
    )
    outcome = handler_for(world, reconciler).handle(comment)
    assert outcome.route is EventRoute.RECONCILE
    assert [(t.repo, t.number, t.sender) for t in reconciler.triggers] == [
        (REPO, 5, "maintainer-alice")
    ]
    (entry,) = [e for e in world.store.audit_log(REPO) if e.event.key == "webhook:c-1"]
    assert entry.event.actor == "maintainer-alice"
    assert entry.event.details["outcome"] == IdleReconciler.NOTE
    assert world.writes() == []  # the idle reconciler changes nothing on GitHub


def test_an_event_that_needs_no_work_is_still_audited(world: World) -> None:
    failed_job = WebhookEvent(
        delivery_id="i-1",
        name="workflow_job",
        action="completed",
        repo=REPO,
        sender="owner",
        sender_is_bot=False,
        received_at=0.0,
        installation_id=9,
        conclusion="failure",
    )
    assert handler_for(world).handle(failed_job).route is EventRoute.RECORD
    assert [e.event.action for e in world.store.audit_log() if e.event.key == "webhook:i-1"] == [
        "webhook.workflow_job.completed"
    ]


def maintainer_event(delivery_id: str, name: str, action: str, **fields: Any) -> WebhookEvent:
    """An event a maintainer caused on issue 5."""
    return WebhookEvent(
        delivery_id=delivery_id,
        name=name,
        action=action,
        repo=REPO,
        sender="maintainer-alice",
        sender_is_bot=False,
        received_at=0.0,
        number=5,
        **fields,
    )


class RecordingResponder:
    """Stands for the assistant; notes when it ran, relative to the reconciler."""

    def __init__(self, order: list[str]) -> None:
        self.order = order

    def respond(self, event: WebhookEvent) -> str | None:
        self.order.append("assistant")
        return "assistant: answered: explained the failure"


class OrderedReconciler(RecordingReconciler):
    def __init__(self, order: list[str]) -> None:
        super().__init__()
        self.order = order

    def reconcile(self, trigger: ReconcileTrigger) -> str:
        self.order.append("reconcile")
        return super().reconcile(trigger)


def test_the_assistant_answers_before_the_case_discussion_and_is_audited(world: World) -> None:
    order: list[str] = []
    handler = handler_for(world, OrderedReconciler(order), RecordingResponder(order))
    comment = maintainer_event(
        "m-1", "issue_comment", "created", text=EventText("issue_comment", 77, "@sheriff why?")
    )
    outcome = handler.handle(comment)
    assert order == ["assistant", "reconcile"]
    assert outcome.details["assistant"] == "assistant: answered: explained the failure"
    (entry,) = [e for e in world.store.audit_log(REPO) if e.event.key == "webhook:m-1"]
    assert "assistant: answered" in entry.event.details["outcome"]


def test_an_event_without_text_never_calls_the_assistant(world: World) -> None:
    order: list[str] = []
    handler = handler_for(world, OrderedReconciler(order), RecordingResponder(order))
    labelled = maintainer_event("l-1", "issues", "labeled", label="sheriff/ai-fix-approved")
    handler.handle(labelled)
    assert order == ["reconcile"]
