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
    assert found.value == 1.0
    assert found.weight <= 0  # sign-constrained fit; concurrent_failures took its share
    assert found.run_ids == (1,)


def test_a_failure_with_a_shared_cause_is_not_same_commit_evidence() -> None:
    history = history_of(result("pass", run_id=2, run_attempt=2))
    history.add(result(), shared_in_job=3)
    assert evidence.same_commit_pass_fail(history.record_of(TEST)) is None


def test_a_pass_in_another_job_of_the_commit_is_not_same_commit_evidence() -> None:
    macos_only = record(result("fail", job="unit-macos"), result("pass", job="unit-linux"))
    assert evidence.same_commit_pass_fail(macos_only) is None
    rerun = record(result("fail", job="unit-macos"), result("pass", job="unit-macos", minutes=9))
    assert evidence.same_commit_pass_fail(rerun) is not None


def test_several_flaky_commits_add_evidence_beyond_the_first() -> None:
    one = record(result("fail"), result("pass", minutes=1))
    assert evidence.several_commits(one) is None
    outcomes = [("fail", "a1"), ("pass", "a1"), ("fail", "b2"), ("pass", "b2"), ("fail", "c3")]
    runs = [result(o, sha=sha, run_id=i, minutes=i) for i, (o, sha) in enumerate(outcomes)]
    found = evidence.several_commits(record(*runs, result("pass", sha="c3", run_id=9, minutes=9)))
    assert found is not None
    assert found.value == round(2 / 3, 4)
    assert found.weight > 0
    assert found.run_ids == (0, 2, 4)


def test_flips_are_counted_per_job_so_a_platform_regression_does_not_flip() -> None:
    lanes = [
        result("fail" if job == "unit-macos" else "pass", sha=f"s{i}", minutes=i, job=job)
        for i in range(4)
        for job in ("unit-linux", "unit-macos")
    ]
    assert evidence.flip_rate(record(*lanes)) is None  # each job kept its outcome


def test_failures_that_other_tests_met_alike_just_before_are_negative() -> None:
    history = history_of()
    outage = "ConnectionRefusedError: [Errno 111] Connection refused (db:5432)"
    for index, name in enumerate(("tests/test_a.py::t", "tests/test_b.py::t")):
        history.add(result(test=name, run_id=10 + index, minutes=index, signature=outage))
    history.add(result(run_id=20, minutes=30, signature=outage))
    found = evidence.concurrent_failures(history.record_of(TEST))
    assert found is not None
    assert found.value == 1.0
    assert found.weight < 0
    assert found.run_ids == (20,)
    late = history_of(result(test="tests/test_a.py::t", signature=outage))
    late.add(result(run_id=21, minutes=90, signature=outage))
    assert evidence.concurrent_failures(late.record_of(TEST)) is None  # over an hour later


def test_a_shared_cause_is_not_unrelated_commits_evidence() -> None:
    history = history_of()
    outage = "OSError: service unavailable"
    for index, name in enumerate(("tests/test_a.py::t", "tests/test_b.py::t")):
        history.add(result(test=name, run_id=10 + index, minutes=index, signature=outage))
    history.add(result(sha="a1", run_id=20, minutes=2, signature=outage))
    history.add(result(sha="b2", author="bo", run_id=21, minutes=3, signature=outage))
    assert evidence.unrelated_commits(history.record_of(TEST)) is None


def test_first_seen_touching_weakens_as_failures_spread_beyond_that_pr() -> None:
    on_pr = result(changed_files=("src/pkg/cache.py",), **PR)
    alone = evidence.first_seen_touching(record(on_pr))
    spread = evidence.first_seen_touching(
        record(on_pr, *(result(sha=f"m{i}", run_id=10 + i, minutes=i) for i in range(3)))
    )
    assert alone is not None
    assert spread is not None
    assert (alone.value, spread.value) == (1.0, 0.25)
    assert "1 of 4 failures there" in spread.detail


def test_without_a_merge_base_a_trunk_failing_on_its_last_two_commits_is_broken_trunk() -> None:
    pr_failure = result("fail", sha="p1", run_id=9, minutes=30, **{**PR, "merge_base": None})
    trunk = [result("fail", sha=f"m{i}", run_id=i, minutes=i) for i in (1, 2)]
    found = evidence.broken_trunk(record(*trunk, pr_failure))
    assert found is not None
    assert found.run_ids == (9,)
    healed = [trunk[0], result("pass", sha="m2", run_id=2, minutes=2)]
    assert evidence.broken_trunk(record(*healed, pr_failure)) is None


def test_a_failure_between_two_passes_of_its_job_is_a_one_off() -> None:
    outcomes = ["pass", "fail", "pass", "pass", "fail", "fail", "pass"]
    history = record(*(result(o, sha=f"s{i}", run_id=i, minutes=i) for i, o in enumerate(outcomes)))
    found = evidence.isolated_failures(history)
    assert found is not None
    assert found.run_ids == (1,)  # the failures at 4 and 5 follow each other: not one-offs
    assert found.value == 0.5
    assert found.weight > 0
    other_job = record(
        result("pass"), result("fail", job="e2e", minutes=1), result("pass", minutes=2)
    )
    assert evidence.isolated_failures(other_job) is None  # the passes were another job's
