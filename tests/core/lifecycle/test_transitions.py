"""The guarded transition table."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from sheriff.core.lifecycle import (
    TABLE,
    Actor,
    AnalysisPosted,
    ApprovalGranted,
    CaseState,
    FixStrategy,
    IllegalTransitionError,
    IssueClosed,
    PullRequestMerged,
    QuietPeriodElapsed,
    Recurred,
    TransitionRecord,
    TransitionRefused,
    require_transition,
    targets_of,
    transition,
)

S = CaseState
NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def approval(login: str = "octo", permission: str = "write", kind: str = "User") -> ApprovalGranted:
    return ApprovalGranted(Actor(login, kind), permission, "comment", "101", NOW)


def test_every_state_is_reachable_from_discovered() -> None:
    seen, frontier = {S.DISCOVERED}, [S.DISCOVERED]
    while frontier:
        for target in targets_of(frontier.pop()):
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    assert seen == set(S)


def test_the_documented_path_is_in_the_table() -> None:
    path = [
        S.DISCOVERED, S.ISSUE_OPEN, S.TRIAGED, S.WAITING_FOR_SIGNAL, S.APPROVED_TO_FIX, S.FIXING,
        S.PR_OPEN, S.PR_NEEDS_CHANGES, S.PR_UPDATING, S.PR_OPEN, S.MERGED, S.ISSUE_OPEN,
    ]  # fmt: skip
    for source, target in itertools.pairwise(path):
        assert target in targets_of(source), (source, target)


def test_an_approval_moves_waiting_to_approved() -> None:
    record = require_transition(S.WAITING_FOR_SIGNAL, approval(permission="maintain"))
    assert (record.from_state, record.to_state) == (S.WAITING_FOR_SIGNAL, S.APPROVED_TO_FIX)
    assert record.cause == "@octo (maintain) approved a fix by comment 101"


@pytest.mark.parametrize(
    ("event", "reason"),
    [
        (approval(permission="triage"), "has 'triage' permission; approving needs write"),
        (approval("renovate[bot]", "admin"), "@renovate[bot] is a bot: bots never approve"),
        (approval("helper", "admin", kind="Bot"), "@helper is a bot"),
        (approval("Sheriff-App", "admin"), "Sheriff cannot approve its own fix"),
    ],
)
def test_approvals_from_the_wrong_people_are_refused(event: ApprovalGranted, reason: str) -> None:
    outcome = transition(S.WAITING_FOR_SIGNAL, event, sheriff_login="sheriff-app")
    assert isinstance(outcome, TransitionRefused)
    assert reason in outcome.reason


def test_an_event_a_state_does_not_accept_names_what_it_accepts() -> None:
    outcome = transition(S.DISCOVERED, PullRequestMerged(12))
    assert outcome == TransitionRefused(
        S.DISCOVERED, PullRequestMerged(12), "DISCOVERED accepts IssueOpened"
    )
    with pytest.raises(
        IllegalTransitionError, match="PullRequestMerged is not allowed in DISCOVERED"
    ):
        require_transition(S.DISCOVERED, PullRequestMerged(12))


def test_quarantined_is_final_until_something_else_happens() -> None:
    outcome = transition(S.QUARANTINED, Recurred(NOW))
    assert isinstance(outcome, TransitionRefused)
    assert outcome.reason == "QUARANTINED accepts none (a final state)"


def test_the_quiet_period_guard() -> None:
    week = timedelta(days=7)
    early = QuietPeriodElapsed(NOW, NOW + timedelta(days=6), week)
    assert isinstance(transition(S.WAITING_FOR_SIGNAL, early), TransitionRefused)
    late = QuietPeriodElapsed(NOW, NOW + week, week)
    assert require_transition(S.WAITING_FOR_SIGNAL, late).to_state is S.RESOLVED


@pytest.mark.parametrize(
    ("reason", "target"),
    [("not_planned", S.CLOSED_WONTFIX), ("completed", S.RESOLVED), (None, S.RESOLVED)],
)
def test_a_closed_issue_goes_where_its_reason_says(reason: str | None, target: S) -> None:
    assert require_transition(S.TRIAGED, IssueClosed(5, reason, NOW)).to_state is target


def test_merging_is_accepted_from_every_pull_request_state() -> None:
    for state in (S.PR_OPEN, S.PR_NEEDS_CHANGES, S.PR_UPDATING):
        assert require_transition(state, PullRequestMerged(9)).to_state is S.MERGED


def test_audit_keys_identify_the_change() -> None:
    first = require_transition(S.ISSUE_OPEN, AnalysisPosted(812))
    again = require_transition(S.ISSUE_OPEN, AnalysisPosted(812))
    assert first.audit_key("tikv/pd", "abc") == again.audit_key("tikv/pd", "abc")
    assert first.audit_key("tikv/pd", "abc") == (
        "transition:tikv/pd:abc:ISSUE_OPEN>TRIAGED:AnalysisPosted:issue-812"
    )
    asked = ApprovalGranted(Actor("octo"), "write", "comment", "7", NOW, FixStrategy.AGENT)
    record = require_transition(S.WAITING_FOR_SIGNAL, asked)
    assert isinstance(record, TransitionRecord)
    assert record.audit_key("r", "f").endswith(":ApprovalGranted:comment-7-20250303T090000Z")


def test_no_two_rules_leave_a_state_on_the_same_event_without_guards() -> None:
    unguarded = [
        (source, rule.event) for rule in TABLE if rule.guard is None for source in rule.sources
    ]
    assert len(unguarded) == len(set(unguarded))
