"""Go crashes around tests: panics with goroutine dumps, test timeouts, data races, leaks.

A panic printed right after a ``--- FAIL`` header belongs to that test; a race report is
followed by the ``--- FAIL`` of the test it broke ("race detected during execution of
test"). Both are merged into the test's finding. Crashes no test header claims become
findings of their own, named after the test the dump shows running.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.line_spans import LineSpans
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, LineRange, Location, Strength, TestIdentity
from sheriff.core.parsers.base import merge_ranges
from sheriff.core.parsers.go_output import MESSAGE_LIMIT, frame_locations
from sheriff.core.parsers.go_tests import FRAMEWORK, TOOL
from sheriff.core.scan import Hit

PANIC_LINE = r"^(?P<kind>panic|fatal error): (?P<message>.*)"
DUMP_LIMIT = 400
SECTION_LINES = 16
UNFINISHED_LOOKBACK = 300

_GOROUTINE = lazy_compile(r"^goroutine \d+ \[")
_DUMP_END = lazy_compile(
    r"^(?:FAIL\s|FAIL$|ok\s|PASS$|exit status \d+|=== |--- |\[?\d{4}[-/]\d\d[-/]\d\d"
    r"|={10,})"
)
_RUNNING_TEST = lazy_compile(r"^\s+(?P<name>(?:Test|Example|Benchmark|Fuzz)\S*) \(")
_TEST_FRAME = lazy_compile(r"\.(?P<name>(?:Test|Benchmark|Fuzz)[A-Z0-9_]\w*|Test)\(")
_TEST_CONTEXT = lazy_compile(r"\btesting\.|_test\.go:")
_RUN = lazy_compile(r"^=== RUN\s+(?P<name>\S+)")
_RESULT = lazy_compile(r"^\s*--- (?:PASS|FAIL|SKIP): (?P<name>\S+)")
_RACE_END = lazy_compile(r"^={10,}\s*$")
_RACE_IN_TEST = lazy_compile(r"race detected during execution of test")


class _Findings:
    """The findings crashes merge into, indexed so that each crash finds its test
    without reading every finding (a log of thousands of failing tests and panics)."""

    def __init__(self, tests: list[Finding]) -> None:
        self.items: list[Finding] = []
        self._by_anchor: dict[int, list[int]] = {}
        self._by_end: dict[int, list[int]] = {}
        self.dumped = LineSpans()
        """Lines of findings with a stack trace read (a dump or a race report)."""
        for test in tests:
            self.append(test)

    def append(self, finding: Finding) -> None:
        self.items.append(finding)
        self._index(len(self.items) - 1)

    def replace_at(self, position: int, finding: Finding) -> None:
        old = self.items[position]
        self._by_anchor[old.anchor].remove(position)
        self._by_end[_end(old)].remove(position)
        self.items[position] = finding
        self._index(position)

    def _index(self, position: int) -> None:
        finding = self.items[position]
        self._by_anchor.setdefault(finding.anchor, []).append(position)
        self._by_end.setdefault(_end(finding), []).append(position)
        if finding.has_stack_trace:
            for first, last in finding.ranges:
                self.dumped.add(first, last)

    def ending_in(self, first: int, last: int) -> list[int]:
        """Positions, in list order, of the findings whose last line is in the range."""
        return _positions(self._by_end, first, last)

    def anchored_in(self, first: int, last: int) -> list[int]:
        """Positions, in list order, of the findings anchored in the range."""
        return _positions(self._by_anchor, first, last)


def _positions(index: dict[int, list[int]], first: int, last: int) -> list[int]:
    return sorted(p for line in range(first, last + 1) for p in index.get(line, ()))


def _end(finding: Finding) -> int:
    return max(last for _, last in finding.ranges)


def merge_crashes(
    view: LogView,
    tests: list[Finding],
    panics: Sequence[Hit],
    races: Sequence[Hit],
    leaks: Sequence[Hit],
) -> list[Finding]:
    """The test findings with their crashes merged in, plus crashes of their own."""
    result = _Findings(tests)
    for hit in panics:
        _add_panic(view, hit, result)
    for hit in races:
        _add_race(view, hit, result)
    covered = LineSpans(r for finding in result.items for r in finding.ranges)
    for hit in leaks:
        if hit.number not in covered:  # a leak report's own lines cover the next ones
            leak = _leak(hit)
            result.items.append(leak)
            for first, last in leak.ranges:
                covered.add(first, last)
    return result.items


def _add_panic(view: LogView, hit: Hit, findings: _Findings) -> None:
    if hit.number in findings.dumped:
        return  # a recovered/re-panic line inside a dump already read
    last = _dump_end(view, hit.number)
    is_go = any(_GOROUTINE.match(text) for _, text in view.span(hit.number, last))
    if not is_go and hit.text.startswith("fatal error"):
        return  # not a Go runtime error (a C compiler says "fatal error:" too)
    dump = Finding(
        tool=TOOL,
        failure_type=FailureType.TEST,
        sub_type="timeout" if "test timed out after" in hit.text else "panic",
        message=_panic_message(view, hit),
        anchor=hit.number,
        ranges=_dump_ranges(view, hit.number, last),
        locations=tuple(frame_locations(view, hit.number, last)),
        has_stack_trace=True,
        kind="test",
    )
    position = _owning_test(findings, hit.number)
    if position is not None and dump.sub_type != "timeout":
        owner = findings.items[position]
        merged = replace(
            owner,
            sub_type=dump.sub_type,
            message=dump.message,
            ranges=merge_ranges([*owner.ranges, *dump.ranges]),
            locations=dump.locations or owner.locations,
            has_stack_trace=True,
        )
        findings.replace_at(position, merged)
        return
    for finding in _dump_findings(view, dump, last):
        findings.append(finding)


def _dump_findings(view: LogView, dump: Finding, last: int) -> list[Finding]:
    """A dump no test header claims: one finding per test it shows running."""
    names = _running_tests(view, dump.anchor, last)
    context = any(_TEST_CONTEXT.search(text) for _, text in view.span(dump.anchor, last))
    if not names and not context:  # a Go program crashed, not a test binary
        return [replace(dump, tool="go", failure_type=FailureType.UNKNOWN, kind="error")]
    if not names:
        return [dump]
    return [replace(dump, test=TestIdentity(FRAMEWORK, None, name)) for name in names]


def _owning_test(findings: _Findings, number: int) -> int | None:
    """Where the test whose ``--- FAIL`` block ends just above a panic line is."""
    for position in findings.ending_in(number - 3, number - 1):
        finding = findings.items[position]
        if finding.test is None or finding.kind != "test" or finding.has_stack_trace:
            continue
        if finding.anchor < number:
            return position
    return None


def _dump_end(view: LogView, first: int) -> int:
    last = first
    for number, text in view.span(first + 1, first + DUMP_LIMIT):
        if number != last + 1 or _DUMP_END.match(text):
            break
        last = number
    while last > first and not (view.text(last) or "").strip():
        last -= 1
    return last


def _dump_ranges(view: LogView, first: int, last: int) -> tuple[LineRange, ...]:
    """The panic lines and the goroutine that runs the project's own code."""
    sections = [number for number, text in view.span(first, last) if _GOROUTINE.match(text)]
    if not sections:
        return ((first, min(last, first + SECTION_LINES)),)
    head = (first, sections[0] - 1 if sections[0] > first else first)
    ends = [*sections[1:], last + 1]
    chosen = sections[0]
    for start, end in zip(sections, ends, strict=True):
        if frame_locations(view, start, end - 1):
            chosen = start
            break
    end = ends[sections.index(chosen)] - 1
    return merge_ranges([head, (chosen, min(end, chosen + SECTION_LINES))])


def _panic_message(view: LogView, hit: Hit) -> str:
    lines = [hit.text.strip()]
    following = view.text(hit.number + 1) or ""
    if following.startswith(("[signal", "\tpanic:")):
        lines.append(following.strip())
    return "\n".join(lines)[:MESSAGE_LIMIT]


def _running_tests(view: LogView, first: int, last: int) -> list[str]:
    """Tests a dump shows running: the ``running tests:`` list, else a test frame."""
    listed = [m.group("name") for _, t in view.span(first, last) if (m := _RUNNING_TEST.match(t))]
    listed = listed or _unfinished_tests(view, first)
    if listed:
        return [name for name in listed if not any(o.startswith(name + "/") for o in listed)]
    for _, text in view.span(first, last):
        frame = _TEST_FRAME.search(text)
        if frame and not text.startswith(("testing.", "\t")):
            return [frame.group("name")]
    return []


def _unfinished_tests(view: LogView, first: int) -> list[str]:
    """Tests ``go test -v`` started (``=== RUN``) and never finished before a dump."""
    started: list[str] = []
    finished: set[str] = set()
    for number in range(first - 1, max(first - UNFINISHED_LOOKBACK, 0), -1):
        text = view.text(number)
        if text is None or (_DUMP_END.match(text) and not text.startswith(("=== ", "--- "))):
            break
        run = _RUN.match(text)
        if run and run.group("name") not in finished:
            started.insert(0, run.group("name"))
        result = _RESULT.match(text)
        if result:
            finished.add(result.group("name"))
    return started


def _add_race(view: LogView, hit: Hit, findings: _Findings) -> None:
    last = _race_end(view, hit.number)
    report = (hit.number, min(last, hit.number + 30))
    locations = tuple(frame_locations(view, hit.number, last))
    position = _test_after_race(view, findings, last)
    if position is not None:
        owner = findings.items[position]
        if owner.sub_type != "race" or owner.anchor > hit.number:
            merged = replace(
                owner,
                sub_type="race",
                message=f"WARNING: DATA RACE\n{owner.message}"[:MESSAGE_LIMIT],
                anchor=min(owner.anchor, hit.number),
                ranges=merge_ranges([*owner.ranges, report]),
                locations=_merged_locations(locations, owner.locations),
                has_stack_trace=True,
            )
            findings.replace_at(position, merged)
        return
    names = _running_tests(view, hit.number, last)
    findings.append(
        Finding(
            tool=TOOL if names else "go",
            failure_type=FailureType.TEST,
            sub_type="race",
            message=_race_message(view, hit.number),
            anchor=hit.number,
            ranges=(report,),
            strength=Strength.CLEAR,
            test=TestIdentity(FRAMEWORK, None, names[0]) if names else None,
            locations=locations,
            has_stack_trace=True,
            kind="test",
        )
    )


def _race_end(view: LogView, first: int) -> int:
    for number, text in view.span(first + 1, first + 200):
        if _RACE_END.match(text):
            return number
    return min(first + 30, view.total_lines)


def _race_message(view: LogView, first: int) -> str:
    following = view.text(first + 1) or ""
    return f"WARNING: DATA RACE\n{following.strip()}"


def _test_after_race(view: LogView, findings: _Findings, race_end: int) -> int | None:
    """Where the test is whose block, starting just below a race report, says the race
    happened during it."""
    for position in findings.anchored_in(race_end + 1, race_end + 40):
        finding = findings.items[position]
        if finding.test is None:
            continue
        block = [text for first, last in finding.ranges for _, text in view.span(first, last)]
        if any(_RACE_IN_TEST.search(text) for text in block):
            return position
    return None


def _merged_locations(
    first: tuple[Location, ...], second: tuple[Location, ...]
) -> tuple[Location, ...]:
    return tuple(dict.fromkeys([*first, *second]))[:8]


def _leak(hit: Hit) -> Finding:
    return Finding(
        tool=TOOL,
        failure_type=FailureType.TEST,
        sub_type="goroutine_leak",
        message=hit.text.strip()[:MESSAGE_LIMIT],
        anchor=hit.number,
        ranges=((hit.number, hit.number + 12),),
        test=None,
        kind="test",
    )
