"""Finding an open issue that is already about a case, so Sheriff reuses it.

An issue matches when it carries the case's fingerprint marker (Sheriff's own issue whose
link was lost, or a person who pasted the marker to link their issue), or when its title
or body mentions the failing test as an exact token: the test's name alone when the name
is specific, else only the name qualified by its suite (``pkg/x.TestMain``,
``tests/test_api.py::test_get``, ``TestMain (pkg/x)``). Names such as ``test`` or
``TestMain`` are too common to identify a test by themselves. An issue that carries
another case's fingerprint marker belongs to that case and never matches by name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import IntEnum

from sheriff.core.issues.blocks import SUMMARY
from sheriff.core.issues.facts import FailureCase, IssueSnapshot
from sheriff.core.issues.markers import fingerprints_in, parse_marked
from sheriff.core.model import TestIdentity

MIN_SPECIFIC_CHARS = 8
COMMON_NAMES = frozenset(
    {
        "test", "tests", "testmain", "test_main", "main", "setup", "teardown", "setupclass",
        "teardownclass", "test_all", "testall", "test_basic", "testbasic", "test_simple",
        "testsimple", "test_it", "test_run", "testrun", "test_example", "testexample",
        "test_default", "testdefault", "test_init", "testinit", "test_smoke", "testsmoke",
        "test_integration", "testintegration", "test_unit", "testunit", "test_e2e",
        "it", "run", "all", "example", "default", "basic", "simple", "smoke", "build",
        "lint", "check", "verify", "works", "it works", "should work", "renders",
    }
)  # fmt: skip
GENERIC_SUITES = frozenset(
    {"test", "tests", "spec", "specs", "src", "lib", "main", "pkg", "app", "core", "util",
     "utils", "internal", "common", "unit", "integration", "e2e"}
)  # fmt: skip
_AFFIXES = re.compile(r"^(?:test|should|it)[_\s]?|[_\s]?(?:test|spec)$", re.IGNORECASE)
_ALNUM = re.compile(r"[^0-9A-Za-z]+")
_QUALIFIERS = ("::", ".", "/", "#", ":", " ", " > ", " › ")


class MatchKind(IntEnum):
    """How an issue matched, strongest first."""

    FINGERPRINT = 1
    QUALIFIED_IN_TITLE = 2
    QUALIFIED_IN_BODY = 3
    NAME_IN_TITLE = 4
    NAME_IN_BODY = 5


@dataclass(frozen=True, slots=True)
class IssueMatch:
    issue: IssueSnapshot
    kind: MatchKind
    sheriff_managed: bool  # the body's managed summary block carries the fingerprint
    detail: str


def find_matching_issue(case: FailureCase, issues: Sequence[IssueSnapshot]) -> IssueMatch | None:
    """The open issue that is best about this case (oldest on a tie), or None."""
    matches = [match for issue in issues if (match := match_issue(case, issue)) is not None]
    return min(matches, key=lambda match: (match.kind, match.issue.number), default=None)


def match_issue(case: FailureCase, issue: IssueSnapshot) -> IssueMatch | None:
    markers = fingerprints_in(issue.title) | fingerprints_in(issue.body)
    if case.fingerprint in markers:
        managed = _managed_fingerprint(issue.body) == case.fingerprint
        return IssueMatch(issue, MatchKind.FINGERPRINT, managed, "carries the fingerprint marker")
    if markers or case.test is None:
        return None
    for token, in_title, in_body in _mentions(case.test):
        found_in = "title" if mentions(issue.title, token) else None
        if found_in is None and mentions(issue.body, token):
            found_in = "body"
        if found_in is not None:
            kind = in_title if found_in == "title" else in_body
            return IssueMatch(issue, kind, False, f"mentions {token!r} in the {found_in}")
    return None


def _managed_fingerprint(body: str) -> str | None:
    summary = parse_marked(body).interior(SUMMARY)
    found = fingerprints_in(summary) if summary is not None else frozenset()
    return next(iter(found)) if len(found) == 1 else None


def _mentions(test: TestIdentity) -> Iterator[tuple[str, MatchKind, MatchKind]]:
    """The tokens that identify the test, qualified ones first."""
    for token in qualified_names(test):
        yield token, MatchKind.QUALIFIED_IN_TITLE, MatchKind.QUALIFIED_IN_BODY
    if name_is_specific(test.name):
        yield test.name, MatchKind.NAME_IN_TITLE, MatchKind.NAME_IN_BODY


def mentions(text: str, token: str) -> bool:
    """Whether ``token`` occurs in ``text`` as a whole token: not inside a longer name, not
    qualified by another suite (``other.TestFoo``), not a parent of a subtest."""
    pattern = rf"(?<![\w.:/#]){re.escape(token)}(?![\w/])"
    return re.search(pattern, text) is not None


def name_is_specific(name: str) -> bool:
    """Whether a test name alone identifies a test: not a common name, and at least
    ``MIN_SPECIFIC_CHARS`` letters or digits once ``test``/``should`` affixes are removed."""
    if name.strip().casefold() in COMMON_NAMES:
        return False
    core = _ALNUM.sub("", _AFFIXES.sub("", name.strip()))
    return len(core) >= MIN_SPECIFIC_CHARS


def qualified_names(test: TestIdentity) -> tuple[str, ...]:
    """Suite-qualified spellings of the test name that are specific enough to match."""
    spellings = suite_spellings(test.suite) if test.suite else ()
    if not spellings:
        return ()
    forms: list[str] = [f"{test.name} ({test.suite})"]
    for suite in spellings:
        forms += [f"{suite}{separator}{test.name}" for separator in _QUALIFIERS]
    return tuple(dict.fromkeys(forms))


def suite_spellings(suite: str) -> tuple[str, ...]:
    """The suite as written, and its distinctive tail (package, file or class name)."""
    spellings = [suite]
    path_tail = re.split(r"[/\\]|::", suite)[-1]
    spellings.append(path_tail)
    if "." in path_tail:  # a file (drop a short extension) or a dotted name (keep its last part)
        stem, _, last = path_tail.rpartition(".")
        spellings.append(stem if len(last) <= 4 else last)
    return tuple(
        dict.fromkeys(
            spelling
            for spelling in spellings
            if len(_ALNUM.sub("", spelling)) >= 4 and spelling.casefold() not in GENERIC_SUITES
        )
    )
