"""Quarantine a flaky test in its framework's own idiom, as a pure text transform.

``quarantine_test(text, test, issue_url)`` returns the patched file text (``QuarantinePatch``)
or why it cannot (``CannotQuarantine``). Patching a test that is already skipped changes
nothing (``changed`` is False). ``locate_test_file`` picks the file that defines a test
among candidate ``(path, text)`` pairs the app read from the repository, and
``search_hint`` says what to look for to find those candidates.

| framework | idiom |
|---|---|
| go | ``t.Skip("flaky: <url>")`` first in ``func TestX(t *testing.T)`` (subtests: the parent) |
| pytest / unittest | ``@pytest.mark.skip(reason=...)`` / ``@unittest.skip(...)`` (+ import) |
| jest / vitest | ``it.skip`` / ``test.skip`` and a ``// flaky: <url>`` comment |
| junit | ``@Disabled("...")`` (JUnit 5) or ``@Ignore("...")`` (JUnit 4) (+ import) |
| cargo test | ``#[ignore = "flaky: <url>"]`` |
| rspec / minitest | ``skip '...'`` first in the example or test method |
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sheriff.core.model import TestIdentity
from sheriff.core.quarantine.go import defines_go_test, quarantine_go
from sheriff.core.quarantine.javascript import defines_js_test, quarantine_js, title_path
from sheriff.core.quarantine.jvm import class_name, defines_jvm_test, method_name, quarantine_jvm
from sheriff.core.quarantine.python import defines_python_test, quarantine_python
from sheriff.core.quarantine.ruby import defines_ruby_test, quarantine_ruby
from sheriff.core.quarantine.rust import defines_rust_test, function_name, quarantine_rust
from sheriff.core.quarantine.source import (
    CannotQuarantine,
    QuarantineOutcome,
    QuarantinePatch,
    skip_reason,
)

Patcher = Callable[[str, TestIdentity, str], QuarantineOutcome]
Finder = Callable[[str, TestIdentity], bool]


@dataclass(frozen=True, slots=True)
class _Idiom:
    patch: Patcher
    defines: Finder
    extensions: tuple[str, ...]


_GO = _Idiom(quarantine_go, defines_go_test, ("_test.go",))
_PYTHON = _Idiom(quarantine_python, defines_python_test, (".py",))
_JS = _Idiom(
    quarantine_js, defines_js_test, (".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts")
)
_JVM = _Idiom(quarantine_jvm, defines_jvm_test, (".java", ".kt"))
_RUST = _Idiom(quarantine_rust, defines_rust_test, (".rs",))
_RUBY = _Idiom(quarantine_ruby, defines_ruby_test, (".rb",))

IDIOMS: dict[str, _Idiom] = {
    "go": _GO,
    "pytest": _PYTHON,
    "unittest": _PYTHON,
    "jest": _JS,
    "vitest": _JS,
    "junit": _JVM,
    "cargo test": _RUST,
    "cargo-nextest": _RUST,
    "rspec": _RUBY,
    "minitest": _RUBY,
}


@dataclass(frozen=True, slots=True)
class SearchHint:
    """What to look for in the repository: files ending in one of ``extensions`` that
    contain ``needle`` (a plain string); ``path`` is the file when the identity names it."""

    extensions: tuple[str, ...]
    needle: str
    path: str | None = None


def can_quarantine(test: TestIdentity | None) -> bool:
    return test is not None and test.framework in IDIOMS


def quarantine_test(text: str, test: TestIdentity, issue_url: str) -> QuarantineOutcome:
    """The file's text with ``test`` skipped and linked to ``issue_url``."""
    idiom = IDIOMS.get(test.framework)
    if idiom is None:
        return CannotQuarantine(f"Sheriff does not know how to skip a {test.framework} test")
    return idiom.patch(text, test, skip_reason(issue_url))


def search_hint(test: TestIdentity) -> SearchHint | None:
    idiom = IDIOMS.get(test.framework)
    if idiom is None:
        return None
    return SearchHint(idiom.extensions, _needle(test), _named_path(test))


_NEEDLES: dict[str, Callable[[TestIdentity], str]] = {
    "go": lambda test: f"func {test.name.split('/')[0]}(",
    "pytest": lambda test: f"def {test.name.split('[', 1)[0]}(",
    "unittest": lambda test: f"def {test.name.split(' ', 1)[0]}(",
    "jest": lambda test: title_path(test)[-1],
    "vitest": lambda test: title_path(test)[-1],
    "junit": lambda test: f"{method_name(test)}(",
    "cargo test": lambda test: f"fn {function_name(test)}",
    "cargo-nextest": lambda test: f"fn {function_name(test)}",
    "minitest": lambda test: f"def {test.name}",
}


def _needle(test: TestIdentity) -> str:
    """A plain string the defining file contains (rspec: the example's last words)."""
    needle = _NEEDLES.get(test.framework)
    return needle(test) if needle else test.name.rsplit(" ", 1)[-1]


def _named_path(test: TestIdentity) -> str | None:
    """The test file when the identity names it (pytest, jest, vitest, rspec)."""
    framework, suite = test.framework, test.suite or ""
    if framework == "pytest":
        return suite.split("::", 1)[0] or None
    if framework in ("jest", "rspec"):
        return suite or None
    if framework == "vitest" and " > " in test.name:
        return test.name.split(" > ", 1)[0]
    if framework == "junit" and suite:
        return suite.split("$", 1)[0].replace(".", "/")  # a path stem: add .java or .kt
    return None


def locate_test_file(candidates: Sequence[tuple[str, str]], test: TestIdentity) -> str | None:
    """The path, among ``(path, text)`` candidates, of the file that defines ``test``:
    the file the identity names when it defines the test, else the only file with the
    right extension that does, preferring one whose directory matches the Go package or
    Java class. None when no file, or several equally good files, define it."""
    idiom = IDIOMS.get(test.framework)
    if idiom is None:
        return None
    defining = [
        path
        for path, text in candidates
        if path.endswith(idiom.extensions) and idiom.defines(text, test)
    ]
    named = _named_path(test)
    ranked = sorted(defining, key=lambda path: -_path_score(path, test, named))
    if not ranked:
        return None
    if len(ranked) > 1 and _path_score(ranked[0], test, named) == _path_score(
        ranked[1], test, named
    ):
        return None
    return ranked[0]


def _path_score(path: str, test: TestIdentity, named: str | None) -> int:
    clean = path.removeprefix("./")
    if named and (clean == named or clean.endswith("/" + named.removeprefix("./"))):
        return 3
    if named and test.framework == "junit" and clean.rsplit(".", 1)[0].endswith(named):
        return 3
    if test.framework == "go" and test.suite:
        directory = clean.rsplit("/", 1)[0] if "/" in clean else ""
        if directory and test.suite.endswith(directory):
            return 2
    owner = class_name(test) if test.framework == "junit" else None
    return 1 if owner and clean.rsplit("/", 1)[-1].startswith(owner + ".") else 0


__all__ = [
    "IDIOMS",
    "CannotQuarantine",
    "QuarantineOutcome",
    "QuarantinePatch",
    "SearchHint",
    "can_quarantine",
    "locate_test_file",
    "quarantine_test",
    "search_hint",
    "skip_reason",
]
