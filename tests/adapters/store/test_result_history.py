"""Per-test results per attempt ([T3]'s history): once per natural key, newest first."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from sheriff.adapters.store import Store
from sheriff.app.ports import TestOutcome
from sheriff.core.flaky import ResultContext
from sheriff.core.model import FailureType, TestIdentity
from sheriff.errors import StoreError
from tests.adapters.store.conftest import START
from tests.adapters.store.samples import REPO, TEST, repository, result_of_test


def test_results_are_recorded_once_per_test_job_and_attempt(store: Store) -> None:
    store.upsert_repository(repository())
    failed = result_of_test(TestOutcome.FAILED, attempt=1, minutes=0)
    passed_on_rerun = result_of_test(TestOutcome.PASSED, attempt=2, minutes=30)
    other_job = result_of_test(TestOutcome.PASSED, attempt=1, minutes=1, job_name="chunks (4)")
    store.record_test_results([failed, passed_on_rerun, other_job])
    store.record_test_results([failed, passed_on_rerun, other_job])
    store.record_test_results([replace(failed, outcome=TestOutcome.SKIPPED, source="junit")])

    recent = store.recent_test_results(REPO, TEST)
    assert [(r.attempt, r.job, r.outcome) for r in recent] == [
        (2, "chunks (3)", TestOutcome.PASSED),
        (1, "chunks (4)", TestOutcome.PASSED),
        (1, "chunks (3)", TestOutcome.SKIPPED),
    ]
    assert recent[0] == passed_on_rerun
    assert store.recent_test_results(REPO, TEST, limit=1) == [passed_on_rerun]


def test_long_and_unicode_test_names_are_kept(store: Store) -> None:
    store.upsert_repository(repository())
    long_name = "TestParse/" + "ケース_🧪_" * 80
    test = TestIdentity("go", "github.com/tikv/pd/pkg/" + "x" * 200, long_name)
    store.record_test_results([result_of_test(test=test), result_of_test(test=TEST)])

    [result] = store.recent_test_results(REPO, test)
    assert result.test == test
    assert store.recent_test_results(REPO, TestIdentity("go", None, "TestRegionSyncer")) == []


def test_results_of_an_unknown_repository_are_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="upsert_repository"):
        store.record_test_results([result_of_test()])


def test_what_the_flakiness_engine_reads_is_kept_with_each_result(store: Store) -> None:
    store.upsert_repository(repository())
    context = ResultContext(failed=3, total=120, shared=1, infra=False, concurrent=2)
    failed = replace(
        result_of_test(minutes=5),
        signature="panic: test timed out after 5m0s",
        failure_type=FailureType.TEST,
        context=context,
    )
    bare = result_of_test(TestOutcome.PASSED, attempt=2, minutes=9)
    store.record_test_results([failed, bare])

    newest, oldest = store.recent_test_results(REPO, TEST)
    assert oldest == failed
    assert newest.context is None
    assert newest.signature is None


def test_failures_between_two_times_are_listed_oldest_first(store: Store) -> None:
    store.upsert_repository(repository())
    other = TestIdentity("go", "github.com/tikv/pd/server", "TestLeader")
    store.record_test_results(
        [
            result_of_test(minutes=30, test=other),
            result_of_test(minutes=10),
            result_of_test(TestOutcome.PASSED, attempt=2, minutes=20),
            result_of_test(minutes=90, attempt=3),
        ]
    )
    since, until = START + timedelta(minutes=5), START + timedelta(minutes=60)
    found = store.failed_results_between(REPO, since, until)
    assert [(r.test, r.time) for r in found] == [
        (TEST, START + timedelta(minutes=10)),
        (other, START + timedelta(minutes=30)),
    ]
