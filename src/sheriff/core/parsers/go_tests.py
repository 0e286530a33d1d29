"""Failing Go tests in text output: ``go test`` (plain and -v), gotestsum and gocheck.

A failing test is the ``--- FAIL: TestX/sub (0.00s)`` header, the indented lines the
runner prints after it and, in -v mode, what the test logged between its ``=== RUN``
(or ``=== CONT``/``=== NAME``) line and the header. A parent whose subtest failed is
dropped: the leaf says what broke.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, LineRange, Strength, TestIdentity
from sheriff.core.parsers.base import follow, merge_ranges
from sheriff.core.parsers.go_output import (
    TEST_LOG,
    indent_of,
    test_locations,
    test_message,
    test_sub_type,
)
from sheriff.core.scan import Hit

FRAMEWORK = "go"
TOOL = "go test"
STREAM_LOOKBACK = 150
MAX_OUTPUT_LINES = 40

FAIL_HEADER = r"^(?P<indent>\s*)--- FAIL: (?P<name>\S+)(?: \((?P<time>[^)]*)\))?"
GOTESTSUM_HEADER = r"^=== FAIL: (?P<pkg>\S+) (?P<name>\S+) \("
GOCHECK_HEADER = r"^(?P<verdict>FAIL|PANIC): (?P<path>\S+_test\.go):(?P<line>\d+): (?P<name>\S+)"
SUMMARY_LINE = (
    r"^FAIL\s+(?P<pkg>[^\s(]+)\s+(?:(?P<time>[\d.]+m?s)|\(cached\)"
    r"|\[(?P<why>build failed|setup failed)\])"
    r"|^FAIL (?P<tpkg>\S+?)\.(?P<tname>(?:Test|Example|Benchmark|Fuzz)\S*) \("
)

_MARK = lazy_compile(r"^\s*=== (?:RUN|CONT|NAME|PAUSE)\s+(?P<name>\S+)\s*$")
_STATUS = lazy_compile(r"^\s*--- (?:PASS|FAIL|SKIP): ")
_BARRIER = lazy_compile(
    r"^(?:=== (?:FAIL|SKIP|Failed|Skipped|Errors)\b|FAIL\s|ok\s|PASS$|FAIL$|DONE \d|panic: )"
)
_EXIT = lazy_compile(r"^exit status \d+$")
_GOCHECK_END = lazy_compile(r"^(?:-{20,}|OOPS: |OK: |(?:FAIL|PASS|PANIC|SKIP|MISS): )")
_GOCHECK_LOCATION_ONLY = lazy_compile(r"^\S+\.go:\d+:\s*$")


@dataclass(frozen=True, slots=True)
class _Header:
    number: int
    name: str
    indent: int
    suite: str | None
    streamed: bool  # output may precede the header (go test -v)


def test_findings(
    view: LogView,
    fails: Sequence[Hit],
    gotestsum: Sequence[Hit],
    gocheck: Sequence[Hit],
    summaries: Sequence[Hit],
) -> list[Finding]:
    """One finding per failing leaf test."""
    packages = _package_ends(summaries)
    headers = [
        _Header(hit.number, _group(hit, "name"), 0, _group(hit, "pkg"), False) for hit in gotestsum
    ]
    covered = _gotestsum_spans(view, headers)
    for hit in fails:
        if hit.number in covered:
            continue
        indent = len(_group(hit, "indent").expandtabs(4))
        suite = _package_after(packages, hit.number)
        headers.append(_Header(hit.number, _group(hit, "name"), indent, suite, True))
    leaves = _drop_parents(_share_suites(headers))
    findings = [_test_finding(view, header) for header in leaves]
    findings.extend(_gocheck_finding(view, hit) for hit in gocheck)
    return findings


def summary_findings(view: LogView, summaries: Sequence[Hit]) -> list[Finding]:
    """``FAIL\\tpkg\\t0.1s`` and friends: they repeat failures shown above them."""
    findings: list[Finding] = []
    names = {_group(hit, "tname") for hit in summaries}
    for hit in summaries:
        name = _group(hit, "tname")
        if name and any(other.startswith(name + "/") for other in names):
            continue
        if name:
            test = TestIdentity(FRAMEWORK, None, name)
            findings.append(_summary(hit, FailureType.TEST, "go_test", test))
        elif _group(hit, "why"):
            findings.append(_summary(hit, FailureType.BUILD, "compile", None))
        else:
            first = _preceding_output(view, hit.number)
            findings.append(_summary(hit, FailureType.TEST, "go_test", None, first))
    return findings


def _group(hit: Hit, name: str) -> str:
    if hit.match is None:
        return ""
    return hit.match.groupdict().get(name) or ""


def _package_ends(summaries: Sequence[Hit]) -> list[tuple[int, str]]:
    return [
        (hit.number, _group(hit, "pkg"))
        for hit in summaries
        if _group(hit, "pkg") and (_group(hit, "time") or _group(hit, "why"))
    ]


def _package_after(packages: list[tuple[int, str]], number: int) -> str | None:
    index = bisect_left(packages, (number, ""))
    return packages[index][1] if index < len(packages) else None


def _share_suites(headers: list[_Header]) -> list[_Header]:
    """A test printed without its package takes the package another line names."""
    known = {header.name: header.suite for header in headers if header.suite}
    return [
        replace(header, suite=known.get(header.name)) if header.suite is None else header
        for header in headers
    ]


def _gotestsum_spans(view: LogView, headers: list[_Header]) -> set[int]:
    """Lines inside gotestsum's ``=== FAIL:`` blocks (their ``--- FAIL`` repeats them)."""
    covered: set[int] = set()
    for header in headers:
        last = follow(view, header.number, lambda text: indent_of(text) > 0, limit=60)
        covered.update(range(header.number, last + 1))
    return covered


def _drop_parents(headers: list[_Header]) -> list[_Header]:
    """The headers of tests with no failing subtest (``TestA`` when ``TestA/sub`` failed
    is only its parent)."""
    parents = {
        (header.suite, header.name[:cut])
        for header in headers
        for cut, char in enumerate(header.name)
        if char == "/"
    }
    leaves = [header for header in headers if (header.suite, header.name) not in parents]
    return sorted(leaves, key=lambda header: header.number)


def _test_finding(view: LogView, header: _Header) -> Finding:
    after_last = _after_block(view, header)
    before = _streamed_output(view, header) if header.streamed else []
    numbers = before + list(range(header.number + 1, after_last + 1))
    # In -v mode the failure is said where the test logged it, before the header.
    streamed = [n for n in before if TEST_LOG.match(view.text(n) or "")]
    texts = [text for number in numbers if (text := view.text(number)) is not None]
    ranges = [(header.number, after_last), *_runs(before)]
    header_text = view.text(header.number) or ""
    return Finding(
        tool=TOOL,
        failure_type=FailureType.TEST,
        sub_type=test_sub_type(texts),
        message=test_message([t for t in texts if not _MARK.match(t)], header_text),
        anchor=streamed[0] if streamed else header.number,
        ranges=merge_ranges(ranges),
        strength=Strength.CLEAR,
        test=TestIdentity(FRAMEWORK, header.suite, header.name),
        locations=tuple(test_locations(texts)),
        kind="test",
    )


def _after_block(view: LogView, header: _Header) -> int:
    def keep(text: str) -> bool:
        if _STATUS.match(text) or _MARK.match(text) or _BARRIER.match(text):
            return False
        return indent_of(text.expandtabs(4)) > header.indent

    return follow(view, header.number, keep, limit=60, skip_blank=3)


def _streamed_output(view: LogView, header: _Header) -> list[int]:
    """Lines the test logged before its header, as ``go test -v`` streams them."""
    start = _run_line(view, header)
    if start is None:
        return []
    collected: list[int] = []
    current: str | None = None
    mark_line = 0
    collecting = False
    for number, text in view.span(start, header.number - 1):
        mark = _MARK.match(text)
        if mark or _STATUS.match(text) or _BARRIER.match(text):
            current = mark.group("name") if mark else None
            mark_line = number
            collecting = False
            continue
        if current != header.name:
            continue
        if TEST_LOG.match(text):
            if not collecting and mark_line == number - 1:
                collected.append(mark_line)  # the === RUN/CONT line it belongs to
            collecting = True
        elif not (collecting and (text[:1] in {" ", "\t"} or not text.strip())):
            collecting = False
        if collecting:
            collected.append(number)
    return _trim_blank_tail(view, collected)[:MAX_OUTPUT_LINES]


def _run_line(view: LogView, header: _Header) -> int | None:
    """The nearest ``=== RUN/CONT/NAME name`` above the header, within the kept lines."""
    found: int | None = None
    for number in range(header.number - 1, max(header.number - STREAM_LOOKBACK, 0), -1):
        text = view.text(number)
        if text is None or _BARRIER.match(text):
            break
        mark = _MARK.match(text)
        if mark and mark.group("name") == header.name:
            found = number
            if "=== RUN" in text:
                break
    return found


def _trim_blank_tail(view: LogView, numbers: list[int]) -> list[int]:
    while numbers and not (view.text(numbers[-1]) or "").strip():
        numbers.pop()
    return numbers


def _runs(numbers: list[int]) -> list[LineRange]:
    runs: list[LineRange] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs


def _gocheck_finding(view: LogView, hit: Hit) -> Finding:
    last = follow(
        view, hit.number, lambda text: not _GOCHECK_END.match(text), limit=40, skip_blank=2
    )
    texts = [text for _, text in view.span(hit.number + 1, last)]
    message_lines = [text for text in texts if not _GOCHECK_LOCATION_ONLY.match(text.strip())]
    panicked = _group(hit, "verdict") == "PANIC"
    return Finding(
        tool="gocheck",
        failure_type=FailureType.TEST,
        sub_type="panic" if panicked else test_sub_type(texts),
        message=test_message(message_lines, hit.text),
        anchor=hit.number,
        ranges=((hit.number, last),),
        test=TestIdentity(FRAMEWORK, None, _group(hit, "name")),
        locations=tuple(test_locations([hit.text, *texts])),
        has_stack_trace=panicked,
        kind="test",
    )


def _preceding_output(view: LogView, number: int) -> int:
    """How far up the output of a test binary that exited (``exit status 1``) reaches."""
    exit_line = next((n for n in (number - 1, number - 2) if _EXIT.match(view.text(n) or "")), None)
    if exit_line is None:
        return number
    first = exit_line
    for previous in range(exit_line - 1, max(exit_line - 7, 0), -1):
        text = view.text(previous)
        if text is None or not text.strip() or indent_of(text) or _STATUS.match(text):
            break
        if _MARK.match(text) or _BARRIER.match(text):
            break
        first = previous
    return first


def with_packages(findings: list[Finding], summaries: Sequence[Hit]) -> list[Finding]:
    """Name the package of text-mode test findings from the ``FAIL\tpkg`` line after them."""
    packages = _package_ends(summaries)
    result: list[Finding] = []
    for finding in findings:
        test = finding.test
        if test is not None and test.suite is None and finding.tool == TOOL:
            suite = _package_after(packages, finding.anchor)
            named = TestIdentity(test.framework, suite, test.name)
            result.append(replace(finding, test=named))
        else:
            result.append(finding)
    return result


def _summary(
    hit: Hit,
    failure_type: FailureType,
    sub_type: str,
    test: TestIdentity | None,
    first: int | None = None,
) -> Finding:
    return Finding(
        tool=TOOL,
        failure_type=failure_type,
        sub_type=sub_type,
        message=hit.text.strip(),
        anchor=hit.number,
        ranges=((first or hit.number, hit.number),),
        strength=Strength.PARTIAL,
        test=test,
        kind="summary",
    )
