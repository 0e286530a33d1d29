"""Finding a person's issue about the same failure, without false matches."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sheriff.core.issues import (
    IssueSnapshot,
    MatchKind,
    find_matching_issue,
    fingerprint_marker,
    name_is_specific,
)
from sheriff.core.issues.matching import mentions, qualified_names
from sheriff.core.model import TestIdentity
from tests.core.issues.real_cases import HUMAN_ISSUE_BODY, go_case, xunit_case


def issue(
    number: int, title: str, body: str = "", labels: frozenset[str] = frozenset()
) -> IssueSnapshot:
    return IssueSnapshot(number, title, body, labels, author="kenny")


def test_a_person_mentioning_the_test_in_the_body_is_matched() -> None:
    match = find_matching_issue(go_case(), [issue(12, "Meetups out of order", HUMAN_ISSUE_BODY)])
    assert match is not None
    assert match.issue.number == 12
    assert match.kind is MatchKind.NAME_IN_BODY
    assert not match.sheriff_managed


def test_title_mentions_win_over_body_mentions_and_oldest_wins_ties() -> None:
    issues = [
        issue(30, "CI red", "TestAlpha/Meetups fails"),
        issue(31, "TestAlpha/Meetups fails on main"),
        issue(29, "TestAlpha/Meetups is flaky"),
    ]
    match = find_matching_issue(go_case(), issues)
    assert match is not None
    assert match.issue.number == 29


def test_the_fingerprint_marker_wins_over_any_mention() -> None:
    case = go_case()
    issues = [
        issue(5, "TestAlpha/Meetups fails"),
        issue(9, "tracking", f"linked: {fingerprint_marker(case.fingerprint)}"),
    ]
    match = find_matching_issue(case, issues)
    assert match is not None
    assert (match.issue.number, match.kind) == (9, MatchKind.FINGERPRINT)
    assert not match.sheriff_managed  # pasted by a person, not inside Sheriff's summary


def test_an_issue_of_another_fingerprint_never_matches_by_name() -> None:
    body = f"TestAlpha/Meetups\n{fingerprint_marker('ffffffffffffffffffff')}"
    assert find_matching_issue(go_case(), [issue(3, "TestAlpha/Meetups", body)]) is None


@pytest.mark.parametrize(
    "text",
    [
        "TestAlpha fails",  # the parent test, not this subtest
        "TestAlpha/MeetupsExtra fails",  # a longer name
        "other/pkg.TestAlpha/Meetups",  # qualified by another suite
        "testalpha/meetups",  # test names are case-sensitive
    ],
)
def test_near_misses_do_not_match(text: str) -> None:
    assert find_matching_issue(go_case(), [issue(1, text)]) is None


@pytest.mark.parametrize(
    "name", ["test", "TestMain", "test_main", "setUp", "it", "TestFoo", "test_get"]
)
def test_common_or_short_names_are_not_specific(name: str) -> None:
    assert not name_is_specific(name)


@pytest.mark.parametrize(
    "name", ["TestAlpha/Meetups", "Should_return_JSON_serialized_form", "test_login_redirects"]
)
def test_distinctive_names_are_specific(name: str) -> None:
    assert name_is_specific(name)


def test_a_common_name_matches_only_with_its_suite() -> None:
    common = replace(
        go_case(), test=TestIdentity("go", "github.com/avelino/awesome-go", "TestMain")
    )
    assert find_matching_issue(common, [issue(1, "TestMain panics")]) is None
    assert find_matching_issue(common, [issue(2, "TestMain (github.com/avelino/awesome-go)")])
    match = find_matching_issue(common, [issue(3, "x", "awesome-go.TestMain panics on init")])
    assert match is not None
    assert match.kind is MatchKind.QUALIFIED_IN_BODY


def test_python_and_dotnet_suites_have_natural_spellings() -> None:
    pytest_id = TestIdentity("pytest", "tests/test_api.py", "test_get")
    assert "tests/test_api.py::test_get" in qualified_names(pytest_id)
    assert "test_api::test_get" in qualified_names(pytest_id)
    assert "BrowserFixture.Should_return_JSON_serialized_form" in qualified_names(
        xunit_case().test  # type: ignore[arg-type]
    )


def test_a_generic_suite_does_not_qualify_a_common_name() -> None:
    assert qualified_names(TestIdentity("pytest", "tests", "test")) == ()


def test_mentions_are_whole_tokens() -> None:
    assert mentions("`TestAlpha/Meetups` broke", "TestAlpha/Meetups")
    assert mentions("FAILED tests/test_api.py::test_get - assert", "tests/test_api.py::test_get")
    assert not mentions("test_gets", "test_get")
    assert not mentions("my_test_get", "test_get")


def test_a_python_failure_found_in_a_pasted_pytest_summary() -> None:
    case = replace(go_case(), test=TestIdentity("pytest", "tests/test_api.py", "test_get"))
    body = "Seen on CI:\r\n```\r\nFAILED tests/test_api.py::test_get - AssertionError\r\n```"
    match = find_matching_issue(case, [issue(4, "CI failure", body)])
    assert match is not None
    assert match.kind is MatchKind.QUALIFIED_IN_BODY
