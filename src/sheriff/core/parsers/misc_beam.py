"""Elixir (ExUnit, mix) and Erlang Common Test, plus clojure.test (same report shape)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Location, TestIdentity
from sheriff.core.parsers.base import find_locations, rule
from sheriff.core.parsers.misc_family import (
    Family,
    block_end,
    capped,
    joined,
    next_nonblank,
    previous_line,
)
from sheriff.core.scan import Hit

_EXUNIT = lazy_compile(
    r"^(?P<indent>\s*)\d+\) (?P<name>(?:test|doctest|property) .+) \((?P<module>[\w.]+)\)$"
)
_COMPILE_HEADER = lazy_compile(r"== Compilation error in file (?P<path>\S+) ==")
_COMPILE_ERROR = lazy_compile(
    r"^\*\* \((?P<error>CompileError|SyntaxError|TokenMissingError)\) (?P<msg>.*)"
)
_FORMAT = lazy_compile(r"mix format failed due to --check-formatted")
_CT_CASE = lazy_compile(r"^(?P<suite>\w+):(?P<case>\w+) failed(?: on line (?P<line>\d+))?$")
_CT_RUN = lazy_compile(r"^Test run failed! Reason:")
_CLOJURE = lazy_compile(
    r"^(?P<kind>FAIL|ERROR) in \((?P<name>[^)]+)\) \((?P<file>[^:)]+):(?P<line>\d+)\)"
)
_CT_SETUP = lazy_compile(r"^(?:init|end)_per_")
_PERMISSION = lazy_compile(r"(?i)must be owner of|permission denied|access denied")

RULES = (
    rule("misc.beam.exunit", r"\d\) (?:test|doctest|property) ", _EXUNIT.pattern, after=60),
    rule("misc.beam.compile", r"== Compilation error in file ", _COMPILE_HEADER.pattern, after=20),
    rule(
        "misc.beam.compile_error",
        r"\*\* \((?:CompileError|SyntaxError|TokenMissingError)\)",
        _COMPILE_ERROR.pattern,
        before=3,
        after=20,
    ),
    rule("misc.beam.format", _FORMAT.pattern, _FORMAT.pattern, before=2, after=30),
    rule("misc.beam.ct", r"\w:\w+ failed(?: on line \d|\r?(?m:$))", _CT_CASE.pattern, after=40),
    rule("misc.beam.ct_run", r"Test run failed! Reason:", _CT_RUN.pattern, before=2, after=5),
    rule("misc.beam.clojure", r"(?:FAIL|ERROR) in \(", _CLOJURE.pattern, before=2, after=30),
)


def _exunit_sub_type(text: str) -> str:
    if "TimeoutError" in text or "timed out" in text:
        return "timeout"
    if re.search(r"^\s*\*\* \(", text, re.MULTILINE) and "Assertion" not in text:
        return "exception"
    return "assertion"


def _exunit(view: LogView, hit: Hit) -> Finding:
    assert hit.match is not None
    indent = len(hit.match.group("indent"))
    end = block_end(
        view, hit.number, lambda text: len(text) - len(text.lstrip()) > indent, limit=80
    )
    body = joined(view, hit.number + 1, end, limit=2000)
    first_body = body.split("\n", 1)
    location = find_locations(first_body[0]) if first_body else []
    message = first_body[1] if len(first_body) > 1 else body
    frames = [loc for _, text in view.span(hit.number + 2, end) for loc in find_locations(text)]
    own = [loc for loc in frames if loc.path.startswith(("test/", "lib/"))]
    return Finding(
        tool="exunit",
        failure_type=FailureType.TEST,
        sub_type=_exunit_sub_type(body),
        message=message[:500] or hit.text.strip(),
        anchor=hit.number,
        ranges=(capped(hit.number, end),),
        test=TestIdentity("exunit", hit.match.group("module"), hit.match.group("name")),
        locations=tuple(dict.fromkeys([*location, *own]))[:5],
        has_stack_trace="stacktrace:" in body,
        kind="test",
    )


def _compile(view: LogView, hit: Hit) -> Finding:
    assert hit.match is not None
    path = hit.match.group("path")
    found = next_nonblank(view, hit.number, limit=3)
    anchor = found[0] if found else hit.number
    end = block_end(view, anchor, lambda text: text[:1] in {" ", "\t"}, limit=20)
    in_tests = bool(re.search(r"(?:^|/)test/|_test\.exs$", path))
    message = (found[1] if found else hit.text).strip()
    return Finding(
        tool="elixir",
        failure_type=FailureType.TEST if in_tests else FailureType.BUILD,
        sub_type="compile",
        message=message[:500],
        anchor=anchor,
        ranges=(capped(hit.number, end),),
        locations=tuple(find_locations(message))[:3] or (Location(path),),
    )


def _compile_error(view: LogView, hit: Hit) -> Finding | None:
    """A compile error without the "Compilation error in file" header (``mix compile``)."""
    if previous_line(view, hit.number, _COMPILE_HEADER, limit=3) is not None:
        return None
    assert hit.match is not None
    end = block_end(view, hit.number, lambda text: text[:1] in {" ", "\t"}, limit=20)
    message = hit.text.strip()
    locations = tuple(find_locations(message))[:3]
    in_tests = any(re.search(r"(?:^|/)test/|_test\.exs$", loc.path) for loc in locations)
    return Finding(
        tool="elixir",
        failure_type=FailureType.TEST if in_tests else FailureType.BUILD,
        sub_type="compile",
        message=message[:500],
        anchor=hit.number,
        ranges=(capped(hit.number, end),),
        locations=locations,
    )


def _format(view: LogView, hit: Hit) -> Finding:
    end = block_end(view, hit.number, lambda text: not text.startswith(("**", "make")), limit=30)
    files = [text.strip(" *") for _, text in view.span(hit.number + 1, end) if "*" in text]
    return Finding(
        tool="mix",
        failure_type=FailureType.LINT,
        sub_type="format",
        message=joined(view, hit.number, end),
        anchor=hit.number,
        ranges=(capped(hit.number, end),),
        locations=tuple(Location(path) for path in files if path)[:5],
    )


def _ct_case(view: LogView, hit: Hit) -> Finding:
    assert hit.match is not None
    end = block_end(view, hit.number, lambda text: not text.startswith("- - -"), limit=40)
    body = joined(view, hit.number + 1, end, limit=2000)
    case = hit.match.group("case")
    setup = bool(_CT_SETUP.match(case))
    if setup and _PERMISSION.search(body):
        failure_type, sub_type = FailureType.CONFIG, "permission"
    else:
        failure_type = FailureType.TEST
        sub_type = (
            "timeout"
            if "timetrap_timeout" in body or "timeout" in body
            else ("setup" if setup else "assertion")
        )
    line = hit.match.group("line")
    return Finding(
        tool="common_test",
        failure_type=failure_type,
        sub_type=sub_type,
        message=f"{hit.text.strip()}\n{body}"[:500],
        anchor=hit.number,
        ranges=(capped(hit.number, end),),
        test=None if setup else TestIdentity("common_test", hit.match.group("suite"), case),
        locations=(Location(f"{hit.match.group('suite')}.erl", int(line)),) if line else (),
        kind="error" if setup else "test",
    )


def _ct_run(view: LogView, hit: Hit) -> Finding:
    found = next_nonblank(view, hit.number, limit=3)
    reason = found[1].strip() if found else ""
    missing = "enoent" in reason
    return Finding(
        tool="common_test",
        failure_type=FailureType.CONFIG if missing else FailureType.TEST,
        sub_type="ci_script" if missing else "setup",
        message=f"Test run failed! Reason: {reason}"[:500],
        anchor=found[0] if found else hit.number,
        ranges=((hit.number, found[0] if found else hit.number),),
    )


def _clojure(view: LogView, hit: Hit) -> Finding:
    assert hit.match is not None
    end = block_end(view, hit.number, lambda text: not _CLOJURE.match(text), limit=40)
    body = joined(view, hit.number + 1, end)
    return Finding(
        tool="clojure.test",
        failure_type=FailureType.TEST,
        sub_type="assertion" if hit.match.group("kind") == "FAIL" else "exception",
        message=body or hit.text.strip(),
        anchor=hit.number,
        ranges=(capped(hit.number, end),),
        test=TestIdentity("clojure.test", hit.match.group("file"), hit.match.group("name")),
        locations=(Location(hit.match.group("file"), int(hit.match.group("line"))),),
        kind="test",
    )


def parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    handlers: dict[str, Callable[[LogView, Hit], Finding | None]] = {
        "exunit": _exunit,
        "compile": _compile,
        "compile_error": _compile_error,
        "format": _format,
        "ct": _ct_case,
        "ct_run": _ct_run,
        "clojure": _clojure,
    }
    findings = [handlers[hit.rule.id.rsplit(".", 1)[1]](view, hit) for hit in hits]
    return [finding for finding in findings if finding is not None]


FAMILY = Family("beam", RULES, parse)
