"""Uncaught Node.js errors: an ``XError: message`` line followed by ``at`` frames.

Outside a test runner's failure block, such a stack is the error that ended a step.
``Error: Cannot find module 'x'`` there means the dependencies are not installed. The
command that ran (``$ npm test``, ``> cake build``) tells a failing test suite from a
failing build script. A title line just above the error, after a blank line, is the
test that failed in runners that print ``title`` / ``error`` / ``at …`` (cake, ava).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.line_spans import LineSpans
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, LineRange, Location, Strength, TestIdentity
from sheriff.core.parsers.base import rule
from sheriff.core.parsers.js_commands import recent_command
from sheriff.core.parsers.js_errors import (
    frame_location,
    is_frame,
    js_error_kind,
    project_first,
)
from sheriff.core.parsers.misc_family import block_end
from sheriff.core.scan import Hit

_ERROR_LINE = lazy_compile(
    r"^\s*(?:Uncaught )?(?P<name>(?:[A-Z]\w*)?Error(?: \[\w+\])?): (?P<msg>.*)$"
)
_WRAPPER = lazy_compile(
    r"exited with (?:error )?code|Command failed|failed with exit code|non-zero"
)
_TS_ERRORS = lazy_compile(r"\(\d+,\d+\): |error TS\d+|\(\d{4}\)$")
_TEST_COMMAND = lazy_compile(r"\btest|\bspec\b|jest|mocha|karma|jasmine|\bava\b|tape|qunit|vitest")
_BUILD_COMMAND = lazy_compile(
    r"\bbuild|compile|webpack|rollup|\bvite\b|gulp|grunt|\bmake\b|babel|esbuild|\bdist\b"
)
_OWNED_ELSEWHERE = lazy_compile(r"CssSyntaxError|TSError|Unable to compile TypeScript")
_CARET = lazy_compile(r"^\s*\^+\s*$")
_SEARCH_DOWN = 150

RULES = (
    rule(
        "javascript.node_error",
        r"Error(?: \[\w+\])?: ",
        _ERROR_LINE.pattern,
        before=8,
        after=_SEARCH_DOWN,
    ),
)


def node_findings(view: LogView, hits: Sequence[Hit], claimed: list[LineRange]) -> list[Finding]:
    """Errors followed by a stack, outside every test runner's block."""
    findings: list[Finding] = []
    seen: set[int] = set()
    runners = LineSpans(claimed)
    for hit in hits:
        if hit.number in runners:
            continue
        frames = _frames_after(view, hit.number)
        if frames is None or not (frames or _titled_alike(view, hit.number)):
            continue
        first = frames[0][0] if frames else hit.number
        if first in seen:
            continue
        seen.add(first)
        found = _finding(view, hit.number, frames)
        if found is not None:
            findings.append(found)
    return findings


def _frames_after(view: LogView, error: int) -> list[tuple[int, Location]] | None:
    """The ``at`` frames of the stack that follows an error line (its message may run
    over several lines first); none when another error or a command comes first or
    none is within reach, None when the error is TypeScript's."""
    frames: list[tuple[int, Location]] = []
    for number in range(error + 1, error + _SEARCH_DOWN):
        text = view.text(number)
        if text is None:
            break
        if is_frame(text):
            location = frame_location(text)
            frames.extend([(number, location)] if location else [])
            continue
        if frames or _is_error_line(text) or text.startswith(("$ ", "travis_", "> ")):
            break
        if _is_typescript_error(text):
            return None
    return frames


def _titled_alike(view: LogView, error: int) -> bool:
    """A test title above the error at the error's own indentation (cake and mocha-like
    runners print ``  title`` then ``  XError: …``): a failed test even when its stack
    is out of reach, below a long diff of the expected output."""
    above, text = view.text(error - 1), view.text(error)
    if above is None or text is None or _title_above(view, error) is None:
        return False
    indent = len(text) - len(text.lstrip(" "))
    return indent > 0 and len(above) - len(above.lstrip(" ")) == indent


# Asked of every line below an error: the words the patterns need rule most lines out
# far faster than the patterns can (``_TS_ERRORS`` would stop at every "e").
def _is_error_line(text: str) -> bool:
    return "Error" in text and _ERROR_LINE.match(text) is not None


def _is_typescript_error(text: str) -> bool:
    return ("(" in text or "error TS" in text) and _TS_ERRORS.search(text) is not None


def _finding(view: LogView, error: int, frames: list[tuple[int, Location]]) -> Finding | None:
    text = (view.text(error) or "").strip()
    if _OWNED_ELSEWHERE.search(text):
        return None
    # without a stack, the message ends at a blank line
    last = frames[-1][0] if frames else block_end(view, error, bool, limit=12, blanks=0)
    title = _title_above(view, error)
    command = recent_command(view, error, limit=120) or ""
    failure_type, sub_type = _type_of(text, title, command)
    wrapper = bool(_WRAPPER.search(text))
    start = _crash_header(view, error)
    return Finding(
        tool="node",
        failure_type=failure_type,
        sub_type=sub_type,
        message=text[:500],
        anchor=start if title is None else error - 1,
        ranges=_ranges(start if title is None else error - 1, error, last),
        strength=Strength.PARTIAL if wrapper else Strength.CLEAR,
        test=TestIdentity("node", None, title) if title else None,
        locations=project_first(loc for _, loc in frames)[:8],
        has_stack_trace=bool(frames),
        kind="summary" if wrapper else ("test" if title else "error"),
    )


def _type_of(text: str, title: str | None, command: str) -> tuple[FailureType, str]:
    kind = js_error_kind(text)
    in_tests = title is not None or bool(_TEST_COMMAND.search(command))
    if "Cannot find module" in text and not in_tests:
        return FailureType.DEPENDENCY, "npm"
    if in_tests:
        return FailureType.TEST, kind
    if _BUILD_COMMAND.search(command):
        return FailureType.BUILD, "build_script"
    return FailureType.UNKNOWN, kind


def _title_above(view: LogView, error: int) -> str | None:
    """``  title`` right above the error, with a blank (or summary) line above it."""
    above = view.text(error - 1)
    before = view.text(error - 2)
    if above is None or before is None or not above.strip() or not above.startswith(" "):
        return None
    if is_frame(above) or _CARET.match(above) or _ERROR_LINE.match(above):
        return None
    if before.strip() and not re.match(r"^failed \d+ and passed \d+", before.strip()):
        return None
    return above.strip()


def _crash_header(view: LogView, error: int) -> int:
    """Node prints ``file.js:82`` / the source line / a caret above an uncaught error."""
    for number in range(error - 1, max(error - 6, 0), -1):
        text = view.text(number) or ""
        if re.match(r"^\S+:\d+$", text.strip()) and _CARET.match(view.text(number + 2) or ""):
            return number
    return error


def _ranges(anchor: int, error: int, last: int) -> tuple[LineRange, ...]:
    if last - anchor <= 25:
        return ((anchor, last),)
    return ((anchor, max(error + 12, anchor + 12)),)
