"""Jest and Vitest: ``it.skip`` / ``test.skip`` on the named test, with a comment linking
the issue on the line above.

Names: Jest ``describe › nested › title`` (suite: the test file), Vitest
``file > describe > title``. The test is found by its title in an ``it``/``test`` call;
when the title appears more than once, the ``describe`` titles before it decide, and a
test that stays ambiguous is not patched.
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

_JEST_SEPARATOR = " › "
_VITEST_SEPARATOR = " > "


def title_path(test: TestIdentity) -> list[str]:
    """The describe titles and the test's title, outermost first."""
    if test.framework == "vitest" and _VITEST_SEPARATOR in test.name:
        return test.name.split(_VITEST_SEPARATOR)[1:]
    return test.name.split(_JEST_SEPARATOR)


def _call(title: str) -> re.Pattern[str]:
    quoted = "|".join(f"{q}{re.escape(_escaped(title, q))}{q}" for q in ("'", '"', "`"))
    return re.compile(
        rf"(?P<head>\b(?:it|test|xit|xtest))(?P<modifier>(?:\.(?:only|skip|concurrent|todo|fails))*)"
        rf"\s*\(\s*(?:{quoted})"
    )


def _escaped(title: str, quote: str) -> str:
    return title.replace("\\", "\\\\").replace(quote, "\\" + quote)


def _describe(title: str) -> re.Pattern[str]:
    quoted = "|".join(f"{q}{re.escape(_escaped(title, q))}{q}" for q in ("'", '"', "`"))
    return re.compile(rf"\bdescribe(?:\.\w+)*\s*\(\s*(?:{quoted})")


def _candidates(lines: SourceLines, test: TestIdentity) -> list[int]:
    path = title_path(test)
    found = lines.find_all(_call(path[-1]))
    if len(found) <= 1:
        return found
    return [index for index in found if _inside_describes(lines, index, path[:-1])]


def _inside_describes(lines: SourceLines, index: int, describes: list[str]) -> bool:
    """Whether every describe title appears, in order, above the test's line."""
    start = 0
    for title in describes:
        at = lines.find(_describe(title), start, index)
        if at is None:
            return False
        start = at + 1
    return True


def defines_js_test(text: str, test: TestIdentity) -> bool:
    return len(_candidates(SourceLines(text), test)) == 1


def quarantine_js(text: str, test: TestIdentity, reason: str) -> QuarantineOutcome:
    lines = SourceLines(text)
    found = _candidates(lines, test)
    title = title_path(test)[-1]
    if not found:
        return CannotQuarantine(f"no it()/test() titled {title!r} in this file")
    if len(found) > 1:
        return CannotQuarantine(f"{len(found)} tests titled {title!r}; cannot tell which one")
    index = found[0]
    line = lines.bare(index)
    call = _call(title).search(line)
    assert call is not None
    note = f"skipped {title!r}"
    head, modifier = call.group("head"), call.group("modifier")
    if head.startswith("x") or ".skip" in modifier:
        return QuarantinePatch(lines.text(), False, index + 1, note + " (already skipped)")
    kept = modifier.replace(".only", "")
    patched = line[: call.start("head")] + f"{head}{kept}.skip" + line[call.end("modifier") :]
    lines.replace(index, patched)
    lines.insert(index, [f"{lines.indent(index)}// {reason}"])
    return QuarantinePatch(lines.text(), True, index + 2, note)
