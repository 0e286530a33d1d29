"""Rerun bounds, verdicts and quarantine candidates."""

from dataclasses import replace
from datetime import timedelta

import pytest

from sheriff.core.flaky import (
    FlakinessEngine,
    RerunPolicy,
    ResultContext,
    Verdict,
    quarantine_candidates,
)
from sheriff.core.flaky.assess import assess_unit
from sheriff.core.flaky.decisions import FailingTest, RerunLimits, decide_rerun
from sheriff.core.flaky.history import with_job_context
from sheriff.core.flaky.records import failure_type_of
from sheriff.core.model import FailureType
from tests.core.flaky.builders import T0, TEST, history_of, result

FLAKY = [FailingTest(TEST, 0.9, deterministic=False)]


def test_a_run_is_rerun_at_most_once() -> None:
    policy = RerunPolicy()
    first = policy.decide("acme/w", 1, "unit", T0, FLAKY)
    assert first is not None
    assert first.run_id == 1
    assert policy.decide("acme/w", 1, "e2e", T0, FLAKY) is None


def test_deterministic_failures_are_never_rerun() -> None:
    lint = [FailingTest("lint::ruff", 0.99, deterministic=True)]
    assert RerunPolicy().decide("acme/w", 1, "lint", T0, lint) is None


def test_a_failure_below_the_threshold_blocks_the_rerun() -> None:
    mixed = [*FLAKY, FailingTest("tests/test_api.py::test_get", 0.2, deterministic=False)]
    assert RerunPolicy(threshold=0.7).decide("acme/w", 1, "unit", T0, mixed) is None


def test_the_hourly_cap_is_per_repository_and_frees_up_after_an_hour() -> None:
    policy = RerunPolicy(hourly_cap=2)
    decided = [policy.decide("acme/w", run, "unit", T0, FLAKY) for run in (1, 2, 3)]
    assert [d is not None for d in decided] == [True, True, False]
    assert policy.decide("acme/other", 4, "unit", T0, FLAKY) is not None
    assert policy.decide("acme/w", 5, "unit", T0 + timedelta(hours=1), FLAKY) is not None


def test_the_engine_never_reruns_lint_failures_however_often_they_flip() -> None:
    engine = FlakinessEngine()
    decisions = []
    for run in range(1, 8):
        lint = result("fail", sha=f"s{run}", run_id=run, minutes=run, test="lint::ruff",
                      signature="ruff: E501 line too long")  # fmt: skip
        passed = result("pass", sha=f"s{run}", run_id=run, minutes=run, test="lint::ruff")
        decisions.append(engine.observe_job([lint]).rerun)
        engine.observe_job([passed])
    assert decisions == [None] * 7
    assert engine.assess("lint::ruff").verdict is not Verdict.FLAKY


def test_a_mass_failure_is_infra_and_never_makes_a_test_flaky() -> None:
    engine = FlakinessEngine()
    job = [result("fail", test=f"tests/test_m.py::test_{i}", signature="OSError") for i in range(8)]
    outcome = engine.observe_job(job)
    assert outcome.infra
    assert outcome.rerun is None
    assert engine.assess("tests/test_m.py::test_0").verdict is Verdict.INFRA


def test_a_test_that_never_failed_is_healthy() -> None:
    engine = FlakinessEngine()
    engine.observe_job([result("pass")])
    assert engine.assess(TEST).verdict is Verdict.HEALTHY


def test_flaky_on_three_default_branch_commits_is_a_quarantine_candidate() -> None:
    runs = [result(o, sha=f"s{i // 2}", run_id=i, minutes=i)
            for i, o in enumerate(["fail", "pass"] * 3)]  # fmt: skip
    record = history_of(*runs).record_of(TEST)
    assert quarantine_candidates([(TEST, record, 0.5)], T0 + timedelta(hours=1)) == [TEST]
    assert quarantine_candidates([(TEST, record, 0.5)], T0 + timedelta(days=30)) == []


def test_a_sure_posterior_with_ten_results_is_a_quarantine_candidate() -> None:
    runs = [result("pass", sha=f"s{i}", run_id=i) for i in range(9)] + [result("fail")]
    record = history_of(*runs).record_of(TEST)
    assert quarantine_candidates([(TEST, record, 0.95)], T0) == [TEST]
    assert quarantine_candidates([(TEST, record, 0.8)], T0) == []


@pytest.mark.parametrize(
    ("signature", "failure_type"),
    [
        ("ruff: E501 line too long", FailureType.LINT),
        ("mypy: error: Incompatible types", FailureType.TYPE_CHECK),
        ("error: build failed with 3 errors", FailureType.BUILD),
        ("ModuleNotFoundError: No module named 'yaml'", FailureType.DEPENDENCY),
        ("invalid workflow file: .github/workflows/ci.yml", FailureType.CONFIG),
    ],
)
def test_every_deterministic_class_is_never_rerun(
    signature: str, failure_type: FailureType
) -> None:
    assert failure_type_of(signature) is failure_type
    engine = FlakinessEngine(threshold=0.0)
    job = [result("fail", signature=signature), result("pass", test="tests/test_b.py::test_b")]
    assert engine.observe_job(job).rerun is None


LIMITS = RerunLimits(threshold=0.7, hourly_cap=10)


@pytest.mark.parametrize(
    ("attempt", "failing", "limits", "reason"),
    [
        (1, FLAKY, replace(LIMITS, already_rerun=True), "once already"),
        (2, FLAKY, LIMITS, "attempt 2"),
        (1, FLAKY, replace(LIMITS, age=timedelta(hours=30)), "too old"),
        (1, [], LIMITS, "no failing test"),
        (1, [FailingTest("runner", 0.99, deterministic=False, infra=True)], LIMITS, "infra"),
        (1, FLAKY, replace(LIMITS, reruns_last_hour=10), "hourly cap"),
        (1, [FailingTest("build", 0.99, deterministic=True)], LIMITS, "deterministic"),
    ],
)
def test_every_refusal_says_why(
    attempt: int, failing: list[FailingTest], limits: RerunLimits, reason: str
) -> None:
    decision = decide_rerun(attempt, failing, limits)
    assert not decision.rerun
    assert reason in decision.reason


def test_an_infrastructure_failure_beside_flaky_tests_does_not_block_the_rerun() -> None:
    runner = FailingTest("runner", 0.0, deterministic=False, infra=True)
    decision = decide_rerun(1, [*FLAKY, runner], replace(LIMITS, age=timedelta(hours=2)))
    assert decision.rerun
    assert decision.p_flaky == 0.9


def test_the_job_context_kept_with_a_result_judges_it_alone_as_in_its_job() -> None:
    job = [result("fail", test=f"tests/test_m.py::test_{i}", signature="OSError") for i in range(8)]
    judged = with_job_context(job)
    assert all(item.context is not None and item.context.broke for item in judged)
    alone = FlakinessEngine()
    assert alone.observe_job([judged[0]]).infra  # read back alone, still a broken job
    assert with_job_context([judged[0]])[0].context == judged[0].context  # kept as recorded


def test_a_job_with_few_failures_among_many_tests_did_not_break() -> None:
    context = ResultContext(failed=5, total=200)
    assert not context.broke
    assert ResultContext(failed=1, total=1, infra=True).broke


def test_assessing_a_stored_history_flags_a_flaky_test_and_a_quarantine_candidate() -> None:
    history = [result(o, sha=f"s{i // 2}", run_id=i, minutes=i)
               for i, o in enumerate(["fail", "pass"] * 4)]  # fmt: skip
    judged = assess_unit(list(reversed(history)), TEST, threshold=0.7, now=T0)
    assert judged.assessment.verdict is Verdict.FLAKY
    assert judged.quarantine_candidate
    assert judged.results == 8
    lint = [replace(item, failure_type=FailureType.LINT) for item in history]
    assert assess_unit(lint, TEST, threshold=0.7, now=T0).assessment.verdict is Verdict.REGRESSION
