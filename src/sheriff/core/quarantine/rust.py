"""Rust: ``#[ignore = "flaky: <url>"]`` on the test function (``cargo test`` names it
``module::path::name``; the last part is the function)."""

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

_ATTRIBUTE = re.compile(r"^\s*#\[")
_TEST_ATTRIBUTE = re.compile(r"^\s*#\[(?:[\w:]+::)?test\b")
_ALREADY = re.compile(r"^\s*#\[ignore\b")


def function_name(test: TestIdentity) -> str:
    return test.name.rsplit("::", 1)[-1].strip()


def _function(name: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?fn\s+{re.escape(name)}\s*[<(]")


def _find(lines: SourceLines, name: str) -> tuple[int, int] | None:
    """(first attribute line, fn line) of a test function called ``name``."""
    for index in lines.find_all(_function(name)):
        top = index
        while top > 0 and _ATTRIBUTE.search(lines.bare(top - 1)):
            top -= 1
        if any(_TEST_ATTRIBUTE.search(lines.bare(i)) for i in range(top, index)):
            return top, index
    return None


def defines_rust_test(text: str, test: TestIdentity) -> bool:
    return _find(SourceLines(text), function_name(test)) is not None


def quarantine_rust(text: str, test: TestIdentity, reason: str) -> QuarantineOutcome:
    lines = SourceLines(text)
    name = function_name(test)
    found = _find(lines, name)
    if found is None:
        return CannotQuarantine(f"no #[test] fn {name} in this file")
    top, index = found
    note = f"ignored {name}"
    for attribute in range(top, index):
        if _ALREADY.search(lines.bare(attribute)):
            return QuarantinePatch(lines.text(), False, attribute + 1, note + " (already ignored)")
    lines.insert(index, [f"{lines.indent(index)}#[ignore = {double_quoted(reason)}]"])
    return QuarantinePatch(lines.text(), True, index + 1, note)
