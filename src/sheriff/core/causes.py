"""Which failures of a triaged log are causes worth a case (and perhaps an issue).

A job that fails three tests has three causes; the summary lines that repeat them
("Task :test FAILED", "FAILED tests/x.py::t", "FAIL pkg") and weak error lines are not
causes of their own. Without failing tests, the primary finding is the cause.
"""

from __future__ import annotations

from sheriff.core.model import Failure, Strength, TriageReport

MAX_CAUSES = 50


def causes_of(report: TriageReport) -> list[Failure]:
    """The failures that each deserve a case, primary first."""
    tests = [
        failure
        for failure in report.failures
        if failure.finding.test is not None
        and failure.finding.kind != "summary"
        and failure.finding.strength > Strength.WEAK
    ]
    if tests:
        return tests[:MAX_CAUSES]
    return list(report.failures[:1])
