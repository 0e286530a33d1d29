"""Python tests: pytest, unittest/nose, subunit, and tracebacks that end a CI step.

One parser, so that a traceback printed inside a test's failure block is reported once,
as that test's failure, and only the tracebacks outside any test block stand alone.
A stand-alone traceback is a failing test when it comes from test code or a test
wrapper (pytorch's ``run_test.py``) or when a benchmark's regression check raised it, a
build failure for a syntax error, a dependency failure for a version conflict, a
configuration failure for a ``NameError`` or for any exception raised in the CI's own
scripts, and otherwise an unknown error with its exception. An interpreter that crashed
(``Fatal Python error``) fails the test that was running (``python_crash``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.line_spans import LineSpans
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, LineRange, Strength, TestIdentity
from sheriff.core.parsers.base import Parser, rule
from sheriff.core.parsers.python_crash import RULES as CRASH_RULES
from sheriff.core.parsers.python_crash import fatal_finding
from sheriff.core.parsers.python_pytest import RULES as PYTEST_RULES
from sheriff.core.parsers.python_pytest import pytest_findings
from sheriff.core.parsers.python_traceback import (
    Traceback,
    chained_before,
    error_kind,
    is_library_path,
    is_test_path,
    project_first,
    read_traceback,
)
from sheriff.core.parsers.python_unittest import RULES as UNITTEST_RULES
from sheriff.core.parsers.python_unittest import unittest_findings
from sheriff.core.scan import Hit

_CHAIN_TEXT = ("During handling of the above exception", "The above exception was the direct")
_DEPENDENCY = lazy_compile(
    r"VersionConflict|DistributionNotFound|Requirement\.parse|ResolutionImpossible"
    r"|pkg_resources\.\w+Conflict"
)
_NOT_FATAL = lazy_compile(r"Exception ignored\b|(?<!\w)\w+Warning:\s*$")
_LOG_RECORD = lazy_compile(
    r"(?:^|\s)(?:ERROR|WARNING|WARN|CRITICAL|EXCEPTION)(?:\s+\[[\w.\-]+\]|:[\w.]+:)"
    r"|\s-\s(?:ERROR|WARNING|CRITICAL)\s-\s"
)
_CI_SCRIPT_PATH = lazy_compile(
    r"(?:^|/)(?:\.github|\.ci|\.circleci|\.buildkite|\.gitlab|\.travis|ci|\.?ci[_-]scripts?)/"
)
_PERFORMANCE_GATE = lazy_compile(r"(?:Performance|Benchmark)\w*Regression")
_SUBPROCESS_FAILED = lazy_compile(r"CalledProcessError|returned non-zero exit (?:status|code)")
_WRAPPER_FAILED = lazy_compile(r"^(?:RuntimeError: )?(?P<file>[\w/.\-]+) \d+/\d+ failed!")

_SCRIPT_RULES = (
    rule(
        "python_tests.traceback",
        r"Traceback \(most recent call last\)",
        r"^\s*Traceback \(most recent call last\):\s*$",
        before=10,
        after=250,
    ),
    rule(
        "python_tests.run_test_log",
        r"PRINTING LOG FILE of ",
        r"^(?P<end>FINISHED )?PRINTING LOG FILE of (?P<file>\S+)",
        before=2,
        after=100,
    ),
    rule(
        "python_tests.run_test_failed",
        r"\d+/\d+ failed!",
        _WRAPPER_FAILED.pattern,
        before=5,
        after=5,
    ),
    rule(
        "python_tests.run_test_timeout",
        r"Command took >\d+",
        r"Command took >(?P<limit>\d+\s*\w+), returning (?P<code>\d+)",
        before=5,
        after=3,
    ),
)

RULES = (*PYTEST_RULES, *UNITTEST_RULES, *_SCRIPT_RULES, *CRASH_RULES)

_UNITTEST_NAMES = frozenset({"unittest_header", "unittest_totals", "subunit", "testr_line"})


def _parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    groups: dict[str, list[Hit]] = {"pytest": [], "unittest": [], "script": []}
    for hit in hits:
        name = hit.rule.id.rsplit(".", 1)[1]
        family = "pytest" if name.startswith("pytest_") else "script"
        groups["unittest" if name in _UNITTEST_NAMES else family].append(hit)
    found, claimed = pytest_findings(view, groups["pytest"])
    more, more_claimed = unittest_findings(view, groups["unittest"])
    found.extend(more)
    found.extend(_script_findings(view, groups["script"], [*claimed, *more_claimed]))
    return found


def _script_findings(view: LogView, hits: Sequence[Hit], claimed: list[LineRange]) -> list[Finding]:
    logs = [(h.number, h.match) for h in hits if h.rule.id.endswith("run_test_log") and h.match]
    log_lines = [line for line, _ in logs]
    inside = LineSpans(claimed)
    findings: list[Finding] = []
    for hit in hits:
        if hit.number in inside:
            continue
        name = hit.rule.id.rsplit(".", 1)[1]
        wrapper = _wrapper_test(logs, log_lines, hit.number)
        found: Finding | None = None
        if name == "traceback":
            found = _traceback_finding(view, hit.number, wrapper)
        elif name == "run_test_failed" and not hit.text.startswith("RuntimeError"):
            found = _wrapper_failed(hit)
        elif name == "run_test_timeout":
            found = _wrapper_timeout(hit, wrapper)
        elif name == "fatal":
            found = fatal_finding(view, hit)
        if found is not None:
            findings.append(found)
    return findings


def _wrapper_test(
    logs: Sequence[tuple[int, re.Match[str] | None]], log_lines: list[int], number: int
) -> str | None:
    """The test file whose log pytorch's run_test.py is printing around ``number``
    (``log_lines``: the line numbers of ``logs``)."""
    index = bisect_right(log_lines, number) - 1
    if index < 0:
        return None
    match = logs[index][1]
    if match is None or match.group("end"):
        return None
    return match.group("file")


def _traceback_finding(view: LogView, header: int, wrapper: str | None) -> Finding | None:
    traceback = read_traceback(view, header)
    if traceback is None or _continues(view, traceback) or _reports_warning(view, header):
        return None
    chain = _chain(view, header)
    if _WRAPPER_FAILED.match(traceback.text):
        return _wrapper_failed_at(traceback)
    if _SUBPROCESS_FAILED.search(traceback.text):
        return _subprocess_failed(traceback)
    frames = [location for tb in (*chain, traceback) for _, location in tb.frames]
    in_tests = wrapper is not None or any(_in_test_code(loc.path) for loc in frames)
    failure_type, sub_type = _environment_error(view, traceback) or _script_error_type(
        traceback, chain, in_tests
    )
    test = TestIdentity("run_test", None, wrapper) if wrapper else None
    causes = [tb.text for tb in chain if tb.text != traceback.text]
    return Finding(
        tool="python",
        failure_type=failure_type,
        sub_type=sub_type,
        message="\n".join([traceback.text, *causes[-1:]])[:500],
        anchor=traceback.header,
        ranges=_ranges(traceback, chain),
        strength=Strength.PARTIAL if _logged(view, header) else Strength.CLEAR,
        test=test,
        locations=project_first(loc for _, loc in traceback.frames)[:8],
        has_stack_trace=bool(traceback.frames),
        kind="test" if test else "error",
    )


def _in_test_code(path: str) -> bool:
    """A test module, or the fixtures of a ``conftest.py``."""
    return is_test_path(path) or path.endswith("conftest.py")


def _continues(view: LogView, traceback: Traceback) -> bool:
    """Whether another traceback follows that was raised while handling this one."""
    for number in range(traceback.last + 1, traceback.last + 4):
        text = view.text(number) or ""
        if text.strip().startswith(_CHAIN_TEXT):
            return True
    return False


def _reports_warning(view: LogView, header: int) -> bool:
    """Tracebacks printed for a warning or an ignored exception did not fail the job."""
    return any(_NOT_FATAL.search(text) for _, text in view.span(header - 3, header - 1))


def _logged(view: LogView, header: int) -> bool:
    """A traceback a logger printed under its record: the program may have gone on."""
    previous = view.text(header - 1) or ""
    return bool(_LOG_RECORD.search(previous))


def _chain(view: LogView, header: int) -> list[Traceback]:
    chain: list[Traceback] = []
    current: int | None = header
    while current is not None and len(chain) < 5:
        current = chained_before(view, current)
        earlier = read_traceback(view, current) if current is not None else None
        if earlier is None:
            break
        chain.insert(0, earlier)
    return chain


def _environment_error(view: LogView, traceback: Traceback) -> tuple[FailureType, str] | None:
    """Errors that come from the machine or the job's settings, not from the code."""
    text = traceback.text
    if traceback.exception.endswith("MemoryError"):
        return FailureType.INFRASTRUCTURE, "out_of_memory"
    if "No space left on device" in text or "[Errno 28]" in text:
        return FailureType.INFRASTRUCTURE, "disk_full"
    if traceback.exception.endswith("KeyError") and traceback.frames:
        code = " ".join(t for _, t in view.span(traceback.frames[-1][0] - 3, traceback.last))
        if re.search(r"\benviron\b|getenv|<frozen os>", code):
            return FailureType.CONFIG, "missing_env_var"
    return None


def _script_error_type(
    traceback: Traceback, chain: list[Traceback], in_tests: bool
) -> tuple[FailureType, str]:
    texts = "\n".join(tb.text for tb in (*chain, traceback))
    if _DEPENDENCY.search(texts):
        return FailureType.DEPENDENCY, "version_conflict"
    if _PERFORMANCE_GATE.search(traceback.exception):
        return FailureType.TEST, "performance"
    return _type_by_error_kind(traceback, in_tests)


def _type_by_error_kind(traceback: Traceback, in_tests: bool) -> tuple[FailureType, str]:
    kind = error_kind(traceback.text)
    if in_tests or kind == "import_error":
        return FailureType.TEST, kind
    if kind == "syntax":
        return FailureType.BUILD, "syntax"
    if traceback.exception.endswith("NameError"):
        return FailureType.CONFIG, "ci_script"
    if kind == "network":
        return FailureType.INFRASTRUCTURE, "network"
    if _in_ci_script(traceback):
        return FailureType.CONFIG, "ci_script"
    return FailureType.UNKNOWN, "exception"


def _in_ci_script(traceback: Traceback) -> bool:
    """Whether the exception was raised in the CI's own scripts (``.github/scripts``,
    ``.ci/``…): the innermost frame outside installed packages is there."""
    project = [loc for _, loc in traceback.frames if not is_library_path(loc.path)]
    return bool(project) and _CI_SCRIPT_PATH.search(project[-1].path) is not None


def _ranges(traceback: Traceback, chain: list[Traceback]) -> tuple[LineRange, ...]:
    ranges: list[LineRange] = [(tb.exception_line, tb.last) for tb in chain]
    if traceback.last - traceback.header <= 30:
        ranges.append((traceback.header, traceback.last))
    else:
        ranges.append((traceback.header, traceback.header + 2))
        ranges.append((traceback.last - 16, traceback.last))
    return tuple(ranges)


def _wrapper_failed_at(traceback: Traceback) -> Finding:
    return Finding(
        tool="run_test",
        failure_type=FailureType.TEST,
        sub_type="unit_test",
        message=traceback.text[:500],
        anchor=traceback.exception_line,
        ranges=((max(traceback.header, traceback.exception_line - 2), traceback.last),),
        strength=Strength.PARTIAL,
        kind="summary",
    )


def _subprocess_failed(traceback: Traceback) -> Finding:
    """A script reporting that a command it ran failed: the cause is that command's output."""
    return Finding(
        tool="python",
        failure_type=FailureType.UNKNOWN,
        sub_type="subprocess",
        message=traceback.text[:500],
        anchor=traceback.exception_line,
        ranges=((traceback.header, traceback.last),),
        strength=Strength.PARTIAL,
        locations=project_first(loc for _, loc in traceback.frames)[:4],
        has_stack_trace=True,
        kind="summary",
    )


def _wrapper_failed(hit: Hit) -> Finding:
    return Finding(
        tool="run_test",
        failure_type=FailureType.TEST,
        sub_type="unit_test",
        message=hit.text.strip()[:500],
        anchor=hit.number,
        ranges=((hit.number, hit.number),),
        strength=Strength.PARTIAL,
        kind="summary",
    )


def _wrapper_timeout(hit: Hit, wrapper: str | None) -> Finding:
    return Finding(
        tool="run_test",
        failure_type=FailureType.TEST,
        sub_type="timeout",
        message=hit.text.strip()[:500],
        anchor=hit.number,
        ranges=((max(hit.number - 1, 1), hit.number + 1),),
        strength=Strength.CLEAR,
        test=TestIdentity("run_test", None, wrapper) if wrapper else None,
        kind="test" if wrapper else "error",
    )


PARSER = Parser(name="python_tests", rules=RULES, parse=_parse)
