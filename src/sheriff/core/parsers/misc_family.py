"""Reading aids shared by the JVM, .NET, Ruby, PHP, TAP and other test-runner parsers.

A *family* is one tool's rules plus the function that parses their hits; a parser
module combines several families under one parser name and hands each family its own
hits (rule ids are ``<parser>.<family>.<rule>``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import Finding, LineRange
from sheriff.core.parsers.base import ParseFunction, Parser
from sheriff.core.scan import Hit, Rule

# ``gh run view --log`` and ``act`` prefix every line with "job<TAB>step<TAB>timestamp ".
_JOB_STEP_PREFIX = lazy_compile(
    r"^[^\t\n]{1,200}\t[^\t\n]{0,200}\t\ufeff?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ?"
)


# Colour codes that tools put inside the text a trigger looks for (triggers see raw bytes).
ANSI = r"(?:\x1b\[[\d;]*m)*"


@dataclass(frozen=True, slots=True)
class Family:
    """One tool's rules and the function that turns their hits into findings."""

    name: str
    rules: tuple[Rule, ...]
    parse: ParseFunction


def combine(name: str, families: Sequence[Family]) -> Parser:
    """One parser that hands every family the hits of its own rules."""
    by_name = {family.name: family for family in families}

    def parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
        grouped: dict[str, list[Hit]] = {}
        for hit in hits:
            family = hit.rule.id.split(".", 2)[1]
            grouped.setdefault(family, []).append(hit)
        findings: list[Finding] = []
        for family_name, own in grouped.items():
            findings.extend(by_name[family_name].parse(view, own))
        return findings

    rules = tuple(rule for family in families for rule in family.rules)
    return Parser(name=name, rules=rules, parse=parse)


def strip_job_prefix(text: str) -> str:
    """Remove the "job, step, timestamp" columns some log exports put before each line."""
    if "\t" not in text:
        return text
    return _JOB_STEP_PREFIX.sub("", text, count=1)


def line_at(view: LogView, number: int) -> str | None:
    """The cleaned text of a kept line, without job/step export columns."""
    text = view.text(number)
    return None if text is None else strip_job_prefix(text)


def block_end(
    view: LogView,
    start: int,
    keep: Callable[[str], bool],
    *,
    limit: int = 60,
    blanks: int = 1,
) -> int:
    """The last line after ``start`` that ``keep`` accepts (up to ``blanks`` blank lines
    in a row are tolerated inside the block)."""
    last = start
    run = 0
    for number in range(start + 1, start + limit + 1):
        text = line_at(view, number)
        if text is None:
            break
        if not text.strip():
            run += 1
            if run > blanks:
                break
            continue
        if not keep(text):
            break
        run = 0
        last = number
    return last


def previous_line(
    view: LogView, start: int, pattern: re.Pattern[str], *, limit: int = 40
) -> tuple[int, re.Match[str]] | None:
    """The nearest line before ``start`` (within ``limit``) that ``pattern`` matches."""
    for number in range(start - 1, max(start - limit, 0), -1):
        text = line_at(view, number)
        if text is None:
            return None
        match = pattern.search(text)
        if match:
            return number, match
    return None


class LineAbove:
    """``previous_line`` asked for ascending starts, each line read about once.

    Asked for every failure of a dense log with a long reach (a TAP file header up to
    300 lines above each ``not ok``), ``previous_line`` reads the same lines again and
    again. A start after the last one reads only the lines between them; below those,
    the last search already knows where the walk stops (a match, or a line not kept).
    """

    def __init__(self, view: LogView, pattern: re.Pattern[str], *, limit: int = 40) -> None:
        self._view = view
        self._pattern = pattern
        self._limit = limit
        self._start: int | None = None
        self._stop: tuple[int, re.Match[str] | None] | None = None
        """Where the last search stopped: a match, or a line not kept (None match)."""

    def find(self, start: int) -> tuple[int, re.Match[str]] | None:
        """What ``previous_line(view, start, pattern, limit=limit)`` returns."""
        floor = max(start - self._limit, 0)  # the lowest line read is floor + 1
        previous = self._start
        if previous is None or start <= previous:
            stop = self._walk(start - 1, floor)
        else:
            stop = self._walk(start - 1, max(previous - 1, floor))
            if stop is None and previous - 1 > floor:
                stop = self._stop if self._stop is not None and self._stop[0] > floor else None
        self._start, self._stop = start, stop
        if stop is None or stop[1] is None:
            return None
        return stop[0], stop[1]

    def _walk(self, high: int, low: int) -> tuple[int, re.Match[str] | None] | None:
        """The first stop walking down from ``high`` to just above ``low``."""
        for number in range(high, low, -1):
            text = line_at(self._view, number)
            if text is None:
                return number, None
            match = self._pattern.search(text)
            if match:
                return number, match
        return None


def next_nonblank(view: LogView, start: int, *, limit: int = 6) -> tuple[int, str] | None:
    """The first non-blank kept line after ``start``."""
    for number in range(start + 1, start + limit + 1):
        text = line_at(view, number)
        if text is None:
            return None
        if text.strip():
            return number, text
    return None


def joined(view: LogView, first: int, last: int, *, limit: int = 500) -> str:
    """Non-blank lines of a span, stripped and joined by newlines, at most ``limit`` chars."""
    parts = [
        text.strip() for _, raw in view.span(first, last) if (text := strip_job_prefix(raw)).strip()
    ]
    return "\n".join(parts)[:limit]


def capped(first: int, last: int, size: int = 40) -> LineRange:
    """``(first, last)`` with at most ``size`` lines."""
    return (first, min(last, first + size - 1))


def clusters(hits: Sequence[Hit], gap: int) -> list[list[Hit]]:
    """Hits grouped into runs whose neighbours are at most ``gap`` lines apart."""
    groups: list[list[Hit]] = []
    for hit in sorted(hits, key=lambda item: item.number):
        if groups and hit.number - groups[-1][-1].number <= gap:
            groups[-1].append(hit)
        else:
            groups.append([hit])
    return groups


_NETWORK = lazy_compile(
    r"(?i)connection (?:refused|reset|closed|timed out)|connect timed out|read timed out"
    r"|could not create connection|UnknownHostException|Name or service not known"
    r"|Temporary failure in name resolution|nodename nor servname|No route to host"
    r"|Network is unreachable|getaddrinfo|handshake timed out|Remote host closed connection"
    r"|\b503 Service Unavailable|\bstatus code:? 50[234]\b|\b50[234] (?:Bad Gateway|Service"
    r"|Gateway)|SocketTimeoutException|ECONNRESET|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN"
)


def is_network_error(text: str) -> bool:
    """Whether text shows an explicit network error (connection, DNS, gateway)."""
    return bool(_NETWORK.search(text))
