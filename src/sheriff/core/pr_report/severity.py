"""How bad a new failure is, without a model: critical, high, medium or low.

- critical: nothing builds (build, dependency, config failures) or the program crashed
  (segfault, panic, out of memory);
- high: a failing test that the pull request's changes point at (a changed hunk, the test
  itself, a changed file named in the failure, or a changed function the failure calls),
  or any type error;
- medium: a failing test the changes do not clearly point at, or an unknown failure;
- low: lint and formatting.

A failure seen in three or more jobs is one level worse (it breaks the matrix).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from sheriff.core.model import Failure, FailureType
from sheriff.core.pr_report.correlate import ChangeLink, LinkKind

CRASH_WORDS = ("crash", "segfault", "segmentation", "panic", "oom", "out_of_memory", "abort")
WIDESPREAD_JOBS = 3


class Severity(StrEnum):
    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def icon(self) -> str:
        return {"critical": "🔴", "high": "🟠", "medium": "🟡", "low": "🟢"}[self.value]

    def worse(self) -> Severity:
        order = list(Severity)
        return order[max(order.index(self) - 1, 0)]


def severity_of(failure: Failure, links: Sequence[ChangeLink], jobs_failing: int = 1) -> Severity:
    level = _base_severity(failure, links)
    return level.worse() if jobs_failing >= WIDESPREAD_JOBS else level


def _base_severity(failure: Failure, links: Sequence[ChangeLink]) -> Severity:
    finding = failure.finding
    kind = finding.failure_type
    sub_type = finding.sub_type.lower()
    if kind in (FailureType.BUILD, FailureType.DEPENDENCY, FailureType.CONFIG):
        return Severity.CRITICAL
    if any(word in sub_type for word in CRASH_WORDS):
        return Severity.CRITICAL
    if kind is FailureType.LINT:
        return Severity.LOW
    if kind is FailureType.TYPE_CHECK:
        return Severity.HIGH
    pointed = any(link.kind >= LinkKind.SYMBOL for link in links)
    if kind in (FailureType.TEST, FailureType.E2E) and pointed:
        return Severity.HIGH
    return Severity.MEDIUM


def worst(levels: Sequence[Severity]) -> Severity:
    order = list(Severity)
    return min(levels, key=order.index) if levels else Severity.MEDIUM
