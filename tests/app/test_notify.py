"""Notifications end to end: Sheriff's Slack adapter against a local server speaking Slack's
Web API, routed by changed paths and the CODEOWNERS file of the default branch; the
relay that turns audit entries into notices; and the no-op without Slack."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from sheriff.adapters.slack import SlackNotifier
from sheriff.app.notify import Notifications
from sheriff.app.notify_relay import relay_audit_notices
from sheriff.app.ports import AuditEvent, CaseState
from sheriff.config import Settings, load_settings
from sheriff.core.notify import Notice, NoticeKind, NotifyRoutes
from sheriff.errors import ConfigError
from sheriff.testing.fakeslack import FakeSlack
from tests.app.pr_report_world import (
    BROKEN_PRICING,
    REPO,
    PrWorld,
    pricing_failure_log,
    running_pr_world,
)

TOKEN = "xoxb-sheriff"
CHANNELS = {"#ci", "#pricing", "#qa", "#sheriff-ops"}


@pytest.fixture
def world(tmp_path: Path) -> Iterator[PrWorld]:
    yield from running_pr_world(tmp_path)


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack.running(token=TOKEN, channels=CHANNELS) as fake:
        yield fake


def notifications(world: PrWorld, slack: FakeSlack) -> Notifications:
    settings = Settings(
        slack_bot_token=TOKEN,
        slack_api_url=slack.url,
        slack_default_channel="#ci",
        slack_ops_channel="#sheriff-ops",
        slack_path_routes="tests/=#qa",
        slack_owner_channels="@acme/pricing=#pricing",
    )
    return Notifications(SlackNotifier.from_settings(settings), settings.notify_routes, world.store)


def test_new_failures_on_a_pull_request_reach_the_owners_of_its_changes_once(
    world: PrWorld, slack: FakeSlack
) -> None:
    world.push_main({".github/CODEOWNERS": "* @acme/core\nshop/ @acme/pricing\n"})
    number, sha = world.open_pull("shipping", {"shop/pricing.py": BROKEN_PRICING}, "Shipping")
    run = world.ci(sha, "tests", pricing_failure_log())
    sender = notifications(world, slack)

    first = world.report(run, notifications=sender)
    again = world.report(run, notifications=sender)

    assert (first.notices_sent, again.notices_sent) == (1, 0)
    [message] = slack.messages
    assert message.channel == "#pricing"  # shop/pricing.py belongs to @acme/pricing
    assert message.text.startswith(f":x: *{REPO}*: #{number} Shipping: 1 new")
    assert (
        "tests: tests/test_pricing.py::test_total_without_discount: AssertionError" in message.text
    )
    [posted] = world.store.audit_log(REPO, action="notify.post")
    assert posted.event.details["channel"] == "#pricing"


def test_without_slack_notices_are_a_no_op_said_once(
    world: PrWorld, caplog: pytest.LogCaptureFixture
) -> None:
    sender = Notifications(None, NotifyRoutes(default_channel="#ci"), world.store)
    notice = Notice(NoticeKind.ERROR, REPO, "boom", key="k1")
    with caplog.at_level(logging.INFO, logger="sheriff.notify"):
        assert sender.send(notice) == []
        assert sender.send(notice) == []
    said = [
        record.message for record in caplog.records if "notifications are off" in record.message
    ]
    assert len(said) == 1
    assert not sender.enabled
    assert world.store.audit_log(REPO, action="notify.post") == []


def test_the_relay_tells_people_about_filed_cases_state_changes_and_errors(
    world: PrWorld, slack: FakeSlack
) -> None:
    sender = notifications(world, slack)
    main = world.push_main({"shop/pricing.py": BROKEN_PRICING})
    world.scan(world.ci(main, "tests", pricing_failure_log()))
    assert relay_audit_notices(world.store, sender).notices_sent == 0  # starts from here

    fingerprint = next(
        case.fingerprint
        for case in world.store.cases_in_state(REPO, [CaseState.DISCOVERED])
        if case.test_name == "tests/test_pricing.py::test_total_without_discount"
    )
    move(world, fingerprint, CaseState.DISCOVERED, CaseState.ISSUE_OPEN, {"issue": 7})
    move(world, fingerprint, CaseState.ISSUE_OPEN, CaseState.TRIAGED, {})
    world.store.append_audit(
        AuditEvent(
            "sheriff-lifecycle",
            "llm.failed",
            "the analysis failed",
            repo=REPO,
            details={"error": "rate limited", "hint": "retry later"},
        )
    )
    slack.fail_next(503)  # the first notice fails (a 5xx is not retried)

    report = relay_audit_notices(world.store, sender)

    assert (report.entries_read, report.notices_sent) == (3, 2)
    state, error = slack.messages
    assert state.channel == "#qa"  # the case's test lives under tests/
    assert state.text.startswith(":arrows_counterclockwise: *acme/shop*: tests/test_pricing.py::")
    assert error.channel == "#sheriff-ops"
    assert error.text.startswith(":warning: *acme/shop*: llm.failed: the analysis failed")
    assert "• rate limited" in error.text
    assert "ISSUE_OPEN → TRIAGED" in state.text
    [failed] = world.store.audit_log(REPO, action="notify.failed")
    assert (
        "new failure case: tests/test_pricing.py::test_total_without_discount" in failed.event.cause
    )
    assert relay_audit_notices(world.store, sender).notices_sent == 0  # nothing new
    assert len(slack.messages) == 2


def move(world: PrWorld, fingerprint: str, old: CaseState, new: CaseState, details: dict) -> None:  # type: ignore[type-arg]
    cause = AuditEvent("sheriff-lifecycle", "case.transition", f"{old.value} to {new.value}",
                       details={"issue_repo": REPO, **details})  # fmt: skip
    assert world.store.transition_case(REPO, fingerprint, expected=old, new=new, cause=cause)


def test_bad_slack_settings_are_refused_with_what_to_fix() -> None:
    with pytest.raises(
        ConfigError, match="slack_path_routes: Value error, 'web/' is not KEY=#channel"
    ):
        load_settings(slack_path_routes="web/")
    with pytest.raises(ConfigError, match="slack_ops_channel"):
        load_settings(slack_ops_channel="ops channel")
