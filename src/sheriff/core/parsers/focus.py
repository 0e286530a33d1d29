"""Keep what matched in a finding's message when the line is too long to show whole.

Parsers state a failure by its line, cut to a few hundred characters from the start.
When the line is long and the failure is printed at its end (progress dots with no line
break, then ``clang: error: linker command failed``), that head is all dots: the
report, the issue title and the fingerprint would say nothing, and two different
failures printed that way would share one fingerprint. Such a message is taken again
around the match that proved the failure.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.model import Finding
from sheriff.core.rules import Hit

LEAD_CHARS = 80
"""How much of the line before the match a focused message shows."""
ELLIPSIS = "\u2026"
_RUN = lazy_compile(r"([^\w\s])\1{3,}+")
"""A run of one punctuation character: progress dots, a rule of dashes."""


def focus_messages(findings: Iterable[Finding], hits: Sequence[Hit]) -> Iterator[Finding]:
    """The findings, each message that cut its anchor line's match away taken again
    around that match; every other finding as it is."""
    by_line = {hit.number: hit for hit in hits if hit.match is not None}
    for finding in findings:
        hit = by_line.get(finding.anchor)
        focused = _focused(finding.message, hit) if hit is not None else None
        yield finding if focused is None else replace(finding, message=focused)


def _focused(message: str, hit: Hit) -> str | None:
    """``message`` around the hit's match, if it is the line's head without the match."""
    if hit.match is None:
        return None
    return refocused(hit.text, message, hit.match.start(), hit.match.end())


def refocused(text: str, message: str, start: int, end: int) -> str | None:
    """``message`` taken again around ``text[start:end]``, if it is ``text``'s head and
    cuts that span away; None when it shows the span, or its first ``LEAD_CHARS``
    characters (a parser may drop the end of a line, such as the project after an
    MSBuild error), or is not the head."""
    indent = len(text) - len(text.lstrip())
    shown = min(end, start + LEAD_CHARS)
    if not message or shown <= indent + len(message) or not text.startswith(message, indent):
        return None
    return _around(text, start, len(message))


def _around(text: str, start: int, limit: int) -> str:
    """At most ``limit`` characters of ``text`` from a little before ``start``."""
    before = _RUN.sub("", text[max(start - LEAD_CHARS, 0) : start]).lstrip()
    return (ELLIPSIS + before + text[start:])[:limit].rstrip()
