"""Every evidence term: when it applies, its sign, and the runs it cites."""

from sheriff.core.flaky import evidence
from sheriff.core.flaky.history import touches_changes
from tests.core.flaky.builders import TEST, history_of, result

PR = {"pr": 7, "branch": "feature", "event": "pull_request", "merge_base": "base1"}


def record(*observations):  # type: ignore[no-untyped-def]
    return history_of(*observations).record_of(TEST)


def test_same_commit_pass_and_fail_is_positive_and_cites_the_failing_run() -> None:
    found = evidence.same_commit_pass_fail(
        record(result("fail", run_id=1), result("pass", run_id=2, run_attempt=2))
    )
    assert found is not None
    assert found.weight > 0
    assert found.run_ids == (1,)


def test_same_commit_needs_a_pass_on_that_commit() -> None:
    assert evidence.same_commit_pass_fail(record(result("fail"), result("pass", sha="b2"))) is None


def test_unrelated_commits_by_different_authors_are_positive() -> None:
    found = evidence.unrelated_commits(
        record(result("fail", sha="a1"), result("fail", sha="b2", author="bo", run_id=2))
    )
    assert found is not None
    assert found.weight > 0
    assert found.run_ids == (1, 2)


def test_one_author_is_not_unrelated() -> None:
    assert evidence.unrelated_commits(record(result("fail"), result("fail", sha="b2"))) is None


def test_a_failure_already_on_the_merge_base_is_broken_trunk() -> None:
    base_failure = result("fail", sha="base1")
    pr_failure = result("fail", sha="p1", run_id=2, minutes=5, **PR)
    found = evidence.broken_trunk(record(base_failure, pr_failure))
    assert found is not None
    assert found.weight < 0
    assert found.run_ids == (2,)


def test_a_merge_base_that_passed_is_not_broken_trunk() -> None:
    history = record(result("pass", sha="base1"), result("fail", sha="p1", **PR))
    assert evidence.broken_trunk(history) is None


def test_flip_rate_counts_changes_on_one_branch() -> None:
    outcomes = ["pass", "fail", "pass", "fail", "pass"]
    history = record(*(result(o, sha=f"s{i}", minutes=i) for i, o in enumerate(outcomes)))
    found = evidence.flip_rate(history)
    assert found is not None
    assert found.value == 1.0
    assert found.weight > 0


def test_failure_rate_reports_the_tests_own_history() -> None:
    found = evidence.failure_rate(record(result("pass", sha="a0"), result("fail")))
    assert found is not None
    assert "failed 1 of 2" in found.detail


def test_signature_hints_name_timeouts_and_resets() -> None:
    hinted = record(result(signature="TimeoutError: timed out waiting for ready"))
    plain = record(result(signature="AssertionError: assert 2 == 3"))
    found = evidence.signature_hint(hinted)
    assert found is not None
    assert found.weight >= 0  # sign-constrained fit; the simulator gives it no lift
    assert evidence.signature_hint(plain) is None


def test_a_pr_failure_away_from_the_changes_is_positive() -> None:
    away = record(result(changed_files=("src/pkg/router.py",), **PR))
    found = evidence.untouched_changes(away)
    assert found is not None
    assert found.weight > 0
    near = record(result(changed_files=("src/pkg/cache.py",), **PR))
    assert evidence.untouched_changes(near) is None


def test_touching_changes_matches_the_test_file_or_its_module() -> None:
    assert touches_changes(TEST, ("tests/test_cache.py",))
    assert touches_changes(TEST, ("src/pkg/cache.py",))
    assert not touches_changes(TEST, ("src/pkg/router.py",))


def test_reproducing_on_rerun_with_the_same_signature_is_not_positive() -> None:
    found = evidence.reproduces_on_rerun(record(result(), result(run_attempt=2, minutes=5)))
    assert found is not None
    assert found.weight <= 0  # fitted with the sign constrained; it may fit to zero
    assert found.run_ids == (1,)


def test_a_rerun_with_another_signature_does_not_reproduce() -> None:
    other = result(run_attempt=2, signature="KeyError: 'x'")
    assert evidence.reproduces_on_rerun(record(result(), other)) is None


def test_first_seen_on_the_pr_touching_its_changes_is_negative() -> None:
    found = evidence.first_seen_touching(record(result(changed_files=("src/pkg/cache.py",), **PR)))
    assert found is not None
    assert found.weight < 0
    assert "PR #7" in found.detail


def test_failures_shared_word_for_word_by_other_tests_of_the_job_are_negative() -> None:
    history = history_of()
    history.add(result(), shared_in_job=4)
    found = evidence.shared_job_failure(history.record_of(TEST))
    assert found is not None
    assert found.weight < 0


def test_a_failure_with_a_shared_cause_is_not_same_commit_evidence() -> None:
    history = history_of(result("pass", run_id=2, run_attempt=2))
    history.add(result(), shared_in_job=3)
    assert evidence.same_commit_pass_fail(history.record_of(TEST)) is None
