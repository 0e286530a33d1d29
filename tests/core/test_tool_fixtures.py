"""Every real tool fixture (tests/fixtures/tools) is explained correctly.

Each fixture was produced by running the real tool on a failing project; its JSON says
what failed. The primary classification must name the labelled failure type and every
labelled failing test must be among the failures. A parent test whose subtest failed is
dropped by design, so a labelled parent counts as found when one of its subtests is.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sheriff.core.model import TestIdentity
from sheriff.core.triage import triage_bytes
from tests.conftest import TOOL_FIXTURES

CASES = sorted(
    path
    for path in TOOL_FIXTURES.glob("*/*.json")
    if path.with_suffix(".log").exists() and "tool" in json.loads(path.read_text())
)


def _names(test: TestIdentity) -> set[str]:
    names = {test.name}
    if test.suite:
        for separator in ("::", ".", " ", "/", "#", " > ", ":"):
            names.add(f"{test.suite}{separator}{test.name}")
    return names


_SUREFIRE = re.compile(r"^(?P<method>.+)\((?P<cls>[\w.$]+)\)$")
_PHPUNIT_VALUES = re.compile(r"^(?P<name>.+ with data set .+?) \(.*\)$")

# Logs that hold no trace of their failure: the failing command printed nothing that
# says it failed (only its exit code, which the log does not show).
KNOWN_GAPS = {
    "go/gofmt_list": "gofmt -l prints only file names; the log alone cannot tell",
    "shell/timeout_124": "timeout kills silently; exit code 124 is not in the log",
}


def _label_forms(label: str) -> list[str]:
    """The label as printed, plus the same test in Sheriff's suite/name form."""
    forms = [label]
    surefire = _SUREFIRE.match(label)
    if surefire:
        forms.append(f"{surefire.group('cls')}.{surefire.group('method')}")
    values = _PHPUNIT_VALUES.match(label)
    if values:
        forms.append(values.group("name"))
    return forms


def _found(label: str, tests: list[TestIdentity]) -> bool:
    return any(_found_form(form, tests) for form in _label_forms(label))


def _found_form(label: str, tests: list[TestIdentity]) -> bool:
    for test in tests:
        for name in _names(test):
            if name == label or name.endswith(label) or label.endswith(name):
                return True
            if label + "/" in name:  # a subtest of the labelled parent
                return True
    return False


def test_there_are_fixtures_for_every_family() -> None:
    tools = {path.parent.name for path in CASES}
    assert len(CASES) >= 90
    assert {"go", "pytest", "jest", "maven", "cargo", "rspec", "phpunit", "gcc"} <= tools


def _case_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[_case_id(c)]))
        if _case_id(c) in KNOWN_GAPS
        else c
        for c in CASES
    ],
    ids=_case_id,
)
def test_fixture_is_explained(case: Path) -> None:
    label = json.loads(case.read_text())
    report = triage_bytes(case.with_suffix(".log").read_bytes())
    assert report.classification.classifications, "no failure found"
    primary = report.classification.classifications[0]
    assert primary.failure_type.value == label["failure_type"], primary
    tests = [f.finding.test for f in report.failures if f.finding.test is not None]
    missing = [name for name in label["tests"] if not _found(name, tests)]
    assert missing == [], [t.qualified for t in tests]
