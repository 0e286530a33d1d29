"""Which changes of a pull request a failure points at.

A failure names a test (with its file or package) and source locations (stack frames,
compiler errors); the pull request changed files in hunks. The links found, strongest
first:

- ``hunk``: a location of the failure lies inside a changed hunk;
- ``test_changed``: the failing test's own definition is in a changed line or hunk;
- ``file``: a location's file, or the failing test's file, was changed elsewhere;
- ``symbol``: a function the failure message calls (``total(...)``) is in a changed line;
- ``named``: a changed source file is what the test file is named after
  (``tests/test_pricing.py`` ↔ ``shop/pricing.py``, ``FooTest.java`` ↔ ``Foo.java``);
- ``package``: a changed file lives in the failing test's directory or Go package.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import IntEnum

from sheriff.core.analysis.snippets import repository_path
from sheriff.core.model import Location, TestIdentity
from sheriff.core.pr_report.diff import ChangedFile, Hunk
from sheriff.core.quarantine import search_hint

MAX_LINKS = 8
_CALLED = re.compile(r"\b([A-Za-z_][A-Za-z0-9_]{2,})\s*\(")
_NOT_SYMBOLS = frozenset(
    {
        "assert", "assertEqual", "assertTrue", "assertFalse", "expect", "print", "len", "str",
        "int", "repr", "float", "list", "dict", "tuple", "set", "where", "Error", "panic",
        "require", "equal", "Equal", "toBe", "toEqual", "should", "eq", "func", "function",
    }
)  # fmt: skip
_TEST_AFFIXES = re.compile(
    r"^(?:test_|tests_)|(?:_test|_tests|_spec|Tests|Test|Spec|IT|\.test|\.spec)$"
)
_TEST_DIRS = re.compile(r"(?:^|/)(?:tests?|spec|__tests__|src/test)/")


class LinkKind(IntEnum):
    """How a failure points at a change; a larger value is a stronger link."""

    PACKAGE = 1
    NAMED = 2
    SYMBOL = 3
    FILE = 4
    TEST_CHANGED = 5
    HUNK = 6

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class FailureSubject:
    """What correlation reads of one failure."""

    test: TestIdentity | None
    locations: tuple[Location, ...]
    message: str


@dataclass(frozen=True, slots=True)
class ChangeLink:
    kind: LinkKind
    path: str
    detail: str
    line: int | None = None  # the failure's line in the new file, when it names one
    hunk: Hunk | None = None


def correlate(
    subject: FailureSubject, files: Sequence[ChangedFile], repo: str
) -> tuple[ChangeLink, ...]:
    """The links between the failure and the pull request's changes, strongest first, at
    most one per (kind, path) and ``MAX_LINKS`` in all."""
    if not files:
        return ()
    by_path = {item.path: item for item in files if item.status != "removed"}
    found = [
        *_location_links(subject.locations, by_path, repo),
        *_test_links(subject.test, files, repo),
        *_symbol_links(subject.message, files),
    ]
    best: dict[str, ChangeLink] = {}
    for link in sorted(found, key=lambda item: -item.kind):
        best.setdefault(link.path, link)
    return tuple(sorted(best.values(), key=lambda item: (-item.kind, item.path)))[:MAX_LINKS]


def failing_test_path(test: TestIdentity | None, repo: str) -> str | None:
    """The failing test's file (or a path stem for JVM classes) inside the repository."""
    if test is None:
        return None
    hint = search_hint(test)
    named = hint.path if hint is not None else None
    if named is None and test.framework == "go" and test.suite:
        named = test.suite
    return repository_path(named, repo) if named else None


def _location_links(
    locations: Sequence[Location], by_path: dict[str, ChangedFile], repo: str
) -> Iterator[ChangeLink]:
    for location in locations:
        path = repository_path(location.path, repo)
        changed = by_path.get(path) if path else None
        if changed is None:
            continue
        hunk = changed.hunk_at(location.line) if location.line else None
        if hunk is not None:
            detail = f"line {location.line} of the failure is in a changed hunk"
            yield ChangeLink(LinkKind.HUNK, changed.path, detail, location.line, hunk)
        else:
            where = f" (line {location.line})" if location.line else ""
            detail = f"the failure points into this file{where}, which the pull request changes"
            yield ChangeLink(LinkKind.FILE, changed.path, detail, location.line)


def _test_links(
    test: TestIdentity | None, files: Sequence[ChangedFile], repo: str
) -> Iterator[ChangeLink]:
    path = failing_test_path(test, repo)
    if test is None or path is None:
        return
    hint = search_hint(test)
    needle = hint.needle if hint is not None else test.name
    for changed in files:
        if changed.status == "removed":
            continue
        if _same_file(changed.path, path):
            hunk = _hunk_with(changed, needle)
            if hunk is not None:
                detail = f"the failing test `{test.name}` itself is changed"
                yield ChangeLink(LinkKind.TEST_CHANGED, changed.path, detail, None, hunk)
            else:
                yield ChangeLink(LinkKind.FILE, changed.path, "the failing test's file is changed")
        elif _named_after(path, changed.path):
            detail = f"the test file `{path}` is named after this file"
            yield ChangeLink(LinkKind.NAMED, changed.path, detail, None, _first(changed))
        elif _directory(changed.path) == _directory_of_test(test, path):
            detail = "this file sits beside the failing test"
            yield ChangeLink(LinkKind.PACKAGE, changed.path, detail, None, _first(changed))


def _symbol_links(message: str, files: Sequence[ChangedFile]) -> Iterator[ChangeLink]:
    called = dict.fromkeys(_CALLED.findall(message[:2000]))
    symbols = [name for name in called if name not in _NOT_SYMBOLS][:10]
    for name in symbols:
        word = re.compile(rf"\b{re.escape(name)}\b")
        for changed in files:
            hunk = next(
                (hunk for hunk in changed.hunks if any(map(word.search, hunk.all_text()))),
                None,
            )
            if hunk is not None:
                detail = f"`{name}`, called in the failure, is in or around a changed hunk"
                yield ChangeLink(LinkKind.SYMBOL, changed.path, detail, None, hunk)


def _same_file(changed: str, test_path: str) -> bool:
    if changed == test_path:
        return True
    stem = changed.rsplit(".", 1)[0]  # a JVM class path stem: com/acme/FooTest
    return "." not in test_path.rsplit("/", 1)[-1] and stem.endswith("/" + test_path)


def _hunk_with(changed: ChangedFile, needle: str) -> Hunk | None:
    return next(
        (hunk for hunk in changed.hunks if any(needle in text for text in hunk.all_text())),
        None,
    )


def _first(changed: ChangedFile) -> Hunk | None:
    return changed.hunks[0] if changed.hunks else None


def _name_stem(path: str) -> str:
    """The file name without its last extension: ``foo.test.js`` → ``foo.test``."""
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name


def _file_stem(path: str) -> str:
    return _name_stem(path).lower()


def _subject_stem(path: str) -> str:
    """The stem without test affixes: ``test_pricing.py`` → ``pricing``."""
    stem = _name_stem(path)
    while (bare := _TEST_AFFIXES.sub("", stem)) not in (stem, ""):
        stem = bare
    return stem.lower()


def _is_test_file(path: str) -> bool:
    return bool(_TEST_DIRS.search(path)) or _subject_stem(path) != _file_stem(path)


def _named_after(test_path: str, changed: str) -> bool:
    """``changed`` is the source file the test file is named after."""
    if _is_test_file(changed):
        return False
    test_stem = _subject_stem(test_path)
    return test_stem != _file_stem(test_path) and _file_stem(changed) == test_stem


def _directory(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _directory_of_test(test: TestIdentity, path: str) -> str:
    if test.framework == "go":
        return path  # the suite is the package (a directory)
    return _directory(path)
