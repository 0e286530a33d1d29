"""pytest's one-line signals: short-summary and progress lines, totals and interruptions.

``FAILED tests/x.py::Class::test_y[p] - msg`` and ``tests/x.py::test_y FAILED`` only
repeat a failure shown in detail in its section (kind summary) unless the section is
missing from the log. Their node ids also name each test's file, which section headers
(``____ Class.test_y[p] ____``) leave out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Location, Strength, TestIdentity
from sheriff.core.parsers.base import find_locations, rule
from sheriff.core.parsers.python_traceback import kind_of_block, project_first
from sheriff.core.scan import Hit

_NODE_ID = lazy_compile(r"^(?P<file>[^:\s]+?)(?:::(?P<parts>.+))?$")

RULES = (
    rule(
        "python_tests.pytest_summary_line",
        r"(?:FAILED|ERROR)(?:\x1b\[[0-9;]*m)* [^\s:]+\.py",
        r"^(?P<status>FAILED|ERROR) (?P<node>[^\s]+\.py(?:::[^\s]+(?: \[[^\]]*\])?)?)"
        r"(?: - (?P<message>.*))?$",
        before=2,
        after=12,
    ),
    rule(
        "python_tests.pytest_progress",
        r"\.py::[^\r\n]*(?:FAILED|ERROR)",
        r"^(?:\[gw\d+\] )?(?:\[\s*\d+%\] )?(?P<node>\S+\.py::\S+(?: \[[^\]]*\])?) "
        r"(?P<status>FAILED|ERROR)\b",
        before=1,
        after=1,
    ),
    rule(
        "python_tests.pytest_totals",
        r"={3,} [^\r\n]*\d+ (?:failed|errors?)\b",
        r"^=+ (?P<totals>.*\b\d+ (?:failed|errors?)\b.*) =+$",
        before=3,
        after=2,
    ),
    rule(
        "python_tests.pytest_interrupt",
        r"!{5,} [^\r\n]*(?:KeyboardInterrupt|Timeout|Interrupted)",
        r"^!+ (?P<what>.*?(?:KeyboardInterrupt|Timeout|Interrupted).*?) !+$",
        before=10,
        after=5,
    ),
)

LINE_RULES = frozenset(r.id.rsplit(".", 1)[1] for r in RULES)


def test_of_node(node: str) -> tuple[TestIdentity | None, str]:
    """The test a node id names (``x.py::Class::test_y[p]``) and its file.

    The suite is the node id without its last part, so ``qualified`` is the node id.
    """
    node = node.split(" [", 1)[0]
    match = _NODE_ID.match(node)
    if match is None:
        return None, node
    if not match.group("parts"):  # a module that could not be collected
        return TestIdentity("pytest", None, node), node
    suite, _, name = node.rpartition("::")
    return TestIdentity("pytest", suite, name), match.group("file")


def known_suites(hits: Sequence[Hit]) -> dict[tuple[str | None, str], str]:
    """(class, test name) -> suite, from every node id the summary lines print."""
    suites: dict[tuple[str | None, str], str] = {}
    for hit in hits:
        if hit.match is None or "node" not in hit.match.groupdict():
            continue
        test, _ = test_of_node(hit.match.group("node"))
        if test is None or test.suite is None:
            continue
        parts = test.suite.split("::")
        suites.setdefault((parts[-1] if len(parts) > 1 else None, test.name), test.suite)
    return suites


def line_finding(view: LogView, hit: Hit) -> Finding | None:
    if hit.match is None:
        return None
    name = hit.rule.id.rsplit(".", 1)[1]
    if name in {"pytest_summary_line", "pytest_progress"}:
        return _summary_finding(hit, hit.match)
    if name == "pytest_totals":
        return _totals_finding(hit, hit.match.group("totals"))
    if name == "pytest_interrupt":
        return _interrupt_finding(view, hit, hit.match.group("what"))
    return None


def _summary_finding(hit: Hit, match: re.Match[str]) -> Finding:
    test, path = test_of_node(match.group("node"))
    message = (match.groupdict().get("message") or "").strip()
    status = match.group("status")
    text = message or f"{status} {match.group('node')}"
    return Finding(
        tool="pytest",
        failure_type=FailureType.TEST,
        sub_type=kind_of_block(text, "") if message else "unit_test",
        message=text[:500],
        anchor=hit.number,
        ranges=((hit.number, hit.number),),
        strength=Strength.CLEAR if message else Strength.PARTIAL,
        test=test,
        locations=(Location(path), *find_locations(message)[:3]),
        kind="summary",
    )


def _totals_finding(hit: Hit, totals: str) -> Finding:
    return Finding(
        tool="pytest",
        failure_type=FailureType.TEST,
        sub_type="unit_test",
        message=totals,
        anchor=hit.number,
        ranges=((hit.number, hit.number),),
        strength=Strength.PARTIAL,
        kind="summary",
    )


def _interrupt_finding(view: LogView, hit: Hit, what: str) -> Finding:
    following = list(view.span(hit.number + 1, hit.number + 3))
    locations = tuple(loc for _, text in following for loc in find_locations(text))
    detail = next((t for _, t in following if t.strip()), "")
    timeout = "Interrupted" not in what or "Timeout" in what
    message = f"{what}: {detail}" if timeout and detail else what
    return Finding(
        tool="pytest",
        failure_type=FailureType.TEST,
        sub_type="timeout" if timeout else "exception",
        message=message[:500],
        anchor=hit.number,
        ranges=((hit.number, min(hit.number + 2, view.total_lines)),),
        strength=Strength.CLEAR if timeout else Strength.PARTIAL,
        locations=project_first(locations)[:4],
        kind="error" if timeout else "summary",
    )
