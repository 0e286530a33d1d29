from dataclasses import replace
from datetime import UTC, datetime

import pytest

from sheriff.core.model import FailureType, Strength
from sheriff.core.pr_report import CauseFacts, JobFacts, JobVerdict, TrunkFailure, judge_job
from sheriff.core.triage import triage_bytes
from tests.conftest import read_tool_fixture
from tests.core.pr_report.samples import REPO, pricing_failures

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
TRUNK = TrunkFailure(7, "a" * 40, NOW, "https://example.org/run/7")


def job(*causes: CauseFacts, problem: str | None = None) -> JobFacts:
    return JobFacts(1, 1, "CI", 11, "tests", "failure", log_problem=problem, causes=causes)


def cause(**fields: object) -> CauseFacts:
    return CauseFacts(pricing_failures()[0], **fields)  # type: ignore[arg-type]


def with_type(
    facts: CauseFacts, failure_type: FailureType, strength: Strength = Strength.CLEAR
) -> CauseFacts:
    finding = replace(facts.failure.finding, failure_type=failure_type, strength=strength)
    return replace(facts, failure=replace(facts.failure, finding=finding))


@pytest.mark.parametrize(
    ("facts", "verdict"),
    [
        (cause(), JobVerdict.NEW),
        (cause(p_flaky=0.1, flaky_verdict="regression"), JobVerdict.NEW),
        (cause(p_flaky=0.71, flaky_verdict="unknown"), JobVerdict.FLAKY),
        (cause(p_flaky=0.5, flaky_verdict="flaky"), JobVerdict.FLAKY),
        (cause(trunk_flaky=(TRUNK,)), JobVerdict.FLAKY),
        (cause(trunk=(TRUNK,)), JobVerdict.BROKEN_TRUNK),
        (cause(p_flaky=0.9, flaky_verdict="broken_trunk"), JobVerdict.BROKEN_TRUNK),
        (cause(p_flaky=0.9, trunk=(TRUNK,)), JobVerdict.FLAKY),  # flaky on trunk too
        (cause(flaky_verdict="infra", trunk=(TRUNK,)), JobVerdict.INFRA),
        (with_type(cause(), FailureType.UNKNOWN), JobVerdict.UNKNOWN),
        (with_type(cause(), FailureType.TEST, Strength.WEAK), JobVerdict.UNKNOWN),
    ],
)
def test_each_cause_gets_one_verdict(facts: CauseFacts, verdict: JobVerdict) -> None:
    judged = judge_job(job(facts), threshold=0.7)
    assert judged.verdict is verdict
    assert judged.deciding is not None
    assert judged.deciding.cause is facts


def test_a_lint_failure_is_never_flaky_however_high_its_p() -> None:
    lint = with_type(cause(p_flaky=0.95, trunk_flaky=(TRUNK,)), FailureType.LINT)
    assert judge_job(job(lint), 0.7).verdict is JobVerdict.NEW


def test_infrastructure_from_a_real_log_is_infra() -> None:
    report = triage_bytes(read_tool_fixture("git/git_clone_dns.log"), repo=REPO)
    facts = CauseFacts(report.failures[0])
    judged = judge_job(job(facts), 0.7)
    assert judged.verdict is JobVerdict.INFRA
    assert "infrastructure" in judged.reason


def test_a_job_is_new_when_any_cause_is_new() -> None:
    first, second = pricing_failures()
    flaky = CauseFacts(first, p_flaky=0.9)
    new = CauseFacts(second)
    judged = judge_job(job(flaky, new), 0.7)
    assert judged.verdict is JobVerdict.NEW
    assert judged.deciding is not None
    assert judged.deciding.cause is new
    assert [item.verdict for item in judged.causes] == [JobVerdict.FLAKY, JobVerdict.NEW]
    assert judged.p_flaky is None


def test_unreadable_or_silent_logs_are_unknown() -> None:
    expired = judge_job(job(problem="expired (410)"), 0.7)
    assert expired.verdict is JobVerdict.UNKNOWN
    assert expired.reason == "log unavailable: expired (410)"
    assert judge_job(job(), 0.7).reason == "triage found no failure in the log"
    assert JobVerdict.BROKEN_TRUNK.label == "BROKEN TRUNK"
