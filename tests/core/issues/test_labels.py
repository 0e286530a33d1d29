"""Labels: Sheriff adds only its own, and removes only its own that it added."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sheriff.core.issues import plan_labels

P = "sheriff/"
FLAKY = {"sheriff/managed", "sheriff/flaky", "sheriff/test_failure"}
FAILING = {"sheriff/managed", "sheriff/failing", "sheriff/test_failure"}


def test_a_new_issue_gets_every_wanted_label() -> None:
    plan = plan_labels(FLAKY, [], [], prefix=P)
    assert set(plan.add) == FLAKY
    assert plan.remove == ()
    assert plan.applied == FLAKY


def test_human_labels_are_never_removed() -> None:
    current = ["bug", "good first issue", "sheriff/flaky", "sheriff/needs-eyes"]
    plan = plan_labels(FAILING, current, [], prefix=P)
    assert plan.remove == ()  # sheriff/flaky was put there by a person, not by Sheriff
    assert set(plan.add) == FAILING


def test_a_label_sheriff_added_is_replaced_when_its_meaning_changes() -> None:
    plan = plan_labels(FAILING, [*FLAKY, "bug"], FLAKY, prefix=P)
    assert plan.add == ("sheriff/failing",)
    assert plan.remove == ("sheriff/flaky",)
    assert plan.applied == FAILING


def test_a_label_a_person_removed_is_not_added_back() -> None:
    current = ["sheriff/managed", "sheriff/test_failure"]  # they removed sheriff/flaky
    plan = plan_labels(FLAKY, current, FLAKY, prefix=P)
    assert plan.add == ()
    assert "sheriff/flaky" in plan.applied  # remembered, so later scans agree
    again = plan_labels(FLAKY, current, plan.applied, prefix=P)
    assert again.add == ()


def test_label_names_compare_without_case() -> None:
    plan = plan_labels(
        FLAKY, ["Sheriff/Flaky", "SHERIFF/MANAGED", "sheriff/test_failure"], [], prefix=P
    )
    assert plan.add == ()


def test_nothing_changes_when_labels_are_right() -> None:
    assert not plan_labels(FLAKY, FLAKY, FLAKY, prefix=P).changes


_labels = st.sets(
    st.sampled_from(
        ["bug", "p1", "sheriff/flaky", "sheriff/failing", "sheriff/managed", "sheriff/x", "wontfix"]
    )
)


@given(_labels, _labels, _labels)
def test_only_sheriff_labels_it_applied_are_ever_removed(
    wanted: set[str], current: set[str], applied: set[str]
) -> None:
    plan = plan_labels(wanted, current, applied, prefix=P)
    assert set(plan.remove) <= applied & current
    assert all(label.startswith(P) for label in plan.remove)
    assert set(plan.add) <= wanted
    assert not set(plan.add) & current
