"""``go test -json`` streams: one event per line, failures are ``"Action":"fail"`` events.

The output of a failing test is the ``"Action":"output"`` events of the same package and
test that precede its fail event; ``build-output``/``build-fail`` events (Go 1.24+) carry
compile errors. Lines that are not JSON events are left to the text readers.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, LineRange, Strength, TestIdentity
from sheriff.core.parsers.base import merge_ranges
from sheriff.core.parsers.go_output import (
    MESSAGE_LIMIT,
    TEST_LOG,
    test_locations,
    test_message,
    test_sub_type,
)
from sheriff.core.parsers.go_tests import FRAMEWORK, TOOL
from sheriff.core.scan import Hit

EVENT_LINE = r'^\s*\{.*"Action":\s*"(?:fail|build-fail)"'
LOOKBACK = 400
MAX_OUTPUT_LINES = 40


@dataclass(frozen=True, slots=True)
class _Event:
    number: int
    action: str
    package: str
    test: str
    output: str


def json_findings(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    """Failing tests, packages and builds of a ``go test -json`` stream."""
    failures = [event for hit in hits if (event := _event(hit.number, hit.text))]
    failed = {(event.package, event.test) for event in failures if event.test}
    findings: list[Finding] = []
    for event in failures:
        if event.action == "build-fail":
            findings.append(_build_failure(view, event))
        elif event.test:
            if not any(p == event.package and t.startswith(event.test + "/") for p, t in failed):
                findings.append(_test_failure(view, event))
        else:
            has_tests = any(package == event.package for package, _ in failed)
            findings.append(_package_failure(view, event, has_tests))
    return findings


def _event(number: int, text: str) -> _Event | None:
    start = text.find("{")
    if start < 0:
        return None
    try:
        data = json.loads(text[start:])
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    package = data.get("Package") or data.get("ImportPath") or ""
    return _Event(
        number,
        str(data.get("Action", "")),
        str(package),
        str(data.get("Test") or ""),
        str(data.get("Output") or ""),
    )


def _outputs(view: LogView, event: _Event, actions: frozenset[str]) -> list[_Event]:
    """Output events of the same package and test before ``event``, oldest first."""
    found: list[_Event] = []
    for number in range(event.number - 1, max(event.number - LOOKBACK, 0), -1):
        text = view.text(number)
        if text is None:
            break
        earlier = _event(number, text)
        if earlier is None or earlier.package != event.package or earlier.test != event.test:
            continue
        if earlier.action not in actions:
            if earlier.action in {"run", "start", "build-fail", "fail", "pass"}:
                break
            continue
        found.append(earlier)
        if earlier.output.startswith("=== RUN"):
            break
    return found[::-1]


def _test_failure(view: LogView, event: _Event) -> Finding:
    outputs = _outputs(view, event, frozenset({"output"}))
    content = [o for o in outputs if not o.output.lstrip().startswith(("=== ", "--- PASS"))]
    header = next((o for o in content if o.output.lstrip().startswith("--- FAIL")), None)
    texts = [o.output.rstrip("\n") for o in content if o is not header]
    numbers = [o.number for o in content][-MAX_OUTPUT_LINES:]
    logged = [o.number for o in content if o is not header and TEST_LOG.match(o.output)]
    anchor = logged[0] if logged else header.number if header else event.number
    return Finding(
        tool=TOOL,
        failure_type=FailureType.TEST,
        sub_type=test_sub_type(texts),
        message=test_message(texts, header.output if header else f"--- FAIL: {event.test}"),
        anchor=anchor,
        ranges=merge_ranges([*_runs(numbers), (anchor, anchor), (event.number, event.number)]),
        strength=Strength.CLEAR,
        test=TestIdentity(FRAMEWORK, event.package or None, event.test),
        locations=tuple(test_locations(texts)),
        has_stack_trace=any(text.startswith("goroutine ") for text in texts),
        kind="test",
    )


def _package_failure(view: LogView, event: _Event, has_tests: bool) -> Finding:
    outputs = _outputs(view, event, frozenset({"output"}))
    texts = [o.output.rstrip("\n") for o in outputs]
    build = any("[build failed]" in text or "[setup failed]" in text for text in texts)
    crashed = not has_tests and any(text.startswith(("panic: ", "fatal error: ")) for text in texts)
    detailed = crashed or (build and len(texts) > 2)
    return Finding(
        tool=TOOL,
        failure_type=FailureType.BUILD if build else FailureType.TEST,
        sub_type="compile" if build else test_sub_type(texts) if crashed else "go_test",
        message=_first_line(texts, f"FAIL\t{event.package}"),
        anchor=event.number,
        ranges=merge_ranges(
            [*_runs([o.number for o in outputs][-MAX_OUTPUT_LINES:]), (event.number, event.number)]
        ),
        strength=Strength.CLEAR if detailed else Strength.PARTIAL,
        locations=tuple(test_locations(texts)),
        has_stack_trace=crashed,
        kind="error" if detailed else "summary",
    )


def _build_failure(view: LogView, event: _Event) -> Finding:
    outputs = _outputs(view, event, frozenset({"build-output"}))
    texts = [o.output.rstrip("\n") for o in outputs]
    errors = [text for text in texts if text and not text.startswith("# ")]
    first = next((o.number for o in outputs if not o.output.startswith("# ")), event.number)
    return Finding(
        tool="go build",
        failure_type=FailureType.BUILD,
        sub_type="compile",
        message="\n".join(errors[:3])[:MESSAGE_LIMIT] or f"build failed: {event.package}",
        anchor=first,
        ranges=merge_ranges([*_runs([o.number for o in outputs]), (event.number, event.number)]),
        strength=Strength.CLEAR if errors else Strength.PARTIAL,
        locations=tuple(test_locations(errors)),
        kind="error",
    )


def _first_line(texts: list[str], fallback: str) -> str:
    for text in texts:
        if text.strip() and not text.startswith(("=== ", "FAIL", "exit status")):
            return text.strip()[:MESSAGE_LIMIT]
    return fallback


def _runs(numbers: list[int]) -> list[LineRange]:
    runs: list[LineRange] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs
