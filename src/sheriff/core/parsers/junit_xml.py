"""JUnit-style XML reports given as the log itself (JUnit/Surefire, pytest, PHPUnit, gtest,
Jest and other JUnit writers, xUnit.net v2, NUnit 3 and TRX).

The scanner hands over the lines holding a ``<failure``/``<error`` element (several may
sit on one line); the enclosing test element is found in the kept lines before it. Each
element is parsed on its own with defusedxml, never with a non-hardened parser.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Location, TestIdentity
from sheriff.core.parsers.base import Parser, find_locations, method_name, rule
from sheriff.core.parsers.jvm_frames import exception_sub_type, trace_locations
from sheriff.core.scan import Hit

_OUTCOME = lazy_compile(r"<(?P<tag>failure|error|ErrorInfo)(?=[\s>/])")
_TEST_OPEN = lazy_compile(
    r"<(?P<tag>testcase|test|test-case|UnitTestResult|testsuite|test-suite)(?=[\s>/])"
)
_XML_START = lazy_compile(r"^\ufeff?\s*<(?:\?xml|testsuites?[\s>]|assemblies|test-run|TestRun)")
_LOOKBACK = 200
_LOOKAHEAD = 200

RULES = (
    rule(
        "junit_xml.outcome",
        r"<(?:failure|error|ErrorInfo)[ \t>/]",
        _OUTCOME.pattern,
        before=_LOOKBACK,
        after=_LOOKAHEAD,
    ),
)


@dataclass(frozen=True, slots=True)
class _Window:
    """Kept lines around a hit, joined, with the offset at which each line starts."""

    text: str
    starts: list[tuple[int, int]]  # (offset, line number)

    def line_of(self, offset: int) -> int:
        line = self.starts[0][1]
        for start, number in self.starts:
            if start > offset:
                break
            line = number
        return line

    def offset_of(self, number: int) -> int:
        return next(start for start, line in self.starts if line == number)


def _window(view: LogView, number: int) -> _Window:
    parts: list[str] = []
    starts: list[tuple[int, int]] = []
    offset = 0
    for line, text in view.span(number - _LOOKBACK, number + _LOOKAHEAD):
        starts.append((offset, line))
        parts.append(text)
        offset += len(text) + 1
    return _Window("\n".join(parts), starts)


def _element(text: str) -> Element | None:
    try:
        element: Element = fromstring(text)
    except (ParseError, DefusedXmlException, ValueError):
        return None
    return element


def _open_tag(text: str, start: int) -> Element | None:
    """The attributes of the opening tag at ``start``, parsed as an empty element."""
    end = text.find(">", start)
    if end < 0:
        return None
    tag = text[start:end].rstrip("/") + "/>"
    return _element(tag)


def _outcome(text: str, start: int, tag: str) -> Element | None:
    """The whole failure element at ``start`` (or only its opening tag when cut off)."""
    close = text.find(f"</{tag}>", start)
    head_end = text.find(">", start)
    if head_end >= 0 and text[head_end - 1] == "/":
        return _element(text[start : head_end + 1])
    if close >= 0:
        found = _element(text[start : close + len(tag) + 3])
        if found is not None:
            return found
    return _open_tag(text, start)


def identity_of_test(test: Element) -> tuple[str | None, str]:
    """(suite, name) of a JUnit, xUnit.net, NUnit or TRX test element."""
    attrs = test.attrib
    if test.tag == "UnitTestResult":
        return None, attrs.get("testName", "?")
    if test.tag == "test":  # xUnit.net v2
        return attrs.get("type"), attrs.get("method") or attrs.get("name", "?")
    suite = attrs.get("class") or attrs.get("classname")
    name = attrs.get("name") or attrs.get("methodname") or "?"
    return suite, method_name(name)


def _message(outcome: Element) -> str:
    body = (outcome.text or "").strip()
    declared = outcome.attrib.get("message", "").strip()
    parts = [] if declared and body.startswith(declared) else [declared]
    parts.extend(
        child.text
        for child in outcome.iter()
        if child.tag.lower() in {"message", "stack-trace", "stacktrace"} and child.text
    )
    if outcome.text:
        parts.append(outcome.text)
    text = "\n".join(part.strip() for part in parts if part and part.strip())
    kind = outcome.attrib.get("type") or outcome.attrib.get("exception-type") or ""
    if kind and kind not in text[:200]:
        text = f"{kind}: {text}"
    return text


def _finding(
    view: LogView, window: _Window, test_start: int, match: re.Match[str]
) -> Finding | None:
    test = _open_tag(window.text, test_start)
    outcome = _outcome(window.text, match.start(), match.group("tag"))
    if test is None or outcome is None or test.tag in {"testsuite", "test-suite"}:
        return None
    suite, name = identity_of_test(test)
    message = _message(outcome)
    close = window.text.find(">", match.end())
    closing = window.text.find(f"</{match.group('tag')}>", match.start())
    end_offset = closing if closing >= 0 else close
    first, last = window.line_of(test_start), window.line_of(max(end_offset, match.start()))
    locations: list[Location] = []
    if test.attrib.get("file"):
        line = test.attrib.get("line")
        locations.append(
            Location(test.attrib["file"], int(line) if line and line.isdigit() else None)
        )
    frames = trace_locations(view, first, last, prefer=suite) if suite else ()
    locations.extend(frames or find_locations(message)[:4])
    sub_type = "panic" if "panicked at" in message else exception_sub_type(message)
    if match.group("tag") == "error" and sub_type == "assertion":
        sub_type = "exception"
    return Finding(
        tool="junit-xml",
        failure_type=FailureType.TEST,
        sub_type=sub_type,
        message=message[:500] or f"{name} failed",
        anchor=window.line_of(test_start),
        ranges=((first, min(last, first + 39)),),
        test=TestIdentity("junit", suite, name),
        locations=tuple(dict.fromkeys(locations))[:5],
        has_stack_trace="\n" in message.strip(),
        kind="test",
    )


def _parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    head = next((text for _, text in view.span(1, 5) if text.strip()), "")
    if not _XML_START.match(head):
        return []
    findings: list[Finding] = []
    for hit in hits:
        window = _window(view, hit.number)
        line_start = window.offset_of(hit.number)
        line_end = line_start + len(view.text(hit.number) or "")
        for match in _OUTCOME.finditer(window.text, line_start, line_end):
            opens = list(_TEST_OPEN.finditer(window.text, 0, match.start()))
            if opens and (found := _finding(view, window, opens[-1].start(), match)):
                findings.append(found)
    return _unique(findings)


def _unique(findings: list[Finding]) -> list[Finding]:
    """One finding per test element (a testcase may hold a failure and an error)."""
    kept: dict[tuple[int, str | None, str], Finding] = {}
    for finding in findings:
        assert finding.test is not None
        key = (finding.anchor, finding.test.suite, finding.test.name)
        kept.setdefault(key, finding)
    return list(kept.values())


PARSER = Parser(name="junit_xml", rules=RULES, parse=_parse)
