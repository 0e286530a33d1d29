"""Parser for shell linters: ShellCheck in its default (tty) and gcc formats."""

from __future__ import annotations

from collections.abc import Sequence

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Location, Strength
from sheriff.core.parsers.base import Parser, follow, rule
from sheriff.core.scan import Hit

_GCC = lazy_compile(
    r"^(?P<path>[^\s:]+):(?P<line>\d+):\d+: (?:note|warning|error|style|info): "
    r"(?P<message>.+) \[(?P<code>SC\d{4})\]$"
)
_TTY_HEADER = lazy_compile(r"^In (?P<path>\S+) line (?P<line>\d+):$")
_TTY_CODE = lazy_compile(r"\^-*\^? (?P<code>SC\d{4}) \((?P<level>\w+)\): (?P<message>.+)$")

_RULES = (
    rule("shell.gcc", r"\[SC\d{4}\]", _GCC.pattern, before=2, after=10),
    rule("shell.tty", r"In \S+ line \d+:", _TTY_HEADER.pattern, before=2, after=12),
)


def _parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    gcc = [hit for hit in hits if hit.rule.id == "shell.gcc" and hit.match]
    tty = [hit for hit in hits if hit.rule.id == "shell.tty" and hit.match]
    findings = [_gcc_report(view, gcc)] if gcc else []
    if tty:
        findings.append(_tty_report(view, tty))
    return findings


def _gcc_report(view: LogView, hits: list[Hit]) -> Finding:
    first = hits[0]
    assert first.match is not None
    last = follow(view, hits[-1].number, lambda text: bool(_GCC.match(text)), limit=200)
    return _finding(
        first.number,
        max(last, hits[-1].number),
        f"{first.match.group('code')}: {first.match.group('message')}",
        _locations(hits),
    )


def _tty_report(view: LogView, hits: list[Hit]) -> Finding:
    first = hits[0]
    message = ""
    for _, text in view.span(first.number + 1, first.number + 8):
        found = _TTY_CODE.search(text)
        if found:
            message = f"{found.group('code')} ({found.group('level')}): {found.group('message')}"
            break
    last = follow(view, hits[-1].number, lambda text: not text.startswith("For more"), limit=12)
    return _finding(first.number, last, message or first.text, _locations(hits))


def _locations(hits: list[Hit]) -> tuple[Location, ...]:
    found: list[Location] = []
    for hit in hits:
        if hit.match is not None:
            location = Location(hit.match.group("path"), int(hit.match.group("line")))
            if location not in found:
                found.append(location)
    return tuple(found[:8])


def _finding(first: int, last: int, message: str, locations: tuple[Location, ...]) -> Finding:
    return Finding(
        tool="shellcheck",
        failure_type=FailureType.LINT,
        sub_type="shellcheck",
        message=message,
        anchor=first,
        ranges=((first, min(last, first + 40)),),
        strength=Strength.CLEAR,
        locations=locations,
    )


PARSER = Parser(name="shell", rules=_RULES, parse=_parse)
