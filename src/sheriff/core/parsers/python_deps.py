"""Python dependency installation: pip, conda/mamba, uv and poetry failures.

A package or version that does not exist, a resolution conflict or a wheel that fails
to build is a dependency failure; a download that fails with an explicit network error
is an infrastructure failure (``network``), as the failure taxonomy says.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, LineRange, Strength
from sheriff.core.parsers.base import Parser, follow, merge_ranges, rule
from sheriff.core.parsers.js_commands import group_hits
from sheriff.core.scan import Hit

_NETWORK = lazy_compile(
    r"dns error|Name or service not known|Temporary failure in name resolution"
    r"|nodename nor servname|getaddrinfo|Connection (?:refused|reset|aborted)"
    r"|ConnectTimeout|ReadTimeout|timed out|NewConnectionError|CONNECTION FAILED"
    r"|client error \(Connect\)|Network is unreachable|SSLError|EOF occurred",
    re.I,
)
_ENVIRONMENT = (
    (_NETWORK, FailureType.INFRASTRUCTURE, "network"),
    (lazy_compile("No space left"), FailureType.INFRASTRUCTURE, "disk_full"),
    (lazy_compile("Permission denied"), FailureType.CONFIG, "permission"),
)
_ERROR_WORD = lazy_compile(r"\b(?:error|Error|ERROR|fatal|FAILED|failed)\b")

RULES = (
    rule(
        "python_deps.pip_missing",
        r"Could not find a version that satisfies|No matching distribution found"
        r"|requires a different Python|Could not open requirements file",
        r"(?:ERROR: )?(?P<what>Could not find a version that satisfies the requirement"
        r"|No matching distribution found for|Package '[^']+' requires a different Python"
        r"|Could not open requirements file)(?P<rest>.*)$",
        before=10,
        after=10,
    ),
    rule(
        "python_deps.pip_conflict",
        r"ResolutionImpossible|have conflicting dependencies|version solving failed"
        r"|SolverProblemError|No solution found when resolving",
        r"(?P<what>ResolutionImpossible|Cannot install .* have conflicting dependencies"
        r"|version solving failed|SolverProblemError|No solution found when resolving)",
        before=10,
        after=20,
    ),
    rule(
        "python_deps.wheel",
        r"Failed building wheel for|Could not build wheels for|Failed to build installable",
        r"(?:ERROR: )?(?P<what>Failed building wheel for|Could not build wheels for"
        r"|Failed to build installable wheels)\s*(?P<rest>.*)$",
        before=80,
        after=6,
    ),
    rule(
        "python_deps.pip_install_error",
        r"Could not install packages due to an",
        r"ERROR: Could not install packages due to an (?P<rest>.*)$",
        before=5,
        after=8,
    ),
    rule(
        "python_deps.conda",
        r"PackagesNotFoundError|UnsatisfiableError|ResolvePackageNotFound|CondaHTTPError"
        r"|LibMambaUnsatisfiableError|nothing provides",
        r"^(?P<what>PackagesNotFoundError|UnsatisfiableError|ResolvePackageNotFound"
        r"|CondaHTTPError|LibMambaUnsatisfiableError|[\w.]*: nothing provides|nothing provides)"
        r"(?P<rest>.*)$",
        before=5,
        after=25,
    ),
    rule(
        "python_deps.uv",
        r"error: (?:Failed to (?:download|fetch|prepare|resolve)|Error while fetching"
        r"|Request failed)",
        r"^error: (?P<what>Failed to (?:download|fetch|prepare|resolve)|Error while fetching"
        r"|Request failed)(?P<rest>.*)$",
        before=5,
        after=10,
    ),
)


def _parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    findings: list[Finding] = []
    for run in group_hits([h for h in hits if h.match is not None], gap=12):
        found = _finding(view, run)
        if found is not None:
            findings.append(found)
    return findings


def _finding(view: LogView, run: list[Hit]) -> Finding | None:
    first = run[0]
    kind = first.rule.id.rsplit(".", 1)[1]
    last = follow(view, run[-1].number, lambda text: True, limit=12, skip_blank=1)
    block = " ".join(text for _, text in view.span(first.number, last))
    failure_type, sub_type = _type_of(kind, first.text, block)
    ranges: list[LineRange] = [(first.number, last)]
    message = _message(view, first, last)
    if kind == "wheel":
        build_errors = _build_error_lines(view, first.number)
        ranges.extend(build_errors)
        causes = [view.text(start) or "" for start, _ in build_errors[:1]]
        message = "\n".join([first.text.strip(), *(c.strip() for c in causes)])
    strength = Strength.CLEAR
    if kind == "uv" and failure_type is FailureType.DEPENDENCY and "Failed to download" in block:
        strength = Strength.PARTIAL
    return Finding(
        tool=_tool(kind),
        failure_type=failure_type,
        sub_type=sub_type,
        message=message[:500],
        anchor=first.number,
        ranges=merge_ranges(ranges),
        strength=strength,
        kind="error",
    )


def _tool(kind: str) -> str:
    return {"conda": "conda", "uv": "uv"}.get(kind, "pip")


def _type_of(kind: str, text: str, block: str) -> tuple[FailureType, str]:
    if kind in {"pip_install_error", "uv"} or "CondaHTTPError" in text:
        for pattern, failure_type, sub_type in _ENVIRONMENT:
            if pattern.search(block):
                return failure_type, sub_type
    return _resolver_type(kind, text)


def _resolver_type(kind: str, text: str) -> tuple[FailureType, str]:
    if "Could not open requirements file" in text:
        return FailureType.CONFIG, "ci_script"
    if kind == "conda" or "nothing provides" in text:
        return FailureType.DEPENDENCY, "conda"
    if kind == "uv" or "No solution found" in text:
        return FailureType.DEPENDENCY, "uv"
    if "version solving failed" in text or "SolverProblemError" in text:
        return FailureType.DEPENDENCY, "poetry"
    if kind == "pip_conflict":
        return FailureType.DEPENDENCY, "version_conflict"
    return FailureType.DEPENDENCY, "pip"


def _message(view: LogView, first: Hit, last: int) -> str:
    lines = [text.strip() for _, text in view.span(first.number, last) if text.strip()]
    return "\n".join(line for line in lines[:4] if not line.startswith(("[notice]", "+ ")))


def _build_error_lines(view: LogView, anchor: int) -> list[LineRange]:
    """The error lines of the build output a failed wheel printed above its verdict."""
    found: list[LineRange] = []
    for number, text in view.span(anchor - 80, anchor - 1):
        if _ERROR_WORD.search(text) and "warning" not in text.lower():
            found.append((number, min(number + 2, anchor - 1)))
    return found[-8:]


PARSER = Parser(name="python_deps", rules=RULES, parse=_parse)
