"""The scan's side of the flakiness engine ([T3]).

While the scan reads a run, ``RunEvidence`` collects its job attempts; then
``record_and_judge`` adds their test results to the store's history (each with the context
its job attempt and the hour around it gave it), judges every test and fingerprint the run
touched from that history, and writes the verdict to each case: P(flaky), the verdict, the
evidence with its weights and runs, and whether it is a quarantine candidate ([T4]).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sheriff.app.forge import WorkflowJob, WorkflowRun
from sheriff.app.ports import CaseAssessment, LogReader, Store, TestOutcome, TestResultRecord
from sheriff.app.scan_issues import FLAG_FAILED_AND_PASSED
from sheriff.app.test_history import (
    FailureSeen,
    JobAttempt,
    job_results,
    observation_of,
    unit_name,
    unit_of,
)
from sheriff.core.flaky.assess import UnitAssessment, assess_unit
from sheriff.core.flaky.history import CONCURRENT_WINDOW
from sheriff.core.flaky.records import Verdict
from sheriff.core.model import DETERMINISTIC_TYPES, Failure, FailureType, TestIdentity, TriageReport
from sheriff.core.parsers.go_tests import TOOL as GO_TEST
from sheriff.core.test_results import CaseResult, go_json_results, junit_results

HISTORY_LIMIT = 200  # results of a test read back to judge it
SHOWN_RUNS = 5  # runs kept per evidence term on the case


@dataclass(slots=True)
class RunEvidence:
    """A run's job attempts as the scan reads them, first attempt first."""

    repo: str
    reported: list[CaseResult] = field(default_factory=list)  # go with the first failed job
    attempts: list[JobAttempt] = field(default_factory=list)
    _failed_in_job: dict[str, set[TestIdentity]] = field(default_factory=dict)

    def job_passed(self, run: WorkflowRun, job: WorkflowJob) -> None:
        """A job that passed: the tests that failed in it on an earlier attempt passed."""
        passed = tuple(self._failed_in_job.get(job.name, ()))
        if passed:
            self.attempts.append(JobAttempt(self.repo, run, job, passed=passed))

    def job_failed(
        self,
        run: WorkflowRun,
        job: WorkflowJob,
        found: Sequence[tuple[TriageReport, Failure]],
        structured: Sequence[CaseResult] = (),
    ) -> None:
        failures = [FailureSeen(failure, _source_of(report)) for report, failure in found]
        reported = [*self.reported, *structured]
        self.reported = []
        self.attempts.append(JobAttempt(self.repo, run, job, failures, reported))
        units = self._failed_in_job.setdefault(job.name, set())
        units.update(unit_of(seen.failure) for seen in failures)

    def latest_failures(self) -> list[Failure]:
        """The failures of the run's latest attempt (what a re-run would run again)."""
        if not self.attempts:
            return []
        latest = max(item.run.attempt for item in self.attempts)
        return [
            seen.failure
            for item in self.attempts
            if item.run.attempt == latest
            for seen in item.failures
        ]


def _source_of(report: TriageReport) -> str:
    return "junit" if report.source.lower().endswith((".xml", ".trx")) else "log"


def reported_results(reader: LogReader, paths: Iterable[Path]) -> list[CaseResult]:
    """Every test's outcome in the run's JUnit/xUnit XML artifacts."""
    return [result for path in paths for result in junit_results(reader.read_all(str(path)))]


def go_results_in_log(
    reader: LogReader, log: Path, found: Sequence[tuple[TriageReport, Failure]]
) -> list[CaseResult]:
    """The outcomes of a ``go test -json`` stream in the log, read only when triage found a
    failing Go test in it (a second pass over the log is not free)."""
    if not any(failure.finding.tool == GO_TEST for _, failure in found) or not log.is_file():
        return []
    return go_json_results(_lines_of(reader, log))


def _lines_of(reader: LogReader, log: Path) -> Iterable[str]:
    rest = b""
    for chunk in reader.chunks(str(log)):
        *lines, rest = (rest + chunk).split(b"\n")
        yield from (line.decode("utf-8", "replace") for line in lines)
    if rest:
        yield rest.decode("utf-8", "replace")


@dataclass(frozen=True, slots=True)
class FailureVerdict:
    """The engine's word on one failure: its fingerprint's and its test's."""

    failure: Failure
    fingerprint: UnitAssessment
    test: UnitAssessment

    @property
    def deterministic(self) -> bool:
        return self.failure.finding.failure_type in DETERMINISTIC_TYPES

    @property
    def infra(self) -> bool:
        return (
            self.failure.finding.failure_type is FailureType.INFRASTRUCTURE
            or self.fingerprint.assessment.verdict is Verdict.INFRA
        )


def record_and_judge(
    store: Store, evidence: RunEvidence, *, threshold: float, now: datetime
) -> dict[str, FailureVerdict]:
    """Record the run's test results, then judge and assess the case of every failure."""
    for attempt in evidence.attempts:
        earlier = store.failed_results_between(
            evidence.repo, attempt.time - CONCURRENT_WINDOW, attempt.time
        )
        store.record_test_results(job_results(attempt, [observation_of(r) for r in earlier]))
    failures = {
        seen.failure.fingerprint: seen.failure
        for attempt in evidence.attempts
        for seen in attempt.failures
    }
    histories: dict[TestIdentity, list[TestResultRecord]] = {}
    verdicts = {}
    for fingerprint, failure in failures.items():
        unit = unit_of(failure)
        if unit not in histories:
            histories[unit] = store.recent_test_results(evidence.repo, unit, HISTORY_LIMIT)
        verdict = _judge(failure, histories[unit], threshold, now)
        _assess_case(store, evidence.repo, verdict)
        verdicts[fingerprint] = verdict
    return verdicts


def _judge(
    failure: Failure, history: Sequence[TestResultRecord], threshold: float, now: datetime
) -> FailureVerdict:
    name = unit_name(unit_of(failure))
    own = [
        record
        for record in history
        if record.outcome is not TestOutcome.FAILED or record.fingerprint == failure.fingerprint
    ]
    test = assess_unit([observation_of(r) for r in history], name, threshold=threshold, now=now)
    alone = assess_unit([observation_of(r) for r in own], name, threshold=threshold, now=now)
    return FailureVerdict(failure, alone, test)


def _assess_case(store: Store, repo: str, verdict: FailureVerdict) -> None:
    fingerprint = verdict.failure.fingerprint
    view = store.get_case(repo, fingerprint)
    flags = dict(view.assessment.flags) if view is not None else {}
    judged = verdict.fingerprint.assessment
    flags["flaky"] = {
        "evidence": [
            {
                "kind": item.kind,
                "value": item.value,
                "weight": item.weight,
                "detail": item.detail,
                "runs": list(item.run_ids[:SHOWN_RUNS]),
            }
            for item in judged.evidence
        ],
        "explanation": judged.explanation,
        "results": verdict.fingerprint.results,
        "test_verdict": verdict.test.assessment.verdict.value,
        "test_p_flaky": verdict.test.assessment.p_flaky,
    }
    if verdict.fingerprint.mixed_commit is not None:  # seen to pass and fail on one commit
        flags[FLAG_FAILED_AND_PASSED] = verdict.fingerprint.mixed_commit
    assessment = CaseAssessment(
        p_flaky=judged.p_flaky,
        verdict=judged.verdict.value,
        quarantine_candidate=verdict.fingerprint.quarantine_candidate,
        flags=flags,
    )
    if view is None or view.assessment != assessment:
        store.assess_case(repo, fingerprint, assessment)
