"""Which failures open an issue."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sheriff.core.issues import FlakySignal, Verdict, decide_filing
from sheriff.core.issues.facts import commit_that_failed_and_passed
from sheriff.core.model import FailureType
from sheriff.core.repo_config import RepoSettings
from tests.core.issues.real_cases import (
    FLAKY_RETRY,
    build_case,
    go_case,
    infra_case,
    occurrence,
    on_main,
)

DEFAULTS = RepoSettings()


def test_a_test_failure_seen_once_on_main_waits_for_a_recurrence() -> None:
    decision = decide_filing(go_case(on_main(1)), DEFAULTS, "main")
    assert not decision.file
    assert decision.verdict is Verdict.FAILING
    assert "once it fails in 2 runs" in decision.reason


def test_a_recurring_test_failure_on_main_is_filed() -> None:
    decision = decide_filing(go_case(on_main(2)), DEFAULTS, "main")
    assert decision.file
    assert decision.reason == "failed in 2 runs on `main`"


def test_two_jobs_of_one_run_are_not_a_recurrence() -> None:
    same_run = (occurrence(7, job="test (go 1.21)"), occurrence(7, job="test (go 1.22)"))
    assert not decide_filing(go_case(same_run), DEFAULTS, "main").file


def test_a_failure_that_passed_on_retry_is_flaky_and_filed_at_once() -> None:
    case = go_case(on_main(1), flakiness=FLAKY_RETRY)
    decision = decide_filing(case, DEFAULTS, "main")
    assert decision.file
    assert decision.verdict is Verdict.FLAKY
    assert "failed and passed on the same commit 9f2c4e1" in decision.reason


@pytest.mark.parametrize(("p_flaky", "flaky"), [(0.69, False), (0.7, True), (0.95, True)])
def test_p_flaky_counts_from_the_threshold(p_flaky: float, flaky: bool) -> None:
    case = go_case(on_main(1), flakiness=FlakySignal(p_flaky=p_flaky))
    decision = decide_filing(case, DEFAULTS, "main")
    assert (decision.verdict is Verdict.FLAKY) is flaky
    assert decision.file is flaky


def test_pull_request_runs_never_open_issues() -> None:
    prs = tuple(occurrence(100 + n, branch="fix-meetups", event="pull_request") for n in range(5))
    decision = decide_filing(go_case(prs, flakiness=FLAKY_RETRY), DEFAULTS, "main")
    assert not decision.file
    assert "pull-request runs" in decision.reason


def test_pull_request_evidence_still_proves_flakiness_of_a_main_failure() -> None:
    mixed = (occurrence(1), occurrence(2, branch="pr-branch", event="pull_request"))
    decision = decide_filing(go_case(mixed, flakiness=FLAKY_RETRY), DEFAULTS, "main")
    assert decision.file


def test_other_branches_are_not_watched_unless_configured() -> None:
    release = tuple(occurrence(n, branch="release/1.2", hours=n) for n in range(3))
    assert not decide_filing(go_case(release), DEFAULTS, "main").file
    widened = replace(DEFAULTS, branches=("main", "release/*"))
    assert decide_filing(go_case(release), widened, "main").file


def test_infrastructure_failures_are_counted_never_filed_by_default() -> None:
    decision = decide_filing(infra_case(), DEFAULTS, "main")
    assert not decision.file
    assert "recorded and counted" in decision.reason
    assert "issue_kinds" in decision.reason


@pytest.mark.parametrize(
    "kinds", ["all", frozenset({FailureType.INFRASTRUCTURE, FailureType.TEST})]
)
def test_issue_kinds_widens_the_policy(kinds: object) -> None:
    settings = replace(DEFAULTS, issue_kinds=kinds)
    assert decide_filing(infra_case(), settings, "main").file


def test_a_build_failure_is_never_flaky() -> None:
    case = replace(build_case(), flakiness=FLAKY_RETRY)
    decision = decide_filing(case, replace(DEFAULTS, issue_kinds="all"), "main")
    assert decision.verdict is Verdict.FAILING
    assert decision.file  # 3 runs on main
    assert not decide_filing(case, DEFAULTS, "main").file


def test_an_explicit_list_excludes_tests() -> None:
    settings = replace(DEFAULTS, issue_kinds=frozenset({FailureType.BUILD}))
    decision = decide_filing(go_case(on_main(3)), settings, "main")
    assert not decision.file
    assert "test_failure is not filed" in decision.reason


def test_the_recurrence_threshold_is_configurable() -> None:
    settings = replace(DEFAULTS, recurrence_threshold=3)
    assert not decide_filing(go_case(on_main(2)), settings, "main").file
    assert decide_filing(go_case(on_main(3)), settings, "main").file


def test_a_commit_that_failed_and_passed_is_flaky_evidence() -> None:
    assert commit_that_failed_and_passed(["aaa", "bbb"], ["ccc", "bbb"]) == "bbb"
    assert commit_that_failed_and_passed(["aaa"], ["bbb"]) is None
