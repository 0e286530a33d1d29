"""JUnit (Java and Kotlin): ``@Disabled("...")`` (JUnit 5) or ``@Ignore("...")`` (JUnit 4)
above the test method's annotations, with its import.

Identity: suite ``com.example.FooTest`` (a nested class as ``Outer$Inner``), name
``testBar``, perhaps with ``()``, parameters or a ``[1]`` invocation index.
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

_MODIFIERS = "public|protected|private|static|final|synchronized|abstract"
_ANNOTATION = re.compile(r"^\s*@\w")
_ALREADY = re.compile(r"^\s*@(?:org\.junit\.(?:jupiter\.api\.)?)?(?:Disabled|Ignore)\b")
_IMPORT = re.compile(r"^import\s")
_PACKAGE = re.compile(r"^package\s")
_JUNIT5 = re.compile(r"\borg\.junit\.jupiter\b")
_JUNIT4 = re.compile(
    r"\borg\.junit\.(?:Test|Ignore|Before|After|runner)\b|\bimport\s+org\.junit\.\*"
)


def method_name(test: TestIdentity) -> str:
    return re.split(r"[(\[]", test.name, maxsplit=1)[0].strip()


def class_name(test: TestIdentity) -> str | None:
    if not test.suite:
        return None
    return test.suite.rsplit(".", 1)[-1].split("$")[-1]


def _method(name: str) -> re.Pattern[str]:
    java = rf"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:{_MODIFIERS})\s+)*void\s+{re.escape(name)}\s*\("
    kotlin = rf"^\s*(?:\w+\s+)*fun\s+(?:`)?{re.escape(name)}(?:`)?\s*\("
    return re.compile(f"{java}|{kotlin}")


def _class(name: str) -> re.Pattern[str]:
    return re.compile(rf"\bclass\s+{re.escape(name)}\b")


def _find(lines: SourceLines, test: TestIdentity) -> int | None:
    owner = class_name(test)
    start = 0
    if owner is not None:
        found = lines.find(_class(owner))
        if found is None:
            return None
        start = found
    return lines.find(_method(method_name(test)), start)


def defines_jvm_test(text: str, test: TestIdentity) -> bool:
    return _find(SourceLines(text), test) is not None


def quarantine_jvm(text: str, test: TestIdentity, reason: str) -> QuarantineOutcome:
    lines = SourceLines(text)
    index = _find(lines, test)
    name = method_name(test)
    if index is None:
        return CannotQuarantine(f"no test method {name}() in class {class_name(test)}")
    top = _first_annotation(lines, index)
    owner = class_name(test)
    note = f"disabled {owner}.{name}" if owner else f"disabled {name}"
    for annotation in range(top, index):
        if _ALREADY.search(lines.bare(annotation)):
            return QuarantinePatch(
                lines.text(), False, annotation + 1, note + " (already disabled)"
            )
    junit5 = _JUNIT5.search(text) is not None or _JUNIT4.search(text) is None
    simple, qualified = (
        ("Disabled", "org.junit.jupiter.api.Disabled") if junit5 else ("Ignore", "org.junit.Ignore")
    )
    lines.insert(top, [f"{lines.indent(index)}@{simple}({double_quoted(reason)})"])
    added = _ensure_import(lines, qualified)
    return QuarantinePatch(lines.text(), True, top + 1 + added, note)


def _first_annotation(lines: SourceLines, method: int) -> int:
    """The line of the method's first annotation (annotations may span lines)."""
    depth = len(lines.indent(method))
    top = method
    for index in range(method - 1, -1, -1):
        stripped = lines.bare(index).strip()
        if not stripped or stripped == "}":
            break
        indent = len(lines.indent(index))
        if indent == depth and _ANNOTATION.search(lines.bare(index)):
            top = index
        elif indent <= depth and not stripped.startswith((")", "})")):
            break
    return top


def _ensure_import(lines: SourceLines, qualified: str) -> int:
    package = qualified.rsplit(".", 1)[0]
    present = re.compile(rf"^import\s+(?:{re.escape(qualified)}|{re.escape(package)}\.\*)\s*;?\s*$")
    if lines.find(present) is not None:
        return 0
    kotlin = all(not lines.bare(i).rstrip().endswith(";") for i in lines.find_all(_IMPORT))
    statement = f"import {qualified}" + ("" if kotlin and lines.find_all(_IMPORT) else ";")
    imports = lines.find_all(_IMPORT)
    if imports:
        lines.insert(imports[-1] + 1, [statement])
    else:
        package_line = lines.find(_PACKAGE)
        at = 0 if package_line is None else package_line + 1
        lines.insert(at, ["", statement] if package_line is not None else [statement])
        return 2 if package_line is not None else 1
    return 1
