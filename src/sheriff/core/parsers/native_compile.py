"""Compiler and linker errors of native toolchains: gcc, clang, MSVC, swiftc, GHC.

Compilers print ``path:line:col: error: message`` (MSVC: ``path(line): error C2065:``),
then the offending source with a caret and ``note:`` lines; ``In file included from``
and ``In function`` lines just above say where it came from. Linker errors
(``undefined reference to``) come in runs closed by ``collect2``/``ld returned 1``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Location, Strength
from sheriff.core.parsers.base import find_locations, follow, merge_ranges
from sheriff.core.scan import Hit

MESSAGE_LIMIT = 500
MAX_DIAGNOSTICS = 30
AFTER_CAP = 25
LINK_GAP = 3

_EXT = (
    r"c|cc|cp|cpp|cxx|c\+\+|C|h|hh|hpp|hxx|h\+\+|inl|ipp|tcc|tpp|m|mm|M|cu|cuh|hip|swift"
    r"|hs|lhs|hsc|chs|f|for|f90|f95|f03|F|F90|s|S|asm|ino|pde|metal|cl|zig"
)
COMPILER_TRIGGER = (
    rf"\.(?:{_EXT})(?::[0-9]+(?:-[0-9]+)?){{1,2}}:(?:\x1b\[[0-9;]*m| )*(?:fatal error|error)"
    rf"|\.(?:{_EXT}):\([0-9]+,[0-9]+\)-\([0-9]+,[0-9]+\): (?:\x1b\[[0-9;]*m)*error"
    r"|\) ?: (?:fatal )?error C[0-9]{4}|: (?:fatal )?error C[0-9]{4}:"
    r"|❌ |internal compiler error: "
    r"|(?:gcc|g\+\+|cc|c\+\+|clang|clang\+\+|cc1|cc1plus|cl|swiftc)(?:-[0-9.]+)?: "
    r"(?:fatal )?error: "
)
COMPILER_LINE = (
    rf"(?<![^\s:()❌])(?P<path>(?:[A-Za-z]:)?[^\s:()❌]*?\.(?:{_EXT}))"
    r"(?::(?P<line>\d+)(?:-\d+)?(?::(?P<col>\d+)(?:-\d+)?)?|:\((?P<gline>\d+),\d+\)-\(\d+,\d+\)"
    r"|\((?P<mline>\d+)(?:,\d+)?\))"
    r"\s*:\s*(?:(?P<fatal>fatal |internal compiler )?error(?: (?P<code>C\d{4}))?"
    r"|(?P<bare>(?=[^\s]))):?\s*(?P<msg>.*)$"
    r"|^(?P<driver>gcc|g\+\+|cc|c\+\+|clang|clang\+\+|cc1|cc1plus|cl|swiftc)(?:-[\d.]+)?: "
    r"(?:fatal |internal compiler )?error: (?P<dmsg>.*)$"
)
LINKER_TRIGGER = (
    r"undefined reference to|undefined symbol|Undefined symbols for architecture"
    r"|ld returned [0-9]+ exit status|linker command failed|symbol\(s\) not found"
    r"|ld: cannot find -l|ld: library not found|multiple definition of|error LNK[0-9]{4}"
    r"|unresolved external symbol|relocation .* against"
)
LINKER_LINE = (
    r"undefined reference to|undefined symbol|Undefined symbols for architecture"
    r"|ld returned \d+ exit status|linker command failed|symbol\(s\) not found"
    r"|ld: cannot find -l|ld: library not found|multiple definition of|error LNK\d{4}"
    r"|unresolved external symbol|relocation .* against .* can not be used"
)

_CONTEXT_ABOVE = lazy_compile(
    r"^(?:In file included from |\s+from \S+:\d+[:,]|\S+: (?:In |At top level)"
    r"|\S+:\d+:\d+:\s+required from|\S+: In instantiation of)"
)
_NEXT_DIAGNOSTIC = lazy_compile(r"(?:^|\s)(?:fatal )?(?:error|warning)(?: C\d{4})?:")
_INCLUDE_CHAIN = lazy_compile(r"^In file included from |^\s+from \S+:\d+[:,]")
_NOTE = lazy_compile(r"^\S+:\d+(?::\d+)?: (?:note|required from|  )|^\S+\(\d+\): note:")
_SCRATCH = lazy_compile(r"CMakeTmp|CMakeScratch|conftest|TryCompile|try_compile|/tmp/cc\w+\.")
_LINK_SUMMARY = lazy_compile(r"ld returned \d+ exit status|linker command failed")
_LINK_CONTEXT = lazy_compile(
    r"[Ii]n function [`'‘]|: in function |referenced from:|^\s+\"\S+\", referenced"
)
_GHC_PROGRESS = lazy_compile(r"^\[\s*\d+ of \d+\] Compiling ")
_XCPRETTY = lazy_compile(r"❌\s+(?P<rest>.*)$")


def compiler_findings(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    """One finding per compiler error (at most ``MAX_DIAGNOSTICS``)."""
    findings: list[Finding] = []
    for hit in hits:
        finding = _compiler_finding(view, hit)
        if finding is not None:
            findings.append(finding)
            if len(findings) >= MAX_DIAGNOSTICS:
                break
    return findings


def linker_findings(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    """One finding per run of linker errors, ending at its ``ld returned 1`` line."""
    runs: list[list[Hit]] = []
    for hit in hits:
        if runs and hit.number - runs[-1][-1].number <= LINK_GAP:
            runs[-1].append(hit)
        else:
            runs.append([hit])
    return [_linker_finding(view, run) for run in runs]


def _compiler_finding(view: LogView, hit: Hit) -> Finding | None:
    match = hit.match
    if match is None:
        return None
    if match.group("driver"):
        return _driver_finding(hit, match.group("dmsg"))
    xcpretty = _XCPRETTY.search(hit.text)
    if match.group("bare") is not None and not xcpretty:
        return None  # "path:line: something" without the word error: not a diagnostic
    path = match.group("path")
    if _SCRATCH.search(path) or " Violation: " in hit.text:
        return None  # configure/CMake probes; SwiftLint (a linter that looks like swiftc)
    if "internal compiler error: Killed" in hit.text:
        return _driver_finding(hit, hit.text)
    line = match.group("line") or match.group("gline") or match.group("mline")
    message = xcpretty.group("rest").strip() if xcpretty else hit.text.strip()
    detail = None if match.group("msg").strip() else _detail_below(view, hit.number)
    if detail is not None:
        message = f"{message} {(view.text(detail) or '').strip()}"
    block = (
        _context_start(view, hit.number),
        min(_block_end(view, hit.number), hit.number + AFTER_CAP),
    )
    return Finding(
        tool=_tool_for(path),
        failure_type=FailureType.BUILD,
        sub_type="compile",
        message=message[:MESSAGE_LIMIT],
        anchor=hit.number,
        ranges=merge_ranges([block] + ([(detail, detail)] if detail is not None else [])),
        strength=Strength.CLEAR,
        locations=(Location(path, int(line) if line else None),),
        kind="error",
    )


def _driver_finding(hit: Hit, message: str) -> Finding | None:
    if _LINK_SUMMARY.search(message):
        return None  # the linker reader owns "linker command failed"
    killed = any(word in hit.text for word in ("Killed signal", "error: Killed", "out of memory"))
    return Finding(
        tool="compiler",
        failure_type=FailureType.INFRASTRUCTURE if killed else FailureType.BUILD,
        sub_type="oom" if killed else "compile",
        message=hit.text.strip()[:MESSAGE_LIMIT],
        anchor=hit.number,
        ranges=((hit.number, hit.number),),
        strength=Strength.CLEAR if killed else Strength.PARTIAL,
        kind="error",
    )


def _tool_for(path: str) -> str:
    suffix = path.rsplit(".", 1)[-1]
    if suffix == "swift":
        return "swiftc"
    if suffix in {"hs", "lhs", "hsc", "chs"}:
        return "ghc"
    return "compiler"


def _context_start(view: LogView, number: int) -> int:
    first = number
    for previous in range(number - 1, max(number - 9, 0), -1):
        if not _CONTEXT_ABOVE.match(view.text(previous) or ""):
            break
        first = previous
    return first


def _block_end(view: LogView, number: int) -> int:
    def keep(text: str) -> bool:
        if _NOTE.match(text) or _INCLUDE_CHAIN.match(text):
            return True
        if _NEXT_DIAGNOSTIC.search(text) or _GHC_PROGRESS.match(text):
            return False
        return text[:1] in {" ", "\t"} or bool(re.match(r"^\d+\s*\|", text))

    return follow(view, number, keep, limit=60, skip_blank=1)


def _detail_below(view: LogView, number: int) -> int | None:
    """GHC puts the message on the next indented line, sometimes after progress lines."""
    for following, text in view.span(number + 1, number + 6):
        if text[:1] in {" ", "\t"} and text.strip():
            return following
        if text.strip() and not _GHC_PROGRESS.match(text):
            return None
    return None


def _linker_finding(view: LogView, run: list[Hit]) -> Finding:
    first = run[0].number
    previous = view.text(first - 1) or ""
    if _LINK_CONTEXT.search(previous):
        first -= 1
    last = run[-1].number
    details = [hit for hit in run if not _LINK_SUMMARY.search(hit.text)]
    locations: list[Location] = []
    for hit in details:
        locations.extend(loc for loc in find_locations(hit.text) if loc not in locations)
    message_hit = details[0] if details else run[0]
    return Finding(
        tool="ld",
        failure_type=FailureType.BUILD,
        sub_type="linker",
        message=message_hit.text.strip()[:MESSAGE_LIMIT],
        anchor=run[0].number,
        ranges=((first, last),),
        strength=Strength.CLEAR if details else Strength.PARTIAL,
        locations=tuple(locations[:8]),
        kind="error" if details else "summary",
    )
