"""The occurrence queries the case lifecycle grounds its analysis and fix prompts in."""

from __future__ import annotations

from sheriff.adapters.store import Store
from sheriff.adapters.store.occurrence_details import numbered_excerpt
from sheriff.core.model import FailureType
from tests.adapters.store.samples import (
    FINGERPRINT,
    REPO,
    TEST,
    case_seed,
    job,
    occurrence,
    repository,
    run_attempt,
)

OTHER_SHA = "b" * 40


def test_the_latest_occurrence_comes_with_its_test_tool_and_numbered_excerpt(store: Store) -> None:
    store.upsert_repository(repository())
    for attempt, job_id in ((1, 101), (2, 202)):
        store.upsert_run_attempt(run_attempt(attempt=attempt))
        store.upsert_job(job(job_id, attempt=attempt))
        store.record_occurrences(REPO, job_id, [occurrence(message=f"timeout {attempt}")])
    store.ensure_case(case_seed())

    latest = store.latest_occurrence(REPO, FINGERPRINT)

    assert latest is not None
    assert (latest.evidence.attempt, latest.evidence.job_id) == (2, 202)
    assert latest.evidence.message == "timeout 2"
    assert (latest.tool, latest.failure_type, latest.sub_type) == (
        "go test",
        FailureType.TEST,
        "assertion",
    )
    assert latest.test == TEST
    assert latest.excerpt[0] == (800, "=== RUN   TestRegionSyncer")
    assert latest.excerpt[1][1] == "    syncer_test.go:88: 同步超时 🐢"
    assert store.latest_occurrence(REPO, "f" * 20) is None


def test_occurrences_at_a_commit_are_the_failures_of_its_runs(store: Store) -> None:
    store.upsert_repository(repository())
    store.upsert_run_attempt(run_attempt())
    store.upsert_job(job(101))
    store.record_occurrences(REPO, 101, [occurrence()])
    store.upsert_run_attempt(run_attempt(run_id=555, head_sha=OTHER_SHA, event="pull_request"))
    store.upsert_job(job(303, run_id=555))
    store.record_occurrences(REPO, 303, [occurrence("F009", "9" * 20, "lint: unsorted imports")])

    found = store.occurrences_at(REPO, OTHER_SHA)

    assert [(item.fingerprint, item.evidence.message) for item in found] == [
        ("9" * 20, "lint: unsorted imports")
    ]
    assert store.occurrences_at(REPO, "c" * 40) == []


def test_excerpt_numbers_are_exact_when_every_line_of_the_ranges_was_kept() -> None:
    assert numbered_excerpt([[3, 4], [9, 9]], "a\nb\nc") == ((3, "a"), (4, "b"), (9, "c"))
    assert numbered_excerpt([[3, 3]], "a\nb") == ((3, "a"), (4, "b"))  # more lines: counted on
    assert numbered_excerpt([], "") == ()
