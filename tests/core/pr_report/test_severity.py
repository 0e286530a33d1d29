from dataclasses import replace

import pytest

from sheriff.core.model import FailureType
from sheriff.core.pr_report import ChangeLink, LinkKind, Severity, severity_of, worst
from tests.core.pr_report.samples import pricing_failures

TEST = pricing_failures()[0]
SYMBOL = ChangeLink(LinkKind.SYMBOL, "shop/pricing.py", "total is changed")
NAMED = ChangeLink(LinkKind.NAMED, "shop/pricing.py", "named after")


def typed(failure_type: FailureType, sub_type: str = "x"):  # type: ignore[no-untyped-def]
    finding = replace(TEST.finding, failure_type=failure_type, sub_type=sub_type)
    return replace(TEST, finding=finding)


@pytest.mark.parametrize(
    ("failure", "links", "jobs", "expected"),
    [
        (TEST, [SYMBOL], 1, Severity.HIGH),
        (TEST, [NAMED], 1, Severity.MEDIUM),
        (TEST, [], 1, Severity.MEDIUM),
        (TEST, [], 3, Severity.HIGH),  # failing across the matrix
        (typed(FailureType.BUILD), [], 1, Severity.CRITICAL),
        (typed(FailureType.TEST, "segfault"), [], 1, Severity.CRITICAL),
        (typed(FailureType.TYPE_CHECK), [], 1, Severity.HIGH),
        (typed(FailureType.LINT), [SYMBOL], 1, Severity.LOW),
        (typed(FailureType.LINT), [], 5, Severity.MEDIUM),
    ],
)
def test_severity_rules(failure, links, jobs, expected) -> None:  # type: ignore[no-untyped-def]
    assert severity_of(failure, links, jobs) is expected


def test_the_worst_level_wins() -> None:
    assert worst([Severity.LOW, Severity.HIGH, Severity.MEDIUM]) is Severity.HIGH
    assert worst([]) is Severity.MEDIUM
    assert Severity.CRITICAL.worse() is Severity.CRITICAL
