"""Python: ``@pytest.mark.skip(reason=...)`` (pytest) or ``@unittest.skip(...)`` (unittest)
as the test's first decorator, importing the module when the file does not.

Test identities: pytest ``path.py::Class::test_name[param]`` (suite ``path.py::Class``,
name ``test_name[param]``; a parametrized case skips the whole function), unittest
``test_name (package.module.Class)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sheriff.core.model import TestIdentity
from sheriff.core.quarantine.source import (
    CannotQuarantine,
    QuarantineOutcome,
    QuarantinePatch,
    SourceLines,
    double_quoted,
)

_DECORATOR = re.compile(r"^\s*@")
_ALREADY = re.compile(r"^\s*@(?:pytest\.mark\.skip|unittest\.skip|skip)\b(?!if)")
_IMPORT = re.compile(r"^(?:import|from)\s+\S")
_TOP_LEVEL_CODE = re.compile(r"^(?:def|class|async\s+def|@|if|for|while|with|try)\b")


@dataclass(frozen=True, slots=True)
class _Target:
    function: str
    classes: tuple[str, ...]
    unittest: bool


def _target(test: TestIdentity) -> _Target:
    if test.framework == "unittest":
        method = test.name.split(" ", 1)[0]
        owner = (test.suite or "").rsplit(".", 1)[-1]
        return _Target(method, (owner,) if owner else (), unittest=True)
    function = test.name.split("[", 1)[0]
    parts = (test.suite or "").split("::")
    return _Target(function, tuple(part for part in parts[1:] if part), unittest=False)


def _definition(name: str) -> re.Pattern[str]:
    return re.compile(rf"^(?P<indent>\s*)(?:async\s+)?def\s+{re.escape(name)}\s*\(")


def _class(name: str) -> re.Pattern[str]:
    return re.compile(rf"^(?P<indent>\s*)class\s+{re.escape(name)}\b")


def _find(lines: SourceLines, target: _Target) -> int | None:
    """The ``def`` line of the target, inside its classes when it has any."""
    start, stop, depth = 0, len(lines), -1
    for owner in target.classes:
        index = lines.find(_class(owner), start, stop)
        if index is None:
            return None
        depth = len(lines.indent(index))
        start, stop = index + 1, _block_end(lines, index, depth)
    for index in range(start, stop):
        found = _definition(target.function).search(lines.bare(index))
        if found and (not target.classes or len(found.group("indent")) > depth):
            return index
    return None


def _block_end(lines: SourceLines, header: int, depth: int) -> int:
    for index in range(header + 1, len(lines)):
        line = lines.bare(index)
        if line.strip() and not line.lstrip().startswith("#") and len(lines.indent(index)) <= depth:
            return index
    return len(lines)


def defines_python_test(text: str, test: TestIdentity) -> bool:
    return _find(SourceLines(text), _target(test)) is not None


def quarantine_python(text: str, test: TestIdentity, reason: str) -> QuarantineOutcome:
    target = _target(test)
    lines = SourceLines(text)
    index = _find(lines, target)
    if index is None:
        where = ".".join(target.classes) + "." if target.classes else ""
        return CannotQuarantine(f"no `def {where}{target.function}` in this file")
    top = _first_decorator(lines, index)
    note = _note(test, target)
    for decorator in range(top, index):
        if _ALREADY.search(lines.bare(decorator)):
            return QuarantinePatch(lines.text(), False, decorator + 1, note + " (already skipped)")
    module = "unittest" if target.unittest else "pytest"
    literal = double_quoted(reason)
    marker = (
        f"@unittest.skip({literal})" if target.unittest else f"@pytest.mark.skip(reason={literal})"
    )
    lines.insert(top, [lines.indent(index) + marker])
    added = _ensure_import(lines, module)
    return QuarantinePatch(lines.text(), True, top + 1 + added, note)


def _first_decorator(lines: SourceLines, definition: int) -> int:
    """The line of the first decorator of the ``def`` (decorators may span lines)."""
    depth = len(lines.indent(definition))
    top = definition
    for index in range(definition - 1, -1, -1):
        line = lines.bare(index)
        stripped = line.strip()
        if not stripped:
            break
        indent = len(lines.indent(index))
        if indent == depth and _DECORATOR.search(line):
            top = index
        elif indent <= depth and not stripped.startswith((")", "]", "}")):
            break
    return top


def _note(test: TestIdentity, target: _Target) -> str:
    if "[" in test.name:
        return f"skipped every parameter of {target.function} (the failing case is {test.name})"
    return f"skipped {target.function}"


def _ensure_import(lines: SourceLines, module: str) -> int:
    """Add ``import <module>`` after the module's imports; 1 if a line was added."""
    present = re.compile(rf"^import\s+{module}\s*(?:$|#)|^import\s+.*\b{module}\b(?!\.)")
    if lines.find(present) is not None:
        return 0
    lines.insert(_import_position(lines), [f"import {module}"])
    return 1


def _import_position(lines: SourceLines) -> int:
    """After the last top-level import before the first top-level code; else after the
    module's leading comments and docstring."""
    index = _after_docstring(lines)
    position = index
    while index < len(lines):
        line = lines.bare(index)
        if _TOP_LEVEL_CODE.match(line):
            break
        if _IMPORT.match(line):
            index = _statement_end(lines, index)
            position = index + 1
        index += 1
    return position


def _after_docstring(lines: SourceLines) -> int:
    index = 0
    while index < len(lines) and (
        not lines.bare(index).strip() or lines.bare(index).startswith("#")
    ):
        index += 1
    if index == len(lines):
        return index
    opening = lines.bare(index).strip().lstrip("rRuU")
    quote = next((q for q in ('"""', "'''") if opening.startswith(q)), None)
    if quote is None:
        return index
    if quote in opening[3:]:
        return index + 1
    closing = lines.find(re.compile(re.escape(quote)), index + 1)
    return len(lines) if closing is None else closing + 1


def _statement_end(lines: SourceLines, index: int) -> int:
    """The last line of an import that may continue in parentheses or after a backslash."""
    line = lines.bare(index)
    if "(" in line and ")" not in line:
        closing = lines.find(re.compile(r"\)"), index + 1)
        return closing if closing is not None else index
    while line.endswith("\\") and index + 1 < len(lines):
        index += 1
        line = lines.bare(index)
    return index
