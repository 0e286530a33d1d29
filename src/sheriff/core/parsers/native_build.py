"""Native build systems: CMake configure errors, ninja ``FAILED:`` targets, xcodebuild.

A CMake error is ``CMake Error at file:line (command):`` followed by an indented message
and a ``Call Stack``. A package CMake cannot find (``Could NOT find X``, a missing
``XConfig.cmake``, too old a version) is a dependency failure; a broken invocation is a
configuration failure; anything else in the CMake files is a build failure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Location, Strength
from sheriff.core.parsers.base import find_locations, follow, summary_lines
from sheriff.core.scan import Hit

MESSAGE_LIMIT = 500
BLOCK_CAP = 40

CMAKE_LINE = (
    r"^CMake Error(?: at (?P<path>[^\s:]+):(?P<line>\d+) \((?P<command>\w+)\)| in (?P<in>\S+?))?:"
    r"\s*(?P<msg>.*)$"
    r"|^-- Configuring incomplete, errors occurred!"
)
NINJA_LINE = r"^FAILED: (?:\[code=\d+\] )?(?P<target>\S*[/.]\S*)"
XCODE_LINE = r"^\*\* (?P<action>BUILD|ARCHIVE|ANALYZE) FAILED \*\*"
CONFIGURE_LINE = r"^(?:\S*/)?configure: error: (?P<msg>.+)$"
HASKELL_DEPS_TRIGGER = (
    r"Could not resolve dependencies|While constructing the build plan"
    r"|Couldn't establish HTTP connection|HttpExceptionRequest"
)
HASKELL_DEPS_LINE = (
    r"^(?P<tool>cabal|stack|Error)(?:\.exe)?: (?:Could not resolve dependencies"
    r"|While constructing the build plan|Couldn't establish HTTP connection|.*HttpExceptionRequest)"
    r"|^(?:Error: )?While constructing the build plan"
)

_CONFIGURE_BODY = lazy_compile(r"^\s|^See [`']config\.log'|^(?:[A-Za-z_]+=|Alternatively, )")
_DEPENDENCY_BODY = lazy_compile(
    r"^\s|^(?:rejecting|trying|next goal|After searching|In the|Some |server is down)"
)
_CMAKE_BODY = lazy_compile(r"^\s|^Call Stack \(most recent call first\):")
_DEPENDENCY = lazy_compile(
    r"Could NOT find|Could not find (?:a )?(?:package|module|library|toolchain)|By not providing"
    r" \"Find|Unable to find the requested|No package '[^']+' found|A required package was not"
    r" found|(?:is )?too old|requested version|version .* (?:is )?required|find_package"
    r"|pkg_check_modules|Could not find .*(?:Config|-config)\.cmake|not found\. Please install",
    re.IGNORECASE,
)
_MISSING = lazy_compile(
    r"not found|cannot find|could not find|is required|are required|requirements .* not met"
    r"|no .* found|missing|not installed|unable to find|please install",
    re.IGNORECASE,
)
_CONFIG = lazy_compile(
    r"The source directory .* does not|does not appear to contain CMakeLists\.txt"
    r"|Could not create named generator|could not load cache|Invalid value|CMakeCache\.txt"
    r" directory|Unknown argument|The CMAKE_\w+_COMPILER:?\s*$|is not a full path to an existing"
    r"|No CMAKE_\w+_COMPILER could be found"
)


def cmake_findings(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    findings = []
    for hit in hits:
        if hit.text.startswith("--"):
            findings.append(_cmake_summary(hit))
            continue
        end = follow(view, hit.number, lambda text: bool(_CMAKE_BODY.match(text)), limit=80)
        body = [text for _, text in view.span(hit.number, end)]
        failure_type = _cmake_type(body)
        findings.append(
            Finding(
                tool="cmake",
                failure_type=failure_type,
                sub_type="cmake",
                message=_cmake_message(body),
                anchor=hit.number,
                ranges=((hit.number, min(end, hit.number + BLOCK_CAP)),),
                locations=_cmake_locations(hit),
                kind="error",
            )
        )
    return findings


def configure_findings(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    """``configure: error:``: a missing library is a dependency, anything else config."""
    findings = []
    for hit in hits:
        end = follow(view, hit.number, lambda text: bool(_CONFIGURE_BODY.match(text)), limit=20)
        body = " ".join(text.strip() for _, text in view.span(hit.number, end))
        missing = _DEPENDENCY.search(body) or _MISSING.search(body)
        findings.append(
            Finding(
                tool="configure",
                failure_type=FailureType.DEPENDENCY if missing else FailureType.CONFIG,
                sub_type="configure",
                message=hit.text.strip()[:MESSAGE_LIMIT],
                anchor=hit.number,
                ranges=((hit.number, min(end, hit.number + BLOCK_CAP)),),
                kind="error",
            )
        )
    return findings


def haskell_dependency_findings(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    """cabal and stack failing to find a build plan, or to reach Hackage."""
    findings = []
    for hit in hits:
        end = follow(view, hit.number, lambda text: bool(_DEPENDENCY_BODY.match(text)), limit=80)
        tool = "stack" if "build plan" in hit.text or "stack" in hit.text else "cabal"
        network = "HTTP connection" in hit.text or "HttpException" in hit.text
        findings.append(
            Finding(
                tool=tool,
                failure_type=FailureType.INFRASTRUCTURE if network else FailureType.DEPENDENCY,
                sub_type="network" if network else tool,
                message=" ".join(t.strip() for _, t in view.span(hit.number, hit.number + 2)),
                anchor=hit.number,
                ranges=((hit.number, min(end, hit.number + BLOCK_CAP)),),
                kind="error",
            )
        )
    return findings


def ninja_findings(hits: Sequence[Hit]) -> list[Finding]:
    """``FAILED: target``: which target broke; the compiler's own lines say why."""
    return [
        Finding(
            tool="ninja",
            failure_type=FailureType.BUILD,
            sub_type="compile",
            message=hit.text.strip()[:MESSAGE_LIMIT],
            anchor=hit.number,
            ranges=((hit.number, hit.number + 1),),
            strength=Strength.PARTIAL,
            kind="summary",
        )
        for hit in hits
    ]


def xcode_findings(hits: Sequence[Hit]) -> list[Finding]:
    return summary_lines(hits, "xcodebuild", FailureType.BUILD, "compile")


def _cmake_type(body: list[str]) -> FailureType:
    text = " ".join(line.strip() for line in body)
    if _DEPENDENCY.search(text):
        return FailureType.DEPENDENCY
    if _CONFIG.search(text):
        return FailureType.CONFIG
    return FailureType.BUILD


def _cmake_message(body: list[str]) -> str:
    """The header and the first lines of the indented message (before the call stack)."""
    lines = [body[0].strip()] if body else []
    for text in body[1:]:
        if text.startswith("Call Stack"):
            break
        if text.strip():
            lines.append(text.strip())
        if len(lines) >= 4:
            break
    return " ".join(lines)[:MESSAGE_LIMIT]


def _cmake_locations(hit: Hit) -> tuple[Location, ...]:
    if hit.match is not None and hit.match.group("path"):
        return (Location(hit.match.group("path"), int(hit.match.group("line"))),)
    return tuple(find_locations(hit.text)[:1])


def _cmake_summary(hit: Hit) -> Finding:
    return Finding(
        tool="cmake",
        failure_type=FailureType.BUILD,
        sub_type="cmake",
        message=hit.text.strip(),
        anchor=hit.number,
        ranges=((hit.number, hit.number),),
        strength=Strength.PARTIAL,
        kind="summary",
    )
