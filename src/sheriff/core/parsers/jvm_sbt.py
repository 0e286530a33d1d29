"""sbt builds: ScalaTest failures, scalac errors, MiMa problems and sbt's summaries."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Location, Strength, TestIdentity
from sheriff.core.parsers.base import find_locations, rule
from sheriff.core.parsers.jvm_frames import exception_sub_type, trace_locations
from sheriff.core.parsers.misc_family import (
    Family,
    block_end,
    capped,
    clusters,
    joined,
    line_at,
    previous_line,
)
from sheriff.core.scan import Hit

_SCALATEST = lazy_compile(
    r"^(?:\[info\]\s++)?(?P<indent>\s*)- (?P<name>.+?) \*\*\* (?P<what>FAILED|ABORTED) \*\*\*"
)
_ABORTED_SUITE = lazy_compile(
    r"Exception encountered when attempting to run a suite with class name: (?P<suite>\S+)"
    r" \*\*\* ABORTED \*\*\*"
)
_SUITE = lazy_compile(r"^(?:\[info\]\s+)?(?P<suite>[A-Za-z_$][\w$.]*):$")
_SCALAC = lazy_compile(
    r"^\[error\]\s+(?:-- (?:\[E\d+\] )?[^:]*: )?(?P<path>(?:[A-Za-z]:)?[^\s:]*[\w$]\."
    r"(?:scala|java|sbt)):(?P<line>\d+):(?:\d+:?)?\s*(?P<msg>.*)"
)
_MIMA = lazy_compile(r"filter with: ProblemFilters")
_SUMMARY = lazy_compile(
    r"^\[error\] (?:Failed tests:|\(.+\) sbt\.TestsFailedException|Error: Total \d+"
    r"|Failed: Total \d+)"
)

RULES = (
    rule("jvm.sbt.scalatest", r"\*\*\* (?:FAILED|ABORTED) \*\*\*", None, before=150, after=40),
    rule("jvm.sbt.scalac", r"\.(?:scala|java|sbt):\d+:", _SCALAC.pattern, after=40),
    rule("jvm.sbt.mima", r"filter with: ProblemFilters", _MIMA.pattern, before=3, after=10),
    rule(
        "jvm.sbt.summary",
        r"Failed tests:|sbt\.TestsFailedException|(?:Error|Failed): Total \d",
        _SUMMARY.pattern,
        before=3,
        after=10,
    ),
)


def _suite_of(view: LogView, number: int) -> str | None:
    found = previous_line(view, number, _SUITE, limit=400)
    return found[1].group("suite") if found else None


def _is_detail(text: str) -> bool:
    """ScalaTest's message and frame lines, indented under the failing test."""
    return bool(re.match(r"^(?:\[info\])?\s{3,}\S", text))


def _scalatest(view: LogView, hit: Hit) -> Finding | None:
    aborted = _ABORTED_SUITE.search(hit.text)
    match = _SCALATEST.search(hit.text)
    if aborted is None and match is None:
        return None
    end = block_end(view, hit.number, _is_detail, limit=60, blanks=0)
    message = joined(view, hit.number + 1, min(end, hit.number + 3), limit=500)
    message = re.sub(r"(?m)^\[info\]\s*", "", message)
    if aborted is not None:
        suite, name = aborted.group("suite"), aborted.group("suite").rsplit(".", 1)[-1]
    else:
        assert match is not None
        suite, name = _suite_of(view, hit.number), match.group("name")
    locations = trace_locations(view, hit.number + 1, end, prefer=suite)
    return Finding(
        tool="scalatest",
        failure_type=FailureType.TEST,
        sub_type=exception_sub_type(message),
        message=message or hit.text.strip()[:500],
        anchor=hit.number,
        ranges=(capped(hit.number, end),),
        test=TestIdentity("scalatest", suite, name),
        locations=locations or tuple(find_locations(message))[:3],
        has_stack_trace=end > hit.number + 2,
        kind="test",
    )


def _scalac(view: LogView, group: list[Hit]) -> Finding:
    first = group[0]
    end = block_end(view, group[-1].number, lambda text: text.startswith("[error]"), limit=40)
    locations = []
    for hit in group:
        assert hit.match is not None
        locations.append(Location(hit.match.group("path"), int(hit.match.group("line"))))
    assert first.match is not None
    detail = line_at(view, first.number + 1) or ""
    message = f"{first.match.group('path')}:{first.match.group('line')}: {first.match.group('msg')}"
    return Finding(
        tool="scalac",
        failure_type=FailureType.BUILD,
        sub_type="compile",
        message=f"{message}\n{detail.removeprefix('[error]').strip()}"[:500],
        anchor=first.number,
        ranges=(capped(first.number, end),),
        locations=tuple(dict.fromkeys(locations))[:8],
    )


def _mima(view: LogView, group: list[Hit]) -> Finding:
    problem = group[0].number - 1
    text = (line_at(view, problem) or "").removeprefix("[error]").strip(" *")
    return Finding(
        tool="mima",
        failure_type=FailureType.LINT,
        sub_type="binary_compat",
        message=text[:500] or group[0].text.strip()[:500],
        anchor=problem,
        ranges=(capped(problem, group[-1].number),),
    )


def _summary(hit: Hit) -> Finding:
    return Finding(
        tool="sbt",
        failure_type=FailureType.TEST,
        sub_type="sbt",
        message=hit.text.removeprefix("[error]").strip()[:500],
        anchor=hit.number,
        ranges=((hit.number, hit.number),),
        strength=Strength.PARTIAL,
        kind="summary",
    )


def parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    findings: list[Finding] = []
    by_kind: dict[str, list[Hit]] = {}
    for hit in hits:
        by_kind.setdefault(hit.rule.id.rsplit(".", 1)[1], []).append(hit)
    findings.extend(
        found for hit in by_kind.get("scalatest", []) if (found := _scalatest(view, hit))
    )
    findings.extend(_scalac(view, group) for group in clusters(by_kind.get("scalac", []), 12))
    findings.extend(_mima(view, group) for group in clusters(by_kind.get("mima", []), 3))
    findings.extend(_summary(hit) for hit in by_kind.get("summary", []))
    return findings


FAMILY = Family("sbt", RULES, parse)
