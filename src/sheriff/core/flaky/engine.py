"""The flakiness engine: feed job attempts in time order, read assessments and decisions."""

from __future__ import annotations

from dataclasses import dataclass, field

from sheriff.core.flaky.decisions import FailingTest, RerunPolicy, RerunRequest
from sheriff.core.flaky.history import History, TestRecord, job_broke, with_job_context
from sheriff.core.flaky.records import Evidence, Observation, Verdict
from sheriff.core.flaky.scoring import (
    evidence_of,
    explain,
    is_deterministic,
    probability_of,
    verdict_of,
)


@dataclass(frozen=True, slots=True)
class FirstFlag:
    run_id: int
    time: str
    failures_seen: int


@dataclass(frozen=True, slots=True)
class TestAssessment:
    """One test's verdict now: P(flaky), the evidence and a checkable explanation."""

    __test__ = False

    test: str
    verdict: Verdict
    p_flaky: float
    evidence: tuple[Evidence, ...]
    explanation: str


@dataclass(slots=True)
class JobResult:
    """What one job attempt changed: the failing tests' assessments and a rerun, if any."""

    assessments: list[TestAssessment] = field(default_factory=list)
    rerun: RerunRequest | None = None
    infra: bool = False
    recovered: list[TestAssessment] = field(default_factory=list)
    """Tests that passed on a commit where they failed before, judged again."""


class FlakinessEngine:
    """Holds the history in memory; pure apart from that state (no I/O, no clock)."""

    def __init__(self, threshold: float = 0.7, hourly_cap: int = 10) -> None:
        self.threshold = threshold
        self.history = History()
        self.policy = RerunPolicy(threshold, hourly_cap)
        self.first_flags: dict[str, FirstFlag] = {}

    def observe_job(self, job: list[Observation]) -> JobResult:
        """Add one job attempt's results and judge its failing tests as of now.

        Results that carry their ``context`` (read back from the store) keep it; the
        others get it from ``job``."""
        job = with_job_context(job)
        if job_broke(job):
            for item in job:
                self.history.add_infra(item)
            return JobResult(infra=True)
        for item in job:
            self.history.add(item)
        failing = sorted({item.test for item in job if item.failed})
        result = JobResult([self.assess(test) for test in failing])
        result.recovered = [self.assess(item.test) for item in job if self._recovered(item)]
        self._note_first_flags(job[0], result.assessments + result.recovered)
        if job[0].run_attempt == 1:
            result.rerun = self._decide_rerun(job[0], result.assessments)
        return result

    def _recovered(self, item: Observation) -> bool:
        """A pass on a commit where the test failed before: new evidence, judge it now."""
        return (
            not item.failed and (item.sha, item.job) in self.history.record_of(item.test).fail_shas
        )

    def assess(self, test: str) -> TestAssessment:
        record = self.history.record_of(test)
        evidence = evidence_of(record) if record.failures else []
        p_flaky = probability_of(evidence) if record.failures else 0.0
        verdict = verdict_of(record, p_flaky, self.threshold)
        text = explain(test, verdict, p_flaky, evidence)
        return TestAssessment(test, verdict, round(p_flaky, 4), tuple(evidence), text)

    def records(self) -> dict[str, TestRecord]:
        return dict(self.history.tests)

    def _note_first_flags(self, head: Observation, assessments: list[TestAssessment]) -> None:
        for item in assessments:
            if item.verdict is Verdict.FLAKY and item.test not in self.first_flags:
                seen = len(self.history.record_of(item.test).failures)
                self.first_flags[item.test] = FirstFlag(head.run_id, head.time.isoformat(), seen)

    def _decide_rerun(
        self, head: Observation, assessments: list[TestAssessment]
    ) -> RerunRequest | None:
        failing = [
            FailingTest(
                item.test,
                item.p_flaky,
                is_deterministic(self.history.record_of(item.test)),
            )
            for item in assessments
        ]
        return self.policy.decide(head.repo, head.run_id, head.job, head.time, failing)
