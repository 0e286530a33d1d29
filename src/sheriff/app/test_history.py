"""The test-result history of the flakiness engine ([T3]): what one job attempt adds to it,
and the store's rows turned back into the engine's observations.

A failing test is known from the log (or a report); a test that passed is known only from
structured results (JUnit/xUnit XML, ``go test -json``) or, when the whole job passed on
another attempt of the same run, from that job's success. A failure outside any test (a
build error, a crashed step) is followed under its fingerprint, as a test of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sheriff.app.forge import WorkflowJob, WorkflowRun
from sheriff.app.ports import TestOutcome, TestResultRecord
from sheriff.core.flaky import Observation, Outcome
from sheriff.core.flaky.history import count_concurrent, with_job_context
from sheriff.core.model import Failure, TestIdentity
from sheriff.core.test_results import CaseOutcome, CaseResult

FINGERPRINT_FRAMEWORK = "fingerprint"
JOB_PASSED = "job-passed"  # the source of a pass known from the job's success

_OUTCOMES = {
    CaseOutcome.PASSED: Outcome.PASS,
    CaseOutcome.FAILED: Outcome.FAIL,
    CaseOutcome.SKIPPED: Outcome.SKIP,
}


def unit_of(failure: Failure) -> TestIdentity:
    """The test a failure belongs to; one outside any test is followed by fingerprint."""
    return failure.finding.test or TestIdentity(FINGERPRINT_FRAMEWORK, None, failure.fingerprint)


def unit_name(test: TestIdentity) -> str:
    return f"{test.suite}::{test.name}" if test.suite else test.name


@dataclass(frozen=True, slots=True)
class FailureSeen:
    failure: Failure
    source: str  # log, junit, go-json


@dataclass(frozen=True, slots=True)
class JobAttempt:
    """One job of one run attempt, with what is known of its tests."""

    repo: str
    run: WorkflowRun  # the attempt the job belongs to
    job: WorkflowJob
    failures: Sequence[FailureSeen] = ()
    reported: Sequence[CaseResult] = ()  # structured results (passes and skips are used)
    passed: Sequence[TestIdentity] = ()  # known to pass: the job passed on this attempt

    @property
    def time(self) -> datetime:
        job, run = self.job, self.run
        return job.completed_at or job.started_at or run.started_at or run.created_at


@dataclass(frozen=True, slots=True)
class _Row:
    test: TestIdentity
    observation: Observation
    source: str
    fingerprint: str | None = None


def job_results(attempt: JobAttempt, earlier: Sequence[Observation]) -> list[TestResultRecord]:
    """The job attempt's results, each with its ``ResultContext``; ``earlier`` are the
    repository's failures of the hour before (for ``concurrent``)."""
    rows: dict[str, _Row] = {}
    for seen in attempt.failures:
        test, failure = unit_of(seen.failure), seen.failure
        failed = _observation(attempt, test, Outcome.FAIL, failure)
        rows.setdefault(failed.test, _Row(test, failed, seen.source, failure.fingerprint))
    for result in attempt.reported:
        if result.outcome is not CaseOutcome.FAILED:  # failures come from triage, with causes
            item = _observation(attempt, result.test, _OUTCOMES[result.outcome])
            rows.setdefault(item.test, _Row(result.test, item, result.source))
    for test in attempt.passed:
        item = _observation(attempt, test, Outcome.PASS)
        rows.setdefault(item.test, _Row(test, item, JOB_PASSED))
    judged = with_job_context([row.observation for row in rows.values()])
    return [
        _record(attempt, row, _with_concurrent(item, earlier))
        for row, item in zip(rows.values(), judged, strict=True)
    ]


def _with_concurrent(item: Observation, earlier: Sequence[Observation]) -> Observation:
    if not item.failed or item.context is None:
        return item
    context = replace(item.context, concurrent=count_concurrent(item, earlier))
    return replace(item, context=context)


def _observation(
    attempt: JobAttempt, test: TestIdentity, outcome: Outcome, failure: Failure | None = None
) -> Observation:
    run = attempt.run
    return Observation(
        repo=attempt.repo, workflow=run.workflow, job=attempt.job.name, run_id=run.run_id,
        run_attempt=run.attempt, sha=run.head_sha, branch=run.head_branch or "",
        event=run.event, pr=run.pull_requests[0] if run.pull_requests else None,
        author=run.triggering_actor or run.actor or "", time=attempt.time,
        test=unit_name(test), outcome=outcome,
        signature=failure.signature if failure else "",
        failure_type=failure.finding.failure_type if failure else None,
    )  # fmt: skip


def _record(attempt: JobAttempt, row: _Row, item: Observation) -> TestResultRecord:
    return TestResultRecord(
        repo=attempt.repo, test=row.test, outcome=TestOutcome(item.outcome.value),
        run_id=item.run_id, attempt=item.run_attempt, job=item.job, workflow=item.workflow,
        sha=item.sha, branch=item.branch or None, event=item.event, time=item.time,
        job_id=attempt.job.job_id, pr_number=item.pr, author=item.author or None,
        fingerprint=row.fingerprint, source=row.source, signature=item.signature or None,
        failure_type=item.failure_type, context=item.context,
    )  # fmt: skip


def observation_of(record: TestResultRecord) -> Observation:
    """A stored result as the engine reads it (its context as it was recorded)."""
    return Observation(
        repo=record.repo, workflow=record.workflow, job=record.job, run_id=record.run_id,
        run_attempt=record.attempt, sha=record.sha, branch=record.branch or "",
        event=record.event, pr=record.pr_number, author=record.author or "", time=record.time,
        test=unit_name(record.test), outcome=Outcome(record.outcome.value),
        signature=record.signature or record.fingerprint or "",
        failure_type=record.failure_type, context=record.context,
    )  # fmt: skip
