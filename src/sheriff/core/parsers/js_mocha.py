"""Mocha's failure list (also Cypress's, which runs on Mocha) and tape's TAP diagnostics.

After ``N failing`` Mocha numbers each failure: ``1) Suite`` then one line per nested
title, the innermost ending with ``:``, then the error and its ``at`` frames. The test
name is the innermost title. In a Cypress run the same blocks are browser end-to-end
failures. tape prints ``not ok 3 title`` with a YAML block (``operator``, ``expected``,
``actual``, ``at``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, LineRange, Location, Strength, TestIdentity
from sheriff.core.parsers.base import find_locations, merge_ranges, rule
from sheriff.core.parsers.js_errors import frames_in, is_frame, js_error_kind, project_first
from sheriff.core.scan import Hit

_FAILING = lazy_compile(r"^\s*(?P<count>\d+) failing\b")
_ITEM = lazy_compile(r"^\s*(?P<n>\d+)\)(?: (?P<rest>(?:.*?\S)?))?\s*$")
_TAPE_YAML_END = lazy_compile(r"^\s*\.\.\.\s*$")
_SELECTOR = lazy_compile(
    r"never found it|Expected to find element|strict mode violation|resolved to \d+ elements"
    r"|not found|Unable to find|No element|element is detached",
    re.I,
)
_MAX_ITEMS = 60
_MAX_BLOCK = 120

RULES = (
    rule("javascript.mocha_failing", r"\d+ failing", _FAILING.pattern, before=3, after=600),
    rule(
        "javascript.cypress_marker",
        r"\(Run Starting\)|\(Run Finished\)|Cypress: +\d|cypress run|Running: +\S+\.cy\.",
        r"\(Run (?:Starting|Finished)\)|Cypress:\s+\d|cypress run|Running:\s+\S+\.cy\.",
        before=0,
        after=0,
    ),
    rule(
        "javascript.node_test",
        r"✖ [^\r\n]*\([\d.]+ms\)",
        r"^(?P<indent>\s*)✖ (?P<title>.+?) \([\d.]+ms\)$",
        before=1,
        after=40,
    ),
    rule(
        "javascript.tape",
        r"not ok \d+",
        r"^\s*not ok (?P<n>\d+)(?: -)? ?(?P<title>.*?)(?:(?<!\s)\s+#\s.*)?$",
        before=2,
        after=40,
    ),
)


@dataclass(frozen=True, slots=True)
class _Item:
    header: int
    last: int
    titles: tuple[str, ...]
    error_line: int | None


def mocha_findings(
    view: LogView, hits: Sequence[Hit], cypress: bool
) -> tuple[list[Finding], list[LineRange]]:
    findings: list[Finding] = []
    claimed: list[LineRange] = []
    summaries = [hit.number for hit in hits if hit.rule.id.endswith(".mocha_failing")]
    for hit in hits:
        name = hit.rule.id.rsplit(".", 1)[1]
        if name == "mocha_failing" and hit.match is not None:
            count = int(hit.match.group("count"))
            following = bisect_right(summaries, hit.number)
            next_summary = summaries[following] if following < len(summaries) else None
            for item in _items(view, hit.number, count, next_summary):
                claimed.append((item.header, item.last))
                findings.append(_finding(view, item, cypress))
        elif name == "node_test" and hit.match is not None:
            node_test = _node_test(view, hit, hit.match)
            findings.append(node_test)
            claimed.append((node_test.anchor, max(last for _, last in node_test.ranges)))
        elif name == "tape":
            found = _tape(view, hit)
            if found is not None:
                findings.append(found)
                claimed.append(found.ranges[0])
    return findings, claimed


def _items(view: LogView, failing: int, count: int, next_summary: int | None) -> list[_Item]:
    """The numbered items after a ``N failing`` line, up to the next such line: a log of
    thousands of summaries would otherwise read 2,000 lines after each."""
    items: list[_Item] = []
    expected = 1
    number = failing + 1
    end = min(failing + 2000, next_summary or failing + 2000)
    while expected <= min(count, _MAX_ITEMS) and number < end:
        text = view.text(number)
        if text is None:
            break
        item = _ITEM.match(text)
        if item and int(item.group("n")) == expected:
            parsed = _item(view, number, item.group("rest") or "")
            items.append(parsed)
            expected += 1
            number = parsed.last + 1
            continue
        number += 1
    return items


def _item(view: LogView, header: int, first_title: str) -> _Item:
    titles = [first_title] if first_title else []
    number = header
    closed = first_title.endswith(":")
    while not closed and number < header + 10:
        number += 1
        text = (view.text(number) or "").strip()
        if text:
            titles.append(text)
            closed = text.endswith(":")
    error_line = _next_nonblank(view, number + 1, number + 4)
    last = _item_end(view, error_line or number)
    titles[-1:] = [titles[-1].removesuffix(":")] if titles else []
    return _Item(header, last, tuple(t for t in titles if t), error_line)


def _next_nonblank(view: LogView, first: int, last: int) -> int | None:
    for number, text in view.span(first, last):
        if text.strip():
            return number
    return None


def _item_end(view: LogView, start: int) -> int:
    last = start
    blanks = 0
    for number in range(start + 1, start + _MAX_BLOCK):
        text = view.text(number)
        if text is None or _ITEM.match(text):
            break
        if not text.strip():
            blanks += 1
            if blanks >= 3:
                break
            continue
        blanks = 0
        last = number
    return last


def _finding(view: LogView, item: _Item, cypress: bool) -> Finding:
    start = item.error_line or item.header
    message_lines = [t.strip() for _, t in view.span(start, min(start + 3, item.last))]
    message = "\n".join(t for t in message_lines if t and not is_frame(t))
    frames = frames_in(view, start, item.last)
    suite = " ".join(item.titles[:-1]) or None
    name = item.titles[-1] if item.titles else f"failure {item.header}"
    framework = "cypress" if cypress else "mocha"
    return Finding(
        tool=framework,
        failure_type=FailureType.E2E if cypress else FailureType.TEST,
        sub_type=_e2e_kind(message) if cypress else js_error_kind(message),
        message=(message or name)[:500],
        anchor=item.header,
        ranges=_ranges(item, frames),
        strength=Strength.CLEAR,
        test=TestIdentity(framework, suite, name),
        locations=project_first(loc for _, loc in frames)[:8],
        has_stack_trace=bool(frames),
        kind="test",
    )


def _e2e_kind(message: str) -> str:
    if _SELECTOR.search(message):
        return "selector"
    kind = js_error_kind(message)
    return kind if kind in {"timeout", "network"} else "assertion"


def _ranges(item: _Item, frames: list[tuple[int, Location]]) -> tuple[LineRange, ...]:
    if item.last - item.header <= 30:
        return ((item.header, item.last),)
    start = item.error_line or item.header
    ranges: list[LineRange] = [(item.header, min(start + 8, item.last))]
    ranges.extend((number, number) for number, _ in frames[:8])
    return merge_ranges(ranges)


def _node_test(view: LogView, hit: Hit, match: re.Match[str]) -> Finding:
    """``node --test`` spec reporter: ``✖ title (1.2ms)`` and the indented error below.
    A suite whose tests failed is listed too, with no error of its own."""
    indent = len(match.group("indent"))
    last = hit.number
    for number, text in view.span(hit.number + 1, hit.number + _MAX_BLOCK):
        if text.strip() and len(text) - len(text.lstrip()) <= indent:
            break
        last = number
    lines = [t.strip() for _, t in view.span(hit.number + 1, last) if t.strip()]
    frames = frames_in(view, hit.number + 1, last)
    message = "\n".join(t for t in lines[:4] if not is_frame(t))
    return Finding(
        tool="node:test",
        failure_type=FailureType.TEST,
        sub_type=js_error_kind(message) if message else "unit_test",
        message=(message or f"{match.group('title')}: a test inside it failed")[:500],
        anchor=hit.number,
        ranges=((hit.number, min(last, hit.number + 20)),),
        strength=Strength.CLEAR if message else Strength.PARTIAL,
        test=TestIdentity("node:test", None, match.group("title")),
        locations=project_first(loc for _, loc in frames)[:8],
        has_stack_trace=bool(frames),
        kind="test" if message else "summary",
    )


def _tape(view: LogView, hit: Hit) -> Finding | None:
    """A tape assertion: ``not ok`` with a YAML block naming the operator."""
    assert hit.match is not None
    opener = view.text(hit.number + 1) or ""
    if opener.strip() != "---":
        return None
    last = hit.number + 1
    fields: dict[str, str] = {}
    for number, text in view.span(hit.number + 2, hit.number + 40):
        last = number
        if _TAPE_YAML_END.match(text):
            break
        key, colon, value = text.strip().partition(":")
        if colon and key in {"operator", "expected", "actual", "at", "message"}:
            fields.setdefault(key, value.strip())
    if "operator" not in fields:
        return None
    title = hit.match.group("title")
    message = f"{title}: {fields['operator']} expected {fields.get('expected', '?')}"
    message += f", actual {fields.get('actual', '?')}"
    return Finding(
        tool="tape",
        failure_type=FailureType.TEST,
        sub_type="assertion",
        message=message[:500],
        anchor=hit.number,
        ranges=((hit.number, min(last, hit.number + 20)),),
        strength=Strength.CLEAR,
        test=TestIdentity("tap", None, title) if title else None,
        locations=tuple(find_locations(fields.get("at", "")))[:3],
        has_stack_trace="at" in fields,
        kind="test",
    )
