"""Issue titles and label names."""

from __future__ import annotations

from dataclasses import replace

from sheriff.core.issues import TITLE_LIMIT, Verdict, issue_title, wanted_labels
from sheriff.core.issues.naming import title_is_sheriffs
from sheriff.core.model import FailureType, TestIdentity
from tests.core.issues.real_cases import build_case, go_case, infra_case, xunit_case


def test_test_titles_name_the_test_and_its_suite() -> None:
    assert issue_title(go_case(), Verdict.FLAKY) == (
        "[flaky] TestAlpha/Meetups (github.com/avelino/awesome-go)"
    )
    assert issue_title(xunit_case(), Verdict.FAILING) == (
        "[failing] Should_return_JSON_serialized_form (Nancy.Testing.Tests.BrowserFixture)"
    )


def test_other_failures_are_tagged_by_type_with_tool_and_masked_message() -> None:
    title = issue_title(build_case(), Verdict.FAILING)
    assert title.startswith("[build] ")
    assert "CS0103" in title
    assert issue_title(infra_case(), Verdict.FAILING).startswith("[infra] ")


def test_titles_are_stable_for_a_fingerprint() -> None:
    first = go_case()
    later = replace(first, message="a different run's message", confidence=40)
    assert issue_title(first, Verdict.FAILING) == issue_title(later, Verdict.FAILING)


def test_titles_stay_under_githubs_limit_and_on_one_line() -> None:
    long_test = TestIdentity("pytest", "tests/" + "deep/" * 80 + "test_x.py", "test_" + "y" * 300)
    title = issue_title(replace(go_case(), test=long_test), Verdict.FLAKY)
    assert len(title) <= TITLE_LIMIT
    assert title.endswith("…")
    multiline = replace(build_case(), signature="line one\nline two\ttabbed")
    assert "\n" not in issue_title(multiline, Verdict.FAILING)


def test_secrets_never_reach_a_title() -> None:
    leaky = replace(build_case(), signature="clone https://bot:hunter2hunter2@github.com/x failed")
    assert "hunter2" not in issue_title(leaky, Verdict.FAILING)


def test_sheriffs_own_titles_may_be_retagged_but_edited_ones_not() -> None:
    case = go_case()
    assert title_is_sheriffs(issue_title(case, Verdict.FAILING), case)
    assert title_is_sheriffs(issue_title(case, Verdict.FLAKY), case)
    assert not title_is_sheriffs("Meetups test broken after sort change", case)


def test_labels_use_the_configured_prefix() -> None:
    assert wanted_labels("sheriff/", Verdict.FLAKY, FailureType.TEST) == {
        "sheriff/managed",
        "sheriff/flaky",
        "sheriff/test_failure",
    }
    assert "ci:failing" in wanted_labels("ci:", Verdict.FAILING, FailureType.BUILD)
