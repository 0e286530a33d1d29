"""Go: ``t.Skip("flaky: <url>")`` as the first statement of the test function.

A subtest (``TestX/case``) cannot be skipped alone from outside its table, so the parent
``TestX`` is skipped, with a note; except a testify suite method (``TestSuite/TestMethod``
defined as ``func (s *S) TestMethod()``), which is skipped itself with ``s.T().Skip``.
"""

from __future__ import annotations

import re

from sheriff.core.model import TestIdentity
from sheriff.core.quarantine.source import (
    CannotQuarantine,
    QuarantineOutcome,
    QuarantinePatch,
    SourceLines,
    double_quoted,
)

_SKIP = re.compile(r"^\s*\w+(?:\.T\(\))?\.(?:Skip|Skipf|SkipNow)\(")


def _function(name: str) -> re.Pattern[str]:
    return re.compile(rf"^func\s+{re.escape(name)}\s*\(\s*(?P<param>\w+)\s+\*testing\.[TB]\s*\)")


def _method(name: str) -> re.Pattern[str]:
    return re.compile(rf"^func\s+\(\s*(?P<recv>\w+)\s+\*?\w+\s*\)\s+{re.escape(name)}\s*\(\s*\)")


def defines_go_test(text: str, test: TestIdentity) -> bool:
    parent, _, sub = test.name.partition("/")
    lines = SourceLines(text)
    if lines.find(_function(parent)) is not None:
        return True
    return bool(sub) and lines.find(_method(sub.split("/")[0])) is not None


def quarantine_go(text: str, test: TestIdentity, reason: str) -> QuarantineOutcome:
    parent, _, sub = test.name.partition("/")
    lines = SourceLines(text)
    if sub:
        leaf = sub.split("/")[0]
        method = lines.find(_method(leaf))
        if method is not None:
            found = _method(leaf).search(lines.bare(method))
            assert found is not None
            receiver = found.group("recv")
            note = f"skipped the suite method {leaf} (subtest of {parent})"
            return _skip_at(lines, method, f"{receiver}.T()", reason, note)
    index = lines.find(_function(parent))
    if index is None:
        return CannotQuarantine(f"no `func {parent}(t *testing.T)` in this file")
    found = _function(parent).search(lines.bare(index))
    assert found is not None
    note = (
        f"subtest {sub!r} cannot be skipped alone; skipped its parent {parent}"
        if sub
        else f"skipped {parent}"
    )
    return _skip_at(lines, index, found.group("param"), reason, note)


def _skip_at(
    lines: SourceLines, header: int, receiver: str, reason: str, note: str
) -> QuarantineOutcome:
    opening = next(
        (i for i in range(header, len(lines)) if lines.bare(i).rstrip().endswith("{")), None
    )
    if opening is None or opening - header > 5:
        return CannotQuarantine("the test function's body does not open with `{` on its line")
    first = _first_statement(lines, opening + 1)
    if first is not None and _SKIP.search(lines.bare(first)):
        return QuarantinePatch(lines.text(), False, first + 1, note + " (already skipped)")
    indent = lines.indent(first) if first is not None and lines.bare(first).strip() != "}" else ""
    indent = indent or lines.indent(header) + "\t"
    lines.insert(opening + 1, [f"{indent}{receiver}.Skip({double_quoted(reason)})"])
    return QuarantinePatch(lines.text(), True, opening + 2, note)


def _first_statement(lines: SourceLines, start: int) -> int | None:
    """The first line of the body that is neither blank nor a comment."""
    for index in range(start, len(lines)):
        stripped = lines.bare(index).strip()
        if stripped and not stripped.startswith("//"):
            return index
    return None
