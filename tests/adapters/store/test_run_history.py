"""Repositories, runs, attempts, jobs and failure occurrences: idempotent, queryable."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from sheriff.adapters.store import Store
from sheriff.adapters.store.schema_runs import (
    JobRow,
    OccurrenceRow,
    RepositoryRow,
    RunAttemptRow,
    WorkflowRunRow,
)
from sheriff.app.ports import JobLog, LogStatus
from sheriff.errors import StoreError
from tests.adapters.store.conftest import START
from tests.adapters.store.samples import (
    FINGERPRINT,
    REPO,
    case_seed,
    job,
    occurrence,
    repository,
    run_attempt,
)


def count(store: Store, model: type) -> int:
    return store.database.run(
        lambda s: s.execute(select(func.count()).select_from(model)).scalar_one()
    )


def record_failed_job(store: Store) -> None:
    store.upsert_repository(repository())
    store.upsert_run_attempt(run_attempt())
    store.upsert_job(job())
    store.record_occurrences(REPO, job().job_id, [occurrence()])


def test_recording_the_same_run_twice_stores_it_once(store: Store) -> None:
    record_failed_job(store)
    record_failed_job(store)
    store.upsert_run_attempt(run_attempt(attempt=2, conclusion="success"))
    store.upsert_run_attempt(run_attempt(attempt=2, conclusion="success"))

    counts = {
        m.__tablename__: count(store, m)
        for m in (RepositoryRow, WorkflowRunRow, RunAttemptRow, JobRow, OccurrenceRow)
    }
    assert counts == {
        "repositories": 1,
        "workflow_runs": 1,
        "run_attempts": 2,
        "jobs": 1,
        "failure_occurrences": 1,
    }


def test_an_upsert_updates_the_fields_that_changed(store: Store) -> None:
    record_failed_job(store)
    store.upsert_repository(repository().__class__(REPO, "main"))
    store.upsert_run_attempt(run_attempt(conclusion="cancelled", pull_requests=(4242,)))

    row = store.database.run(lambda s: s.execute(select(WorkflowRunRow)).scalar_one())
    attempt = store.database.run(lambda s: s.execute(select(RunAttemptRow)).scalar_one())
    repo = store.database.run(lambda s: s.execute(select(RepositoryRow)).scalar_one())
    assert row.pull_requests == [4242]
    assert attempt.conclusion == "cancelled"
    assert (repo.default_branch, repo.write_repo) == ("main", REPO)


def test_job_log_status_survives_a_later_upsert_of_the_job(store: Store) -> None:
    record_failed_job(store)
    assert store.job_log_status(REPO, job().job_id) is LogStatus.PENDING
    store.record_job_log(REPO, job().job_id, JobLog(LogStatus.EXPIRED, detail="HTTP 410 Gone"))
    store.upsert_job(job())  # rediscovered on the next scan

    assert store.job_log_status(REPO, job().job_id) is LogStatus.EXPIRED
    assert store.job_log_status(REPO, 1) is None
    with pytest.raises(StoreError, match="job 1 of tikv/pd is not in the store"):
        store.record_job_log(REPO, 1, JobLog(LogStatus.FETCHED, path="/tmp/1.log", size=10))


def test_unicode_and_json_round_trip(store: Store) -> None:
    record_failed_job(store)
    stored_job = store.database.run(lambda s: s.execute(select(JobRow)).scalar_one())
    stored = store.database.run(lambda s: s.execute(select(OccurrenceRow)).scalar_one())

    assert stored_job.steps == [{"name": "Run tests ✅", "conclusion": "failure", "number": 4}]
    assert stored_job.runner_labels == ["ubuntu-latest"]
    assert stored.message == "region syncer did not catch up 🐢 after 3s"
    assert "同步超时 🐢" in stored.excerpt_text
    assert stored.excerpt_ranges == [[800, 830]]
    assert stored.classification is not None
    assert stored.classification["primary_error"] == "region syncer did not catch up 🐢"
    assert stored.classification["failure_type"] == "test_failure"
    assert stored.confidence == 85
    assert stored.seen_at == job().completed_at


def test_secrets_are_redacted_before_they_are_stored(store: Store) -> None:
    record_failed_job(store)
    leaked = occurrence(
        message="push failed: https://x-access-token:ghs_abcdefghijklmnopqrstuvwxyz0123456789@github.com/tikv/pd"
    )
    store.record_occurrences(REPO, job().job_id, [leaked])

    stored = store.database.run(lambda s: s.execute(select(OccurrenceRow)).scalar_one())
    assert "ghs_abcdefghijklmnopqrstuvwxyz0123456789" not in stored.message


def test_a_new_triage_of_a_job_replaces_its_occurrences_and_recounts_cases(store: Store) -> None:
    record_failed_job(store)
    store.ensure_case(case_seed())
    store.ensure_case(case_seed("0" * 20))
    store.record_occurrences(REPO, job().job_id, [occurrence("F002", "0" * 20)])

    case = store.get_case(REPO, FINGERPRINT)
    other = store.get_case(REPO, "0" * 20)
    assert case is not None
    assert other is not None
    assert (case.occurrence_count, case.first_seen_at) == (0, None)
    assert other.occurrence_count == 1
    assert other.first_seen_at == other.last_seen_at == job().completed_at


def test_occurrences_of_a_fingerprint_come_with_their_runs_newest_first(store: Store) -> None:
    store.upsert_repository(repository())
    for attempt, job_id in ((1, 101), (2, 202)):
        store.upsert_run_attempt(run_attempt(attempt=attempt))
        store.upsert_job(job(job_id, attempt=attempt))
        store.record_occurrences(REPO, job_id, [occurrence()])
    case = store.ensure_case(case_seed())

    evidence = store.occurrences_of(REPO, FINGERPRINT)
    assert [(row.attempt, row.job_id) for row in evidence] == [(2, 202), (1, 101)]
    assert evidence[0].head_sha.startswith("a3c1f0e9")
    assert evidence[0].job_url == f"https://github.com/{REPO}/actions/runs/9876543210/job/202"
    assert (evidence[0].runner_os, evidence[0].workflow, evidence[0].event) == (
        "Linux",
        "PD Test",
        "push",
    )
    assert case.occurrence_count == 2
    assert case.first_seen_at is not None
    assert case.first_seen_at >= START
    assert store.occurrences_of(REPO, FINGERPRINT, limit=1)[0].job_id == 202


def test_recording_a_job_of_an_unknown_attempt_is_a_clear_error(store: Store) -> None:
    store.upsert_repository(repository())
    with pytest.raises(StoreError, match="upsert_run_attempt"):
        store.upsert_job(job())
    with pytest.raises(StoreError, match="upsert_repository"):
        store.upsert_run_attempt(run_attempt(repo="nobody/nothing"))


def test_times_keep_microseconds_and_come_back_in_utc(store: Store) -> None:
    store.upsert_repository(repository())
    precise = START + timedelta(microseconds=123_456)
    store.upsert_run_attempt(run_attempt(created_at=precise))

    row = store.database.run(lambda s: s.execute(select(WorkflowRunRow)).scalar_one())
    assert row.created_at == precise
    assert row.created_at.tzinfo is not None
