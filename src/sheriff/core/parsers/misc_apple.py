"""Apple platforms: XCTest (xcodebuild, xcpretty, SwiftPM), xcpretty's compile errors,
SwiftLint violations and jazzy's undocumented-symbols gate."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Location, Strength, TestIdentity
from sheriff.core.parsers.base import find_locations, rule
from sheriff.core.parsers.misc_family import (
    Family,
    capped,
    clusters,
    line_at,
    next_nonblank,
    previous_line,
)
from sheriff.core.scan import Hit

# xcpretty: "  testX, XCTAssertTrue failed" (summary) or "    ✗ testX, message" (live).
_XCPRETTY = lazy_compile(r"^(?:nl)?\s*(?:✗\s+)?(?P<name>test\w*), (?P<msg>.+)$")
_XCTEST = lazy_compile(
    r"^(?P<path>\S+\.(?:swift|mm?)):(?P<line>\d+): error: (?:-\[(?P<cls>[\w.]+) (?P<name>\w+)\]"
    r"|(?P<cls2>[\w.]+)\.(?P<name2>\w+)) : (?P<msg>.*)"
)
_CASE_FAILED = lazy_compile(r"Test Case '-\[(?P<cls>[\w.]+) (?P<name>\w+)\]' (?:failed|crashed)")
_SUITE_LINE = lazy_compile(r"^(?P<suite>[A-Z]\w*(?:\.[A-Za-z_]\w*)*)$")
_COMPILE = lazy_compile(
    r"❌\s+(?P<path>\S+\.(?:swift|mm?|h|c|cc|cpp)):(?P<line>\d+):\d+: (?P<msg>.*)"
)
_SWIFTLINT = lazy_compile(
    r"^(?P<path>\S+\.swift):(?P<line>\d+):(?:\d+:)? (?P<level>warning|error): "
    r"(?P<msg>.+ Violation: .*)"
)
_UNDOCUMENTED = lazy_compile(r"Undocumented .*declarations:|\"warning\": \"undocumented\"")
_FENCE = lazy_compile(r"^\s*```\s*$")

RULES = (
    rule(
        "misc.apple.xcpretty",
        r"(?:(?m:^)|\r)(?:[ \t]|\x1b\[[0-9;]*m|✗)*test\w*, ",
        _XCPRETTY.pattern,
        before=40,
        after=30,
    ),
    rule("misc.apple.xctest", r": error: (?:-\[|[\w.]+\.test)", _XCTEST.pattern, before=3, after=5),
    rule("misc.apple.case", r"Test Case '-\[", _CASE_FAILED.pattern, before=10, after=3),
    rule("misc.apple.compile", r"❌", _COMPILE.pattern, before=3, after=15),
    rule("misc.apple.swiftlint", r" Violation: ", _SWIFTLINT.pattern, before=2, after=5),
    rule("misc.apple.jazzy", _UNDOCUMENTED.pattern, _UNDOCUMENTED.pattern, before=3, after=40),
)


def _sub_type(message: str) -> str:
    if re.search(r"(?i)exceeded timeout|timed out|wait failed", message):
        return "timeout"
    if re.search(r"(?i)crash", message):
        return "crash"
    if re.search(r"(?i)failed|not equal|XCTAssert|expected", message):
        return "assertion"
    return "exception"


def _xcpretty(view: LogView, hit: Hit) -> Finding | None:
    assert hit.match is not None
    found = next_nonblank(view, hit.number, limit=4)
    live = "✗" in hit.text
    located = found is not None and bool(find_locations(found[1]))
    if not live and not located:
        return None
    end = hit.number
    if located and found is not None:
        end = found[0]
        fence = next_nonblank(view, end, limit=3)
        if fence and _FENCE.match(fence[1]):
            closing = next(
                (
                    n
                    for n in range(fence[0] + 1, fence[0] + 30)
                    if _FENCE.match(line_at(view, n) or "")
                ),
                fence[0],
            )
            end = closing
    suite = previous_line(view, hit.number, _SUITE_LINE, limit=40)
    start = suite[0] if suite and hit.number - suite[0] <= 3 else hit.number
    message = hit.match.group("msg").strip()
    # Live "✗" lines only name the test; the summary repeats them with file and code.
    clear = located or "crash" in message.lower()
    return Finding(
        tool="xcpretty",
        failure_type=FailureType.TEST,
        sub_type=_sub_type(message),
        message=message[:500],
        anchor=hit.number,
        ranges=(capped(start, end),),
        test=TestIdentity(
            "xctest", suite[1].group("suite") if suite else None, hit.match.group("name")
        ),
        locations=tuple(find_locations(found[1]))[:2] if located and found else (),
        strength=Strength.CLEAR if clear else Strength.PARTIAL,
        kind="test",
    )


def _xctest(hit: Hit) -> Finding:
    match = hit.match
    assert match is not None
    cls = match.group("cls") or match.group("cls2")
    name = match.group("name") or match.group("name2")
    return Finding(
        tool="xctest",
        failure_type=FailureType.TEST,
        sub_type=_sub_type(match.group("msg")),
        message=match.group("msg").strip()[:500],
        anchor=hit.number,
        ranges=((hit.number, hit.number),),
        test=TestIdentity("xctest", cls, name),
        locations=(Location(match.group("path"), int(match.group("line"))),),
        kind="test",
    )


def _case(hit: Hit) -> Finding:
    assert hit.match is not None
    crashed = "crashed" in hit.text
    return Finding(
        tool="xctest",
        failure_type=FailureType.TEST,
        sub_type="crash" if crashed else "assertion",
        message=hit.text.strip()[:500],
        anchor=hit.number,
        ranges=((hit.number, hit.number),),
        test=TestIdentity("xctest", hit.match.group("cls"), hit.match.group("name")),
        strength=Strength.CLEAR if crashed else Strength.PARTIAL,
        kind="test" if crashed else "summary",
    )


def _message_of(hit: Hit) -> str:
    match = hit.match
    if match is not None and "path" in match.groupdict():
        return f"{match.group('path')}:{match.group('line')}: {match.group('msg')}"
    return hit.text.strip()


def _grouped(group: list[Hit], tool: str, failure_type: FailureType, sub_type: str) -> Finding:
    first = group[0]
    locations = [
        Location(hit.match.group("path"), int(hit.match.group("line")))
        for hit in group
        if hit.match is not None and "path" in hit.match.groupdict()
    ]
    serious = any("error:" in hit.text for hit in group) or tool != "swiftlint"
    return Finding(
        tool=tool,
        failure_type=failure_type,
        sub_type=sub_type,
        message=_message_of(first)[:500],
        anchor=first.number,
        ranges=(capped(first.number, group[-1].number + (2 if tool == "xcpretty" else 0)),),
        locations=tuple(dict.fromkeys(locations))[:8],
        strength=Strength.CLEAR if serious else Strength.PARTIAL,
    )


def _jazzy(view: LogView, group: list[Hit]) -> Finding:
    first = group[0].number
    last = group[-1].number
    end = next(
        (n for n in range(last, last + 40) if (line_at(view, n) or "").startswith("}")), last
    )
    files = [
        Location(match.group(1))
        for _, text in view.span(first, end)
        if (match := re.search(r"\"file\": \"([^\"]+)\"", text))
    ]
    return Finding(
        tool="jazzy",
        failure_type=FailureType.LINT,
        sub_type="docs_coverage",
        message=group[0].text.strip()[:500],
        anchor=first,
        ranges=(capped(first, end),),
        locations=tuple(dict.fromkeys(files))[:5],
    )


def parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    by_kind: dict[str, list[Hit]] = {}
    for hit in hits:
        by_kind.setdefault(hit.rule.id.rsplit(".", 1)[1], []).append(hit)
    findings = [f for hit in by_kind.get("xcpretty", []) if (f := _xcpretty(view, hit))]
    findings.extend(_xctest(hit) for hit in by_kind.get("xctest", []))
    findings.extend(_case(hit) for hit in by_kind.get("case", []))
    findings.extend(
        _grouped(group, "xcpretty", FailureType.BUILD, "compile")
        for group in clusters(by_kind.get("compile", []), gap=20)
    )
    findings.extend(
        _grouped(group, "swiftlint", FailureType.LINT, "swiftlint")
        for group in clusters(by_kind.get("swiftlint", []), gap=6)
    )
    findings.extend(_jazzy(view, group) for group in clusters(by_kind.get("jazzy", []), gap=40))
    return findings


FAMILY = Family("apple", RULES, parse)
