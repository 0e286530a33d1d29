"""Python static checkers: mypy, pyright, ruff, flake8/pycodestyle, pylint, black, isort,
lintrunner.

Each run of consecutive diagnostics becomes one finding anchored at its first line,
so a maintainer sees the block, not a flood. ``path:1:1: E501 …`` is printed alike by
flake8, pycodestyle and ruff; the command that ran it (or ruff's ``[*]`` fix marks)
names the tool.
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

_MAX_BLOCK = 40
_A = r"(?:\x1b\[[0-9;]*m)*"  # colour codes a tool may print between tokens
_TOOL_IN_COMMAND = lazy_compile(r"\b(ruff|flake8|pycodestyle|pep8|pylint|pyflakes|mypy|pyright)\b")

RULES = (
    rule(
        "python_tools.mypy",
        r"\.pyi?:\d+:(?:\d+:)? (?:\x1b\[[0-9;]*m)*error:",
        r"^(?P<path>\S+?\.pyi?):(?P<line>\d+):(?:(?P<col>\d+):)? error: (?P<message>.+?)"
        r"(?:(?<!\s)\s+\[(?P<code>[\w-]+)\])?$",
        before=40,
        after=3,
    ),
    rule(
        "python_tools.pyright",
        r"\.pyi?:\d+:\d+ - error: ",
        r"^\s*(?P<path>\S+?\.pyi?):(?P<line>\d+):(?P<col>\d+) - error: (?P<message>.+)$",
        before=40,
        after=3,
    ),
    rule(
        "python_tools.code",
        rf"\.pyi?{_A}:{_A}\d+{_A}:{_A}\d+{_A}:{_A} {_A}[A-Z]{{1,4}}\d{{2,4}}\b",
        r"^(?P<path>\S+?\.pyi?):(?P<line>\d+):(?P<col>\d+): (?P<code>[A-Z]{1,4}\d{2,4})"
        r"(?P<fix> \[\*\])?:? (?P<message>.+)$",
        before=40,
        after=3,
    ),
    rule(
        "python_tools.ruff_arrow",
        r"--> [^\s:]+\.pyi?:\d+:\d+",
        r"^\s*--> (?P<path>\S+?\.pyi?):(?P<line>\d+):(?P<col>\d+)$",
        before=40,
        after=12,
    ),
    rule(
        "python_tools.reformat",
        r"[Ww]ould reformat|Imports are incorrectly sorted|[Ww]ould be reformatted",
        r"^(?:(?P<black>would reformat) (?P<path>\S.*)|(?P<ruff>Would reformat): (?P<rpath>\S.*)"
        r"|ERROR: (?P<ipath>\S+) Imports are incorrectly sorted.*)$",
        before=40,
        after=3,
    ),
    rule(
        "python_tools.lintrunner",
        r">>>[^\r\n]*Lint for |Lint failed!",
        r"^(?:>>> Lint for (?P<path>\S+?):|(?P<failed>Lint failed!))$",
        before=2,
        after=40,
    ),
)


def _parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    findings: list[Finding] = []
    by_kind: dict[str, list[Hit]] = {}
    for hit in hits:
        if hit.match is not None:
            by_kind.setdefault(hit.rule.id.rsplit(".", 1)[1], []).append(hit)
    for kind in ("mypy", "pyright", "code", "ruff_arrow"):
        gap = 20 if kind == "ruff_arrow" else 3
        runs = group_hits(by_kind.get(kind, []), gap)
        findings.extend(_diagnostics(view, kind, run) for run in runs)
    findings.extend(_reformat(run) for run in group_hits(by_kind.get("reformat", []), 30))
    findings.extend(_lintrunner(view, by_kind.get("lintrunner", [])))
    return findings


def _diagnostics(view: LogView, kind: str, run: list[Hit]) -> Finding:
    first = run[0]
    assert first.match is not None
    tool, failure_type = _tool_of(view, kind, run)
    anchor = first.number - 1 if kind == "ruff_arrow" else first.number
    message = _message_of(view, kind, first)
    locations = tuple(
        dict.fromkeys(
            Location(h.match.group("path"), int(h.match.group("line"))) for h in run if h.match
        )
    )
    return Finding(
        tool=tool,
        failure_type=failure_type,
        sub_type=tool,
        message=message[:500],
        anchor=anchor,
        ranges=_block_ranges([h.number for h in run], anchor, kind == "ruff_arrow"),
        strength=Strength.CLEAR,
        locations=locations[:8],
        kind="error",
    )


def _tool_of(view: LogView, kind: str, run: list[Hit]) -> tuple[str, FailureType]:
    if kind in {"mypy", "pyright"}:
        return kind, FailureType.TYPE_CHECK
    if kind == "ruff_arrow":
        return "ruff", FailureType.LINT
    command = recent_command(view, run[0].number, limit=200) or ""
    named = _TOOL_IN_COMMAND.search(command)
    if named:
        tool = {"pep8": "pycodestyle"}.get(named.group(1), named.group(1))
        return tool, FailureType.LINT
    codes = [h.match.group("code") for h in run if h.match]
    if any(h.match and h.match.group("fix") for h in run) or any(
        not re.match(r"^[EWFCNBDTQ]\d{3}$|^[CRWEFI]\d{4}$", code) for code in codes
    ):
        return "ruff", FailureType.LINT
    if all(re.match(r"^[CRWEFI]\d{4}$", code) for code in codes):
        return "pylint", FailureType.LINT
    return "flake8", FailureType.LINT


def _message_of(view: LogView, kind: str, hit: Hit) -> str:
    assert hit.match is not None
    location = f"{hit.match.group('path')}:{hit.match.group('line')}"
    if kind == "ruff_arrow":
        return f"{location}: {(view.text(hit.number - 1) or '').strip()}"
    message = hit.match.group("message")
    if kind == "code":
        return f"{location}: {hit.match.group('code')} {message}"
    code = hit.match.groupdict().get("code")
    return f"{location}: error: {message}" + (f"  [{code}]" if code else "")


def _block_ranges(numbers: list[int], anchor: int, with_snippets: bool) -> tuple[LineRange, ...]:
    last = numbers[-1] + (8 if with_snippets else 0)
    if last - anchor < _MAX_BLOCK:
        return ((anchor, last),)
    ranges: list[LineRange] = [(anchor, anchor + _MAX_BLOCK // 2)]
    ranges.extend((n - 1 if with_snippets else n, n) for n in numbers[1:])
    return merge_ranges(ranges)[:_MAX_BLOCK]


def _reformat(run: list[Hit]) -> Finding:
    first = run[0]
    assert first.match is not None
    groups = first.match.groupdict()
    tool = "black" if groups["black"] else "ruff" if groups["ruff"] else "isort"
    paths = [
        next(
            p for p in (h.match.group("path"), h.match.group("rpath"), h.match.group("ipath")) if p
        )
        for h in run
        if h.match
    ]
    return Finding(
        tool=tool,
        failure_type=FailureType.LINT,
        sub_type=tool,
        message=f"{tool} would reformat {len(paths)} file(s): {', '.join(paths[:5])}"[:500],
        anchor=first.number,
        ranges=merge_ranges([(h.number, h.number) for h in run]),
        strength=Strength.CLEAR,
        locations=tuple(Location(path.strip()) for path in paths[:8]),
        kind="error",
    )


def _lintrunner(view: LogView, hits: list[Hit]) -> list[Finding]:
    """One finding per ``>>> Lint for`` block; the block just before ``Lint failed!``
    is the one that failed the job."""
    blocks = [h for h in hits if h.match and h.match.group("path")]
    verdicts = set()
    for failed in (h.number for h in hits if h.match and h.match.group("failed")):
        before = [h.number for h in blocks if h.number < failed]
        if before:
            verdicts.add(before[-1])
    findings: list[Finding] = []
    for index, hit in enumerate(blocks):
        assert hit.match is not None
        end = blocks[index + 1].number - 1 if index + 1 < len(blocks) else hit.number + 40
        detail = _lintrunner_detail(view, hit.number)
        clear = hit.number in verdicts or detail.startswith("Error")
        findings.append(
            Finding(
                tool="lintrunner",
                failure_type=FailureType.LINT,
                sub_type="lintrunner",
                message=f"{hit.match.group('path')}: {detail}"[:500],
                anchor=hit.number,
                ranges=((hit.number, min(hit.number + 12, end)),),
                strength=Strength.CLEAR if clear else Strength.PARTIAL,
                locations=(Location(hit.match.group("path")),),
                kind="error",
            )
        )
    return findings


def _lintrunner_detail(view: LogView, number: int) -> str:
    for _, text in view.span(number + 1, number + 6):
        stripped = text.strip()
        if re.match(r"^(?:Error|Warning|Advice) \(", stripped):
            return stripped
    return "lint problems"


PARSER = Parser(name="python_tools", rules=RULES, parse=_parse)
