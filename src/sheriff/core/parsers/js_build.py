"""TypeScript type errors and JavaScript build errors (webpack, Vite, Rollup, esbuild,
Babel, the CoffeeScript compiler).

``error TS2322`` is a type-check failure wherever it appears (tsc, ts-node under a
Protractor launcher, ts-loader inside webpack), as the failure taxonomy says. A module a
bundler cannot resolve or a file it cannot parse is a build failure; a CoffeeScript file
the test runner cannot compile is a failing test (``syntax``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.line_spans import LineSpans
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, LineRange, Location, Strength
from sheriff.core.parsers.base import Parser, merge_ranges, rule
from sheriff.core.parsers.js_commands import group_hits, recent_command
from sheriff.core.scan import Hit

_TS_LINE = lazy_compile(
    r"^\s*(?:\[tsl\] ERROR in |ERROR in )?(?P<path>[^\s(:]+\.(?:[cm]?tsx?|vue|jsx?))"
    r"(?:\((?P<line>\d+),(?P<col>\d+)\)|:(?P<line2>\d+):(?P<col2>\d+)| \((?P<line3>\d+),\d+\))"
    r":?\s*(?:-\s*)?(?:error\s+)?(?P<message>(?:TS\d+: ?)?.+?)$"
)
_TS_CODE = lazy_compile(r"\bTS\d{4,5}\b|\(\d{4,5}\)\s*$")
_TEST_COMMAND = lazy_compile(r"\btest|\bspec\b|jest|mocha|karma|ava\b")

RULES = (
    rule(
        "js_build.tsc",
        r"\.[cm]?tsx?(?:\x1b\[[0-9;]*m)*(?:\(\d+,\d+\)|:(?:\x1b\[[0-9;]*m)*\d+"
        r"(?:\x1b\[[0-9;]*m)*:(?:\x1b\[[0-9;]*m)*\d+| \(\d+,\d+\))[^\r\n]*(?:TS\d{4}|\(\d{4,5}\))",
        _TS_LINE.pattern,
        before=10,
        after=30,
    ),
    rule(
        "js_build.ts_header",
        r"TSError: |Unable to compile TypeScript",
        r"(?:TSError: .*Unable to compile TypeScript|Unable to compile TypeScript)",
        before=3,
        after=60,
    ),
    rule(
        "js_build.bundler",
        r"Module not found: |Module build failed|ERROR in \S|\[vite\]|error during build"
        r"|\[!\] (?:Error|RollupError)|✘ \[ERROR\]|Build failed with \d+ error",
        r"^(?P<what>ERROR in \S.*|Module not found: .+|Module build failed.*|\[vite\]:? .*error.*"
        r"|error during build:?.*|\[!\] (?:Error|RollupError).*|✘ \[ERROR\] .+"
        r"|Build failed with \d+ errors?.*)$",
        before=5,
        after=15,
    ),
    rule(
        "js_build.coffee",
        r"\.(?:lit)?coffee:\d+:\d+: error: ",
        r"^\s*(?P<path>\S+?\.(?:lit)?coffee):(?P<line>\d+):(?P<col>\d+): error: (?P<message>.+)$",
        before=30,
        after=4,
    ),
)


def _parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    by_kind: dict[str, list[Hit]] = {}
    for hit in hits:
        if hit.match is not None:
            by_kind.setdefault(hit.rule.id.rsplit(".", 1)[1], []).append(hit)
    findings: list[Finding] = []
    headers = [h.number for h in by_kind.get("ts_header", [])]
    typed = [h for h in by_kind.get("tsc", []) if _is_type_error(h)]
    findings.extend(_type_errors(view, run, headers) for run in group_hits(typed, gap=12))
    claimed = LineSpans((f.anchor, max(last for _, last in f.ranges)) for f in findings)
    findings.extend(
        _bundler(view, run)
        for run in group_hits(by_kind.get("bundler", []), gap=6)
        if run[0].number not in claimed
    )
    findings.extend(_coffee(view, hit) for hit in by_kind.get("coffee", []))
    return findings


def _is_type_error(hit: Hit) -> bool:
    return bool(hit.match and _TS_CODE.search(hit.text))


def _line_of(match: re.Match[str]) -> int | None:
    value = match.group("line") or match.group("line2") or match.group("line3")
    return int(value) if value else None


def _type_errors(view: LogView, run: list[Hit], headers: list[int]) -> Finding:
    first = run[0]
    assert first.match is not None
    header = next((h for h in headers if first.number - 3 <= h < first.number), None)
    anchor = header if header is not None else first.number
    locations = [
        Location(h.match.group("path"), _line_of(h.match)) for h in run if h.match is not None
    ]
    last = run[-1].number + (4 if " - error" in run[-1].text else 0)
    ranges: list[LineRange] = [(anchor, min(last, anchor + 40))]
    if last - anchor >= 40:
        ranges.extend((h.number, h.number) for h in run[-5:])
    return Finding(
        tool="tsc",
        failure_type=FailureType.TYPE_CHECK,
        sub_type="tsc",
        message=_ts_message(first)[:500],
        anchor=anchor,
        ranges=merge_ranges(ranges),
        strength=Strength.CLEAR,
        locations=tuple(dict.fromkeys(locations))[:8],
        kind="error",
    )


def _ts_message(hit: Hit) -> str:
    assert hit.match is not None
    line = _line_of(hit.match)
    message = hit.match.group("message").strip()
    return f"{hit.match.group('path')}:{line}: {message}"


def _bundler(view: LogView, run: list[Hit]) -> Finding:
    first = run[0]
    last = min(run[-1].number + 4, first.number + 30)
    lines = [t.strip() for _, t in view.span(first.number, last) if t.strip()]
    command = recent_command(view, first.number, limit=200) or ""
    tool = next(
        (
            name
            for name in ("webpack", "vite", "rollup", "esbuild", "parcel", "babel")
            if name in command or name in " ".join(lines).lower()
        ),
        "webpack",
    )
    return Finding(
        tool=tool,
        failure_type=FailureType.BUILD,
        sub_type=tool,
        message="\n".join(lines[:3])[:500],
        anchor=first.number,
        ranges=((first.number, last),),
        strength=Strength.CLEAR,
        locations=_bundler_locations(lines),
        kind="error",
    )


def _bundler_locations(lines: list[str]) -> tuple[Location, ...]:
    found: list[Location] = []
    for text in lines:
        match = re.search(
            r"(?:ERROR in |in )(?P<path>\.?/?[\w@./-]+\.\w+)(?: (?P<line>\d+):\d+)?", text
        )
        if match:
            line = match.group("line")
            found.append(Location(match.group("path"), int(line) if line else None))
    return tuple(dict.fromkeys(found))[:8]


def _coffee(view: LogView, hit: Hit) -> Finding:
    """A CoffeeScript compile error: a failing test when the test runner hit it."""
    assert hit.match is not None
    command = recent_command(view, hit.number, limit=30) or ""
    in_tests = bool(_TEST_COMMAND.search(command)) or "test" in hit.match.group("path")
    return Finding(
        tool="coffee",
        failure_type=FailureType.TEST if in_tests else FailureType.BUILD,
        sub_type="syntax" if in_tests else "compile",
        message=hit.text.strip()[:500],
        anchor=hit.number,
        ranges=((hit.number, hit.number + 2),),
        strength=Strength.CLEAR,
        locations=(Location(hit.match.group("path"), int(hit.match.group("line"))),),
        kind="error",
    )


PARSER = Parser(name="js_build", rules=RULES, parse=_parse)
