"""Judging one test (or one failure fingerprint) from its stored history, as the scan does.

The scan reads a test's recent results back from the store, each with the context its job
attempt gave it when it was recorded (``ResultContext``), and replays them through the same
engine as ``sheriff flaky replay``, oldest first. The fingerprint's own verdict comes from
the same history without the failures of other fingerprints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sheriff.core.flaky.decisions import quarantine_candidates
from sheriff.core.flaky.engine import FlakinessEngine, TestAssessment
from sheriff.core.flaky.records import Observation, Verdict


@dataclass(frozen=True, slots=True)
class UnitAssessment:
    """A test's (or a fingerprint's) assessment now, and whether to quarantine it."""

    assessment: TestAssessment
    quarantine_candidate: bool
    results: int  # results the verdict was made from
    mixed_commit: str | None = None  # a commit where it both passed and failed in one job


def assess_unit(
    history: Sequence[Observation], unit: str, *, threshold: float, now: datetime
) -> UnitAssessment:
    """Replay ``history`` (any order; sorted here) and judge ``unit`` as of ``now``."""
    engine = FlakinessEngine(threshold)
    ordered = sorted(history, key=lambda item: (item.time, item.run_id, item.run_attempt))
    for item in ordered:
        engine.observe_job([item])
    assessment = engine.assess(unit)
    record = engine.history.record_of(unit)
    chosen = quarantine_candidates([(unit, record, assessment.p_flaky)], now)
    quarantine = bool(chosen) and assessment.verdict is Verdict.FLAKY
    mixed = next((sha for sha, job in record.fail_shas if (sha, job) in record.pass_shas), None)
    return UnitAssessment(assessment, quarantine, len(record.results), mixed)
