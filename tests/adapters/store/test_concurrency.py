"""Several workers writing the same natural keys at once never duplicate a row."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from sheriff.adapters.store import Store, open_store
from sheriff.adapters.store.schema_cases import AuditRow, CaseRow
from sheriff.adapters.store.schema_runs import (
    JobRow,
    OccurrenceRow,
    TestResultRow,
    WorkflowRunRow,
)
from sheriff.app.ports import AuditEvent, CaseState
from tests.adapters.store.samples import (
    FINGERPRINT,
    REPO,
    case_seed,
    job,
    occurrence,
    repository,
    result_of_test,
    run_attempt,
)

WORKERS = 4
ROUNDS = 5


def scan(store: Store, start: threading.Barrier) -> bool:
    """What one worker does: record the same failed run, then try to open its issue."""
    start.wait()
    for _ in range(ROUNDS):
        store.upsert_repository(repository())
        store.upsert_run_attempt(run_attempt())
        store.upsert_job(job())
        store.record_occurrences(REPO, job().job_id, [occurrence()])
        store.record_test_results([result_of_test()])
        store.ensure_case(case_seed())
    return store.transition_case(
        REPO,
        FINGERPRINT,
        expected=CaseState.DISCOVERED,
        new=CaseState.ISSUE_OPEN,
        cause=AuditEvent("sheriff", "case.transition", "opened the issue"),
    )


def count(store: Store, model: type) -> int:
    query = select(func.count()).select_from(model)
    return store.database.run(lambda session: session.execute(query).scalar_one())


def test_concurrent_writers_do_not_duplicate_rows(store: Store, database_url: str) -> None:
    workers = [open_store(database_url) for _ in range(WORKERS)]
    start = threading.Barrier(WORKERS)
    try:
        with ThreadPoolExecutor(WORKERS) as pool:
            futures = [pool.submit(scan, worker, start) for worker in workers]
            wins = [future.result() for future in futures]  # re-raises a worker's error
    finally:
        for worker in workers:
            worker.close()

    counts = [
        count(store, m) for m in (WorkflowRunRow, JobRow, OccurrenceRow, TestResultRow, CaseRow)
    ]
    assert counts == [1, 1, 1, 1, 1]
    assert sorted(wins) == [False] * (WORKERS - 1) + [True]  # exactly one worker moved it
    actions = store.database.run(lambda s: list(s.execute(select(AuditRow.action)).scalars()))
    assert sorted(actions) == ["case.discovered", "case.transition"]
    case = store.get_case(REPO, FINGERPRINT)
    assert case is not None
    assert case.occurrence_count == 1


def test_of_workers_claiming_one_key_at_once_exactly_one_wins(
    store: Store, database_url: str
) -> None:
    workers = [open_store(database_url) for _ in range(WORKERS)]
    start = threading.Barrier(WORKERS)
    event = AuditEvent("sheriff", "rerun.requested", "P(flaky)=0.9", key="rerun:o/r:4242")

    def claim(worker: Store) -> bool:
        start.wait()
        return worker.claim_audit(event)

    try:
        with ThreadPoolExecutor(WORKERS) as pool:
            won = list(pool.map(claim, workers))
    finally:
        for worker in workers:
            worker.close()
    assert sorted(won) == [False] * (WORKERS - 1) + [True]
    assert len(store.audit_log(action="rerun.requested")) == 1
