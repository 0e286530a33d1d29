"""From evidence to P(flaky), a verdict and an explanation a maintainer can check."""

from __future__ import annotations

import math

from sheriff.core.flaky.evidence import EVIDENCE_TERMS
from sheriff.core.flaky.history import TestRecord
from sheriff.core.flaky.records import Evidence, Verdict
from sheriff.core.flaky.weights import BIAS
from sheriff.core.model import DETERMINISTIC_TYPES

REGRESSION_BELOW = 0.3


def evidence_of(record: TestRecord) -> list[Evidence]:
    """Every evidence term that applies to a test with at least one failure."""
    found = (term(record) for term in EVIDENCE_TERMS)
    return [item for item in found if item is not None]


def probability_of(evidence: list[Evidence]) -> float:
    """The logistic model: P(flaky) from the bias and the evidence weights."""
    log_odds = BIAS + sum(item.weight for item in evidence)
    return 1.0 / (1.0 + math.exp(-log_odds))


def is_deterministic(record: TestRecord) -> bool:
    """The latest failure is of a class a re-run cannot fix (lint, build, type, deps, config)."""
    if not record.failures:
        return False
    return record.failures[-1].observation.kind in DETERMINISTIC_TYPES


def verdict_of(record: TestRecord, p_flaky: float, threshold: float) -> Verdict:
    """flaky / regression / broken_trunk / infra / unknown / healthy for one test."""
    if not record.failures:
        return Verdict.INFRA if record.infra_failures else Verdict.HEALTHY
    if record.failures[-1].broken_trunk:  # failing now because the trunk is broken
        return Verdict.BROKEN_TRUNK
    if is_deterministic(record):
        return Verdict.REGRESSION
    if p_flaky >= threshold:
        return Verdict.FLAKY
    if p_flaky < REGRESSION_BELOW:
        return Verdict.REGRESSION
    return Verdict.UNKNOWN


def explain(test: str, verdict: Verdict, p_flaky: float, evidence: list[Evidence]) -> str:
    """One paragraph: the verdict, P(flaky) and each term with its weight, strongest first."""
    ranked = sorted(evidence, key=lambda item: -abs(item.weight))
    terms = "; ".join(f"{item.detail} ({item.weight:+.2f})" for item in ranked)
    reasons = terms or "no evidence beyond the prior"
    return (
        f"{test} is judged {verdict.value} with P(flaky) = {p_flaky:.2f} "
        f"(log-odds {BIAS:+.2f} prior). Evidence: {reasons}."
    )
