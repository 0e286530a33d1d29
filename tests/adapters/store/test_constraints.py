"""The natural keys are enforced by the database itself, not only by the store's code."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sheriff.adapters.store import Store
from sheriff.adapters.store.schema_base import Base
from sheriff.adapters.store.schema_cases import AuditRow, CaseRow, CursorRow, ValidatorRow
from sheriff.adapters.store.schema_runs import (
    JobRow,
    OccurrenceRow,
    RepositoryRow,
    RunAttemptRow,
    TestResultRow,
    WorkflowRunRow,
)
from sheriff.app.ports import AuditEvent, CursorPosition, HttpValidator
from sheriff.errors import StoreError
from tests.adapters.store.conftest import START
from tests.adapters.store.samples import (
    REPO,
    case_seed,
    job,
    occurrence,
    repository,
    result_of_test,
    run_attempt,
)

TABLES_WITH_NATURAL_KEYS = [
    RepositoryRow,
    WorkflowRunRow,
    RunAttemptRow,
    JobRow,
    OccurrenceRow,
    TestResultRow,
    CaseRow,
    CursorRow,
    ValidatorRow,
    AuditRow,
]


def fill(store: Store) -> None:
    store.upsert_repository(repository())
    store.upsert_run_attempt(run_attempt())
    store.upsert_job(job())
    store.record_occurrences(REPO, job().job_id, [occurrence()])
    store.record_test_results([result_of_test()])
    store.ensure_case(case_seed())
    store.advance_cursor(REPO, "*", "master", CursorPosition(START, 1))
    store.put_validator("https://api.github.com/x", HttpValidator("e", None))
    store.append_audit(AuditEvent("sheriff", "scan", "test", key="k1"))


def copy_without_id(session: Session, model: type[Base]) -> Any:
    original = session.execute(select(model)).scalars().first()
    columns = {c.key: getattr(original, c.key) for c in model.__table__.columns if c.key != "id"}
    return model(**columns)


@pytest.mark.parametrize("model", TABLES_WITH_NATURAL_KEYS, ids=lambda m: m.__tablename__)
def test_a_duplicate_natural_key_is_refused_by_the_database(
    store: Store, model: type[Base]
) -> None:
    fill(store)
    with pytest.raises(StoreError, match="refused a write") as raised:
        store.database.run(lambda session: session.add(copy_without_id(session, model)))
    assert "bug" in raised.value.hint
