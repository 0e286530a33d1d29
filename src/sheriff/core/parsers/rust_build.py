"""Rust build errors: rustc and clippy diagnostics, cargo errors and rustfmt diffs.

A rustc diagnostic is ``error[E0425]: message`` (or ``error: message``) followed by
`` --> src/x.rs:12:5`` and the annotated source. Clippy speaks the same format and says
so in its notes (``#[deny(clippy::...)]``, a rust-clippy link). Cargo's own errors
(resolution, download, build scripts) carry ``Caused by:`` chains.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Location, Strength
from sheriff.core.parsers.base import follow
from sheriff.core.scan import Hit

MESSAGE_LIMIT = 500
MAX_DIAGNOSTICS = 30
BLOCK_CAP = 40

CODE_LINE = r"^error\[(?P<code>E\d{4})\]: (?P<msg>.+)$"
SPAN_LINE = r"^\s*--> (?P<path>.+?\.rs):(?P<line>\d+):(?P<col>\d+)"
CARGO_LINE = r"^error: (?P<msg>.+)$"
RUSTFMT_LINE = r"^Diff in (?P<path>\S+\.rs)(?: at line |:)(?P<line>\d+):?"
CARGO_TRIGGER = (
    r"could not compile|Could not compile|failed to select a version|no matching package named"
    r"|failed to download|as a dependency of package|failed to load source for|failed to fetch"
    r"|failed to run custom build command|failed to parse manifest|failed to verify|linking with"
    r"|needs to be updated but --locked|failed to update registry|failed to resolve patches"
    r"|failed to parse lock file|package collision|cyclic package dependency"
)

_HEADER = lazy_compile(r"^(?P<level>error|warning)(?:\[(?P<code>[A-Z]+\d+)\])?: (?P<msg>.+)$")
_DIAGNOSTIC_BODY = lazy_compile(r"^\s|^\d+\s*[|:]|^(?:help|note|suggestion): |^\.\.\.")
_CLIPPY = lazy_compile(r"clippy::|rust-clippy|#\[deny\(clippy")
_CAUSE_BODY = lazy_compile(
    r"^\s|^Caused by:|^(?:help|note): |^location searched:|^required by package|^As a reminder"
    r"|^perhaps you meant:|^candidate versions found|^versions that meet the requirements"
    r"|^the package `|^all possible versions conflict|^previously selected package"
    r"|^failed to select a version|^\.\.\. which satisfies|^\s*\.\.\. which"
)
_NETWORK = lazy_compile(
    r"(?:Could not|Couldn't) resolve host|Couldn't connect to server|Timeout was reached"
    r"|Connection (?:refused|reset|timed out)|connection (?:refused|reset|closed)"
    r"|Operation timed out|network is unreachable|dial tcp|i/o timeout|TLS handshake timeout"
    r"|Temporary failure in name resolution|failed to connect",
    re.IGNORECASE,
)
_SUMMARY = lazy_compile(r"^(?:could not compile|Could not compile|build failed)")
# "(B" is what is left of the ESC ( B that tput puts before colour resets.
_DIFF_BODY = lazy_compile(r"^(?:\(B)?(?:[-+ ]|Diff in |\s*$)")


@dataclass(frozen=True, slots=True)
class _Kind:
    failure_type: FailureType
    sub_type: str
    tool: str
    strength: Strength = Strength.CLEAR
    kind: str = "error"


def diagnostic_findings(view: LogView, codes: Sequence[Hit], spans: Sequence[Hit]) -> list[Finding]:
    """One finding per rustc/clippy error diagnostic (warnings are skipped)."""
    headers = {hit.number for hit in codes}
    for hit in spans:
        header = _header_above(view, hit.number)
        if header is not None:
            headers.add(header)
    findings: list[Finding] = []
    for number in sorted(headers)[:MAX_DIAGNOSTICS]:
        finding = _diagnostic(view, number)
        if finding is not None:
            findings.append(finding)
    return findings


def cargo_findings(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    """Cargo's own errors: dependency resolution and download, build scripts, linking."""
    findings = []
    for hit in hits:
        kind = _cargo_kind(view, hit)
        if kind is None:
            continue
        end = follow(view, hit.number, lambda text: bool(_CAUSE_BODY.match(text)), limit=60)
        findings.append(
            Finding(
                tool=kind.tool,
                failure_type=kind.failure_type,
                sub_type=kind.sub_type,
                message=_cargo_message(view, hit.number, end),
                anchor=hit.number,
                ranges=((hit.number, min(end, hit.number + BLOCK_CAP)),),
                strength=kind.strength,
                kind=kind.kind,
            )
        )
    return findings


def rustfmt_findings(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    """``cargo fmt --check`` diffs: the code is not formatted."""
    findings: list[Finding] = []
    end = 0
    for hit in hits:
        if hit.number <= end:
            continue
        end = follow(view, hit.number, lambda text: bool(_DIFF_BODY.match(text)), limit=400)
        locations = [
            Location(m.group("path"), int(m.group("line")))
            for _, text in view.span(hit.number, end)
            if (m := re.match(RUSTFMT_LINE, text))
        ]
        findings.append(
            Finding(
                tool="rustfmt",
                failure_type=FailureType.LINT,
                sub_type="rustfmt",
                message=hit.text.strip()[:MESSAGE_LIMIT],
                anchor=hit.number,
                ranges=((hit.number, min(end, hit.number + BLOCK_CAP)),),
                locations=tuple(dict.fromkeys(locations))[:8],
            )
        )
    return findings


def _header_above(view: LogView, span_line: int) -> int | None:
    for number in range(span_line - 1, max(span_line - 4, 0), -1):
        text = view.text(number)
        if text is None:
            return None
        if _HEADER.match(text):
            return number
        if text.strip():
            return None
    return None


def _diagnostic(view: LogView, number: int) -> Finding | None:
    header = _HEADER.match(view.text(number) or "")
    if header is None or header.group("level") != "error":
        return None
    end = follow(view, number, lambda text: bool(_DIAGNOSTIC_BODY.match(text)), limit=60)
    body = [text for _, text in view.span(number, end)]
    if not any(re.match(SPAN_LINE, text) for text in body) and not header.group("code"):
        return None  # a bare "error: ..." line is cargo's or another tool's
    clippy = any(_CLIPPY.search(text) for text in body)
    locations = [
        Location(m.group("path"), int(m.group("line")))
        for text in body
        if (m := re.match(SPAN_LINE, text))
    ]
    return Finding(
        tool="clippy" if clippy else "rustc",
        failure_type=FailureType.LINT if clippy else FailureType.BUILD,
        sub_type="clippy" if clippy else "compile",
        message=_diagnostic_message(header),
        anchor=number,
        ranges=((number, min(end, number + BLOCK_CAP)),),
        locations=tuple(dict.fromkeys(locations))[:8],
    )


def _diagnostic_message(header: re.Match[str]) -> str:
    code = header.group("code")
    prefix = f"error[{code}]" if code else "error"
    return f"{prefix}: {header.group('msg').strip()}"[:MESSAGE_LIMIT]


_CARGO_KINDS = (
    ("custom build command", _Kind(FailureType.BUILD, "build_script", "cargo")),
    ("linking with", _Kind(FailureType.BUILD, "linker", "cargo")),
    ("failed to parse manifest", _Kind(FailureType.CONFIG, "cargo_manifest", "cargo")),
)


def _cargo_kind(view: LogView, hit: Hit) -> _Kind | None:
    message = hit.match.group("msg") if hit.match else hit.text
    if _SUMMARY.match(message):
        return _Kind(FailureType.BUILD, "compile", "cargo", Strength.PARTIAL, "summary")
    if not re.search(CARGO_TRIGGER, message):
        return None
    for phrase, kind in _CARGO_KINDS:
        if phrase in message:
            return kind
    end = follow(view, hit.number, lambda text: bool(_CAUSE_BODY.match(text)), limit=60)
    if any(_NETWORK.search(text) for _, text in view.span(hit.number, end)):
        return _Kind(FailureType.INFRASTRUCTURE, "network", "cargo")
    return _Kind(FailureType.DEPENDENCY, "cargo", "cargo")


def _cargo_message(view: LogView, first: int, end: int) -> str:
    """The error line and its deepest cause, which usually says what really went wrong."""
    head = (view.text(first) or "").strip()
    causes: list[str] = []
    in_cause = False
    for _, text in view.span(first + 1, end):
        if text.startswith("Caused by:"):
            in_cause = True
        elif in_cause and text.strip():
            causes.append(text.strip())
    return (f"{head}\n{causes[-1]}" if causes else head)[:MESSAGE_LIMIT]
