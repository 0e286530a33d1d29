"""Reconcile when things go wrong (invalid LLM output, a refused push, no free worktree,
GitHub failing the permission check), and what it does quietly right (discussion replies
once per comment, the approval label, dry runs that change nothing)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sheriff.core.issues.markers import comment_key_of
from sheriff.testing.scripted_llm import answering_badly
from tests.app.lifecycle_models import LifecycleModel
from tests.app.lifecycle_world import (
    MAINTAINER,
    OUTSIDER,
    REPO,
    LifecycleWorld,
    running_lifecycle_world,
)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[LifecycleWorld]:
    yield from running_lifecycle_world(tmp_path, slots=1, wait_seconds=0.2)


def audited(world: LifecycleWorld, action: str) -> list[str]:
    return [entry.event.cause for entry in world.store.audit_log(REPO, action=action)]


def test_invalid_llm_output_falls_back_to_the_deterministic_analysis(world: LifecycleWorld) -> None:
    world.model = answering_badly()
    world.scan()
    world.reconcile()
    assert world.state() == "WAITING_FOR_SIGNAL"
    [analysis] = world.sheriff_comments()
    assert "Deterministic analysis" in analysis.body
    assert "gave no valid analysis" in analysis.body
    assert audited(world, "llm.failed")
    assert world.store.total_cost() > 0  # the invalid answers were paid for: in the ledger


def test_a_refused_push_tells_the_issue_and_waits_for_a_new_approval(
    world: LifecycleWorld,
) -> None:
    world.fake.git(REPO).run("config", "receive.hideRefs", "refs/heads/sheriff")
    world.scan()
    world.reconcile()
    world.comment(MAINTAINER, "/ai-fix")
    report = world.reconcile()
    assert world.state() == "WAITING_FOR_SIGNAL"
    assert world.fake.pulls(REPO) == []
    assert not any(name.startswith("sheriff/") for name in world.fake.git(REPO).branches())
    notice = world.sheriff_comments()[-1].body
    assert (comment_key_of(notice) or "").startswith("fix-failed:")
    assert "refused the push" in notice
    assert any("FIXING -> WAITING_FOR_SIGNAL" in step for step in report.cases[0].steps)
    settled = world.snapshot()
    world.reconcile()
    assert world.snapshot() == settled  # the spent approval does not start another attempt


def test_a_busy_worktree_pool_is_reported_and_the_fix_resumes_later(
    world: LifecycleWorld,
) -> None:
    world.scan()
    world.reconcile()
    world.comment(MAINTAINER, "/ai-fix")
    with world.workspaces().slots.take():
        report = world.reconcile()
    assert world.state() == "FIXING"
    [problem] = report.cases[0].problems
    assert "start a quarantine fix" in problem
    assert audited(world, "action.failed")
    assert world.fake.pulls(REPO) == []
    world.reconcile()
    assert world.state() == "PR_OPEN"
    assert len(world.fake.pulls(REPO)) == 1


def test_a_failing_permission_check_leaves_the_approval_for_later(world: LifecycleWorld) -> None:
    world.scan()
    world.reconcile()
    world.comment(MAINTAINER, "/ai-fix")
    world.fake.fail_next(r"/collaborators/[^/]+/permission$", status=502, count=50)
    report = world.reconcile()
    assert world.state() == "WAITING_FOR_SIGNAL"
    assert any("cannot check @ada's permission" in item for item in report.cases[0].problems)
    assert audited(world, "permission.check_failed")
    assert world.comment_keys() == [f"analysis:{world.fingerprint()}"]  # no answer yet
    world.fake.clear_faults()
    world.reconcile()
    assert world.state() == "PR_OPEN"


def test_people_get_one_reply_per_comment_and_bots_none(world: LifecycleWorld) -> None:
    world.scan()
    world.reconcile()
    question = world.comment(OUTSIDER, "Is this the network or our code?")
    world.comment("helper[bot]", "I am a bot and I ask things too?")
    world.reconcile()
    world.reconcile()
    replies = [key for key in world.comment_keys() if key.startswith("reply:")]
    assert replies == [f"reply:{question.id}"]
    reply = world.sheriff_comments()[-1].body
    assert "no language model" in reply
    assert "/ai-fix" in reply


def test_replies_come_from_the_model_when_one_is_configured(world: LifecycleWorld) -> None:
    scripted = LifecycleModel(reply="It is the deadline in shop/retry.py (S2). @everyone")
    world.model = scripted.model
    world.scan()
    world.reconcile()
    world.comment(OUTSIDER, "Why does it fail?")
    world.reconcile()
    reply = world.sheriff_comments()[-1].body
    assert "It is the deadline in shop/retry.py (S2)." in reply
    assert "@everyone" not in reply  # model text cannot ping people
    assert scripted.structured_requests == ["analysis", "reply"]


def test_the_approval_label_from_a_maintainer_starts_a_fix(world: LifecycleWorld) -> None:
    world.scan()
    world.reconcile()
    world.clock.advance(minutes=5)
    world.fake.act_on_issue(
        REPO, world.issue_number(), MAINTAINER, labels=["sheriff/ai-fix-approved"]
    )
    world.reconcile()
    assert world.state() == "PR_OPEN"


def test_a_dry_run_prints_the_plan_and_changes_nothing(world: LifecycleWorld) -> None:
    world.scan()
    before = world.snapshot()
    audit = len(world.store.audit_log(REPO))
    world.fake.clear_requests()
    report = world.reconcile(dry_run=True)
    assert report.cases[0].steps[0].startswith("analysis on #")
    assert any("ISSUE_OPEN -> TRIAGED" in step for step in report.cases[0].steps)
    assert world.state() == "ISSUE_OPEN"
    assert world.snapshot() == before
    assert len(world.store.audit_log(REPO)) == audit
    assert [item for item in world.fake.requests if item.method != "GET"] == []


def test_github_failing_while_facts_are_read_is_that_cases_problem(world: LifecycleWorld) -> None:
    world.scan()
    world.fake.fail_next(r"/issues/\d+/comments$", status=502, count=50, method="GET")
    report = world.reconcile()
    [outcome] = report.cases
    assert outcome.problems
    assert world.state() == "ISSUE_OPEN"
    assert [
        entry.event.details["action"]
        for entry in world.store.audit_log(REPO, action="action.failed")
    ] == ["gather"]
    world.fake.clear_faults()
    world.reconcile()
    assert world.state() == "WAITING_FOR_SIGNAL"


def test_a_mirror_that_cannot_fetch_is_audited_once_and_the_case_keeps_waiting(
    world: LifecycleWorld,
) -> None:
    world.scan()
    world.reconcile()
    assert world.state() == "WAITING_FOR_SIGNAL"
    origin = world.fake.git(REPO).path
    hidden = origin.with_name(origin.name + ".away")
    origin.rename(hidden)
    try:
        world.reconcile()
        world.reconcile()
    finally:
        hidden.rename(origin)
    assert world.state() == "WAITING_FOR_SIGNAL"
    assert audited(world, "quarantine.check_failed") == [
        "could not read tests/test_retry.py::test_fetch_within_deadline on main"
    ]
