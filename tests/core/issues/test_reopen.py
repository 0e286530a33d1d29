"""Reopening closed issues on recurrence."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sheriff.core.issues import IssueSnapshot, IssueState, decide_filing, decide_reopen
from sheriff.core.repo_config import RepoSettings
from tests.core.issues.real_cases import T0, go_case, occurrence

DEFAULTS = RepoSettings()
CLOSED = IssueSnapshot(
    17,
    "[failing] TestAlpha/Meetups (github.com/avelino/awesome-go)",
    "",
    frozenset({"sheriff/managed"}),
    author="sheriff[bot]",
    state=IssueState.CLOSED,
    state_reason="completed",
    closed_at=T0 + timedelta(hours=10),
)


def decide(issue: IssueSnapshot, hours: tuple[float, ...], settings: RepoSettings = DEFAULTS):  # type: ignore[no-untyped-def]
    case = go_case(tuple(occurrence(100 + n, hours=h) for n, h in enumerate(hours)))
    filing = decide_filing(case, settings, "main")
    return decide_reopen(issue, case, settings, default_branch="main", filing=filing)


def test_a_recurrence_after_closing_reopens_with_a_keyed_notice() -> None:
    decision = decide(CLOSED, (1, 2, 12))
    assert decision.reopen
    assert decision.notice is not None
    assert decision.notice.key == "reopen:3a56659289069b1f80a7:102.1"
    assert "happened again on `main`" in decision.notice.body
    assert (
        "[run #102](https://github.com/avelino/awesome-go/actions/runs/102)" in decision.notice.body
    )
    assert not decision.notice.editable


def test_only_evidence_from_before_closing_does_not_reopen() -> None:
    decision = decide(CLOSED, (1, 2, 9))
    assert not decision.reopen
    assert "no recurrence" in decision.reason


def test_closed_as_not_planned_stays_closed() -> None:
    decision = decide(replace(CLOSED, state_reason="not_planned"), (1, 12))
    assert not decision.reopen
    assert "not planned" in decision.reason


def test_an_ignore_label_keeps_it_closed_and_is_configurable() -> None:
    ignored = replace(CLOSED, labels=frozenset({"Sheriff/Ignore"}))
    assert not decide(ignored, (1, 12)).reopen
    custom = replace(DEFAULTS, ignore_labels=("wontfix", "known-flake"))
    assert not decide(replace(CLOSED, labels=frozenset({"known-flake"})), (1, 12), custom).reopen
    assert decide(ignored, (1, 12), custom).reopen


def test_a_pull_request_recurrence_does_not_reopen() -> None:
    case = go_case((occurrence(1, hours=1), occurrence(2, hours=1.5),
                    occurrence(3, hours=12, branch="fix", event="pull_request")))  # fmt: skip
    filing = decide_filing(case, DEFAULTS, "main")
    decision = decide_reopen(CLOSED, case, DEFAULTS, default_branch="main", filing=filing)
    assert not decision.reopen


def test_an_unknown_closing_time_never_reopens() -> None:
    assert not decide(replace(CLOSED, closed_at=None), (1, 12)).reopen


def test_an_open_issue_is_not_reopened() -> None:
    assert not decide(replace(CLOSED, state=IssueState.OPEN), (1, 12)).reopen
