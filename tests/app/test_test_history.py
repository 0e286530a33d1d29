"""What one job attempt adds to the test-result history, from a real failing log."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from sheriff.app.forge import WorkflowJob, WorkflowRun
from sheriff.app.ports import TestOutcome
from sheriff.app.test_history import (
    FINGERPRINT_FRAMEWORK,
    JOB_PASSED,
    FailureSeen,
    JobAttempt,
    job_results,
    observation_of,
    unit_of,
)
from sheriff.core.causes import causes_of
from sheriff.core.model import FailureType, TestIdentity
from sheriff.core.test_results import CaseOutcome, CaseResult
from sheriff.core.triage import triage_bytes
from sheriff.testing.fakegithub import DEMO_SEED
from tests.app.scan_world import FAIL_LOG, START

RUN = WorkflowRun(
    run_id=7, attempt=1, workflow="CI", workflow_path=None, workflow_id=None, run_number=3,
    head_sha="a" * 40, head_branch="main", event="push", status="completed",
    conclusion="failure", created_at=START, actor="ana",
)  # fmt: skip
JOB = WorkflowJob(
    job_id=70, run_id=7, attempt=1, name="build-test", status="completed",
    conclusion="failure", completed_at=START + timedelta(minutes=4),
)  # fmt: skip


def _failures(path: Path = FAIL_LOG) -> list[FailureSeen]:
    report = triage_bytes(path.read_bytes(), source=str(path))
    return [FailureSeen(failure, "log") for failure in causes_of(report)]


def test_a_failing_test_is_recorded_with_its_signature_class_and_job_context() -> None:
    failures = _failures()
    ok = TestIdentity("junit", "ConsoleClientTest", "ok()")
    passing = CaseResult(ok, CaseOutcome.PASSED, "junit")
    records = job_results(JobAttempt("acme/app", RUN, JOB, failures, [passing]), [])
    failed = [r for r in records if r.outcome is TestOutcome.FAILED]
    assert failed
    first = failed[0]
    assert first.fingerprint == failures[0].failure.fingerprint
    assert first.signature == failures[0].failure.signature
    assert first.failure_type is FailureType.TEST
    assert first.context is not None
    assert (first.context.failed, first.context.total) == (len(failed), len(records))
    assert first.context.concurrent == 0
    assert first.time == START + timedelta(minutes=4)
    [passed] = [r for r in records if r.outcome is TestOutcome.PASSED]
    assert passed.source == "junit"


def test_the_same_failure_of_other_tests_just_before_counts_as_concurrent() -> None:
    failures = _failures()
    mine = [observation_of(r) for r in job_results(JobAttempt("acme/app", RUN, JOB, failures), [])]
    focal = mine[0]
    others = [
        replace(focal, test=f"Other::{index}", run_id=5, time=focal.time - timedelta(minutes=20))
        for index in range(2)
    ]
    too_early = replace(others[0], test="Old::t", time=focal.time - timedelta(hours=2))
    same_job = replace(focal, test="Sibling::t")  # same job attempt: that is ``shared``
    records = job_results(
        JobAttempt("acme/app", RUN, JOB, failures), [*others, too_early, same_job]
    )
    assert records[0].context is not None
    assert records[0].context.concurrent == 2


def test_a_job_that_passed_later_records_a_pass_for_what_failed_before() -> None:
    failures = _failures()
    unit = unit_of(failures[0].failure)
    rerun = replace(RUN, attempt=2)
    [record] = job_results(JobAttempt("acme/app", rerun, JOB, passed=[unit]), [])
    assert (record.outcome, record.attempt, record.source) == (TestOutcome.PASSED, 2, JOB_PASSED)
    assert record.fingerprint is None
    assert observation_of(record).test.endswith(unit.name)


def test_a_failure_outside_any_test_is_followed_by_its_fingerprint() -> None:
    lint = DEMO_SEED / "logs" / "pytorch" / "lint_lintrunner.log"
    failures = _failures(lint)
    unit = unit_of(failures[0].failure)
    assert unit == TestIdentity(FINGERPRINT_FRAMEWORK, None, failures[0].failure.fingerprint)
    [first, *_] = job_results(JobAttempt("acme/app", RUN, JOB, failures), [])
    assert first.failure_type is FailureType.LINT
