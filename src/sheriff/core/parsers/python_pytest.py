"""pytest: failure sections, collection errors, short summary and progress lines.

A failure section starts at a ``____ test_x[param] ____`` header and runs to the next
header or ``====`` banner; its ``E   `` lines carry the error and its footer
(``path.py:12: AssertionError``) the innermost location. The ``FAILED x::y - msg``
short-summary and ``x::y FAILED`` progress lines only repeat a failure (kind summary)
unless the section itself is missing from the log.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, LineRange, Location, Strength, TestIdentity
from sheriff.core.parsers.base import merge_ranges, rule
from sheriff.core.parsers.python_pytest_lines import RULES as LINE_RULES
from sheriff.core.parsers.python_pytest_lines import known_suites, line_finding
from sheriff.core.parsers.python_traceback import (
    Traceback,
    is_library_path,
    is_traceback_header,
    kind_of_block,
    project_first,
    read_traceback,
)
from sheriff.core.scan import Hit

_HEADER = lazy_compile(r"^_{1,} (?P<title>[^_\s].*?) _{1,}$")
_SECTION_END = lazy_compile(r"^(?:={3,}|-{3,} (?:coverage|generated xml|Captured log|live log))")
_CAPTURED = lazy_compile(r"^-{3,} (?:Captured|[\w -]+ logs?\b)")
_ERROR_LINE = lazy_compile(r"^E(?:\s|$)")
_FOOTER = lazy_compile(r"^(?P<path>[^\s:][^:]*?):(?P<line>\d+): (?P<exc>[A-Za-z_][\w.]*)$")
_FRAME_LINE = lazy_compile(r"^(?P<path>[^\s:][^:]*?):(?P<line>\d+):(?: in \S+)?\s*$")
_EXCEPTION_TEXT = lazy_compile(
    r"^([\w.]+(?:Error|Exception|Exit|Failed|Interrupt|Warning)|Failed)\b"
)
_ERROR_TITLE = lazy_compile(r"^ERROR (?:at (?P<phase>setup|teardown) of |collecting )(?P<rest>.+)$")
_SYNTAX_FILE = lazy_compile(r'File "([^"]+)", line \d+')
_TEST_FILE = lazy_compile(r"(?:^|/)tests?/|(?:^|/)test_[^/]*\.py$|_test\.py$|conftest\.py$")
_MAX_SECTION = 400
# Cheap tests first (sections run to hundreds of lines): every line the patterns above
# can match starts with one of these or holds this text.
_END_OR_HEADER = ("===", "---", "_")
_PATH_LINE = ":"

_Suites = dict[tuple[str | None, str], str]

RULES = (
    *LINE_RULES,
    rule(
        "python_tests.pytest_header",
        r"_{3,} [^\r\n]+ _{3,}|_ [^\r\n]+ _(?:\x1b\[[0-9;]*m)*\r?(?m:$)",
        _HEADER.pattern,
        before=5,
        after=300,
    ),
)


@dataclass(frozen=True, slots=True)
class Section:
    header: int
    last: int
    title: str
    counted: bool


def pytest_findings(view: LogView, hits: Sequence[Hit]) -> tuple[list[Finding], list[LineRange]]:
    """Findings from pytest hits, and the line ranges their sections claim."""
    findings: list[Finding] = []
    claimed: list[LineRange] = []
    suites = known_suites(hits)
    banners: dict[int, bool | None] = {}
    for hit in hits:
        if not hit.rule.id.endswith("pytest_header"):
            found = line_finding(view, hit)
            findings.extend([found] if found else [])
            continue
        section = _section(view, hit, banners) if hit.match is not None else None
        if section is None:
            continue
        claimed.append((section.header, section.last))
        found = _section_finding(view, section, suites) if section.counted else None
        findings.extend([found] if found else [])
    return findings, claimed


def _section(view: LogView, hit: Hit, banners: dict[int, bool | None]) -> Section | None:
    assert hit.match is not None
    title = hit.match.group("title").strip()
    if title.startswith("_ ") or " _ _ " in f" {title} ":
        return None
    last = hit.number
    for number in range(hit.number + 1, hit.number + _MAX_SECTION):
        text = view.text(number)
        if text is None:
            break
        if text.startswith(_END_OR_HEADER) and (_SECTION_END.match(text) or _is_header(text)):
            break
        last = number
    while last > hit.number and not (view.text(last) or "").strip():
        last -= 1
    return Section(hit.number, last, title, _in_failure_area(view, hit.number, title, banners))


_FAILURE_BANNER = lazy_compile(r"^=+ (?:FAILURES|ERRORS) =+$")


def _is_header(text: str) -> bool:
    match = _HEADER.match(text)
    return match is not None and not match.group("title").startswith("_ ")


def _in_failure_area(
    view: LogView, number: int, title: str, banners: dict[int, bool | None]
) -> bool:
    """A header counts under a FAILURES/ERRORS banner (not RERUNS, PASSES, warnings…);
    with no banner in sight, only when it names a test or a collection error."""
    banner = _banner_above(view, number, banners)
    if banner is not None:
        return banner
    return title.startswith(("ERROR collecting", "ERROR at ", "test", "Test"))


def _banner_above(view: LogView, number: int, banners: dict[int, bool | None]) -> bool | None:
    """Whether the nearest ``===`` banner above is FAILURES/ERRORS (None: no banner).

    Headers are visited in order; the walk back stops at an earlier header whose answer
    is already known, so a log with many sections is read once, not once per section.
    """
    found: bool | None = None
    for back in range(number - 1, max(number - 3000, 0), -1):
        if back in banners:
            found = banners[back]
            break
        text = view.text(back)
        if text is None:
            break
        if text.startswith("==="):
            found = bool(_FAILURE_BANNER.match(text))
            break
    banners[number] = found
    return found


def _section_finding(view: LogView, section: Section, suites: _Suites) -> Finding | None:
    lines = list(view.span(section.header, section.last))
    captured = _captured_start(lines)
    errors = [(n, t) for n, t in lines if n <= captured and t[:1] == "E" and _ERROR_LINE.match(t)]
    footer = _footer(lines)
    traceback = _native_traceback(view, lines) if not errors else None
    if not errors and footer is None and traceback is None:
        return None
    message = _message(errors, footer, traceback)
    block_text = "\n".join(t for _, t in lines)
    sub_type = kind_of_block(message, block_text)
    ranges = _ranges(section, lines, errors, footer, traceback)
    locations = _locations(lines, traceback)
    failure_type, test, sub_type = _identity(section, lines, sub_type, suites)
    return Finding(
        tool="pytest",
        failure_type=failure_type,
        sub_type=sub_type,
        message=message[:500],
        anchor=section.header,
        ranges=ranges,
        strength=Strength.CLEAR,
        test=test,
        locations=locations,
        has_stack_trace=len(locations) > 1 or traceback is not None,
        kind="test" if test is not None else "error",
    )


def _captured_start(lines: list[tuple[int, str]]) -> int:
    for number, text in lines:
        if text.startswith("---") and _CAPTURED.match(text):
            return number
    return lines[-1][0] if lines else 0


def _footer(lines: list[tuple[int, str]]) -> tuple[int, re.Match[str]] | None:
    found = None
    for number, text in lines:
        match = _FOOTER.match(text) if _PATH_LINE in text else None
        if match:
            found = (number, match)
    return found


def _native_traceback(view: LogView, lines: list[tuple[int, str]]) -> Traceback | None:
    for number, text in lines:
        if is_traceback_header(text):
            return read_traceback(view, number)
    return None


def _message(
    errors: list[tuple[int, str]],
    footer: tuple[int, re.Match[str]] | None,
    traceback: Traceback | None,
) -> str:
    if traceback is not None:
        return traceback.text
    texts = [t[1:].strip() for _, t in errors if t[1:].strip()]
    exc = footer[1].group("exc") if footer else ""
    chosen = next((t for t in texts if exc and t.startswith(exc)), None)
    chosen = chosen or next((t for t in texts if _EXCEPTION_TEXT.match(t)), None)
    chosen = chosen or (texts[0] if texts else exc)
    if exc and exc.split(".")[-1] not in chosen:
        chosen = f"{exc}: {chosen}"
    following = [t for t in texts if t != chosen][:3]
    return "\n".join([chosen, *following])


def _ranges(
    section: Section,
    lines: list[tuple[int, str]],
    errors: list[tuple[int, str]],
    footer: tuple[int, re.Match[str]] | None,
    traceback: Traceback | None,
) -> tuple[LineRange, ...]:
    ranges: list[LineRange] = [(section.header, section.header)]
    if section.last - section.header <= 30:
        return ((section.header, section.last),)
    for number, text in lines:
        if text.startswith(">") or (_PATH_LINE in text and _FRAME_LINE.match(text)):
            ranges.append((number, number))
    for number, _ in errors[:25]:
        ranges.append((max(number - 1, section.header), number))
    if footer is not None:
        ranges.append((footer[0], footer[0]))
    if traceback is not None:
        first, last = traceback.header, traceback.last
        ranges.append((first, first))
        ranges.append((max(first, last - 12), last))
    return merge_ranges(ranges)


def _locations(lines: list[tuple[int, str]], traceback: Traceback | None) -> tuple[Location, ...]:
    found: list[Location] = []
    if traceback is not None:
        found.extend(location for _, location in traceback.frames)
    for _, text in lines:
        if _PATH_LINE not in text:
            continue
        match = _FOOTER.match(text) or _FRAME_LINE.match(text)
        if match:
            found.append(Location(match.group("path"), int(match.group("line"))))
    return project_first(found)[:8]


def _identity(
    section: Section, lines: list[tuple[int, str]], sub_type: str, suites: _Suites
) -> tuple[FailureType, TestIdentity | None, str]:
    error = _ERROR_TITLE.match(section.title)
    if error and error.group("phase") is None:
        return _collection_error(error.group("rest"), lines, sub_type)
    title = error.group("rest") if error else section.title
    if error and sub_type == "exception":
        sub_type = "setup"
    base, bracket, param = title.partition("[")
    cls, dot, name = base.rpartition(".")
    if not dot or "/" in cls:
        cls, name = "", base
    leaf = name + bracket + param
    suite = suites.get((cls or None, leaf)) or _suite_from_frames(lines, cls)
    return FailureType.TEST, TestIdentity("pytest", suite, leaf), sub_type


def _collection_error(
    path: str, lines: list[tuple[int, str]], sub_type: str
) -> tuple[FailureType, TestIdentity | None, str]:
    """A module pytest could not import. A syntax error in the code under test (not in
    the test module) is a build failure; anything else fails the test module."""
    test = TestIdentity("pytest", None, path)
    if sub_type == "syntax":
        where = next((m.group(1) for _, t in lines if (m := _SYNTAX_FILE.search(t))), path)
        if not _TEST_FILE.search(where):
            return FailureType.BUILD, test, "syntax"
    return FailureType.TEST, test, "collection_error" if sub_type == "exception" else sub_type


def _suite_from_frames(lines: list[tuple[int, str]], cls: str) -> str | None:
    """The test's file: the first frame of its section (the test function itself)."""
    for _, text in lines:
        if _PATH_LINE not in text:
            continue
        match = _FRAME_LINE.match(text) or _FOOTER.match(text)
        if match and not is_library_path(match.group("path")):
            return f"{match.group('path')}::{cls}" if cls else match.group("path")
    return cls or None
