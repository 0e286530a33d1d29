"""JUnit results as Maven Surefire/Failsafe, JUnitCore and the JUnit 5 console print them."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Strength, TestIdentity
from sheriff.core.parsers.base import rule
from sheriff.core.parsers.jvm_frames import (
    TRACE_LINE,
    exception_sub_type,
    message_end,
    trace_locations,
)
from sheriff.core.parsers.misc_family import Family, block_end, capped, joined, line_at
from sheriff.core.scan import Hit

_PREFIX = r"^(?:\[(?:ERROR|INFO|WARNING)\]\s+)?"
# "testX(pkg.ClassTest)  Time elapsed: 0.01 sec  <<< FAILURE!" and the dotted newer form.
_CASE = lazy_compile(
    _PREFIX + r"(?P<head>\S.*?)(?<!\s)\s+(?:-- )?Time elapsed:.*<<< (?P<status>FAILURE|ERROR)!"
)
_PAREN_FORM = lazy_compile(r"^(?P<method>.+)\((?P<cls>[\w$.]+)\)$")
_DOTTED_FORM = lazy_compile(r"^(?P<cls>[\w$]+(?:\.[\w$]+)*)\.(?P<method>[\w$]+(?:[(\[].*)?)$")
_CLASS_SUMMARY = lazy_compile(r"Tests run:.*<<< (?:FAILURE|ERROR)!(?:\s+-+\s+in\s+(?P<cls>\S+))?")
# JUnitCore: "1) testX(pkg.ClassTest)".
_CORE_ITEM = lazy_compile(r"^(?P<index>\d+)\) (?P<method>.+)\((?P<cls>[\w$]+(?:\.[\w$]+)+)\)$")
# Summary lists: "Failed tests:", "Tests in error:", "[ERROR] Failures:", "[ERROR] Errors:".
_LIST_HEAD = lazy_compile(_PREFIX + r"(?:Failed tests|Tests in error|Failures|Errors): *$")
_LIST_PAREN = lazy_compile(r"^\s+(?P<method>\S.*?)\((?P<cls>[\w$.]+)\)(?::\s*(?P<msg>.*))?$")
_LIST_DOTTED = lazy_compile(
    r"^\s+(?P<cls>[\w$]+(?:\.[\w$]+)*)\.(?P<method>[\w$]+(?:\[[^\]]*\])?)(?::\d+)?"
    r"(?:->\S+)*\s*(?P<msg>.*)$"
)
_LIST_STOP = lazy_compile(r"^(?:\S|\s*Tests run:)")
_LIST_RERUN = lazy_compile(r"^\s+Run \d+:")
_JUNIT5_SOURCE = lazy_compile(
    r"MethodSource \[className = '(?P<cls>[^']+)', methodName = '(?P<m>[^']+)'"
)

RULES = (
    rule("jvm.junit.case", r"<<< (?:FAILURE|ERROR)!", _CASE.pattern, before=5, after=60),
    rule("jvm.junit.class", r"Tests run:.*<<< ", _CLASS_SUMMARY.pattern, before=5, after=5),
    rule(
        "jvm.junit.core",
        r"\d\) [^ \t\r\n(][^(\r\n]*\([\w$]+\.[\w$.]+\)",
        _CORE_ITEM.pattern,
        before=3,
        after=50,
    ),
    rule(
        "jvm.junit.list",
        # Only list headers ("Failures:" alone), not "Tests run: 5, Failures: 0, ..." lines.
        r"(?:Failed tests|Tests in error|Failures|Errors): *(?:\x1b\[[0-9;]*[mK])*\r?(?m:$)",
        _LIST_HEAD.pattern,
        before=3,
        after=80,
    ),
    rule("jvm.junit.jupiter", r"MethodSource \[className = ", _JUNIT5_SOURCE.pattern, before=3),
)


def _split_case(head: str) -> tuple[str, str] | None:
    """(class, method) of a Surefire case header."""
    paren = _PAREN_FORM.match(head)
    if paren and not re.fullmatch(r"(?<![\w$])[\w$]+(?:\.[\w$]+)+", paren.group("method")):
        return paren.group("cls"), paren.group("method")
    dotted = _DOTTED_FORM.match(head)
    if dotted:
        return dotted.group("cls"), dotted.group("method")
    return None


def _trace_end(view: LogView, start: int) -> int:
    """The end of an exception block (message then frames) starting at ``start``."""
    last = message_end(view, start)

    def keep(text: str) -> bool:
        return bool(TRACE_LINE.search(text))

    return block_end(view, last, keep, limit=200)


def _test_finding(
    view: LogView, anchor: int, exception_line: int, cls: str, method: str
) -> Finding:
    end = _trace_end(view, exception_line) if line_at(view, exception_line) else anchor
    message = joined(view, exception_line, message_end(view, exception_line)).removeprefix("=> ")
    return Finding(
        tool="junit",
        failure_type=FailureType.TEST,
        sub_type=exception_sub_type(message),
        message=message or f"{method}({cls}) failed",
        anchor=anchor,
        ranges=(capped(anchor, end),),
        test=TestIdentity("junit", cls, method),
        locations=trace_locations(view, exception_line, end, prefer=cls),
        has_stack_trace=end > exception_line,
        kind="test",
    )


def _parse_case(view: LogView, hit: Hit) -> Finding | None:
    assert hit.match is not None
    parts = _split_case(hit.match.group("head").strip())
    if parts is None:
        return None
    return _test_finding(view, hit.number, hit.number + 1, parts[0], parts[1])


def _parse_core(view: LogView, hit: Hit) -> Finding:
    assert hit.match is not None
    cls, method = hit.match.group("cls"), hit.match.group("method")
    return _test_finding(view, hit.number, hit.number + 1, cls, method)


def _parse_jupiter(view: LogView, hit: Hit) -> Finding:
    assert hit.match is not None
    title = (line_at(view, hit.number - 1) or "").strip()
    name = title.rsplit(":", 1)[-1] if ":" in title else hit.match.group("m")
    anchor = hit.number - 1 if title else hit.number
    return _test_finding(view, anchor, hit.number + 1, hit.match.group("cls"), name)


def _list_items(view: LogView, head: int) -> list[tuple[int, str, str, str]]:
    """(line, class, method, message) of every entry under a summary list heading."""
    items: list[tuple[int, str, str, str]] = []
    for number in range(head + 1, head + 200):
        raw = line_at(view, number)
        if raw is None:
            break
        text = re.sub(r"^\[(?:ERROR|INFO|WARNING)\] ?", "", raw)
        if not text.strip():
            if items:
                break
            continue
        if _LIST_STOP.match(text):
            break
        match = None if _LIST_RERUN.match(text) else _LIST_PAREN.match(text)
        match = match or (None if _LIST_RERUN.match(text) else _LIST_DOTTED.match(text))
        if match:
            msg = match.group("msg") or ""
            items.append((number, match.group("cls"), match.group("method"), msg.strip()))
    return items


def _parse_list(view: LogView, hit: Hit, suites: dict[str, str]) -> list[Finding]:
    findings = []
    for number, cls, method, msg in _list_items(view, hit.number):
        suite = suites.get(cls, cls) if "." not in cls else cls
        findings.append(
            Finding(
                tool="junit",
                failure_type=FailureType.TEST,
                sub_type=exception_sub_type(msg),
                message=f"{cls}.{method}: {msg}"[:500] if msg else f"{cls}.{method}",
                anchor=number,
                ranges=((hit.number, number),) if number - hit.number < 4 else ((number, number),),
                test=TestIdentity("junit", suite, method),
                kind="summary",
            )
        )
    return findings


def _parse_class(hit: Hit, seen: bool) -> Finding | None:
    """A "Tests run: ... <<< FAILURE!" class line: a summary when no case block shows."""
    if seen:
        return None
    return Finding(
        tool="junit",
        failure_type=FailureType.TEST,
        sub_type="surefire",
        message=hit.text.strip()[:500],
        anchor=hit.number,
        ranges=((hit.number, hit.number),),
        strength=Strength.PARTIAL,
        kind="summary",
    )


def parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    findings: list[Finding] = []
    for hit in hits:
        kind = hit.rule.id.rsplit(".", 1)[1]
        if kind == "case" and (found := _parse_case(view, hit)) is not None:
            findings.append(found)
        elif kind == "core":
            findings.append(_parse_core(view, hit))
        elif kind == "jupiter":
            findings.append(_parse_jupiter(view, hit))
    suites = {
        finding.test.suite.rsplit(".", 1)[-1]: finding.test.suite
        for finding in findings
        if finding.test is not None and finding.test.suite
    }
    for hit in hits:
        kind = hit.rule.id.rsplit(".", 1)[1]
        if kind == "list":
            findings.extend(_parse_list(view, hit, suites))
        elif kind == "class" and (found := _parse_class(hit, bool(suites))) is not None:
            findings.append(found)
    return findings


FAMILY = Family("junit", RULES, parse)
