"""JavaScript errors: stack frames, library paths and the kind of an error message."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import Location

FRAME = lazy_compile(
    r"^\s*(?:at |❯ )(?:(?P<func>[^()]*?) \()?(?P<path>(?:file://)?[^\s()]+?)"
    r":(?P<line>\d+):(?P<col>\d+)\)?\s*$"
)
_BARE_FRAME = lazy_compile(r"^\s*at (?:\S.*|<\w+>)$")
# Library paths: anywhere in the path, or at its start. Two patterns, not one: an
# alternation mixing ``^`` with plain words is tried at every position of the path.
_LIBRARY_ANYWHERE = lazy_compile(r"node_modules|<anonymous>|/jest-circus/|/vitest/|\(<")
_LIBRARY_START = lazy_compile(
    r"node:|internal/|(?:module|events|timers|bootstrap_node|_stream_\w+)\.js$|native$"
)
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "import_error",
        lazy_compile(r"Cannot find module|ERR_MODULE_NOT_FOUND|Cannot resolve module"),
    ),
    ("syntax", lazy_compile(r"\bSyntaxError\b|Unexpected token")),
    (
        "timeout",
        lazy_compile(
            r"Timeout of \d+ms exceeded|Exceeded timeout|timed? ?out|Timeout \d+ms exceeded"
            r"|TimeoutError|Timed out retrying",
            re.I,
        ),
    ),
    (
        "network",
        lazy_compile(r"ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|socket hang up"),
    ),
    (
        "assertion",
        lazy_compile(
            r"AssertionError|\bexpect(?:ed)?\b|to (?:be|equal|have|contain|match)\b|toBe|toEqual"
            r"|should\b|Assertion|baseline|differ|mismatch",
            re.I,
        ),
    ),
)


def js_error_kind(text: str) -> str:
    """``assertion``, ``timeout``, ``network``, ``syntax``, ``import_error`` or
    ``exception`` for a JavaScript error message."""
    for kind, pattern in _KINDS:
        if pattern.search(text):
            return kind
    return "exception"


def is_frame(text: str) -> bool:
    if "at " not in text and "❯ " not in text:  # most lines: no need for the patterns
        return False
    return bool(FRAME.match(text) or _BARE_FRAME.match(text))


def frame_location(text: str) -> Location | None:
    match = FRAME.match(text)
    if match is None:
        return None
    path = match.group("path").removeprefix("file://")
    return Location(path, int(match.group("line")))


def is_library(path: str) -> bool:
    return bool(_LIBRARY_ANYWHERE.search(path) or _LIBRARY_START.match(path))


def project_first(locations: Iterable[Location]) -> tuple[Location, ...]:
    """Project frames first, in stack order (innermost first), then library frames."""
    ordered = list(dict.fromkeys(locations))
    in_library = [is_library(loc.path) for loc in ordered]
    return tuple(
        [loc for loc, lib in zip(ordered, in_library, strict=True) if not lib]
        + [loc for loc, lib in zip(ordered, in_library, strict=True) if lib]
    )


def frames_in(view: LogView, first: int, last: int) -> list[tuple[int, Location]]:
    found: list[tuple[int, Location]] = []
    for number, text in view.span(first, last):
        location = frame_location(text)
        if location is not None:
            found.append((number, location))
    return found
