"""Tests run in browsers or by Jasmine: Karma, Jasmine's console reporter and QUnit.

Karma: ``Chrome 75.0 (Mac OS X 10.13) suite test FAILED`` then the indented error; the
test name drops the browser. A browser that disconnects is an infrastructure failure.
Jasmine: ``1) full name`` / ``Message:`` / ``Stack:``. QUnit (ember/Discourse runner):
``Module Failed: m`` / ``Test Failed: t`` / ``Assertion Failed: …``; ``Acceptance:``
modules drive the app in a headless browser, so they are end-to-end failures.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, LineRange, Strength, TestIdentity
from sheriff.core.parsers.base import follow, is_indented, rule
from sheriff.core.parsers.js_errors import frames_in, js_error_kind, project_first
from sheriff.core.scan import Hit

_KARMA = lazy_compile(
    r"^(?P<browser>[A-Z]\w*(?: [A-Z]\w*)* [\d.]+ \([^)]*\)) (?P<title>.+?) FAILED$"
)
_JASMINE_TITLE = lazy_compile(r"^\s*\d+\) (?P<title>.*?\S)\s*$")
_QUNIT_TEST = lazy_compile(r"^\s*Test Failed: (?P<title>.*?\S)\s*$")
_QUNIT_ASSERT = lazy_compile(r"^\s*Assertion Failed: (?P<message>.*)$")
_E2E_MODULE = lazy_compile(r"^Acceptance\b")
_ERROR_START = lazy_compile(r"^\s*(?:\w*Error\b|Error while|Uncaught\b)")
_MAX_BLOCK = 60

RULES = (
    rule(
        "javascript.karma_failed",
        r"\) [^\r\n]+ FAILED",
        _KARMA.pattern,
        before=2,
        after=40,
    ),
    rule(
        "javascript.karma_disconnect",
        r"Disconnected|DISCONNECTED|has not captured in",
        r"Disconnected,? (?:\(\d+ times\),? )?because no message in \d+ ms"
        r"|Disconnected ?reconnect failed|Executed \d+ of \d+ .*\bDISCONNECTED\b"
        r"|has not captured in \d+ ms|^\s*Disconnected(?: \(\d+ times\))?\s*$",
        before=3,
        after=4,
    ),
    rule(
        "javascript.jasmine_message",
        r"Message:",
        r"^\s*Message:\s*$",
        before=2,
        after=60,
    ),
    rule(
        "javascript.qunit_module",
        r"Module Failed: ",
        r"^\s*Module Failed: (?P<module>.*?\S)\s*$",
        before=35,
        after=80,
    ),
    rule(
        "javascript.qunit_timeout",
        r"Tests timed out",
        r"^\s*Tests timed out\b",
        before=5,
        after=3,
    ),
)


def browser_findings(view: LogView, hits: Sequence[Hit]) -> tuple[list[Finding], list[LineRange]]:
    findings: list[Finding] = []
    disconnects: list[Hit] = []
    for hit in hits:
        name = hit.rule.id.rsplit(".", 1)[1]
        if name == "karma_failed" and hit.match is not None:
            findings.append(_karma(view, hit, hit.match))
        elif name == "karma_disconnect":
            disconnects.append(hit)
        elif name == "jasmine_message":
            findings.extend(_jasmine(view, hit))
        elif name == "qunit_module" and hit.match is not None:
            findings.extend(_qunit(view, hit, hit.match.group("module")))
        elif name == "qunit_timeout":
            findings.append(_qunit_timeout(view, hit))
    if disconnects:
        findings.append(_disconnect(view, disconnects))
    claimed = [(f.anchor, max(last for _, last in f.ranges)) for f in findings]
    return findings, claimed


def _karma(view: LogView, hit: Hit, match: re.Match[str]) -> Finding:
    last = follow(view, hit.number, is_indented, limit=_MAX_BLOCK, skip_blank=0)
    details = [t.strip() for _, t in view.span(hit.number + 1, last) if t.strip()]
    message = "\n".join(details[:3]) or hit.text
    frames = frames_in(view, hit.number + 1, last)
    return Finding(
        tool="karma",
        failure_type=FailureType.TEST,
        sub_type=js_error_kind(message),
        message=message[:500],
        anchor=hit.number,
        ranges=((hit.number, min(last, hit.number + 16)),),
        strength=Strength.CLEAR,
        test=TestIdentity("karma", None, match.group("title")),
        locations=project_first(loc for _, loc in frames)[:8],
        has_stack_trace=bool(frames) or last > hit.number + 3,
        kind="test",
    )


def _jasmine(view: LogView, hit: Hit) -> list[Finding]:
    title = _JASMINE_TITLE.match(view.text(hit.number - 1) or "")
    if title is None:
        return []
    header = hit.number - 1
    last = follow(
        view, hit.number, lambda t: not _JASMINE_TITLE.match(t), limit=_MAX_BLOCK, skip_blank=0
    )
    lines = [(n, t.strip()) for n, t in view.span(hit.number + 1, last) if t.strip()]
    stack = next((n for n, t in lines if t == "Stack:"), last + 1)
    message = "\n".join(t for n, t in lines if n < stack)[:500]
    frames = frames_in(view, hit.number + 1, last)
    ranges: list[LineRange] = [(header, min(stack + 6, last, header + 30))]
    return [
        Finding(
            tool="jasmine",
            failure_type=FailureType.TEST,
            sub_type=js_error_kind(message),
            message=message or title.group("title"),
            anchor=header,
            ranges=tuple(ranges),
            strength=Strength.CLEAR,
            test=TestIdentity("jasmine", None, title.group("title")),
            locations=project_first(loc for _, loc in frames)[:8],
            has_stack_trace=bool(frames),
            kind="test",
        )
    ]


def _qunit(view: LogView, hit: Hit, module: str) -> list[Finding]:
    last = follow(view, hit.number, is_indented, limit=_MAX_BLOCK * 2, skip_blank=0)
    tests = [
        (n, m.group("title")) for n, t in view.span(hit.number, last) if (m := _QUNIT_TEST.match(t))
    ]
    e2e = bool(_E2E_MODULE.match(module))
    findings: list[Finding] = []
    for index, (number, title) in enumerate(tests):
        end = tests[index + 1][0] - 1 if index + 1 < len(tests) else last
        flags = (e2e, index == 0)
        findings.append(_qunit_test(view, (number, end), (module, title), flags))
    return findings


def _qunit_test(
    view: LogView, span: LineRange, names: tuple[str, str], flags: tuple[bool, bool]
) -> Finding:
    """One failed QUnit test; ``flags`` say (end-to-end module, first test of the module)."""
    number, end = span
    module, title = names
    e2e, first = flags
    asserts = [
        m.group("message") for _, t in view.span(number, end) if (m := _QUNIT_ASSERT.match(t))
    ]
    message = "\n".join(asserts[:3]) or title
    ranges: list[LineRange] = [(number, end)]
    anchor = number
    if first:
        anchor = number - 1
        ranges = [(_error_before(view, anchor), end)]
    kind = js_error_kind(asserts[0]) if asserts else "assertion"
    if e2e and kind not in {"timeout", "exception"}:
        kind = "exception" if re.search(r"\w+Error: ", message) else "assertion"
    return Finding(
        tool="qunit",
        failure_type=FailureType.E2E if e2e else FailureType.TEST,
        sub_type=kind,
        message=message[:500],
        anchor=anchor,
        ranges=tuple(ranges),
        strength=Strength.CLEAR,
        test=TestIdentity("qunit", module, title),
        kind="test",
    )


def _error_before(view: LogView, module_line: int) -> int:
    """Where an uncaught error printed just before a failed module begins, if any."""
    start = module_line
    for number, text in view.span(module_line - 30, module_line - 1):
        if _ERROR_START.match(text):
            return number
    return start


def _qunit_timeout(view: LogView, hit: Hit) -> Finding:
    previous = ""
    for _, text in view.span(hit.number - 3, hit.number - 1):
        if text.strip():
            previous = text.strip()
    e2e = bool(_E2E_MODULE.match(previous))
    return Finding(
        tool="qunit",
        failure_type=FailureType.E2E if e2e else FailureType.TEST,
        sub_type="timeout",
        message=f"Tests timed out (running: {previous})" if previous else "Tests timed out",
        anchor=hit.number,
        ranges=((max(hit.number - 1, 1), hit.number + 1),),
        strength=Strength.CLEAR,
        kind="error",
    )


def _disconnect(view: LogView, hits: list[Hit]) -> Finding:
    first = hits[0].number
    previous = view.text(first - 1) or ""
    anchor = first - 1 if previous.rstrip().endswith("ERROR") else first
    last = max(hit.number for hit in hits[:8])
    return Finding(
        tool="karma",
        failure_type=FailureType.INFRASTRUCTURE,
        sub_type="browser_disconnect",
        message=hits[0].text.strip()[:500],
        anchor=anchor,
        ranges=((anchor, min(last + 1, anchor + 20)),),
        strength=Strength.CLEAR,
        kind="error",
    )
