"""Every test's outcome from structured results: JUnit-style XML reports and ``go test -json``
streams. A log says which tests failed; only structured results say which passed, which the
flakiness engine needs (same commit pass and fail, flip rate, failure rate).

Test identities match the ones triage gives failing tests (``junit`` with the class or
suite, ``go`` with the package), so both describe the same test in the store.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from sheriff.core.model import TestIdentity
from sheriff.core.parsers.go_tests import FRAMEWORK as GO_FRAMEWORK
from sheriff.core.parsers.junit_xml import identity_of_test


class CaseOutcome(StrEnum):
    PASSED = "pass"
    FAILED = "fail"
    SKIPPED = "skip"


@dataclass(frozen=True, slots=True)
class CaseResult:
    """One test's outcome in one report."""

    test: TestIdentity
    outcome: CaseOutcome
    source: str  # junit or go-json


_TEST_TAGS = frozenset({"testcase", "test", "test-case", "UnitTestResult"})
_FAILED_CHILDREN = frozenset({"failure", "error"})
_SKIPPED_CHILDREN = frozenset({"skipped", "skip"})
_WORDS = {  # the result/outcome attributes of xUnit.net, NUnit 3 and TRX
    "pass": CaseOutcome.PASSED,
    "passed": CaseOutcome.PASSED,
    "fail": CaseOutcome.FAILED,
    "failed": CaseOutcome.FAILED,
    "error": CaseOutcome.FAILED,
    "skip": CaseOutcome.SKIPPED,
    "skipped": CaseOutcome.SKIPPED,
    "notexecuted": CaseOutcome.SKIPPED,
    "ignored": CaseOutcome.SKIPPED,
    "inconclusive": CaseOutcome.SKIPPED,
}


def junit_results(document: bytes) -> list[CaseResult]:
    """Every test element of a JUnit, xUnit.net, NUnit 3 or TRX report (none when the
    document is not well-formed XML or is refused by defusedxml)."""
    try:
        root: Element = fromstring(document)
    except (ParseError, DefusedXmlException, ValueError):
        return []
    found = []
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1]  # TRX has a namespace
        if tag in _TEST_TAGS:
            element.tag = tag
            suite, name = identity_of_test(element)
            found.append(CaseResult(TestIdentity("junit", suite, name), _outcome(element), "junit"))
    return found


def _outcome(element: Element) -> CaseOutcome:
    word = (element.attrib.get("result") or element.attrib.get("outcome") or "").lower()
    if word in _WORDS:
        return _WORDS[word]
    children = {child.tag.rsplit("}", 1)[-1] for child in element}
    if children & _FAILED_CHILDREN:
        return CaseOutcome.FAILED
    if children & _SKIPPED_CHILDREN:
        return CaseOutcome.SKIPPED
    return CaseOutcome.PASSED


_GO_ACTIONS = {"pass": CaseOutcome.PASSED, "fail": CaseOutcome.FAILED, "skip": CaseOutcome.SKIPPED}


def go_json_results(lines: Iterable[str]) -> list[CaseResult]:
    """The final outcome of every test in a ``go test -json`` stream (lines may carry a CI
    timestamp before the JSON; other lines are ignored)."""
    outcomes: dict[tuple[str, str], CaseOutcome] = {}
    for line in lines:
        event = _go_event(line)
        if event is not None:
            package, test, outcome = event
            outcomes[(package, test)] = outcome
    return [
        CaseResult(TestIdentity(GO_FRAMEWORK, package or None, test), outcome, "go-json")
        for (package, test), outcome in outcomes.items()
    ]


def _go_event(line: str) -> tuple[str, str, CaseOutcome] | None:
    start = line.find('{"')
    if start < 0 or '"Action"' not in line:
        return None
    try:
        data = json.loads(line[start:])
    except ValueError:
        return None
    if not isinstance(data, dict) or not data.get("Test"):
        return None
    outcome = _GO_ACTIONS.get(str(data.get("Action")))
    if outcome is None:
        return None
    return str(data.get("Package") or ""), str(data["Test"]), outcome
