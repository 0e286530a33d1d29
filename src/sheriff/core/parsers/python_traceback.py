"""Reading Python tracebacks, and naming the kind of a Python error.

Shared by the Python test parsers: a ``Traceback (most recent call last):`` block is
read into frames and the exception that ended it, and an exception (name + message)
is mapped onto the error kinds used as sub-types (``assertion``, ``timeout`` …).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import Location

TRACEBACK_HEADER = lazy_compile(r"^(?P<indent>\s*)Traceback \(most recent call last\):\s*$")
_TRACEBACK_WORDS = "Traceback (most recent call last):"
_FRAME = lazy_compile(r'^\s*File "(?P<path>[^"]+)", line (?P<line>\d+)(?:, in (?P<func>.+))?')
_EXCEPTION = lazy_compile(r"^(?P<name>[A-Za-z_][\w.]*)(?::(?P<message>.*))?$")
_CHAIN = lazy_compile(
    r"^\s*(?:During handling of the above exception, another exception occurred:"
    r"|The above exception was the direct cause of the following exception:)\s*$"
)
# ``<string>``-like pseudo files start with "<"; kept out of the pattern, whose plain
# alternatives alone let the regex engine skip to the few places they can start.
_LIBRARY = lazy_compile(
    r"site-packages|dist-packages|/lib/python\d|\\lib\\|/usr/lib/|/_pytest/|/pluggy/"
    r"|/importlib/|/unittest/|/nose/"
)
_TEST_MODULE = lazy_compile(r"(?:^|/)tests?/|(?:^|/)test_[^/]*\.py$|_tests?\.py$")
_MAX_FRAMES_LINES = 400
_MAX_MESSAGE_LINES = 8
_MAX_INTERLEAVED = 4
"""Lines of other output read past between the header and the first frame: a script's
buffered stdout often lands inside the traceback its stderr is printing."""


@dataclass(frozen=True, slots=True)
class Traceback:
    """One traceback: where it starts, its frames and the exception that ended it."""

    header: int
    last: int
    frames: tuple[tuple[int, Location], ...]
    exception_line: int
    exception: str
    message: str

    @property
    def text(self) -> str:
        return f"{self.exception}: {self.message}" if self.message else self.exception


def is_library_path(path: str) -> bool:
    """Whether a frame's file belongs to the interpreter or an installed package."""
    return path.startswith("<") or _LIBRARY.search(path) is not None


def is_test_path(path: str) -> bool:
    """Whether a file is a test module (under ``tests/``, ``test_*.py``, ``*_test(s).py``)."""
    return _TEST_MODULE.search(path) is not None


def is_traceback_header(text: str) -> bool:
    """``Traceback (most recent call last):`` (tried on many lines: the words come first)."""
    return _TRACEBACK_WORDS in text and TRACEBACK_HEADER.match(text) is not None


def read_traceback(view: LogView, header: int) -> Traceback | None:
    """Read the traceback whose ``Traceback (most recent call last):`` line is ``header``."""
    text = view.text(header)
    start = TRACEBACK_HEADER.match(text or "")
    if start is None:
        return None
    base = len(start.group("indent"))
    frames: list[tuple[int, Location]] = []
    for number in range(header + 1, header + _MAX_FRAMES_LINES):
        line = view.text(number)
        if line is None:
            return None
        frame = _FRAME.match(line)
        if frame:
            frames.append((number, Location(frame.group("path"), int(frame.group("line")))))
            continue
        indent = len(line) - len(line.lstrip())
        if not line.strip() or indent > base:
            continue
        exception = _EXCEPTION.match(line[base:])
        if exception is None and not frames and number - header <= _MAX_INTERLEAVED:
            continue  # other output before the first frame
        if exception is None:
            return None
        return _finish(view, (header, number, base), frames, exception)
    return None


def _finish(
    view: LogView,
    where: tuple[int, int, int],
    frames: list[tuple[int, Location]],
    exception: re.Match[str],
) -> Traceback:
    """``where`` is (header line, exception line, indentation of the traceback)."""
    header, number, base = where
    message = (exception.group("message") or "").strip()
    last = number
    for following in range(number + 1, number + _MAX_MESSAGE_LINES):
        line = view.text(following)
        if line is None or not line.strip() or _CHAIN.match(line):
            break
        if TRACEBACK_HEADER.match(line) or len(line) - len(line.lstrip()) < base:
            break
        last = following
    return Traceback(header, last, tuple(frames), number, exception.group("name"), message[:400])


def chained_before(view: LogView, header: int) -> int | None:
    """The header of the traceback this one was raised while handling, if any."""
    for number in range(header - 1, max(header - 4, 0), -1):
        line = view.text(number)
        if line is None:
            return None
        if _CHAIN.match(line):
            return _previous_header(view, number)
        if line.strip():
            return None
    return None


def _previous_header(view: LogView, chain_line: int) -> int | None:
    for number in range(chain_line - 1, max(chain_line - _MAX_FRAMES_LINES, 0), -1):
        line = view.text(number)
        if line is None:
            return None
        if is_traceback_header(line):
            return number
    return None


def project_first(locations: Iterable[Location]) -> tuple[Location, ...]:
    """Innermost project frames first, then the library frames (innermost first)."""
    ordered = list(dict.fromkeys(reversed(list(locations))))
    in_library = [is_library_path(loc.path) for loc in ordered]
    project = [loc for loc, lib in zip(ordered, in_library, strict=True) if not lib]
    library = [loc for loc, lib in zip(ordered, in_library, strict=True) if lib]
    return tuple(project + library)


_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("import_error", lazy_compile(r"\b(?:ModuleNotFoundError|ImportError)\b")),
    ("syntax", lazy_compile(r"\b(?:SyntaxError|IndentationError|TabError)\b")),
    (
        "timeout",
        lazy_compile(
            r"\bTimeout(?:Error|Expired)?\b|\btimed out\b|Failed: Timeout|\bDeadlineExceeded",
            re.I,
        ),
    ),
    (
        "network",
        lazy_compile(
            r"Connection(?:Refused|Reset|Aborted)?Error|NewConnectionError|MaxRetryError"
            r"|Connection refused|Connection reset|Name or service not known"
            r"|Name does not resolve|Temporary failure in name resolution|gaierror"
            r"|URLError|RemoteDisconnected",
        ),
    ),
    ("assertion", lazy_compile(r"\bAssertionError\b|^assert\b|\bAssertion(?:Failed)?\b")),
)


def error_kind(text: str) -> str:
    """The kind of a Python error, as a sub-type: ``assertion``, ``timeout``, …."""
    for kind, pattern in _KINDS:
        if pattern.search(text):
            return kind
    return "exception"


_IMPORT_FAILED = lazy_compile(r"^\s*(?:E\s+)?(?:ModuleNotFoundError|ImportError): ", re.M)


def kind_of_block(exception_text: str, block_text: str) -> str:
    """The kind of a failing test: its own exception, unless a tested subprocess
    could not import a module (a dependency problem that surfaces inside the test)."""
    own = error_kind(exception_text)
    if own in {"assertion", "exception"} and _imports_failed(block_text):
        return "import_error"
    return own


def _imports_failed(block_text: str) -> bool:
    # The pattern starts at every line (``^`` under re.M), which the regex engine cannot
    # skip to: the words it needs rule most blocks out at a fraction of the cost.
    if "ImportError: " not in block_text and "ModuleNotFoundError: " not in block_text:
        return False
    return _IMPORT_FAILED.search(block_text) is not None
