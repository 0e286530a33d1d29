"""What a parser is, and the small reading aids every parser shares.

A parser declares ``rules`` (which lines it wants to see) and a ``parse`` function that
turns its hits, read in the context the view kept, into findings. Parsers never see the
raw input and never do I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, LineRange, Location, Strength
from sheriff.core.scan import Hit, Rule

ParseFunction = Callable[[LogView, Sequence[Hit]], list[Finding]]


@dataclass(frozen=True, slots=True)
class Parser:
    """A family of related failure formats (one framework or tool family)."""

    name: str
    rules: tuple[Rule, ...]
    parse: ParseFunction


def rule(
    rule_id: str,
    trigger: str,
    line: str | None = None,
    *,
    before: int = 30,
    after: int = 60,
    flags: int = 0,
    noisy: bool = False,
    structural: bool = False,
) -> Rule:
    """Build a rule; ``line`` is compiled with stdlib ``re`` and matched on clean text."""
    compiled = lazy_compile(line, flags) if line is not None else None
    return Rule(rule_id, trigger, compiled, before, after, noisy, structural)


# Paths with a line number, as compilers, linters and stack traces print them.
_PATH_AND_LINE = lazy_compile(
    r"(?<![\w.\-~@+/\\])(?P<path>(?:[A-Za-z]:)?[\w.\-~@+/\\]*[\w\-]\.[A-Za-z][\w]{0,9})"
    r"[:(](?P<line>\d+)(?:[:,]\d+)?\)?"
)
_LOCATION_PATTERNS = (
    lazy_compile(r'File "(?P<path>[^"]+)", line (?P<line>\d+)'),  # Python traceback
    lazy_compile(r"\((?P<path>[\w$.\-]+\.(?:java|kt|scala|groovy)):(?P<line>\d+)\)"),  # JVM frame
    _PATH_AND_LINE,
)
# How every match of ``_PATH_AND_LINE`` ends (".ext:12"). That pattern may start at any
# word, so searching for it costs several times more than looking for this tail first.
_PATH_TAIL = lazy_compile(r"\.[A-Za-z]\w{0,9}[:(]\d")
_NOT_SOURCE = lazy_compile(r"^(?:https?|ftp|file)$|^\d+(?:\.\d+)+$|\.(?:com|org|net|io)$")


def find_locations(text: str) -> list[Location]:
    """Every ``path:line`` a line of text names, in order, without duplicates."""
    found: list[Location] = []
    for pattern in _LOCATION_PATTERNS:
        if pattern is _PATH_AND_LINE and _PATH_TAIL.search(text) is None:
            break
        for match in pattern.finditer(text):
            path = match.group("path").strip()
            if not path or _NOT_SOURCE.search(path) or "://" in text[: match.start() + 3][-3:]:
                continue
            location = Location(path, int(match.group("line")))
            if location not in found:
                found.append(location)
        if found:
            break
    return found


def follow(
    view: LogView,
    start: int,
    keep: Callable[[str], bool],
    *,
    limit: int = 60,
    skip_blank: int = 1,
) -> int:
    """The last line after ``start`` that still belongs to the block ``keep`` accepts.

    Up to ``skip_blank`` consecutive blank lines are tolerated inside the block.
    """
    last = start
    blanks = 0
    for number in range(start + 1, start + limit + 1):
        text = view.text(number)
        if text is None:
            break
        if not text.strip():
            blanks += 1
            if blanks > skip_blank:
                break
            continue
        if not keep(text):
            break
        blanks = 0
        last = number
    return last


def summary_lines(
    hits: Sequence[Hit], tool: str, failure_type: FailureType, sub_type: str
) -> list[Finding]:
    """One partial finding per hit line: summaries that only say *that* something failed."""
    return [
        Finding(
            tool=tool,
            failure_type=failure_type,
            sub_type=sub_type,
            message=hit.text.strip(),
            anchor=hit.number,
            ranges=((hit.number, hit.number),),
            strength=Strength.PARTIAL,
            kind="summary",
        )
        for hit in hits
    ]


def merge_ranges(ranges: Sequence[LineRange]) -> tuple[LineRange, ...]:
    """Sort and merge overlapping or adjacent inclusive ranges."""
    merged: list[LineRange] = []
    for first, last in sorted(ranges):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return tuple(merged)


_NO_ARGUMENTS = lazy_compile(r"^[\w$]+\(\)\Z")  # anchored: linear whatever is searched


def method_name(name: str) -> str:
    """``test()``, JUnit 5's display name of a method without parameters, as the bare
    name JUnit 4, Surefire and reports of other runners give the same test; other names
    as they are (``shipping(int)[1]`` is one case of a parameterised test)."""
    return name[:-2] if _NO_ARGUMENTS.match(name) else name


def is_indented(text: str) -> bool:
    return text[:1] in {" ", "\t"}
