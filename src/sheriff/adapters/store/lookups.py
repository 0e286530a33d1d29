"""Finding rows by their natural keys inside a transaction."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sheriff.adapters.store.schema_cases import CaseRow
from sheriff.adapters.store.schema_runs import RepositoryRow
from sheriff.errors import StoreError


def repository_id(session: Session, repo: str) -> int:
    """The id of a recorded repository; recording anything else about it first is a bug."""
    found = session.execute(
        select(RepositoryRow.id).where(RepositoryRow.full_name == repo)
    ).scalar_one_or_none()
    if found is None:
        raise StoreError(
            f"repository {repo} is not in the store",
            hint="record it with upsert_repository before its runs, tests or cases "
            "(a bug in the caller)",
        )
    return found


def find_case(session: Session, repo: str, fingerprint: str) -> CaseRow | None:
    query = (
        select(CaseRow)
        .join(RepositoryRow, RepositoryRow.id == CaseRow.repository_id)
        .where(RepositoryRow.full_name == repo, CaseRow.fingerprint == fingerprint)
    )
    return session.execute(query).scalar_one_or_none()


def require_case(session: Session, repo: str, fingerprint: str) -> CaseRow:
    case = find_case(session, repo, fingerprint)
    if case is None:
        raise StoreError(
            f"no case for fingerprint {fingerprint} in {repo}",
            hint="create it with ensure_case first (a bug in the caller)",
        )
    return case
