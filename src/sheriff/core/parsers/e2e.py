"""Browser end-to-end suites: Playwright Test and Protractor.

Playwright prints ``  1) [chromium] › e2e/x.spec.ts:12:5 › suite › test ───`` then the
error (``Error: expect(locator).toBeVisible() failed``, ``Test timeout of 30000ms
exceeded``, a strict-mode violation…) and the code frame. Sub-types follow seed 004:
``timeout``, ``selector`` (strict mode, element not found) or ``assertion``. A browser
that was never installed is a configuration problem of the job, not of the test.
Protractor reports ``Failures:`` / ``1) suite test`` / ``Message:`` like Jasmine
(handled there); only its launcher errors are read here.

These rules run inside the ``javascript`` parser (their ids say so), so that the code
frames of a Playwright failure are not reported again as an uncaught Node.js error;
``PARSER`` itself has no rules of its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, LineRange, Location, Strength, TestIdentity
from sheriff.core.parsers.base import Parser, merge_ranges, rule
from sheriff.core.scan import Hit

_HEADER = lazy_compile(
    r"^\s*(?P<n>\d+)\) (?:\[(?P<project>[^\]]+)\] › )?"
    r"(?P<file>[^\s›]+?):(?P<line>\d+):(?P<col>\d+) › (?P<title>.*?[^\s─])\s*+(?:─++\s*+)*+$"
)
_END = lazy_compile(r"^\s*(?:\d+\) (?:\[[^\]]+\] › )?\S+:\d+:\d+ › |\d+ (?:failed|passed|flaky)\b)")
_FRAME = lazy_compile(r"^\s*at (?:.*\()?(?P<path>[^\s()]+):(?P<line>\d+):\d+\)?\s*$")
_TIMEOUT = lazy_compile(r"Timeout \d+ms exceeded|Test timeout of \d+ms exceeded|timed? ?out", re.I)
_SELECTOR = lazy_compile(
    r"strict mode violation|resolved to \d+ elements|waiting for (?:locator|selector)"
    r"|element\(s\) not found|not found|No node found|Unable to find"
)
_NOT_INSTALLED = lazy_compile(
    r"Executable doesn't exist|browserType\.launch: .*not found|npx playwright install"
)
_MAX_BLOCK = 120

RULES = (
    rule(
        "javascript.playwright_header",
        r"\d+\) [^\r\n]*\.(?:spec|test|e2e)?\.?[cm]?[jt]sx?:\d+:\d+ › ",
        _HEADER.pattern,
        before=2,
        after=_MAX_BLOCK,
    ),
    rule(
        "javascript.protractor_launcher",
        r"E/launcher - ",
        r"^E/launcher - (?P<message>(?!Process exited).+)$",
        before=3,
        after=40,
    ),
)


def e2e_findings(view: LogView, hits: Sequence[Hit]) -> tuple[list[Finding], list[LineRange]]:
    """Findings from Playwright and Protractor hits, and the line ranges they claim."""
    findings: list[Finding] = []
    seen: set[str] = set()
    for hit in hits:
        if hit.match is None:
            continue
        if hit.rule.id.endswith("playwright_header"):
            found = _playwright(view, hit, hit.match)
        else:
            found = _launcher(view, hit, hit.match)
        if found is not None and found.message not in seen:
            seen.add(found.message)
            findings.append(found)
    claimed = [(f.anchor, max(last for _, last in f.ranges)) for f in findings]
    return findings, claimed


def _playwright(view: LogView, hit: Hit, match: re.Match[str]) -> Finding | None:
    last = _block_end(view, hit.number)
    lines = [(n, t.strip()) for n, t in view.span(hit.number + 1, last) if t.strip()]
    if not lines or len(hit.text) > 400:
        return None
    message = "\n".join(t for _, t in lines[:3])
    detail = " ".join(t for _, t in lines)
    failure_type, sub_type = _kind(detail)
    frames = [
        Location(m.group("path"), int(m.group("line"))) for _, t in lines if (m := _FRAME.match(t))
    ]
    locations = [Location(match.group("file"), int(match.group("line"))), *frames]
    printed = (
        f"{match.group('file')}:{match.group('line')}:{match.group('col')} › {match.group('title')}"
    )
    return Finding(
        tool="playwright",
        failure_type=failure_type,
        sub_type=sub_type,
        message=message[:500],
        anchor=hit.number,
        ranges=_ranges(hit.number, last, lines),
        strength=Strength.CLEAR,
        test=TestIdentity("playwright", match.group("project"), printed),
        locations=tuple(dict.fromkeys(locations))[:8],
        has_stack_trace=bool(frames),
        kind="test",
    )


def _block_end(view: LogView, header: int) -> int:
    last = header
    for number in range(header + 1, header + _MAX_BLOCK):
        text = view.text(number)
        if text is None or _END.match(text):
            break
        last = number
    while last > header and not (view.text(last) or "").strip():
        last -= 1
    return last


def _kind(detail: str) -> tuple[FailureType, str]:
    if _NOT_INSTALLED.search(detail):
        return FailureType.INFRASTRUCTURE, "browser_not_installed"
    if _SELECTOR.search(detail) and "strict mode" in detail:
        return FailureType.E2E, "selector"
    if re.search(r"Test timeout of \d+ms exceeded|Timeout \d+ms exceeded\.", detail):
        return FailureType.E2E, "timeout"
    if re.search(r"expect\(|toHave|toBe|toEqual|toContain|toMatch|Expected", detail):
        return FailureType.E2E, "assertion"
    if _SELECTOR.search(detail):
        return FailureType.E2E, "selector"
    return FailureType.E2E, "timeout" if _TIMEOUT.search(detail) else "exception"


def _ranges(header: int, last: int, lines: list[tuple[int, str]]) -> tuple[LineRange, ...]:
    if last - header <= 35:
        return ((header, last),)
    ranges: list[LineRange] = [(header, header + 12)]
    ranges.extend((n, n) for n, t in lines if t.startswith(">") or _FRAME.match(t))
    return merge_ranges(ranges)


def _launcher(view: LogView, hit: Hit, match: re.Match[str]) -> Finding | None:
    """A Protractor launcher error that is not a TypeScript error (those are type checks)."""
    message = match.group("message")
    if "TSError" in message or "Unable to compile TypeScript" in message:
        return None
    return Finding(
        tool="protractor",
        failure_type=FailureType.E2E,
        sub_type="timeout" if _TIMEOUT.search(message) else "exception",
        message=message[:500],
        anchor=hit.number,
        ranges=((hit.number, hit.number + 6),),
        strength=Strength.PARTIAL,
        kind="error",
    )


def _no_findings(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    return []


PARSER = Parser(name="e2e", rules=(), parse=_no_findings)
