"""Checkers of documents and scripts: link checkers, Markdown linters, perlcritic, LaTeX
gates, "generated files out of date" checks and Emacs Lisp errors."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Location, Strength
from sheriff.core.parsers.base import rule
from sheriff.core.parsers.misc_family import (
    Family,
    block_end,
    capped,
    clusters,
    is_network_error,
    joined,
    next_nonblank,
    previous_line,
)
from sheriff.core.scan import Hit

_AWESOME_BOT = lazy_compile(r"^Issues :-\($")
_LINK_TRIGGER = (
    r"(?:\[(?:4\d\d|5\d\d|ERR|ERROR|TIMEOUT)\]|\[✖\]|✗ \[\d{3}\]) \S*https?://"
    r"|\d+ dead links? found|HTML-Proofer found \d+ failures?|Detected \d+ broken links?"
    r"|Found \d+ broken links?|\d+ broken links? found"
)
# The same for ``re``, where a count may start only at its first digit (a long run of
# digits would otherwise be scanned again from each of them).
_LINK = lazy_compile(_LINK_TRIGGER.replace(r"|\d+ ", r"|(?<!\d)\d+ "))
_MARKDOWN = lazy_compile(
    r"^(?P<path>[^\s:]+\.(?:md|markdown|mdx)):(?P<line>\d+):(?:\d+:?)?\s*"
    r"(?P<msg>(?:MD\d{3}\S*\s+)?[A-Z].*)$"
)
_PERLCRITIC = lazy_compile(
    r"^(?:(?P<path>\S+\.(?:pl|pm|t)): )?(?P<msg>.+) at line (?P<line>\d+), column \d+\."
    r"\s+.*\(Severity: \d\)$"
)
_PERLCRITIC_COMMAND = lazy_compile(r"perlcritic\b.*?(?<!\S)(?P<path>\S+\.(?:pl|pm|t))\s*$")
_OVERFULL = lazy_compile(r"^(?:Overfull|Underfull) \\[hv]box .*(?:at lines? \d+|detected at)")
_UNDEFINED_REFS = lazy_compile(
    r"LaTeX Warning: (?:There were undefined references|Reference .* undefined)"
)
_TEX_ERROR = lazy_compile(
    r"^! (?P<msg>LaTeX Error: .*|Undefined control sequence.*|Missing .* inserted.*|Emergency stop"
    r".*|Package \w+ Error: .*|Extra .*|Too many .*|Paragraph ended .*|File ended .*|Misplaced .*"
    r"|Illegal .*)$"
)
_GENERATED = lazy_compile(
    r"(?i)please (?:re-?build|re-?generate|re-?run|update) .*(?:commit|check in)"
    r"|(?:generated|built) (?:files?|code|assets) (?:are|is) (?:out of date|not up to date|stale)"
    r"|changed when we built"
    r"|(?:checkout|working (?:tree|directory|copy)) (?:is |was )?(?:left )?dirty"
    r"|left (?:the |local )*(?:git )?(?:repository )?checkout dirty"
)
_LISP = lazy_compile(
    r"^\s*signal\((?P<signal>[\w-]+) (?P<data>.*)\)$|Debugger entered--Lisp error:"
)

RULES = (
    rule("misc.docs.awesome_bot", r"Issues :-\(", _AWESOME_BOT.pattern, before=150, after=40),
    rule("misc.docs.link", _LINK_TRIGGER, _LINK.pattern, before=3, after=10),
    rule("misc.docs.markdown", r"\.(?:md|markdown|mdx):\d+:", _MARKDOWN.pattern, after=5),
    rule("misc.docs.perlcritic", r"\(Severity: \d\)", _PERLCRITIC.pattern, before=10, after=5),
    rule("misc.docs.overfull", r"(?:Overfull|Underfull) \\[hv]box", _OVERFULL.pattern, after=3),
    rule(
        "misc.docs.refs",
        r"LaTeX Warning: (?:There were undefined|Reference )",
        _UNDEFINED_REFS.pattern,
        after=3,
    ),
    rule(
        "misc.docs.tex",
        r"! (?:LaTeX Error|Undefined control|Missing|Emergency stop|Package \w+ "
        r"Error|Extra|Too many|Paragraph ended|File ended|Misplaced|Illegal)",
        _TEX_ERROR.pattern,
        after=8,
    ),
    rule("misc.docs.generated", _GENERATED.pattern, _GENERATED.pattern, before=10, after=3),
    rule(
        "misc.docs.lisp",
        r"signal\([\w-]+ |Debugger entered--Lisp error:",
        _LISP.pattern,
        before=3,
        after=40,
    ),
)


def _finding(
    first: int,
    last: int,
    message: str,
    kind: tuple[FailureType, str, str],
    *,
    anchor: int | None = None,
    strength: Strength = Strength.CLEAR,
    locations: tuple[Location, ...] = (),
) -> Finding:
    failure_type, sub_type, tool = kind
    return Finding(
        tool=tool,
        failure_type=failure_type,
        sub_type=sub_type,
        message=message.strip()[:500],
        anchor=first if anchor is None else anchor,
        ranges=(capped(first, last),),
        strength=strength,
        locations=locations,
    )


def _awesome_bot(view: LogView, hit: Hit) -> Finding | None:
    found = next_nonblank(view, hit.number, limit=3)
    if found is None:
        return None
    end = block_end(view, found[0], lambda text: text.startswith((" ", ">")), limit=60, blanks=0)
    issue = next_nonblank(view, found[0], limit=2)
    finding = _finding(
        found[0],
        end,
        issue[1] if issue else found[1],
        (FailureType.LINT, "link_check", "awesome_bot"),
    )
    # The report's earlier lists (white-listed links) are its own: a network error
    # printed there for one link is part of the link check, not an outage.
    start = _report_start(view, hit.number)
    if start < hit.number:
        return replace(finding, ranges=((start, hit.number - 1), *finding.ranges))
    return finding


def _report_start(view: LogView, number: int) -> int:
    """The first line of the indented or ``>`` lists just above ``number``."""
    start, blanks = number, 0
    for back in range(number - 1, max(number - 400, 0), -1):
        text = view.text(back)
        if text is None:
            break
        if not text.strip():
            blanks += 1
            if blanks > 1:
                break
            continue
        if not text.startswith((" ", ">")):
            break
        start, blanks = back, 0
    return start


def _grouped(view: LogView, group: list[Hit], kind: str) -> Finding:
    first, last = group[0].number, group[-1].number
    text = group[0].text
    locations: list[Location] = []
    for hit in group:
        groups = hit.match.groupdict() if hit.match else {}
        if groups.get("line"):
            locations.append(Location(groups.get("path") or "?", int(groups["line"])))
    if kind == "link":
        return _finding(first, last, text, (FailureType.LINT, "link_check", "link_checker"))
    if kind == "markdown":
        sub_type = "markdownlint" if re.search(r"\bMD\d{3}", text) else "markdown"
        return _finding(
            first,
            last,
            text,
            (FailureType.LINT, sub_type, sub_type),
            locations=tuple(dict.fromkeys(locations))[:8],
        )
    command = previous_line(view, first, _PERLCRITIC_COMMAND, limit=10)
    if command is not None:
        path = command[1].group("path")
        locations = [Location(path, loc.line) if loc.path == "?" else loc for loc in locations]
    return _finding(
        first,
        last,
        text,
        (FailureType.LINT, "perlcritic", "perlcritic"),
        locations=tuple(dict.fromkeys(locations))[:8],
    )


def _latex(group: list[Hit]) -> Finding:
    first, last = group[0].number, group[-1].number
    hard = [hit for hit in group if hit.rule.id == "misc.docs.tex"]
    lead = hard[0] if hard else group[0]
    missing_file = bool(re.search(r"File `[^']+' not found", lead.text))
    return _finding(
        lead.number if hard else first,
        last,
        lead.text,
        (FailureType.DEPENDENCY if missing_file else FailureType.BUILD, "latex", "latex"),
        # Overfull boxes and undefined references fail only builds that gate on them.
        strength=Strength.CLEAR if hard else Strength.PARTIAL,
    )


def _generated(view: LogView, hit: Hit) -> Finding:
    status = re.compile(r"^\s?[MADRU?]{1,2} \S")
    start = hit.number
    while (text := view.text(start - 1)) is not None and status.match(text):
        start -= 1
    return _finding(start, hit.number + 1, hit.text, (FailureType.LINT, "generated_files", "git"))


def _lisp(view: LogView, group: list[Hit]) -> Finding:
    signal = next((hit for hit in group if "signal(" in hit.text), group[0])
    end = block_end(view, signal.number, lambda text: text.startswith("  "), limit=60)
    text = joined(view, signal.number, end, limit=4000)
    if is_network_error(text):
        failure_type, sub_type, strength = FailureType.INFRASTRUCTURE, "network", Strength.CLEAR
    elif re.search(r"package-install|is unavailable|No version of|package-refresh|archive", text):
        failure_type, sub_type, strength = FailureType.DEPENDENCY, "elpa", Strength.CLEAR
    else:
        failure_type, sub_type, strength = FailureType.UNKNOWN, "lisp_error", Strength.PARTIAL
    return _finding(
        signal.number, end, signal.text, (failure_type, sub_type, "emacs"), strength=strength
    )


def parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    by_kind: dict[str, list[Hit]] = {}
    for hit in hits:
        by_kind.setdefault(hit.rule.id.rsplit(".", 1)[1], []).append(hit)
    findings = [f for hit in by_kind.get("awesome_bot", []) if (f := _awesome_bot(view, hit))]
    for kind in ("link", "markdown", "perlcritic"):
        findings.extend(_grouped(view, group, kind) for group in clusters(by_kind.get(kind, []), 8))
    latex = [*by_kind.get("overfull", []), *by_kind.get("refs", []), *by_kind.get("tex", [])]
    findings.extend(_latex(group) for group in clusters(latex, gap=20))
    findings.extend(
        _generated(view, group[0]) for group in clusters(by_kind.get("generated", []), gap=3)
    )
    findings.extend(_lisp(view, group) for group in clusters(by_kind.get("lisp", []), gap=3))
    return findings


FAMILY = Family("docs", RULES, parse)
