import gc
import importlib
import pkgutil
import re

import pytest

import sheriff.core
from sheriff.core.lazy_regex import compile_all, lazy_compile

PYTEST_LINE = r"^(?P<outcome>FAILED|ERROR) (?P<test>\S+?)(?: - (?P<message>.*))?$"
LINES = [
    "FAILED tests/test_api.py::test_login - AssertionError: 401 != 200",
    "ERROR tests/test_db.py::test_migrate",
    "PASSED tests/test_api.py::test_logout",
]


def test_a_stand_in_answers_as_the_compiled_pattern_does() -> None:
    stand_in = lazy_compile(PYTEST_LINE, re.MULTILINE)
    compiled = re.compile(PYTEST_LINE, re.MULTILINE)
    text = "\n".join(LINES)

    for line in LINES:
        lazy_match, match = stand_in.search(line), compiled.search(line)
        assert (lazy_match and lazy_match.groupdict()) == (match and match.groupdict())
        assert bool(stand_in.match(line)) == bool(compiled.match(line))
        assert bool(stand_in.fullmatch(line)) == bool(compiled.fullmatch(line))
    assert [m.span() for m in stand_in.finditer(text)] == [
        m.span() for m in compiled.finditer(text)
    ]
    assert stand_in.findall(text) == compiled.findall(text)
    assert stand_in.sub(r"\g<test>", text) == compiled.sub(r"\g<test>", text)
    assert stand_in.subn("x", text) == compiled.subn("x", text)
    assert stand_in.split(text) == compiled.split(text)
    assert (stand_in.flags, stand_in.groups) == (compiled.flags, compiled.groups)
    assert stand_in.groupindex == compiled.groupindex


def test_bytes_patterns_compile_lazily_too() -> None:
    stand_in = lazy_compile(rb"\x1b\[[0-9;]*m")

    assert stand_in.sub(b"", b"\x1b[31mFAIL\x1b[0m") == b"FAIL"


def test_the_pattern_is_compiled_on_first_use_only() -> None:
    stand_in = lazy_compile(r"panic: (?P<message>.+)")

    assert stand_in.pattern == r"panic: (?P<message>.+)"
    assert "search" not in vars(stand_in)  # reading the source compiles nothing
    stand_in.match("panic: boom")
    search = vars(stand_in)["search"]
    assert stand_in.search is search  # later calls go straight to the compiled method


def test_a_mistyped_pattern_fails_on_first_use_with_the_stdlib_error() -> None:
    stand_in = lazy_compile(r"FAIL(?P<name")

    with pytest.raises(re.error, match="missing >"):
        stand_in.search("FAIL")


def test_attributes_a_pattern_lacks_are_refused_without_compiling() -> None:
    stand_in = lazy_compile(r"(unbalanced")

    with pytest.raises(AttributeError):
        stand_in.no_such_attribute  # type: ignore[attr-defined]  # noqa: B018
    assert not hasattr(stand_in, "__wrapped__")


def test_every_pattern_in_sheriffs_core_compiles() -> None:
    """A lazy pattern with a typo would only fail when a log first used it: compiling
    every one here keeps that failure in the test run."""
    for module in pkgutil.walk_packages(sheriff.core.__path__, "sheriff.core."):
        importlib.import_module(module.name)

    gc.collect()  # the mistyped patterns of the tests above are gone

    assert compile_all() > 500  # 584 when this test was written
