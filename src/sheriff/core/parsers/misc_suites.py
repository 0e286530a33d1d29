"""Pester (PowerShell), testthat and R CMD check, busted (Lua), ERT (Emacs) and the
plain "name ... FAIL" lines of home-grown runners."""

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

_PESTER = lazy_compile(r"^(?:=+)?\s*\[-\] (?P<title>.*?\S)\s*$")
_PESTER_TIME = lazy_compile(r"(?<!\s)\s+\d+(?:\.\d+)?m?s(?: \([\d.]+m?s\|[\d.]+m?s\))?$")
_PESTER_END = lazy_compile(
    r"^(?:=+)?\s*(?:\[[-+!?]\] |Describing |Context |Tests completed|Tests Passed)"
)
_PESTER_GROUP = lazy_compile(r"^\s*(?:Describing|Context) (?P<name>.+)$")
_R_RUNNING = lazy_compile(r"^\s*Running [‘'](?P<file>[^’']+)[’']")
_R_ITEM = lazy_compile(
    r"^\s*(?:── )?\d+\. (?P<kind>Failure|Error)(?:: (?P<name>.+?) \(@(?P<loc>[^)]*)\)?"
    r"|\s*\((?P<loc3>[^)]+)\): (?P<name3>.+?)) ?─*$"
)
_R_BLOCK = lazy_compile(
    r"(?:──|--) (?:\d+\. )?(?P<kind>Failure|Error)(?: \((?P<loc>[^)]+)\))?: "
    r"(?P<name>.*?[^\s─-])(?: \(@(?P<loc2>[^)]*)\)?)?\s*+[─-]*+$"
)
_R_CHECK = lazy_compile(r"^\* checking (?P<what>.+?) \.\.\. ERROR$")
_BUSTED = lazy_compile(r"(?P<kind>Failure|Error) (?:→|->) (?P<path>\S+) @ (?P<line>\d+)")
_ERT = lazy_compile(r"^\s*FAILED\s+\d+/\d+\s+(?P<name>\S+)")
# A results row: the name (a word or a path) and, after two or more spaces, the status.
_ROW_NAME = r"^(?:=>)*(?P<name>[\w.\-]+(?:/[\w.\-]+)*)\s{2,}"
_STATUS_LINE = lazy_compile(_ROW_NAME + r"(?P<status>FAIL|ERROR)(?::\s+(?P<detail>\S.*))?$")
_PASS_ROW = lazy_compile(_ROW_NAME + r"(?:PASS(?:ED)?|OK)\b")
_TABLE_REACH = 3
"""A bare name (no path) with a status counts only in a table of results: one of this
many rows either side passed."""

RULES = (
    rule("misc.suites.pester", r"\[-\] ", _PESTER.pattern, before=40, after=60),
    rule(
        "misc.suites.r_running", r"Running (?:‘|')[^\r\n]+\.R(?:’|')", _R_RUNNING.pattern, after=60
    ),
    rule("misc.suites.r_block", r"(?:──|--) (?:\d+\. )?(?:Failure|Error)", _R_BLOCK.pattern),
    rule("misc.suites.r_check", r"\* checking .* \.\.\. ERROR", _R_CHECK.pattern, after=20),
    rule("misc.suites.busted", r"(?:Failure|Error) (?:→|->) \S+ @ \d", _BUSTED.pattern),
    rule("misc.suites.ert", r"FAILED[ \t]+\d+/\d+[ \t]", _ERT.pattern, before=20, after=3),
    rule(
        "misc.suites.status",
        r"[\w/][ \t]{2,}(?:FAIL|ERROR)",
        _STATUS_LINE.pattern,
        before=_TABLE_REACH,
        after=_TABLE_REACH,
    ),
)


def _assertion_or_exception(text: str) -> str:
    if re.search(r"(?i)timed? ?out", text):
        return "timeout"
    if re.search(r"Expected|expected|not equal|differ|Failure", text):
        return "assertion"
    return "exception"


def _pester(view: LogView, hit: Hit) -> Finding:
    assert hit.match is not None
    title = _PESTER_TIME.sub("", hit.match.group("title")).strip()
    name, _, inline = title.removeprefix("- ").partition(" -> ")
    end = block_end(view, hit.number, lambda text: not _PESTER_END.match(text), limit=60)
    body = joined(view, hit.number + 1, end, limit=2000)
    group = previous_line(view, hit.number, _PESTER_GROUP, limit=200)
    locations = [loc for _, text in view.span(hit.number, end) for loc in find_locations(text)]
    tests = [loc for loc in locations if ".Tests." in loc.path or ".ts." in loc.path]
    return Finding(
        tool="pester",
        failure_type=FailureType.TEST,
        sub_type=_assertion_or_exception(inline + "\n" + body[:300]),
        message=(inline + "\n" + body).strip()[:500],
        anchor=hit.number,
        ranges=(capped(hit.number, end),),
        test=TestIdentity("pester", group[1].group("name") if group else None, name.strip()),
        locations=tuple(dict.fromkeys([*tests, *locations]))[:5],
        kind="test",
    )


def _r_items(view: LogView, first: int, last: int) -> list[tuple[int, str, str]]:
    """(line, kind, name) of testthat's numbered failures: its closing list when shown
    (the order testthat ran them), else the failure headers in the output."""
    listed: list[tuple[int, str, str]] = []
    headers: list[tuple[int, str, str]] = []
    for number, text in view.span(first, last):
        match = _R_ITEM.match(text)
        if match and (match.group("name") or match.group("name3")):
            item = (number, match.group("kind"), match.group("name") or match.group("name3"))
            (headers if "──" in text else listed).append(item)
    return listed or headers


def _r_running(view: LogView, hit: Hit) -> Finding | None:
    assert hit.match is not None
    status = next_nonblank(view, hit.number, limit=2)
    if "ERROR" not in hit.text and (status is None or status[1].strip() != "ERROR"):
        return None
    end = block_end(view, hit.number, lambda text: not text.startswith("* "), limit=80)
    items = _r_items(view, hit.number, end)
    text = joined(view, hit.number, end, limit=4000)
    name = items[0][2] if items else None
    return Finding(
        tool="testthat",
        failure_type=FailureType.TEST,
        sub_type="assertion" if not items or items[0][1] == "Failure" else "exception",
        message=text[:500],
        anchor=hit.number,
        ranges=(capped(hit.number, end),),
        test=TestIdentity("testthat", hit.match.group("file"), name) if name else None,
        locations=(Location(f"tests/{hit.match.group('file')}"),),
        kind="test",
    )


def _r_block(view: LogView, hit: Hit) -> Finding:
    assert hit.match is not None
    end = block_end(
        view, hit.number, lambda text: not re.match(r"^\s*(?:──|══|--|==)", text), limit=40
    )
    location = hit.match.group("loc") or hit.match.group("loc2") or ""
    return Finding(
        tool="testthat",
        failure_type=FailureType.TEST,
        sub_type="assertion" if hit.match.group("kind") == "Failure" else "exception",
        message=joined(view, hit.number + 1, end) or hit.text.strip(),
        anchor=hit.number,
        ranges=(capped(hit.number, end),),
        test=TestIdentity("testthat", None, hit.match.group("name").strip()),
        locations=tuple(find_locations(location.replace("#", ":")))[:1],
        kind="test",
    )


def _r_check(view: LogView, hit: Hit) -> Finding | None:
    assert hit.match is not None
    what = hit.match.group("what")
    if what.startswith("tests"):
        return None  # the "Running 'x.R'" block says which tests failed
    if "install" in what:
        failure_type, sub_type = FailureType.BUILD, "r_install"
    elif "examples" in what:
        failure_type, sub_type = FailureType.TEST, "examples"
    else:
        failure_type, sub_type = FailureType.LINT, "r_cmd_check"
    end = block_end(view, hit.number, lambda text: not text.startswith("* "), limit=20)
    return Finding(
        tool="R CMD check",
        failure_type=failure_type,
        sub_type=sub_type,
        message=joined(view, hit.number, end),
        anchor=hit.number,
        ranges=(capped(hit.number, end),),
    )


def _busted(view: LogView, hit: Hit) -> Finding:
    assert hit.match is not None
    title = next_nonblank(view, hit.number, limit=2)
    end = block_end(view, hit.number, lambda text: not _BUSTED.search(text), limit=30, blanks=0)
    path, line = hit.match.group("path"), int(hit.match.group("line"))
    return Finding(
        tool="busted",
        failure_type=FailureType.TEST,
        sub_type="assertion" if hit.match.group("kind") == "Failure" else "exception",
        message=joined(view, hit.number + 2, end) or hit.text.strip(),
        anchor=hit.number,
        ranges=(capped(hit.number, end),),
        test=TestIdentity("busted", path, title[1].strip() if title else path),
        locations=(Location(path, line),),
        kind="test",
    )


def _ert(view: LogView, hit: Hit) -> Finding:
    assert hit.match is not None
    name = hit.match.group("name")
    start = previous_line(view, hit.number, re.compile(rf"^Test {re.escape(name)} "), limit=60)
    first = start[0] if start else hit.number
    return Finding(
        tool="ert",
        failure_type=FailureType.TEST,
        sub_type="assertion",
        message=joined(view, first, min(hit.number, first + 6)),
        anchor=first,
        ranges=(capped(first, hit.number),),
        test=TestIdentity("ert", None, name),
        kind="test",
    )


def _status(view: LogView, hit: Hit) -> Finding | None:
    assert hit.match is not None
    if "/" not in hit.match.group("name") and not _in_results_table(view, hit.number):
        return None
    error = hit.match.group("status") == "ERROR"
    return Finding(
        tool="runner",
        failure_type=FailureType.TEST,
        sub_type="error" if error else "assertion",
        message=hit.text.strip()[:500],
        anchor=hit.number,
        ranges=((hit.number, hit.number),),
        test=TestIdentity("runner", None, hit.match.group("name")),
        kind="test",
    )


def _in_results_table(view: LogView, number: int) -> bool:
    """Whether a row near ``number`` reports a pass in the same layout (name, spaces,
    status): a bare word and FAIL alone could be any text."""
    nearby = view.span(number - _TABLE_REACH, number + _TABLE_REACH)
    return any(_PASS_ROW.match(text) for _, text in nearby)


def parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    handlers: dict[str, Callable[[LogView, Hit], Finding | None]] = {
        "pester": _pester,
        "r_running": _r_running,
        "r_block": _r_block,
        "r_check": _r_check,
        "busted": _busted,
        "ert": _ert,
        "status": _status,
    }
    findings = [handlers[hit.rule.id.rsplit(".", 1)[1]](view, hit) for hit in hits]
    return [finding for finding in findings if finding is not None]


FAMILY = Family("suites", RULES, parse)
