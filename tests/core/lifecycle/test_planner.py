"""The planner end to end against a simulated world: every step, and nothing twice."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import timedelta

from sheriff.core.lifecycle import (
    AddressReview,
    CaseState,
    CloseIssue,
    CommentOnIssue,
    CommentOnPullRequest,
    FixStrategy,
    OpenPullRequest,
    PostAnalysis,
    PushFix,
    ReopenIssue,
    ReplyToComment,
    ReplyToReviewComment,
    StartFix,
    Transition,
    next_step,
    transitions_in,
)
from tests.core.lifecycle.world import CONTRIBUTOR, DEPENDABOT, MAINTAINER, World, base_facts

S = CaseState


def states(world: World) -> list[S]:
    return [world.facts.history[0].from_state, *(c.to_state for c in world.facts.history)]


def assert_settled(world: World) -> None:
    assert next_step(world.facts) == []
    duplicates = [key for key, count in Counter(world.sheriff_keys()).items() if count > 1]
    assert duplicates == []


def approved_world(**changes: object) -> World:
    world = World(base_facts(**changes))
    world.reconcile()
    world.person_comments(MAINTAINER, "/ai-fix")
    return world


def test_a_new_case_gets_its_analysis_and_waits() -> None:
    world = World(base_facts())
    actions = world.reconcile()
    assert world.kinds(actions) == ["Transition", "PostAnalysis", "Transition", "Transition"]
    assert states(world) == [S.DISCOVERED, S.ISSUE_OPEN, S.TRIAGED, S.WAITING_FOR_SIGNAL]
    assert world.sheriff_keys() == [f"analysis:{world.facts.fingerprint}"]
    assert_settled(world)


def test_the_whole_loop_to_merge_and_back() -> None:
    world = World(base_facts())
    world.reconcile()

    world.person_comments(CONTRIBUTOR, "/ai-fix")  # read permission: refused, once
    refused = world.reconcile()
    assert world.kinds(refused) == ["CommentOnIssue"]
    assert world.facts.state is S.WAITING_FOR_SIGNAL
    assert_settled(world)

    world.person_comments(MAINTAINER, "Looks flaky to me.\n/ai-fix quarantine")
    started = world.reconcile()
    assert world.kinds(started) == [
        "CommentOnIssue", "Transition", "Transition", "StartFix", "PushFix", "OpenPullRequest",
        "Transition",
    ]  # fmt: skip
    start = next(a for a in started if isinstance(a, StartFix))
    assert (start.strategy, start.branch) == (FixStrategy.QUARANTINE, "sheriff/fix-3f9a1c0d")
    assert world.facts.state is S.PR_OPEN
    assert_settled(world)

    world.checks_fail()
    fixing_ci = world.reconcile()
    address = next(a for a in fixing_ci if isinstance(a, AddressReview))
    assert [c.name for c in address.failed_checks] == ["tests (ubuntu-latest)"]
    assert world.facts.state is S.PR_OPEN
    assert_settled(world)

    world.review(MAINTAINER, comment="Please link the issue in the skip message.")
    addressed = world.reconcile()
    address = next(a for a in addressed if isinstance(a, AddressReview))
    assert len(address.reviews) == 1
    assert len(address.comments) == 1
    reply = next(a for a in addressed if isinstance(a, ReplyToReviewComment))
    assert reply.addressed_in == world.facts.pull_request.head_sha  # type: ignore[union-attr]
    assert_settled(world)

    world.merge()
    merged = world.reconcile()
    assert world.kinds(merged) == ["Transition", "CloseIssue", "CommentOnIssue"]
    assert world.facts.state is S.MERGED
    assert not world.issue.open
    assert_settled(world)

    world.tick(3600)
    world.recur()
    reopened = world.reconcile()
    assert world.kinds(reopened)[:3] == ["ReopenIssue", "CommentOnIssue", "Transition"]
    assert world.facts.state is S.WAITING_FOR_SIGNAL
    assert world.issue.open
    assert_settled(world)
    assert states(world) == [
        S.DISCOVERED, S.ISSUE_OPEN, S.TRIAGED, S.WAITING_FOR_SIGNAL, S.APPROVED_TO_FIX, S.FIXING,
        S.PR_OPEN, S.PR_NEEDS_CHANGES, S.PR_UPDATING, S.PR_OPEN, S.PR_NEEDS_CHANGES,
        S.PR_UPDATING, S.PR_OPEN, S.MERGED, S.ISSUE_OPEN, S.TRIAGED, S.WAITING_FOR_SIGNAL,
    ]  # fmt: skip


def test_an_old_approval_does_not_start_a_second_attempt() -> None:
    world = approved_world()
    world.reconcile()
    world.merge()
    world.reconcile()
    world.tick(3600)
    world.recur()
    world.reconcile()
    assert world.facts.state is S.WAITING_FOR_SIGNAL  # the earlier /ai-fix was used up
    world.label(MAINTAINER)
    again = world.reconcile()
    assert "StartFix" in world.kinds(again)
    assert_settled(world)


def test_a_pull_request_closed_unmerged_stops_the_case() -> None:
    world = approved_world()
    world.reconcile()
    world.close_pr()
    actions = world.reconcile()
    assert world.facts.state is S.CLOSED_WONTFIX
    assert world.kinds(actions) == ["Transition", "CommentOnIssue"]
    assert world.issue.open  # the issue stays for people to decide
    assert_settled(world)


def test_a_failed_fix_waits_for_a_new_approval() -> None:
    world = approved_world()
    world.fix_failure = "the test file was not found"
    world.reconcile()
    assert world.facts.state is S.WAITING_FOR_SIGNAL
    assert any(key.startswith("fix-failed:") for key in world.sheriff_keys())
    assert_settled(world)
    world.fix_failure = None
    world.person_comments(MAINTAINER, "/ai-fix")
    world.reconcile()
    assert world.facts.state is S.PR_OPEN
    assert_settled(world)


def test_quiet_period_resolves_and_closes_then_recurrence_reopens() -> None:
    world = World(base_facts())
    world.reconcile()
    world.tick(timedelta(days=15).total_seconds())
    resolved = world.reconcile()
    assert world.kinds(resolved) == ["CommentOnIssue", "CloseIssue", "Transition"]
    assert world.facts.state is S.RESOLVED
    assert not world.issue.open
    assert_settled(world)
    world.recur()
    world.reconcile()
    assert world.facts.state is S.WAITING_FOR_SIGNAL
    assert world.issue.open
    assert_settled(world)


def test_no_reopen_after_people_closed_as_not_planned() -> None:
    world = approved_world()
    world.reconcile()
    world.merge()
    world.reconcile()
    world._issue(state_reason="not_planned")
    world.recur()
    assert next_step(world.facts) == []


def test_a_person_closing_the_issue_before_a_fix_ends_the_case() -> None:
    world = World(base_facts())
    world.reconcile()
    world._issue(open=False, state_reason="not_planned", closed_at=world.facts.now)
    actions = world.reconcile()
    assert [t.to_state for t in transitions_in(actions)] == [S.CLOSED_WONTFIX]


def test_update_rounds_are_bounded_and_the_give_up_notice_is_posted_once() -> None:
    world = approved_world(settings=replace(base_facts().settings, max_update_rounds=1))
    world.reconcile()
    world.checks_fail()
    world.reconcile()
    world.checks_fail()
    actions = world.reconcile()
    assert world.kinds(actions) == ["CommentOnPullRequest"]
    assert isinstance(actions[0], CommentOnPullRequest)
    assert actions[0].comment.key.startswith("gave-up:")
    assert_settled(world)


def test_a_failed_update_is_reported_and_not_retried_for_the_same_feedback() -> None:
    world = approved_world()
    world.reconcile()
    world.update_failure = "the agent stalled: the same test failure twice"
    world.checks_fail()
    actions = world.reconcile()
    assert world.kinds(actions) == [
        "Transition", "Transition", "AddressReview", "CommentOnPullRequest", "Transition"
    ]  # fmt: skip
    assert world.facts.state is S.PR_OPEN
    assert_settled(world)


def test_bots_and_sheriff_never_get_replies_and_people_get_one_each() -> None:
    world = World(base_facts())
    world.reconcile()
    first = world.person_comments(CONTRIBUTOR, "I see this on my fork too.")
    world.person_comments(DEPENDABOT, "Bumps x from 1 to 2.")
    world.person_comments(CONTRIBUTOR, "> /ai-fix\nquoting the docs")
    actions = world.reconcile()
    replies = [a for a in actions if isinstance(a, ReplyToComment)]
    assert [r.comment.id for r in replies] == [first, first + 2]
    assert_settled(world)


def test_discussion_replies_are_bounded_per_issue() -> None:
    settings = replace(base_facts().settings, max_replies_per_issue=2)
    world = World(base_facts(settings=settings))
    world.reconcile()
    for number in range(4):
        world.person_comments(CONTRIBUTOR, f"question {number}")
    world.reconcile()
    assert sum(key.startswith("reply:") for key in world.sheriff_keys()) == 2
    assert_settled(world)


def test_on_a_persons_issue_only_comments_after_sheriff_joined_are_answered() -> None:
    world = World(base_facts())
    world._issue(created_by_sheriff=False)
    world.person_comments(CONTRIBUTOR, "Filed this last week.")
    actions = world.reconcile()
    assert not any(isinstance(a, ReplyToComment) for a in actions)
    later = world.person_comments(CONTRIBUTOR, "Any idea why?")
    replies = [a for a in world.reconcile() if isinstance(a, ReplyToComment)]
    assert [r.comment.id for r in replies] == [later]


def test_an_approval_comment_with_unknown_permission_waits_for_the_check() -> None:
    world = World(base_facts(permissions={}))
    world.reconcile()
    world.person_comments(MAINTAINER, "/ai-fix")
    assert next_step(world.facts) == []
    world.facts = replace(world.facts, permissions={MAINTAINER.login: "admin"})
    assert any(isinstance(a, StartFix) for a in next_step(world.facts))


def test_a_maintainer_command_during_the_review_gets_a_status_reply() -> None:
    world = approved_world()
    world.reconcile()
    world.person_comments(MAINTAINER, "/ai-fix agent")
    actions = world.reconcile()
    assert world.kinds(actions) == ["CommentOnIssue"]
    assert isinstance(actions[0], CommentOnIssue)
    assert "already proposed" in actions[0].comment.body


def test_a_crash_after_pushing_opens_the_pull_request_without_a_new_branch() -> None:
    world = approved_world()
    for action in next_step(world.facts):  # approve, start the fix: a commit in the mirror
        world.tick()
        world.execute(action)
    assert world.commits == 1
    for action in next_step(world.facts):  # push, then crash before opening the PR
        world.tick()
        world.execute(action)
        if isinstance(action, PushFix):
            break
    resumed = next_step(world.facts)
    assert [type(a) for a in resumed] == [OpenPullRequest]
    world.reconcile()
    assert world.commits == 1
    assert world.facts.state is S.PR_OPEN


def test_dry_run_descriptions_read_as_sentences() -> None:
    plan = next_step(base_facts(state=S.ISSUE_OPEN))
    assert [action.describe() for action in plan] == [
        "analysis on #812: post (analysis:3f9a1c0d5e7b2a4c6d8e0f1a)",
        "ISSUE_OPEN -> TRIAGED: analysis posted on issue #812",
        "TRIAGED -> WAITING_FOR_SIGNAL: waiting for a maintainer's signal",
    ]
    assert isinstance(plan[0], PostAnalysis)
    assert isinstance(plan[1], Transition)


def test_merged_without_recurrence_closes_once_even_if_people_reopen() -> None:
    world = approved_world()
    world.reconcile()
    world.merge()
    world.reconcile()
    world._issue(open=True, state_reason="reopened")
    assert next_step(world.facts) == []
    assert not any(isinstance(a, (CloseIssue, ReopenIssue)) for a in next_step(world.facts))
    assert not any(isinstance(a, ReplyToReviewComment) for a in world.executed)
