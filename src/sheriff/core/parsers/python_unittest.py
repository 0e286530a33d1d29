"""unittest, nose and subunit (testr/stestr) failure blocks.

unittest and nose print ``FAIL: test_x (pkg.Class)`` (or nose's ``FAIL: pkg.mod.test_x``)
between a ``====`` and a ``----`` rule, then the traceback. Subunit v1 streams print
``failure: pkg.Class.test_x [ multipart`` followed by the captured traceback.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, LineRange, Strength, TestIdentity
from sheriff.core.parsers.base import merge_ranges, rule
from sheriff.core.parsers.python_traceback import (
    Traceback,
    is_traceback_header,
    kind_of_block,
    project_first,
    read_traceback,
)
from sheriff.core.scan import Hit

_HEADER = lazy_compile(
    r"^(?P<status>FAIL|ERROR|UNEXPECTED SUCCESS): (?P<name>[\w.]+)"
    r"(?: \((?P<suite>[\w.]+)\))?(?P<extra> \(.*\))?(?: \.\.\. .*)?$"
)
_RULE_LINE = lazy_compile(r"^(?:={20,}|-{20,})$")
_SUBUNIT = lazy_compile(r"^(?P<status>failure|error): (?P<name>\w+(?:\.\w+){2,}(?:\([^)]*\))?) \[")
_SUBUNIT_END = lazy_compile(r"^(?:\]|(?:test|successful|failure|error|skip|xfail|uxsuccess): )")
_TESTR_LINE = lazy_compile(r"^\{\d+\} (?P<name>[\w.]+(?:\([^)]*\))?) \[[\d.]+s\] \.\.\. FAILED$")
_MAX_BLOCK = 300

RULES = (
    rule(
        "python_tests.unittest_header",
        r"(?:FAIL|ERROR|UNEXPECTED SUCCESS): [\w.]+",
        _HEADER.pattern,
        before=3,
        after=200,
    ),
    rule(
        "python_tests.unittest_totals",
        r"FAILED \((?:failures|errors)=",
        r"^FAILED \((?P<counts>(?:failures|errors)=\d++.*)\)$",
        before=3,
        after=1,
    ),
    rule(
        "python_tests.subunit",
        r"(?:failure|error): \w+\.[\w.]+[^\r\n]* \[",
        _SUBUNIT.pattern,
        before=2,
        after=200,
    ),
    rule(
        "python_tests.testr_line",
        r"\] \.\.\. FAILED",
        _TESTR_LINE.pattern,
        before=1,
        after=60,
    ),
)


def unittest_findings(view: LogView, hits: Sequence[Hit]) -> tuple[list[Finding], list[LineRange]]:
    """Findings from unittest/nose/subunit hits, and the ranges their blocks claim."""
    findings: list[Finding] = []
    claimed: list[LineRange] = []
    for hit in hits:
        name = hit.rule.id.rsplit(".", 1)[1]
        if hit.match is None:
            continue
        found: Finding | None = None
        if name == "unittest_header" and _framed(view, hit.number):
            found = _block_finding(view, hit, hit.match, _unittest_test(hit.match))
        elif name in {"subunit", "testr_line"}:
            test = TestIdentity("subunit", None, hit.match.group("name"))
            found = _block_finding(view, hit, hit.match, test)
        elif name == "unittest_totals":
            found = _totals(hit)
        if found is not None:
            findings.append(found)
            if found.kind == "test":
                claimed.append((found.anchor, max(last for _, last in found.ranges)))
    return findings, claimed


def _framed(view: LogView, number: int) -> bool:
    """A unittest header sits between a ``====`` rule and a ``----`` rule."""
    before = view.text(number - 1) or ""
    after = view.text(number + 1) or ""
    return bool(_RULE_LINE.match(before) or _RULE_LINE.match(after))


def _unittest_test(match: re.Match[str]) -> TestIdentity:
    """The test as unittest prints it (``test_x (pkg.Class.test_x) (total=50)``), in its
    class; nose prints a bare dotted name for test functions."""
    name, suite = match.group("name"), match.group("suite")
    if suite is None:
        return TestIdentity("nose", None, name)
    printed = f"{name} ({suite}){match.group('extra') or ''}"
    if suite.endswith("." + name):
        suite = suite[: -len(name) - 1]
    return TestIdentity("unittest", suite, printed)


def _block_finding(
    view: LogView, hit: Hit, match: re.Match[str], test: TestIdentity
) -> Finding | None:
    last = _block_end(view, hit.number)
    lines = list(view.span(hit.number, last))
    tracebacks = _tracebacks(view, lines)
    own = tracebacks[0] if tracebacks else None
    text = "\n".join(t for _, t in lines)
    message = own.text if own else _first_detail(lines)
    if not message:
        return None
    ranges: list[LineRange] = [(hit.number, min(hit.number + 1, last))]
    for traceback in tracebacks[:3]:
        ranges.extend(_traceback_ranges(traceback, last))
    if not tracebacks:
        ranges.append((hit.number, min(last, hit.number + 15)))
    frames = [location for tb in tracebacks[:1] for _, location in tb.frames]
    return Finding(
        tool=test.framework,
        failure_type=FailureType.TEST,
        sub_type=kind_of_block(message, text),
        message=_with_cause(message, tracebacks)[:500],
        anchor=hit.number,
        ranges=merge_ranges(ranges),
        strength=Strength.CLEAR,
        test=test,
        locations=project_first(frames)[:8],
        has_stack_trace=bool(frames),
        kind="test",
    )


def _block_end(view: LogView, header: int) -> int:
    subunit = not _HEADER.match(view.text(header) or "")
    last = header
    for number in range(header + 1, header + _MAX_BLOCK):
        text = view.text(number)
        if text is None:
            break
        if subunit and _SUBUNIT_END.match(text):
            return number if text.startswith("]") else last
        if not subunit and (_RULE_LINE.match(text) and number > header + 1):
            break
        if _TESTR_LINE.match(text) or (number > header + 1 and _HEADER.match(text)):
            break
        last = number
    while last > header and not (view.text(last) or "").strip():
        last -= 1
    return last


def _tracebacks(view: LogView, lines: list[tuple[int, str]]) -> list[Traceback]:
    found: list[Traceback] = []
    for number, text in lines:
        if is_traceback_header(text):
            traceback = read_traceback(view, number)
            if traceback is not None:
                found.append(traceback)
    return found


def _traceback_ranges(traceback: Traceback, block_last: int) -> list[LineRange]:
    """The traceback's lines, never past its block: a subunit block ends at its ``]``,
    and the lines after it (the next test's tags, times and name) would otherwise read
    as more of the exception's message."""
    last = max(min(traceback.last, block_last), traceback.header)
    if last - traceback.header <= 25:
        return [(traceback.header, last)]
    return [(traceback.header, traceback.header), (last - 14, last)]


def _first_detail(lines: list[tuple[int, str]]) -> str:
    for _, text in lines[1:]:
        if text.strip() and not _RULE_LINE.match(text):
            return text.strip()
    return ""


def _with_cause(message: str, tracebacks: list[Traceback]) -> str:
    causes = [tb.text for tb in tracebacks[1:] if tb.text != message]
    return "\n".join([message, *causes[:1]])


def _totals(hit: Hit) -> Finding:
    assert hit.match is not None
    return Finding(
        tool="unittest",
        failure_type=FailureType.TEST,
        sub_type="unit_test",
        message=hit.text.strip(),
        anchor=hit.number,
        ranges=((hit.number, hit.number),),
        strength=Strength.PARTIAL,
        kind="summary",
    )
