"""RSpec: numbered failures, load errors and the "rspec ./spec/x_spec.rb:12" summary."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Location, TestIdentity
from sheriff.core.parsers.base import find_locations, rule
from sheriff.core.parsers.misc_family import (
    Family,
    block_end,
    capped,
    joined,
    previous_line,
)
from sheriff.core.scan import Hit

_HEADER = lazy_compile(r"^(?P<indent>\s*)\d+\) (?P<name>\S.*)$")
_FAILURE = lazy_compile(r"^\s*Failure/Error:")
_LOAD_ERROR = lazy_compile(r"An error occurred while loading (?P<file>\S+?)\.?$")
_RERUN = lazy_compile(r"^rspec '?(?P<file>\S+?)(?::(?P<line>\d+)|\[[\d:,]+\])'? # (?P<name>.+)$")
_FRAME = lazy_compile(r"^\s*# (?P<path>\S+?):(?P<line>\d+)(?::in |$)")
_LOAD_END = lazy_compile(r"^(?:Randomized with seed|Finished in|An error occurred|\d+ examples?,)")

_SECTION = lazy_compile(r"^(?P<section>Pending|Failures):")

RULES = (
    rule(
        "ruby.rspec.section",
        r"Pending: \(|Failures:(?:\x1b\[[0-9;]*[mK])* *\r?(?m:$)",
        _SECTION.pattern,
        before=0,
        after=5,
    ),
    rule("ruby.rspec.failure", r"Failure/Error:", _FAILURE.pattern, before=5, after=60),
    rule("ruby.rspec.load", r"An error occurred while loading ", _LOAD_ERROR.pattern, after=60),
    rule("ruby.rspec.rerun", r"rspec '?\./\S+(?::\d+|\[)", _RERUN.pattern, before=2, after=2),
)


def _sub_type(block: str) -> str:
    if re.search(r"SyntaxError|syntax error", block):
        return "syntax"
    if re.search(r"(?i)timeout|timed out", block):
        return "timeout"
    exception = re.search(r"(?m)^\s*(?:[A-Z]\w*::)*[A-Z]\w*(?:Error|Exception):?$", block)
    if re.search(r"expected|got:|to (?:eq|be|include|match|have|raise)|\(compared using", block):
        return "assertion" if not exception else "exception"
    return "exception"


def _spec_locations(view: LogView, first: int, last: int) -> tuple[Location, ...]:
    """Frames in spec files first, then the project's own frames."""
    found: list[Location] = []
    for _, text in view.span(first, last):
        match = _FRAME.match(text)
        if match:
            found.append(Location(match.group("path").removeprefix("./"), int(match.group("line"))))
    specs = [loc for loc in found if "_spec.rb" in loc.path]
    own = [loc for loc in found if "/gems/" not in loc.path and loc not in specs]
    return tuple(dict.fromkeys([*specs, *own]))[:5]


def _failure(view: LogView, hit: Hit) -> Finding | None:
    found = previous_line(view, hit.number, _HEADER, limit=4)
    if found is None:
        return None
    header, match = found
    indent = len(match.group("indent"))
    end = block_end(
        view, hit.number, lambda text: len(text) - len(text.lstrip()) > indent, limit=80
    )
    message = joined(view, hit.number, min(end, hit.number + 8))
    locations = _spec_locations(view, hit.number, end)
    suite = next((loc.path for loc in locations if "_spec.rb" in loc.path), None)
    return Finding(
        tool="rspec",
        failure_type=FailureType.TEST,
        sub_type=_sub_type(message),
        message=message,
        anchor=header,
        ranges=(capped(header, end),),
        test=TestIdentity("rspec", suite, match.group("name").strip()),
        locations=locations,
        has_stack_trace=any(_FRAME.match(t) for _, t in view.span(hit.number, end)),
        kind="test",
    )


def _load_error(view: LogView, hit: Hit) -> Finding:
    assert hit.match is not None
    end = block_end(view, hit.number, lambda text: not _LOAD_END.match(text), limit=60)
    block = joined(view, hit.number, end, limit=4000)
    locations = list(find_locations(block.split("\n#", 1)[0]))
    return Finding(
        tool="rspec",
        failure_type=FailureType.TEST,
        sub_type=_sub_type(block),
        message=block[:500],
        anchor=hit.number,
        ranges=(capped(hit.number, end),),
        locations=tuple(locations[:3]) or _spec_locations(view, hit.number, end),
        has_stack_trace=True,
    )


def _rerun(hit: Hit) -> Finding:
    assert hit.match is not None
    path = hit.match.group("file").removeprefix("./")
    line = hit.match.group("line")
    return Finding(
        tool="rspec",
        failure_type=FailureType.TEST,
        sub_type="rspec",
        message=hit.text.strip()[:500],
        anchor=hit.number,
        ranges=((hit.number, hit.number),),
        test=TestIdentity("rspec", path, hit.match.group("name").strip()),
        locations=(Location(path, int(line) if line else None),),
        kind="summary",
    )


def _pending(hit: Hit, sections: Sequence[Hit]) -> bool:
    """Whether a numbered example sits in the "Pending:" list (expected failures)."""
    before = [section for section in sections if section.number < hit.number]
    return bool(before) and before[-1].match is not None and before[-1].text.startswith("Pending")


def parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    findings: list[Finding] = []
    sections = [hit for hit in hits if hit.rule.id == "ruby.rspec.section"]
    for hit in hits:
        kind = hit.rule.id.rsplit(".", 1)[1]
        if kind == "failure" and _pending(hit, sections):
            continue
        if kind == "failure" and (found := _failure(view, hit)) is not None:
            findings.append(found)
        elif kind == "load":
            findings.append(_load_error(view, hit))
        elif kind == "rerun":
            findings.append(_rerun(hit))
    # The summary names the spec file that defines the example: use it for the details too.
    suites = {f.test.name: f.test.suite for f in findings if f.test and f.kind == "summary"}
    return [
        replace(f, test=TestIdentity("rspec", suites[f.test.name], f.test.name))
        if f.test is not None and f.test.name in suites
        else f
        for f in findings
    ]


FAMILY = Family("rspec", RULES, parse)
