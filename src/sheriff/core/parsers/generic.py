"""Signals any CI log carries whatever the tool: exit lines and generic error lines.

These are weak findings. They matter when no tool-specific parser recognised anything
(the excerpt still lands on the right place) and they mark where a failing command
ended, which bounds the search for its cause.
"""

from __future__ import annotations

from collections.abc import Sequence

import re2

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Strength
from sheriff.core.parsers.base import Parser, rule
from sheriff.core.parsers.focus import refocused
from sheriff.core.scan import Hit

_EXIT_RULES = (
    rule(
        "generic.exit",
        r"Process completed with exit code|exited with [1-9]|failed and exited with"
        r"|script returned exit code|Finished: FAILURE|marked build as failure"
        r"|ERROR: Job failed|Build failed in step",
        r"Process completed with exit code [1-9]\d*|The command \"(?P<command>.*)\" "
        r"(?:failed and )?exited with [1-9]\d*|script returned exit code [1-9]|"
        r"Finished: FAILURE|marked build as failure|ERROR: Job failed|Build failed in step"
        r"|^[^\"]*\" (?:failed and )?exited with (?P<code>[1-9]\d*)\.?$",
        before=40,
        after=3,
    ),
    rule(
        "generic.make",
        r"\*\*\* \[",
        r"^(?:g?make|mingw32-make|ninja)(?:\[\d+\])?: \*\*\* (?:\[(?P<target>[^\]]+)\] )?"
        r"(?:Error|Stop)",
        before=30,
        after=3,
    ),
)

_ERROR_WORDS = (
    r"(?i:error|fatal|fail|exception|panic|abort|denied|refused|timed? ?out|killed"
    r"|cannot |could not|couldn't|unable to|not found|no such|segmentation|traceback)"
)
# Checked in the parser with one RE2 set (stdlib re spent ~11 µs a line on this
# alternation): a line is an error line when it matches the first pattern, not the second.
_ERROR_LINE = (
    r"(?i)(?:^|[\s\[(:'\"])(?:error|fatal|failed|failure|exception|panic(?:ked)?|abort(?:ed)?"
    r"|denied|refused|timed out|timeout|killed|cannot|could not|couldn't|unable to"
    r"|not found|no such file|segmentation fault|traceback)\b"
)
_BENIGN = (
    r"(?i)\b(?:0|no) (?:errors?|failures?|failed)\b|(?:errors?|failures?|failed)[=:]\s*0\b"
    r"|-Werror|error_prone|errorprone|\bonerror\b|\w+Error\.(?:java|py|js|ts|rb)\b"
    r"|ignore[_-]?errors?|allow[_-]?failures?|continue-on-error|set -e\b|\bfail-fast\b"
    r"|^\s*[-+]?\s*(?:DEBUG|INFO|TRACE)\b|^\$ |^\+ |warning:|WARN(?:ING)?\b"
)


def _error_or_benign() -> re2.Set:
    options = re2.Options()
    options.max_mem = 64 << 20  # room for the set's DFA on long lines
    patterns = re2.Set.SearchSet(options)
    patterns.Add(_ERROR_LINE)
    patterns.Add(_BENIGN)
    patterns.Compile()
    return patterns


_ERROR_OR_BENIGN = _error_or_benign()
_ERROR_WORD = re2.compile(_ERROR_WORDS)
MESSAGE_LIMIT = 500


def _is_error_line(text: str) -> bool:
    """Says it failed, and not in a known harmless way ("0 errors", "-Werror")."""
    matched: list[int] = _ERROR_OR_BENIGN.Match(text)
    return matched == [0]  # the error pattern alone


_COMMAND_RULE = rule(
    "generic.command",
    r"\$ [\w./~\\\-\[\"']|##\[group\]Run |\[Pipeline\] (?:sh|bat|withMaven)",
    r"^(?:\$ \S|Run \S|\[Pipeline\] (?:sh|bat|withMaven))",
    before=1,
    after=1,
    structural=True,
)

PARSER_RULES = (
    *_EXIT_RULES,
    _COMMAND_RULE,
    rule("generic.error", _ERROR_WORDS, None, before=8, after=12, noisy=True),
)


def _parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    findings: list[Finding] = []
    for hit in hits:
        if hit.rule.id == "generic.error":
            if not _is_error_line(hit.text):
                continue
            findings.append(_weak(hit, "error_line", FailureType.UNKNOWN, "error"))
        elif hit.rule.id == "generic.command":
            findings.append(_weak(hit, "command", FailureType.UNKNOWN, "command"))
        elif hit.rule.id == "generic.make":
            findings.append(_weak(hit, "make", FailureType.BUILD, "make"))
        else:
            exit_line = _exit(view, hit)
            findings.extend([exit_line] if exit_line else [])
    return findings


# Travis prints a multi-line command whole: 'The command "docker run \' … then, lines
# later, 'make test" exited with 1.' The exit line alone does not say which command.
_COMMAND_OPENS = lazy_compile(r'^The command "(?P<first>.*)$')
_COMMAND_ENDS = lazy_compile(r'" (?:failed and )?exited with \d+\.?$')
_COMMAND_LINES = 40


def _exit(view: LogView, hit: Hit) -> Finding | None:
    """The exit line; a multi-line command's last line only under its first, and named
    by that first line (which is how the command's echo starts)."""
    assert hit.match is not None
    code = hit.match.group("code")
    if code is None:
        return _weak(hit, "exit", FailureType.UNKNOWN, "exit")
    first = _command_opened_above(view, hit.number)
    if first is None:
        return None
    named = f'The command "{first}" exited with {code}.'
    return _weak(hit, "exit", FailureType.UNKNOWN, "exit", message=named)


def _command_opened_above(view: LogView, number: int) -> str | None:
    """The first line of the quoted command still open above ``number``, if any."""
    for above in range(number - 1, max(number - _COMMAND_LINES, 0), -1):
        text = view.text(above)
        if text is None or _COMMAND_ENDS.search(text):
            return None
        opened = _COMMAND_OPENS.match(text)
        if opened is not None:
            return opened.group("first").rstrip()
    return None


def _weak(
    hit: Hit, sub_type: str, failure_type: FailureType, kind: str, *, message: str | None = None
) -> Finding:
    """A weak finding on the hit's line, stating the line (or ``message``)."""
    return Finding(
        tool="ci",
        failure_type=failure_type,
        sub_type=sub_type,
        message=_message(message or hit.text, kind),
        anchor=hit.number,
        ranges=((hit.number, hit.number),),
        strength=Strength.WEAK,
        kind=kind,
    )


def _message(text: str, kind: str) -> str:
    """The line's head; for an error line whose error word comes later (a long line of
    progress dots, then ``error: ...``), the text around that word."""
    message = text.strip()[:MESSAGE_LIMIT]
    if kind != "error" or len(text) <= MESSAGE_LIMIT:
        return message
    word = _ERROR_WORD.search(text)
    if word is None:
        return message
    return refocused(text, message, word.start(), word.end()) or message


PARSER = Parser(name="generic", rules=PARSER_RULES, parse=_parse)
