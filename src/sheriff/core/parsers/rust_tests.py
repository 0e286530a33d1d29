"""Failing Rust tests: libtest (``cargo test``) and cargo-nextest.

libtest prints ``test x ... FAILED`` while running, then a ``---- x stdout ----`` section
per failure holding the panic (``thread 'x' panicked at src/lib.rs:1:2:`` and its
message, or the older ``panicked at 'message', src/lib.rs:1:2``). nextest prints
``FAIL [ 0.01s] crate tests::x`` followed by the captured stdout/stderr, and repeats the
failures after its ``Summary`` line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Location, Strength, TestIdentity
from sheriff.core.parsers.base import find_locations, follow, merge_ranges, summary_lines
from sheriff.core.scan import Hit

FRAMEWORK = "cargo test"
MESSAGE_LIMIT = 500
BLOCK_CAP = 40
SECTION_HEADER = r"^\s*---- (?P<name>\S.*?) stdout ----"
STATUS_LINE = r"^\s*test (?P<name>\S.*?)(?: - should panic)? \.\.\. FAILED"
RESULT_LINE = r"test result: FAILED\. (?P<passed>\d+) passed; (?P<failed>\d+) failed"
NEXTEST_LINE = (
    r"^\s*(?P<status>FAIL|SIGSEGV|SIGABRT|SIGKILL|SIGBUS|SIGILL|TIMEOUT|LEAK-FAIL|ABORT"
    r"|TRY \d+ FAIL)\s+\[\s*[\d.]+m?s\]\s+(?:\(\s*\d+/\d+\)\s+)?(?P<binary>\S+)\s+(?P<name>\S+)"
)
NEXTEST_SUMMARY = r"^\s*Summary \[\s*[\d.]+m?s\]"

_PANIC = lazy_compile(
    r"^\s*thread '(?P<thread>[^']*)'(?: \(\d+\))? panicked at "
    r"(?:'(?P<old>.*?)(?:', (?P<oldloc>\S+:\d+:\d+))?$|(?P<loc>\S+:\d+:\d+):?$|(?P<rest>.*)$)"
)
_OLD_PANIC_END = lazy_compile(r"^(?P<text>.*)', (?P<loc>\S+:\d+:\d+)$")
_PANIC_TAIL = lazy_compile(r"^\s*(?:note: |stack backtrace:|\d+: )")
_SECTION_END = lazy_compile(r"^\s*(?:---- \S.*? stdout ----|failures:\s*$|test result: )")
_NEXTEST_STATUS = lazy_compile(
    r"^\s*(?:PASS|FAIL|SKIP|SIGSEGV|SIGABRT|SIGKILL|SIGBUS|TIMEOUT|LEAK|LEAK-FAIL|ABORT"
    r"|SLOW|START|RETRY|TRY \d+ \w+)\s+\[|^\s*Summary \[|^─{8,}|^\s*Cancelling|^error: "
)
_FRAME_AT = lazy_compile(r"^\s+at (?P<path>\S+\.rs):(?P<line>\d+)")
_LIBRARY_FRAME = lazy_compile(r"^/rustc/|/\.cargo/registry/|/library/(?:std|core|alloc|test)/")
_CRASH = lazy_compile(
    r"unwrap\(\)|expect\(|index out of bounds|attempt to |overflow|divide by zero"
    r"|has overflowed its stack|SIGSEGV|SIGABRT"
)


def section_findings(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    """One finding per ``---- name stdout ----`` section."""
    findings = []
    for hit in hits:
        name = hit.match.group("name") if hit.match else ""
        end = follow(view, hit.number, lambda text: not _SECTION_END.match(text), limit=4000)
        findings.append(_test_finding(view, hit.number, end, TestIdentity(FRAMEWORK, None, name)))
    return findings


def status_findings(hits: Sequence[Hit]) -> list[Finding]:
    """``test name ... FAILED``: the runner's verdict, without the details."""
    return [
        Finding(
            tool=FRAMEWORK,
            failure_type=FailureType.TEST,
            sub_type="assertion",
            message=hit.text.strip(),
            anchor=hit.number,
            ranges=((hit.number, hit.number),),
            strength=Strength.PARTIAL,
            test=TestIdentity(FRAMEWORK, None, hit.match.group("name") if hit.match else ""),
            kind="test",
        )
        for hit in hits
    ]


def result_findings(hits: Sequence[Hit]) -> list[Finding]:
    return summary_lines(hits, FRAMEWORK, FailureType.TEST, "assertion")


def nextest_findings(view: LogView, hits: Sequence[Hit], summaries: Sequence[Hit]) -> list[Finding]:
    """nextest failures: detailed where they first appear, summaries after ``Summary``."""
    summary_starts = sorted(hit.number for hit in summaries)
    findings = []
    for hit in hits:
        if hit.match is None:
            continue
        test = TestIdentity("cargo-nextest", hit.match.group("binary"), hit.match.group("name"))
        in_summary = any(start < hit.number <= start + 200 for start in summary_starts)
        if in_summary:
            findings.append(_nextest_summary(hit, test))
            continue
        end = follow(
            view, hit.number, lambda text: not _NEXTEST_STATUS.match(text), limit=3000, skip_blank=2
        )
        finding = _test_finding(view, hit.number, end, test)
        status = hit.match.group("status")
        if status.startswith("SIG") or status == "ABORT":
            finding = replace(finding, sub_type="crash")
        elif status == "TIMEOUT":
            finding = replace(finding, sub_type="timeout")
        findings.append(finding)
    return findings


def _nextest_summary(hit: Hit, test: TestIdentity) -> Finding:
    return Finding(
        tool="cargo-nextest",
        failure_type=FailureType.TEST,
        sub_type="assertion",
        message=hit.text.strip(),
        anchor=hit.number,
        ranges=((hit.number, hit.number),),
        strength=Strength.PARTIAL,
        test=test,
        kind="summary",
    )


def _test_finding(view: LogView, header: int, end: int, test: TestIdentity) -> Finding:
    found = _find_panic(view, header, end)
    ranges = [(header, min(end, header + BLOCK_CAP))]
    message = view.text(header) or ""
    locations: list[Location] = []
    backtrace = False
    if found is not None:
        panic, match = found
        message, message_end = _panic_message(view, panic, match, end)
        ranges.append((panic, min(message_end + 2, end)))
        locations = _panic_locations(view, panic, message_end, end)
        backtrace = any("stack backtrace:" in t for _, t in view.span(panic, min(end, panic + 60)))
    return Finding(
        tool=test.framework,
        failure_type=FailureType.TEST,
        sub_type="panic" if _CRASH.search(message) and "assert" not in message else "assertion",
        message=message.strip()[:MESSAGE_LIMIT],
        anchor=header,
        ranges=merge_ranges(ranges),
        strength=Strength.CLEAR,
        test=test,
        locations=tuple(locations[:8]),
        has_stack_trace=backtrace,
        kind="test",
    )


def _find_panic(view: LogView, first: int, last: int) -> tuple[int, re.Match[str]] | None:
    for number, text in view.span(first, last):
        match = _PANIC.match(text)
        if match:
            return number, match
    return None


def _panic_message(view: LogView, number: int, match: re.Match[str], end: int) -> tuple[str, int]:
    """The panic's message and the last line it spans."""
    if match.group("old") is not None:
        if match.group("oldloc"):
            return match.group("old"), number
        lines = [match.group("old")]
        for following, text in view.span(number + 1, min(end, number + 12)):
            tail = _OLD_PANIC_END.match(text)
            lines.append(tail.group("text") if tail else text)
            if tail:
                return "\n".join(lines), following
        return "\n".join(lines), number
    if match.group("rest"):
        return match.group("rest"), number
    lines = []
    last = number
    for following, text in view.span(number + 1, min(end, number + 8)):
        if _PANIC_TAIL.match(text) or not text.strip():
            break
        lines.append(text.strip())
        last = following
    return "\n".join(lines) or (view.text(number) or "").strip(), last


def _panic_locations(view: LogView, panic: int, message_end: int, end: int) -> list[Location]:
    found = list(find_locations(view.text(panic) or "")) or list(
        find_locations(view.text(message_end) or "")
    )
    for _, text in view.span(message_end + 1, min(end, message_end + 80)):
        frame = _FRAME_AT.match(text)
        if frame and not _LIBRARY_FRAME.search(frame.group("path")):
            path = frame.group("path").removeprefix("./")
            location = Location(path, int(frame.group("line")))
            if location not in found:
                found.append(location)
    return found
