"""Minitest and test-unit failure reports (including Rails' ``rails test`` output)."""

from __future__ import annotations

import re
from collections.abc import Sequence

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

# "Class#test_x [path:12]:" (minitest 5) and "test_x(Class) [path:12]:" (minitest 4, test-unit).
_TEST_LINE = lazy_compile(
    r"^\s*(?:(?P<cls>[A-Z][\w:]*)#(?P<name>test_.*?)|(?P<name2>test_\w*)\((?P<cls2>[A-Z][\w:]*)\))"
    r"(?: \[(?P<loc>[^\]]+)\])?:$"
)
_KIND = lazy_compile(r"^\s*(?:\d+\) )?(?P<kind>Failure|Error):\s*$")
_END = lazy_compile(
    r"^(?:(?:bin/)?rails test |rake test |\d+ (?:runs|tests), |Finished in |\s*\d+\) "
    r"(?:Failure|Error):|(?:Failure|Error):$)"
)
_TIMEOUT = lazy_compile(r"(?i)timeout|timed out")

RULES = (
    rule(
        "ruby.minitest.test",
        r"#test_|test_\w*\([A-Z]",
        _TEST_LINE.pattern,
        before=3,
        after=60,
    ),
)


def _test_locations(view: LogView, first: int, last: int, loc: str | None) -> tuple[Location, ...]:
    found = list(find_locations(loc)) if loc else []
    for _, text in view.span(first, last):
        found.extend(find_locations(text))
    tests = [item for item in found if re.search(r"(?:^|/)test/|_test\.rb$", item.path)]
    own = [item for item in found if "/gems/" not in item.path and item not in tests]
    return tuple(dict.fromkeys([*tests, *own]))[:5]


def _test(view: LogView, hit: Hit) -> Finding | None:
    match = hit.match
    assert match is not None
    kind_line = previous_line(view, hit.number, _KIND, limit=3)
    if kind_line is None:
        return None
    header, kind = kind_line[0], kind_line[1].group("kind")
    end = block_end(view, hit.number, lambda text: not _END.match(text), limit=80)
    message = joined(view, hit.number + 1, min(end, hit.number + 6))
    cls = match.group("cls") or match.group("cls2")
    name = match.group("name") or match.group("name2")
    if kind == "Failure":
        sub_type = "assertion"
    else:
        sub_type = "timeout" if _TIMEOUT.search(message[:200]) else "exception"
    return Finding(
        tool="minitest",
        failure_type=FailureType.TEST,
        sub_type=sub_type,
        message=message or hit.text.strip(),
        anchor=header,
        ranges=(capped(header, end),),
        test=TestIdentity("minitest", cls, name),
        locations=_test_locations(view, hit.number + 1, end, match.group("loc")),
        has_stack_trace=kind == "Error",
        kind="test",
    )


def parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    return [found for hit in hits if (found := _test(view, hit)) is not None]


FAMILY = Family("minitest", RULES, parse)
