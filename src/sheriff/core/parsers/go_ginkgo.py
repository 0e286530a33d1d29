"""Ginkgo (v1 and v2) spec failures, the BDD runner many Go projects use.

A failure is a block opened by ``• Failure [0.1 seconds]`` (v1; ``•! Panic``,
``•... Timeout``) or ``• [FAILED] [0.1 seconds]`` (v2) and closed by a dashed line. The
spec is named as Ginkgo's summary prints it: the container texts, then the failing node
as ``[It] text`` (``Calculator [It] adds numbers``). ``Summarizing N Failures`` repeats
them; the ``--- FAIL: TestSuite`` line of the go test wrapper says nothing more.
"""

from __future__ import annotations

from collections.abc import Sequence

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Location, Strength, TestIdentity
from sheriff.core.parsers.base import find_locations, follow
from sheriff.core.scan import Hit

FRAMEWORK = "ginkgo"
MESSAGE_LIMIT = 500
BLOCK_CAP = 40
SUMMARY_REACH = 400
SUMMARY_START = r"Summarizing [0-9]+ Failures?:"

BLOCK_TRIGGER = (
    r"• ?Failure|•! Panic|•\.\.\. Timeout|• \[(?:FAILED|PANICKED|TIMEDOUT|INTERRUPTED)\]"
)
BLOCK_LINE = (
    r"^•(?:!|\.\.\.)? ?(?:(?P<v1>Failure|Panic|Timeout)(?: in [^\[]+)?"
    r"|\[(?P<v2>FAILED|PANICKED|TIMEDOUT|INTERRUPTED)\]) \[[\d.]+ seconds\]"
)
SUMMARY_TRIGGER = r"\[(?:Fail|Panic!|Timeout\.\.\.|FAIL|PANICKED|TIMEDOUT)\] "
SUMMARY_LINE = (
    r"^\s*\[(?P<verdict>Fail|Panic!|Timeout\.\.\.|FAIL|PANICKED|TIMEDOUT)\] (?P<name>.*\S)"
)

_END = lazy_compile(r"^-{10,}\s*$")
_LOCATION_ONLY = lazy_compile(r"^\s*\S+:\d+\s*$")
_FAILED_NODE = lazy_compile(
    r"^(?P<text>.*\S) \[(?P<node>It|BeforeEach|JustBeforeEach|AfterEach|JustAfterEach"
    r"|BeforeSuite|AfterSuite|Measurement|DeferCleanup|BeforeAll|AfterAll)\]$"
)
_V2_PREFIX = lazy_compile(r"^\[(?:FAILED|PANICKED|TIMEDOUT|INTERRUPTED)\]\s*")
_IN_AT = lazy_compile(r"^In \[\w+\] at: (?P<loc>\S+:\d+)")


def ginkgo_findings(
    view: LogView, blocks: Sequence[Hit], summaries: Sequence[Hit], starts: Sequence[Hit]
) -> list[Finding]:
    """Spec failure blocks, and the names listed after ``Summarizing N Failures``."""
    findings = [_block_finding(view, hit) for hit in blocks]
    opened = [hit.number for hit in starts]
    findings.extend(
        _summary_finding(hit)
        for hit in summaries
        if any(start < hit.number <= start + SUMMARY_REACH for start in opened)
    )
    return findings


def _block_finding(view: LogView, hit: Hit) -> Finding:
    end = follow(view, hit.number, lambda text: not _END.match(text), limit=300, skip_blank=3)
    lines = [text for _, text in view.span(hit.number + 1, end)]
    name, rest = _spec_name(lines)
    message = _message(rest)
    verdict = (hit.match.group("v1") or hit.match.group("v2") or "") if hit.match else ""
    return Finding(
        tool=FRAMEWORK,
        failure_type=FailureType.TEST,
        sub_type=_sub_type(verdict),
        message=message or hit.text.strip(),
        anchor=hit.number,
        ranges=((hit.number, min(end, hit.number + BLOCK_CAP)),),
        strength=Strength.CLEAR,
        test=TestIdentity(FRAMEWORK, None, name) if name else None,
        locations=_locations(rest),
        has_stack_trace="Full Stack Trace" in " ".join(rest),
        kind="test",
    )


def _spec_name(lines: list[str]) -> tuple[str, list[str]]:
    """The spec name from the component lines, and the lines that follow them."""
    parts: list[str] = []
    for index, text in enumerate(lines):
        if not text.strip():
            return " ".join(parts), lines[index + 1 :]
        if _LOCATION_ONLY.match(text):
            continue
        failed = _FAILED_NODE.match(text.strip())
        parts.append(f"[{failed['node']}] {failed['text']}" if failed else text.strip())
    return " ".join(parts), []


def _message(lines: list[str]) -> str:
    kept: list[str] = []
    for text in lines:
        stripped = _V2_PREFIX.sub("", text.strip())
        if (
            _LOCATION_ONLY.match(stripped)
            or _IN_AT.match(stripped)
            or stripped == "Full Stack Trace"
        ):
            if kept:
                break
            continue
        if stripped:
            kept.append(stripped)
    return "\n".join(kept[:6])[:MESSAGE_LIMIT]


def _locations(lines: list[str]) -> tuple[Location, ...]:
    found: list[Location] = []
    for text in lines:
        stripped = text.strip()
        at = _IN_AT.match(stripped)
        candidates = find_locations(at.group("loc") if at else stripped)
        if at or _LOCATION_ONLY.match(stripped):
            found.extend(loc for loc in candidates if loc not in found)
    return tuple(found[:8])


def _sub_type(verdict: str) -> str:
    if verdict in {"Panic", "PANICKED"}:
        return "panic"
    if verdict in {"Timeout", "TIMEDOUT", "INTERRUPTED"}:
        return "timeout"
    return "assertion"


def _summary_finding(hit: Hit) -> Finding:
    name = hit.match.group("name") if hit.match else hit.text.strip()
    return Finding(
        tool=FRAMEWORK,
        failure_type=FailureType.TEST,
        sub_type="assertion",
        message=hit.text.strip()[:MESSAGE_LIMIT],
        anchor=hit.number,
        ranges=((hit.number, hit.number + 1),),
        strength=Strength.PARTIAL,
        test=TestIdentity(FRAMEWORK, None, name),
        kind="summary",
    )
