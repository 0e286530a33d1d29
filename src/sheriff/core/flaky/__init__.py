"""Flakiness engine: evidence terms, a fitted logistic P(flaky), verdicts and decisions.

Pure: no I/O, no clock. Feed observations in time order to :class:`FlakinessEngine`.
"""

from sheriff.core.flaky.decisions import RerunPolicy, RerunRequest, quarantine_candidates
from sheriff.core.flaky.engine import FlakinessEngine, TestAssessment
from sheriff.core.flaky.records import Evidence, Observation, Outcome, ResultContext, Verdict

__all__ = [
    "Evidence",
    "FlakinessEngine",
    "Observation",
    "Outcome",
    "RerunPolicy",
    "RerunRequest",
    "ResultContext",
    "TestAssessment",
    "Verdict",
    "quarantine_candidates",
]
