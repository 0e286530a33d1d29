"""Find where a test is defined from the name a CI log gives it.

A log names a test the way its runner prints it: ``TestCart/empty`` (Go),
``tests/test_cart.py::TestCart::test_total[2]`` (pytest), ``Cart › adds items`` (Jest),
``com.shop.CartTest.addsItems()`` (JUnit), ``cart::tests::adds`` (Rust). From it come
POSIX extended regexes for ``git grep -E``, one per language idiom, for the definition
line: ``func TestX(``, ``def test_x(``, ``it('…'``/``test('…'``, ``void x(``, ``fn x(``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sheriff.app.workspace import SourceLocation

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ERE_SPECIAL = frozenset(".[]()*+?{}|^$\\")
_SPACE = "[[:space:]]"
_START = "(^|[^A-Za-z0-9_$])"
_TEST_PATH = re.compile(r"(?i)(^|/)(tests?|spec|__tests__)/|(_test|_spec|\.test|\.spec|test)\.")


def ere_escape(text: str) -> str:
    """``text`` as a literal in a POSIX extended regular expression."""
    return "".join(f"\\{char}" if char in _ERE_SPECIAL else char for char in text)


def definition_patterns(test_name: str) -> list[str]:
    """Regexes for lines that may define the test called ``test_name``."""
    patterns: list[str] = []
    for name in sorted(set(_function_names(test_name))):
        word = ere_escape(name)
        patterns += [
            f"{_START}func{_SPACE}+(\\([^)]*\\){_SPACE}*)?{word}{_SPACE}*\\(",  # Go
            f"{_START}def{_SPACE}+{word}{_SPACE}*\\(",  # Python
            f"{_START}void{_SPACE}+{word}{_SPACE}*\\(",  # Java, C#
            f"{_START}fun{_SPACE}+{word}{_SPACE}*\\(",  # Kotlin
            f"{_START}fn{_SPACE}+{word}{_SPACE}*[(<]",  # Rust
        ]
    title = _title(test_name)
    if title:
        patterns.append(
            f"{_START}(it|test|specify)(\\.[a-z]+)*{_SPACE}*\\({_SPACE}*['\"`]{ere_escape(title)}['\"`]"
        )
        patterns.append(f"{_START}fun{_SPACE}+`{ere_escape(title)}`")  # Kotlin `names`
    return patterns


def _function_names(test_name: str) -> Iterator[str]:
    """The identifier the test's function has, when the name shows one."""
    text = re.sub(r"\[.*\]$", "", test_name.strip())  # pytest parameters
    text = re.sub(r"\(.*\)$", "", text).strip()  # JUnit "name()", unittest "(module.Class)"
    for separator in ("::", " › ", " > "):
        if separator in text:
            text = text.rsplit(separator, 1)[1].strip()
    first, slash, _ = text.partition("/")
    if slash:  # a Go subtest is named after its function; otherwise a path
        text = first if _IDENTIFIER.fullmatch(first) else text.rsplit("/", 1)[1]
    last = re.split(r"[.#]", text)[-1]
    if _IDENTIFIER.fullmatch(last):
        yield last


def _title(test_name: str) -> str:
    """The last title of a JS-style name (``Suite › nested › title``)."""
    for separator in (" › ", " > ", " ▸ "):
        if separator in test_name:
            return test_name.rsplit(separator, 1)[1].strip()
    text = test_name.strip()
    return text if text and "::" not in text else ""


def parse_grep(output: bytes, *, prefix: str = "") -> list[SourceLocation]:
    """Lines of ``git grep -n -z`` output; ``prefix`` (``sha:``) is stripped from paths."""
    found: list[SourceLocation] = []
    for record in output.decode("utf-8", "replace").splitlines():
        path, _, rest = record.partition("\0")
        number, _, text = rest.partition("\0")
        if not number.isdigit():
            continue
        found.append(SourceLocation(path.removeprefix(prefix), int(number), text.strip()))
    return found


def rank_definitions(locations: list[SourceLocation], limit: int = 20) -> list[SourceLocation]:
    """Test files first, then by path and line."""
    ordered = sorted(
        locations, key=lambda found: (_TEST_PATH.search(found.path) is None, found.path, found.line)
    )
    return ordered[:limit]
