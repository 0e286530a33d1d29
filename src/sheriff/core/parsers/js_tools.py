"""JavaScript/CSS/Markdown linters and formatters: ESLint, stylelint (and the PostCSS
parse errors it reports), TSLint, Prettier, markdownlint and EditorConfig checkers.

ESLint's and stylelint's default formatters print a file name, then ``line:col``
diagnostics; ``✖`` marks and ``(rule)`` endings are stylelint's, ``error``/``warning``
words ESLint's, and the command that ran decides when both could be meant. A run of
diagnostics is one finding anchored at its file name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, LineRange, Location, Strength
from sheriff.core.parsers.base import Parser, merge_ranges, rule
from sheriff.core.parsers.js_commands import group_hits, recent_command
from sheriff.core.scan import Hit

_ANSI = r"(?:\x1b\[[0-9;]*m)*"
_DIAGNOSTIC = lazy_compile(
    r"^\s*(?P<line>\d+):(?P<col>\d+)\s+(?P<severity>error|warning|✖|⚠|×)\s++(?P<message>.*?\S)"
    r"(?:\s{2,}(?P<rule>[@\w][\w@/.-]*))?\s*$"
)
_OLD_STYLELINT = lazy_compile(
    r"^\s*(?P<line>\d+):(?P<col>\d+)\t(?P<message>.+?)(?: \((?P<rule>[\w/-]+)\))?$"
)
_LONE_TOKEN = lazy_compile(r"^\s*(?P<path>[^\s:]+)\s*$")
_TRAILING_WORD = lazy_compile(r"[\w.]*")
_PRETTIER_ERROR = lazy_compile(r"^\S+\.\w+: \w*Error: |^No (?:files|parser) ")
_STYLE_COMMAND = lazy_compile(r"stylelint|lint:css|css-?lint|\bscss\b|\bcss\b")

_DIAGNOSTIC_TRIGGER = (
    rf"\d+{_ANSI}:{_ANSI}\d+{_ANSI}(?:\t|(?:\s|\x1b\[[0-9;]*m)+(?:error|warning|✖|⚠))"
)

RULES = (
    rule("js_tools.diagnostic", _DIAGNOSTIC_TRIGGER, _DIAGNOSTIC.pattern, before=6, after=3),
    rule("js_tools.diagnostic_tab", _DIAGNOSTIC_TRIGGER, _OLD_STYLELINT.pattern, before=6, after=3),
    rule(
        "js_tools.css_syntax",
        r"CssSyntaxError",
        r"CssSyntaxError:? (?P<path>[^\s:]+):(?P<line>\d+):(?P<col>\d+):? (?P<message>.*)$",
        before=5,
        after=10,
    ),
    rule(
        "js_tools.tslint",
        r"(?:ERROR|WARNING)(?:\x1b\[[0-9;]*m)*: \S+(?:\[\d+, \d+\]|:\d+:\d+)",
        r"^(?P<severity>ERROR|WARNING): (?:\([\w-]+\) )?(?P<path>\S+?)(?:\[(?P<line>\d+), \d+\]"
        r"|:(?P<line2>\d+):\d+)(?::| -)? (?P<message>.+)$",
        before=5,
        after=3,
    ),
    rule(
        "js_tools.prettier",
        rf"\[{_ANSI}warn{_ANSI}\] {_ANSI}(?:[\w./@-]+\.\w{{1,8}}{_ANSI}\r?(?m:$)|Code style)"
        rf"|\[{_ANSI}error{_ANSI}\] {_ANSI}(?:\S+\.\w+: \w*Error: |No (?:files|parser) )",
        r"^\[(?P<level>warn|error)\] (?P<rest>.+)$",
        before=8,
        after=3,
    ),
    rule(
        "js_tools.markdownlint",
        rf"\.(?:md|markdown){_ANSI}:? ?{_ANSI}\d+(?::\d+)?:? (?:error )?{_ANSI}MD\d{{3}}",
        r"^(?P<path>\S+?\.(?:md|markdown)):? ?(?P<line>\d+)(?::\d+)?:? (?:error )?(?P<rule>MD\d{3})"
        r"(?:/[\w-]+)* (?P<message>.+)$",
        before=6,
        after=3,
    ),
    rule(
        "js_tools.editorconfig",
        r" failed (?:indent_style|indent_char|indent_size|tab_width|end_of_line|charset"
        r"|insert_final_newline|trim_trailing_whitespace|max_line_length)",
        r"^(?P<path>\S+) failed (?P<property>\w+): (?P<message>.+)$",
        before=6,
        after=3,
    ),
)


def _parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    by_kind: dict[str, list[Hit]] = {}
    for hit in hits:
        if hit.match is not None:
            kind = hit.rule.id.rsplit(".", 1)[1].removesuffix("_tab")
            by_kind.setdefault(kind, []).append(hit)
    findings: list[Finding] = []
    findings.extend(
        _diagnostics(view, run)
        for run in group_hits(by_kind.get("diagnostic", []), gap=5)
        if not _only_warnings(run)
    )
    findings.extend(_css_syntax(view, hit) for hit in by_kind.get("css_syntax", []))
    for kind in ("tslint", "markdownlint", "editorconfig"):
        runs = group_hits(by_kind.get(kind, []), gap=3)
        findings.extend(_listed(view, kind, run) for run in runs if not _only_warnings(run))
    for run in group_hits(by_kind.get("prettier", []), gap=6):
        found = _prettier(run)
        if found is not None:
            findings.append(found)
    return findings


def _only_warnings(run: list[Hit]) -> bool:
    """Linters exit zero on warnings alone (unless told otherwise): not a failure."""
    levels = {(h.match.groupdict().get("severity") or "error") for h in run if h.match}
    return levels <= {"warning", "⚠", "WARNING"}


def _diagnostics(view: LogView, run: list[Hit]) -> Finding:
    first = run[0]
    header, path = _file_header(view, first.number)
    tool = _linter(view, run)
    message = _diagnostic_message(path, first)
    last = run[-1].number + (1 if tool == "stylelint" else 0)
    return Finding(
        tool=tool,
        failure_type=FailureType.LINT,
        sub_type=tool,
        message=message[:500],
        anchor=header,
        ranges=_capped(header, last, [h.number for h in run]),
        strength=Strength.CLEAR,
        locations=tuple(
            dict.fromkeys(Location(path, int(h.match.group("line"))) for h in run if h.match)
        )[:8]
        if path
        else (),
        kind="error",
    )


def _file_header(view: LogView, number: int) -> tuple[int, str]:
    for back in range(number - 1, max(number - 6, 0), -1):
        text = view.text(back) or ""
        if not text.strip():
            continue
        header = _path_line(text)
        if header:
            return back, header.group("path")
        return number, ""
    return number, ""


def _linter(view: LogView, run: list[Hit]) -> str:
    texts = " ".join(h.text for h in run)
    command = recent_command(view, run[0].number, limit=80) or ""
    if "stylelint" in command or "✖" in texts or "\t" in texts:
        return "stylelint"
    if "eslint" in command:
        return "eslint"
    return "stylelint" if _STYLE_COMMAND.search(command) else "eslint"


def _diagnostic_message(path: str, hit: Hit) -> str:
    assert hit.match is not None
    groups = hit.match.groupdict()
    message = groups.get("message") or ""
    rule_name = groups.get("rule")
    where = (
        f"{path}:{groups['line']}:{groups['col']}" if path else f"{groups['line']}:{groups['col']}"
    )
    return f"{where}: {message}" + (f" ({rule_name})" if rule_name else "")


def _capped(first: int, last: int, numbers: list[int]) -> tuple[LineRange, ...]:
    if last - first < 40:
        return ((first, last),)
    return merge_ranges([(first, first + 20), *((n, n) for n in numbers[:20])])


def _css_syntax(view: LogView, hit: Hit) -> Finding:
    assert hit.match is not None
    command = recent_command(view, hit.number, limit=40) or ""
    lint = "stylelint" in command or "lint" in command
    return Finding(
        tool="stylelint" if lint else "postcss",
        failure_type=FailureType.LINT if lint else FailureType.BUILD,
        sub_type="stylelint" if lint else "postcss",
        message=hit.text.strip()[:500],
        anchor=hit.number,
        ranges=((hit.number, hit.number + 4),),
        strength=Strength.CLEAR,
        locations=(Location(hit.match.group("path"), int(hit.match.group("line"))),),
        has_stack_trace=True,
        kind="error",
    )


def _listed(view: LogView, kind: str, run: list[Hit]) -> Finding:
    first = run[0]
    assert first.match is not None
    groups = first.match.groupdict()
    header = first.number
    if kind == "tslint":
        header, _ = _file_header(view, first.number)
    locations = []
    for hit in run:
        if hit.match is not None:
            line = hit.match.groupdict().get("line") or hit.match.groupdict().get("line2")
            locations.append(Location(hit.match.group("path"), int(line) if line else None))
    return Finding(
        tool=kind,
        failure_type=FailureType.LINT,
        sub_type=kind,
        message=first.text.strip()[:500] if groups.get("message") else first.text[:500],
        anchor=header,
        ranges=_capped(header, run[-1].number, [h.number for h in run]),
        strength=Strength.CLEAR,
        locations=tuple(dict.fromkeys(locations))[:8],
        kind="error",
    )


def _prettier(run: list[Hit]) -> Finding | None:
    """``[warn] file`` lines (files Prettier would change) and ``[error]`` parse errors."""
    files = [h for h in run if h.match and _looks_like_path(h.match.group("rest"))]
    errors = [
        h
        for h in run
        if h.match
        and h.match.group("level") == "error"
        and _PRETTIER_ERROR.match(h.match.group("rest"))
    ]
    if not files and not errors:
        return None
    first = (errors or files)[0]
    paths = [h.match.group("rest").split(":")[0] for h in files + errors if h.match]
    message = first.text.strip()
    if not errors:
        message = f"Prettier would reformat {len(files)} file(s): {', '.join(paths[:5])}"
    return Finding(
        tool="prettier",
        failure_type=FailureType.LINT,
        sub_type="prettier",
        message=message[:500],
        anchor=run[0].number,
        ranges=_capped(run[0].number, run[-1].number, [h.number for h in run]),
        strength=Strength.CLEAR,
        locations=tuple(Location(path) for path in dict.fromkeys(paths))[:8],
        kind="error",
    )


def _looks_like_path(text: str) -> bool:
    return bool(re.match(r"^[\w./@-]+\.\w+$", text.strip())) and " " not in text.strip()


PARSER = Parser(name="js_tools", rules=RULES, parse=_parse)


def _path_line(text: str) -> re.Match[str] | None:
    """A line holding only a file path with an extension (``src/a.css``), as linters
    print before that file's problems. Checked in two linear steps: one pattern for
    "path.ext" would backtrack quadratically on a long run of dots."""
    header = _LONE_TOKEN.match(text)
    if header is None:
        return None
    path = header.group("path")
    reversed_tail = _TRAILING_WORD.match(path[::-1])  # the [\w.] characters ending the path
    tail = reversed_tail.end() if reversed_tail else 0
    has_extension = path.find(".", max(len(path) - tail, 1), len(path) - 1) >= 0
    return header if has_extension else None
