"""Ruby: ``skip '<reason>'`` as the first line of an RSpec example or a minitest method.

RSpec names an example by its full description (``Widget#render draws a border``); the
example is the ``it``/``specify``/``example`` whose own description ends that name and
that opens a ``do`` block. Minitest names the method (``test_renders``) and its class.
"""

from __future__ import annotations

import re

from sheriff.core.model import TestIdentity
from sheriff.core.quarantine.source import (
    CannotQuarantine,
    QuarantineOutcome,
    QuarantinePatch,
    SourceLines,
)

_EXAMPLE = re.compile(
    r"^\s*(?P<kind>it|specify|example|scenario|xit)\s*\(?\s*(?P<q>['\"])(?P<title>(?:\\.|(?!(?P=q)).)*)(?P=q)"
    r"[^#]*\bdo\b(?:\s*\|[^|]*\|)?\s*(?:#.*)?$"
)
_ALREADY = re.compile(r"^\s*(?:skip|pending)\b")


def single_quoted(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _examples(lines: SourceLines, test: TestIdentity) -> list[int]:
    found = []
    for index in range(len(lines)):
        match = _EXAMPLE.search(lines.bare(index))
        if match and match.group("title") and test.name.endswith(match.group("title")):
            found.append(index)
    return found


def _method(test: TestIdentity) -> re.Pattern[str]:
    return re.compile(rf"^\s*def\s+{re.escape(test.name)}\b")


def defines_ruby_test(text: str, test: TestIdentity) -> bool:
    lines = SourceLines(text)
    if test.framework == "minitest":
        return lines.find(_method(test)) is not None
    return len(_examples(lines, test)) == 1


def quarantine_ruby(text: str, test: TestIdentity, reason: str) -> QuarantineOutcome:
    lines = SourceLines(text)
    if test.framework == "minitest":
        index = lines.find(_method(test))
        if index is None:
            return CannotQuarantine(f"no `def {test.name}` in this file")
        return _skip_first(lines, index, reason, f"skipped {test.name}")
    found = _examples(lines, test)
    if len(found) != 1:
        why = "no example" if not found else f"{len(found)} examples"
        return CannotQuarantine(f"{why} whose description ends {test.name!r} with a do block")
    match = _EXAMPLE.search(lines.bare(found[0]))
    assert match is not None
    if match.group("kind") == "xit":
        return QuarantinePatch(lines.text(), False, found[0] + 1, "already skipped (xit)")
    return _skip_first(lines, found[0], reason, f"skipped {match.group('title')!r}")


def _skip_first(lines: SourceLines, header: int, reason: str, note: str) -> QuarantineOutcome:
    body = next((i for i in range(header + 1, len(lines)) if lines.bare(i).strip()), None)
    if body is not None and _ALREADY.search(lines.bare(body)):
        return QuarantinePatch(lines.text(), False, body + 1, note + " (already skipped)")
    indent = lines.indent(header) + "  "
    lines.insert(header + 1, [f"{indent}skip {single_quoted(reason)}"])
    return QuarantinePatch(lines.text(), True, header + 2, note)
