"""The interpreter crashed: ``Fatal Python error: Segmentation fault`` and its thread dump.

Native code (a C extension, ctypes, a CUDA kernel) that crashes takes the interpreter
with it; no traceback is printed, only faulthandler's dump (pytest enables it):

    tests/test_native.py Fatal Python error: Segmentation fault

    Current thread 0x00007fe57f69bb80 (most recent call first):
      File "/work/tests/test_native.py", line 6 in read_header
      File "/work/tests/test_native.py", line 10 in test_header_is_read

The test running when it crashed is the innermost ``test*`` frame in a test file; the
runner's progress prefix, when there is one, names the test file as the runner does.
"""

from __future__ import annotations

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Location, Strength, TestIdentity
from sheriff.core.parsers.base import rule
from sheriff.core.parsers.python_traceback import is_library_path, is_test_path, project_first
from sheriff.core.scan import Hit

# pytest's progress prefix: "tests/test_x.py ..." or, with -v, "tests/test_x.py::test_y "
_FATAL = lazy_compile(
    r"^(?:(?P<runner_file>[^\s:]+\.py)(?:::\S+)? [.sFExX]*)?Fatal Python error: (?P<what>\S.*)"
)
_THREAD = lazy_compile(
    r"^(?P<current>Current thread|Thread) 0x[0-9a-f]+ .*\(most recent call first\):"
)
_FRAME = lazy_compile(r'^\s+File "(?P<path>[^"]+)", line (?P<line>\d+) in (?P<func>\S+)')
_SIGNALS = ("Segmentation fault", "Aborted", "Bus error", "Floating point exception", "Illegal")
_DUMP_LINES = 120

RULES = (
    rule(
        "python_tests.fatal",
        r"Fatal Python error: ",
        _FATAL.pattern,
        before=3,
        after=_DUMP_LINES,
    ),
)


def fatal_finding(view: LogView, hit: Hit) -> Finding:
    """The crash, with the test that was running and where, from the current thread's
    frames (innermost first)."""
    assert hit.match is not None
    frames, last = _current_thread(view, hit.number)
    what = hit.match.group("what")
    test = _running_test(frames, hit.match.group("runner_file"))
    crashed = what.startswith(_SIGNALS)
    failure_type = FailureType.TEST if test is not None and crashed else FailureType.UNKNOWN
    return Finding(
        tool="python",
        failure_type=failure_type,
        sub_type="crash" if crashed else "fatal_error",
        message=f"Fatal Python error: {what}"[:500],
        anchor=hit.number,
        ranges=((hit.number, last),),
        strength=Strength.CLEAR,
        test=test if failure_type is FailureType.TEST else None,
        # faulthandler lists the innermost frame first; project_first wants it last
        locations=project_first(Location(path, line) for path, line, _ in reversed(frames))[:8],
        has_stack_trace=bool(frames),
        kind="test" if failure_type is FailureType.TEST else "error",
    )


def _current_thread(view: LogView, fatal: int) -> tuple[list[tuple[str, int, str]], int]:
    """The frames of the thread that crashed ("Current thread", wherever it comes among
    the threads dumped), and the dump's last line read."""
    frames: list[tuple[str, int, str]] = []
    last = fatal
    in_dump = in_current = False
    for number, text in view.span(fatal + 1, fatal + _DUMP_LINES):
        thread = _THREAD.match(text)
        if thread is not None:
            if in_current:
                break
            in_dump, in_current = True, thread.group("current") == "Current thread"
            last = number
            continue
        frame = _FRAME.match(text) if in_dump else None
        if frame is not None:
            if in_current:
                frames.append((frame.group("path"), int(frame.group("line")), frame.group("func")))
            last = number
        elif text[:1].isspace() and in_dump:
            continue  # "  <no Python frame>", "  ..." of a thread too deep to show
        elif text.strip() and (in_dump or number - fatal > 2):
            break
    return frames, last


def _running_test(
    frames: list[tuple[str, int, str]], runner_file: str | None
) -> TestIdentity | None:
    for path, _, func in frames:
        if func.startswith("test") and is_test_path(path) and not is_library_path(path):
            framework = "pytest" if runner_file else "python"
            return TestIdentity(framework, runner_file or path, func)
    return None
