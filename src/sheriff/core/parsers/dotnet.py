""".NET builds and tests: xUnit, ``dotnet test`` (VSTest), NUnit, MSBuild, NuGet and Cake."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Location, Strength, TestIdentity
from sheriff.core.parsers.base import Parser, rule
from sheriff.core.parsers.misc_family import (
    block_end,
    capped,
    clusters,
    is_network_error,
    joined,
)
from sheriff.core.scan import Hit

_XUNIT = lazy_compile(r"^(?:\[xUnit\.net [\d:.]+\])?(?P<indent>\s*)(?P<test>\S.*?) \[FAIL\]\s*$")
_VSTEST = lazy_compile(
    r"^(?P<indent>\s*)(?:Failed|X) (?P<test>[\w`+<>]+(?:\.[\w`+<>]+)+(?:\(.*\))?)"
    r"(?: \[[^\]]*\])?$"
)
_NEXT_RESULT = lazy_compile(
    r"^\s*(?:(?:Failed|Passed|Skipped|X|√|✓) [\w`+<>]+\.|\d+\) |Failed!|Passed!|Total tests"
    r"|Results File|Test Run (?:Failed|Successful))"
)
_NUNIT = lazy_compile(
    r"^(?P<indent>\s*)\d+\) (?:(?P<outcome>Failed|Error|Invalid) : )?"
    r"(?P<test>[\w.`+<>]+(?:\(.*?\))?)(?: : (?P<msg>.*))?$"
)
_MSBUILD = lazy_compile(
    r"(?:^|[\s>=])(?:(?P<path>[\w.~/\\][^\s():=>]*\.\w+)\((?P<line>\d+),\d+(?:,\d+,\d+)?\)"
    r"|[\w.\-]+(?: +[\w.\-]+){0,7})"  # "MSBUILD", "CSC": a few words, not any run of them
    r"\s*: (?:fatal )?error (?P<code>(?!TS\d)[A-Z]{2,}\d+): (?P<msg>.*)"
)
_SUMMARY = lazy_compile(
    r"^(?:Failed!\s+- Failed:\s+\d+|Total tests: \d+\..*Failed: [1-9]|.*Total: \d+, Errors: \d+, "
    r"Failed: [1-9])"
)
_CAKE = lazy_compile(r"An error occur+ed while installing (?P<what>.+?)\.?$")
_CAKE_TASK = lazy_compile(r"An error occurred when executing task '(?P<task>[^']+)'")
_FRAME = lazy_compile(
    r"(?:\bin (?P<path>\S+\.(?:cs|fs|vb)):line (?P<line>\d+)|(?<!\S)(?P<path2>\S+\.(?:cs|fs|vb))"
    r"\((?P<line2>\d+),\d+\): at )"
)
_ASSERTION = lazy_compile(r"Assert\.|Expected|But was|Shouldly|should be|AssertionException")
_TIMEOUT = lazy_compile(r"(?i)timed? ?out|TimeoutException")

RULES = (
    rule("dotnet.xunit", r"\[FAIL\]", _XUNIT.pattern, before=3, after=60),
    rule("dotnet.vstest", r"(?:Failed|X) [\w.`+<>]+", _VSTEST.pattern, before=3, after=60),
    rule(
        "dotnet.nunit", r"\d\) (?:(?:Failed|Error|Invalid) : |[\w.]+ : )", _NUNIT.pattern, after=40
    ),
    rule("dotnet.msbuild", r"error [A-Z]{2,}\d+:", _MSBUILD.pattern, before=3, after=10),
    rule(
        "dotnet.summary",
        r"Failed![ \t]+- Failed:|Total tests: \d|Errors: \d+, Failed: [1-9]",
        _SUMMARY.pattern,
        before=3,
        after=3,
    ),
    rule("dotnet.cake", r"An error occur+ed while installing", _CAKE.pattern, before=5, after=5),
    rule("dotnet.cake_task", r"An error occurred when executing task", _CAKE_TASK.pattern),
)


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def _split_test(test: str) -> tuple[str | None, str]:
    """(class, method) of "Ns.Class.Method(args)"."""
    bare = test.split("(", 1)[0]
    if "." not in bare:
        return None, test
    cut = bare.rfind(".")
    return test[:cut], test[cut + 1 :]


def _sub_type(message: str) -> str:
    if _TIMEOUT.search(message):
        return "timeout"
    if _ASSERTION.search(message):
        return "assertion"
    return "exception"


def _locations(view: LogView, first: int, last: int) -> tuple[Location, ...]:
    found: list[Location] = []
    for _, text in view.span(first, last):
        match = _FRAME.search(text)
        if match:
            path = match.group("path") or match.group("path2")
            line = match.group("line") or match.group("line2")
            location = Location(path, int(line))
            if location not in found:
                found.append(location)
    return tuple(found[:5])


def _block_end(view: LogView, hit: Hit, framework: str) -> int:
    """xUnit's console indents a failure's details; VSTest and NUnit print them flush
    left up to the blank line that separates failures."""
    assert hit.match is not None
    if framework == "xunit":
        indent = len(hit.match.group("indent"))
        return block_end(view, hit.number, lambda text: _indent(text) > indent, limit=80)
    return block_end(
        view, hit.number, lambda text: not _NEXT_RESULT.match(text), limit=80, blanks=0
    )


def _test_block(view: LogView, hit: Hit, framework: str) -> Finding | None:
    assert hit.match is not None
    test = hit.match.group("test").strip()
    if framework == "nunit" and "." not in test:
        return None
    end = _block_end(view, hit, framework)
    body = [
        text.strip()
        for _, text in view.span(hit.number + 1, end)
        if text.strip() and not re.match(r"^(?:Error Message|Stack Trace):$", text.strip())
    ]
    message = (hit.match.groupdict().get("msg") or "").strip() or "\n".join(body[:4])
    suite, name = _split_test(test)
    outcome = hit.match.groupdict().get("outcome")
    framework = "xunit" if framework == "vstest" else framework
    return Finding(
        tool=framework,
        failure_type=FailureType.TEST,
        sub_type="assertion" if outcome == "Failed" else _sub_type(message),
        message=message[:500] or f"{test} failed",
        anchor=hit.number,
        ranges=(capped(hit.number, end),),
        test=TestIdentity(framework, suite, name),
        locations=_locations(view, hit.number, end),
        has_stack_trace="Stack Trace:" in joined(view, hit.number, end, limit=4000),
        kind="test",
    )


def _msbuild_type(code: str, text: str) -> tuple[FailureType, str]:
    if code.startswith("NU"):
        if code == "NU1301" or is_network_error(text):
            return FailureType.INFRASTRUCTURE, "network"
        return FailureType.DEPENDENCY, "nuget"
    if code.startswith(("CS", "FS", "BC")):
        return FailureType.BUILD, "compile"
    return FailureType.BUILD, "msbuild"


def _msbuild(view: LogView, group: list[Hit]) -> Finding:
    first = group[0]
    assert first.match is not None
    failure_type, sub_type = _msbuild_type(first.match.group("code"), first.text)
    locations = []
    for hit in group:
        assert hit.match is not None
        if hit.match.group("path"):
            locations.append(Location(hit.match.group("path"), int(hit.match.group("line"))))
    message = first.text[first.match.start() :].strip().lstrip("=>")
    return Finding(
        tool="nuget" if sub_type in {"nuget", "network"} else "msbuild",
        failure_type=failure_type,
        sub_type=sub_type,
        message=re.sub(r"(?<!\s)\s*\[[^\[\]]*\.(?:cs|fs|vb)proj\]$", "", message)[:500],
        anchor=first.number,
        ranges=(capped(first.number, group[-1].number),),
        locations=tuple(dict.fromkeys(locations))[:8],
    )


def _first_build_errors(hits: Sequence[Hit]) -> list[list[Hit]]:
    """Runs of compiler errors, without the copies MSBuild repeats after "Build FAILED"."""
    seen: set[str] = set()
    fresh = []
    for hit in hits:
        key = re.sub(r"^\W+", "", hit.text.strip())
        if key not in seen:
            seen.add(key)
            fresh.append(hit)
    return clusters(fresh, gap=8)


def _simple(
    hit: Hit,
    failure_type: FailureType,
    tool: str,
    strength: Strength = Strength.CLEAR,
    kind: str = "error",
) -> Finding:
    return Finding(
        tool=tool,
        failure_type=failure_type,
        sub_type="nuget" if failure_type is FailureType.DEPENDENCY else tool,
        message=hit.text.strip()[:500],
        anchor=hit.number,
        ranges=((hit.number, hit.number),),
        strength=strength,
        kind=kind,
    )


def _parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    findings: list[Finding] = []
    for hit in hits:
        kind = hit.rule.id.split(".", 1)[1]
        if kind in {"xunit", "vstest", "nunit"}:
            found = _test_block(view, hit, kind)
            if found is not None:
                findings.append(found)
        elif kind == "summary":
            findings.append(_simple(hit, FailureType.TEST, "dotnet", Strength.PARTIAL, "summary"))
        elif kind == "cake":
            findings.append(_simple(hit, FailureType.DEPENDENCY, "cake"))
        elif kind == "cake_task":
            findings.append(_simple(hit, FailureType.UNKNOWN, "cake", Strength.PARTIAL, "summary"))
    builds = [hit for hit in hits if hit.rule.id == "dotnet.msbuild"]
    findings.extend(_msbuild(view, group) for group in _first_build_errors(builds))
    return findings


PARSER = Parser(name="dotnet", rules=RULES, parse=_parse)
