"""Which webhook events get work, and which are acknowledged and dropped."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from sheriff.app.forge import WorkflowRun
from sheriff.app.webhook_events import EventRoute, WebhookEvent, route_event

SHERIFF = "sheriff-app[bot]"


def run(conclusion: str | None, attempt: int = 1) -> WorkflowRun:
    return WorkflowRun(
        run_id=7,
        attempt=attempt,
        workflow="CI",
        workflow_path=".github/workflows/ci.yml",
        workflow_id=3,
        run_number=12,
        head_sha="a" * 40,
        head_branch="main",
        event="push",
        status="completed",
        conclusion=conclusion,
        created_at=datetime(2026, 1, 5, tzinfo=UTC),
    )


def event(name: str, action: str | None = None, **fields: object) -> WebhookEvent:
    base = WebhookEvent(
        delivery_id="d-1",
        name=name,
        action=action,
        repo="acme/app",
        sender="alice",
        sender_is_bot=False,
        received_at=0.0,
        number=12,
    )
    return replace(base, **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("given", "route"),
    [
        (event("workflow_run", "completed", run=run("failure")), EventRoute.SCAN_RUN),
        (event("workflow_run", "completed", run=run("timed_out")), EventRoute.SCAN_RUN),
        (event("workflow_run", "completed", run=run("success", attempt=2)), EventRoute.SCAN_RUN),
        (event("workflow_run", "completed", run=run("success")), EventRoute.IGNORE),
        (event("workflow_run", "requested", run=run(None)), EventRoute.IGNORE),
        (event("workflow_run", "in_progress", run=run(None)), EventRoute.IGNORE),
        (event("workflow_job", "completed", conclusion="failure"), EventRoute.RECORD),
        (event("workflow_job", "completed", conclusion="success"), EventRoute.IGNORE),
        (event("workflow_job", "queued"), EventRoute.IGNORE),
        (event("check_run", "completed", conclusion="timed_out"), EventRoute.RECORD),
        (event("issue_comment", "created"), EventRoute.RECONCILE),
        (event("issue_comment", "deleted"), EventRoute.RECORD),
        (event("issues", "labeled", label="sheriff/approved"), EventRoute.RECONCILE),
        (event("issues", "closed"), EventRoute.RECONCILE),
        (event("issues", "opened"), EventRoute.RECORD),
        (event("pull_request", "closed"), EventRoute.RECONCILE),
        (event("pull_request_review", "submitted"), EventRoute.RECONCILE),
        (event("pull_request_review_comment", "created"), EventRoute.RECONCILE),
        (event("installation", "created", repo=None, number=None), EventRoute.RECORD),
        (
            event("installation", "created", repo=None, number=None, installation_id=7),
            EventRoute.INSTALLATION,
        ),
        (event("installation", "suspend", repo=None, installation_id=7), EventRoute.INSTALLATION),
        (event("installation_repositories", "removed", installation_id=7), EventRoute.INSTALLATION),
        (event("installation_repositories", "renamed", installation_id=7), EventRoute.RECORD),
        (event("push"), EventRoute.IGNORE),
        (event("star", "created"), EventRoute.IGNORE),
    ],
)
def test_each_event_goes_where_it_belongs(given: WebhookEvent, route: EventRoute) -> None:
    assert route_event(given, SHERIFF).route is route


@pytest.mark.parametrize(
    "name", ["issue_comment", "pull_request_review", "pull_request_review_comment"]
)
def test_comments_by_bots_are_ignored(name: str) -> None:
    by_bot = event(name, "created", sender="dependabot[bot]", sender_is_bot=True)
    decision = route_event(by_bot, SHERIFF)
    assert decision.route is EventRoute.IGNORE
    assert "bot" in decision.reason


@pytest.mark.parametrize("name", ["issues", "issue_comment", "pull_request"])
def test_what_sheriff_did_itself_is_ignored(name: str) -> None:
    own = event(name, "labeled" if name == "issues" else "created", sender=SHERIFF)
    assert route_event(own, SHERIFF).route is EventRoute.IGNORE
    assert route_event(own, None).route is not EventRoute.IGNORE  # login unknown: acted on


def test_a_failed_rerun_sheriff_asked_for_is_still_scanned() -> None:
    rerun = event("workflow_run", "completed", sender=SHERIFF, run=run("failure", attempt=2))
    assert route_event(rerun, SHERIFF).route is EventRoute.SCAN_RUN


def test_a_bot_opening_an_issue_is_recorded_not_ignored() -> None:
    opened = event("issues", "opened", sender="renovate[bot]", sender_is_bot=True)
    assert route_event(opened, SHERIFF).route is EventRoute.RECORD


def test_reconcile_needs_a_repository_and_a_number() -> None:
    assert route_event(event("issues", "labeled", number=None), SHERIFF).route is EventRoute.RECORD


def test_the_queue_partition_is_the_repository() -> None:
    assert event("issues", "opened").partition == "acme/app"
    installation = event("installation", "created", repo=None, installation_id=9)
    assert installation.partition == "installations"
