"""Failing native tests: GoogleTest and CTest.

GoogleTest prints ``[ RUN      ] Suite.Name``, the failure (``file.cc:12: Failure`` and
the values compared), then ``[  FAILED  ] Suite.Name (0 ms)``; the list at the end
repeats the names without a time. CTest prints ``Test #2: name ...***Failed`` followed,
with ``--output-on-failure``, by the test's output, and ends with ``The following tests
FAILED:``. When CTest runs GoogleTest, the CTest name is the one the job reports, so the
GoogleTest detail is folded into the CTest test.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Strength, TestIdentity
from sheriff.core.parsers.base import find_locations, follow
from sheriff.core.scan import Hit

MESSAGE_LIMIT = 500
BLOCK_CAP = 40
RUN_LOOKBACK = 300

GTEST_LINE = (
    r"^\[\s+FAILED\s+\]\s+(?P<name>[^\s,]+)(?P<param>, where .*?)?(?: \((?P<ms>\d+) ms\))?"
    r"(?<!\s)\s*$"  # trailing spaces tried once per run of them, not from each space
)
CTEST_LINE = (
    # ctest pads the name with dots ("name ......***Failed"); a status word or two may
    # precede the stars ("Child aborted***Exception"). Each run is scanned once.
    r"^\s*\d+/\d+ Test\s+#(?P<num>\d+): (?P<name>.+?) \.++\s*+(?:\w[\w ]*+)?\*\*\*"
    r"(?P<status>Failed|Exception|Timeout|Not Run)(?::\s*(?P<detail>[^\d]*?))?(?<!\s)\s+[\d.]+ sec"
)
CTEST_LIST = r"^The following tests FAILED:"

_RUN = lazy_compile(r"^\[ RUN      \] (?P<name>\S+)")
_FAILURE = lazy_compile(r"(?::\d+: Failure|\(\d+\): error: |^unknown file: Failure|: Failure$)")
_CTEST_NEXT = lazy_compile(r"^\s*(?:Start\s+\d+:|\d+/\d+ Test\s+#)|^\d+% tests passed")
_CTEST_LISTED = lazy_compile(r"^\s*(?P<num>\d+) - (?P<name>.+?) \((?P<status>[^)]+)\)\s*$")
_EXCEPTION = lazy_compile(r"C\+\+ exception|thrown in the test body|Uncaught exception")
_BOILERPLATE = lazy_compile(
    r"^(?:Running main\(\)|Note: Google Test filter|\[[=\- ]{6,}\]|\[ RUN      \]"
    r"|\[\s+(?:FAILED|OK|PASSED)\s+\]|\s*$)"
)
_GTEST_DONE = lazy_compile(r"^\[\s+FAILED\s+\].*\(\d+ ms\)\s*$")


def gtest_findings(view: LogView, hits: Sequence[Hit], skip: set[int]) -> list[Finding]:
    """GoogleTest failures not already inside a CTest block (``skip``)."""
    findings = []
    for hit in hits:
        if hit.number in skip or hit.match is None or hit.match.group("name").isdigit():
            continue
        name = hit.match.group("name")
        test = TestIdentity("googletest", None, name)
        if not hit.match.group("ms"):  # the recap list at the end
            findings.append(_summary(hit, test, "googletest"))
            continue
        start = _run_line(view, hit.number, name)
        findings.append(_detailed(view, start, hit.number, test))
    return findings


def ctest_findings(view: LogView, hits: Sequence[Hit]) -> tuple[list[Finding], set[int]]:
    """CTest failures with their output, and the lines that output covers."""
    findings = []
    covered: set[int] = set()
    for hit in hits:
        if hit.match is None:
            continue
        end = follow(
            view, hit.number, lambda text: not _CTEST_NEXT.match(text), limit=2000, skip_blank=3
        )
        covered.update(range(hit.number, end + 1))
        done = next((n for n, t in view.span(hit.number, end) if _GTEST_DONE.match(t)), end)
        test = TestIdentity("ctest", None, hit.match.group("name").strip())
        finding = _detailed(view, hit.number, done, test, anchor=hit.number)
        status = hit.match.group("status")
        if status != "Failed":
            sub_type = {"Timeout": "timeout", "Not Run": "not_run"}.get(status, "crash")
            finding = replace(finding, sub_type=sub_type, strength=Strength.CLEAR)
        findings.append(finding)
    return findings, covered


def ctest_list_findings(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    """``The following tests FAILED:`` and the tests it lists (summaries)."""
    findings = []
    for hit in hits:
        for number, text in view.span(hit.number + 1, hit.number + 200):
            listed = _CTEST_LISTED.match(text)
            if not listed:
                break
            test = TestIdentity("ctest", None, listed.group("name").strip())
            findings.append(
                Finding(
                    tool="ctest",
                    failure_type=FailureType.TEST,
                    sub_type=_status_sub_type(listed.group("status")),
                    message=f"{hit.text.strip()} {text.strip()}"[:MESSAGE_LIMIT],
                    anchor=number,
                    ranges=((hit.number, number),),
                    strength=Strength.PARTIAL,
                    test=test,
                    kind="summary",
                )
            )
    return findings


def _status_sub_type(status: str) -> str:
    lowered = status.lower()
    if "timeout" in lowered:
        return "timeout"
    if "not run" in lowered:
        return "not_run"
    if lowered == "failed":
        return "assertion"
    return "crash"


def _run_line(view: LogView, failed: int, name: str) -> int:
    for number in range(failed - 1, max(failed - RUN_LOOKBACK, 0), -1):
        text = view.text(number)
        if text is None:
            break
        run = _RUN.match(text)
        if run:
            return number if run.group("name") == name else failed
    return failed


def _detailed(
    view: LogView, first: int, last: int, test: TestIdentity, anchor: int | None = None
) -> Finding:
    """A test block: its failure line (``file:12: Failure``) and what follows it."""
    texts = [(number, text) for number, text in view.span(first, last)]
    failure = next((n for n, t in texts if _FAILURE.search(t)), None)
    if anchor is None:
        anchor = failure if failure is not None else last
    lines = [t for _, t in texts if not _BOILERPLATE.match(t)]
    start = failure if failure is not None else first
    message_lines = [t.strip() for n, t in texts if n >= start and not _BOILERPLATE.match(t)]
    header = view.text(anchor) or ""
    return Finding(
        tool=test.framework,
        failure_type=FailureType.TEST,
        sub_type="exception" if any(_EXCEPTION.search(t) for t in lines) else "assertion",
        message="\n".join(message_lines[:5])[:MESSAGE_LIMIT] or header.strip(),
        anchor=anchor,
        ranges=((first, min(last, first + BLOCK_CAP)),),
        strength=Strength.CLEAR if failure is not None or len(lines) > 1 else Strength.PARTIAL,
        test=test,
        locations=tuple(loc for _, t in texts if _FAILURE.search(t) for loc in find_locations(t)),
        kind="test",
    )


def _summary(hit: Hit, test: TestIdentity, tool: str) -> Finding:
    return Finding(
        tool=tool,
        failure_type=FailureType.TEST,
        sub_type="assertion",
        message=hit.text.strip()[:MESSAGE_LIMIT],
        anchor=hit.number,
        ranges=((hit.number, hit.number),),
        strength=Strength.PARTIAL,
        test=test,
        kind="summary",
    )
