"""Discovery cursors and HTTP validators: scan state shared by workers, kept across
restarts."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from sheriff.adapters.store.database import Database
from sheriff.adapters.store.lookups import repository_id
from sheriff.adapters.store.schema_base import clip
from sheriff.adapters.store.schema_cases import CursorRow, ValidatorRow
from sheriff.adapters.store.schema_runs import NAME, RepositoryRow
from sheriff.adapters.store.upsert import upsert
from sheriff.app.ports import CursorPosition, HttpValidator

SCOPE = ("repository_id", "workflow", "branch")
VALIDATOR_FIELDS = ("url", "etag", "last_modified", "body", "updated_at")


class ScanState:
    _db: Database

    def cursor(self, repo: str, workflow: str, branch: str) -> CursorPosition | None:
        """How far discovery got for a workflow and branch (``*`` stands for all)."""
        query = (
            select(CursorRow.last_created_at, CursorRow.last_run_id)
            .join(RepositoryRow, RepositoryRow.id == CursorRow.repository_id)
            .where(
                RepositoryRow.full_name == repo,
                CursorRow.workflow == clip(workflow, NAME),
                CursorRow.branch == clip(branch, NAME),
            )
        )
        found = self._db.run(lambda session: session.execute(query).one_or_none())
        return None if found is None else CursorPosition(*found)

    def advance_cursor(
        self, repo: str, workflow: str, branch: str, position: CursorPosition
    ) -> CursorPosition:
        """Move the cursor forward to ``position``; a cursor already past it stays where
        it is (two workers may finish out of order). Returns where the cursor is now."""

        def advance(session: Session) -> CursorPosition:
            scope = {
                "repository_id": repository_id(session, repo),
                "workflow": clip(workflow, NAME),
                "branch": clip(branch, NAME),
            }
            return move_cursor_forward(session, scope, position, self._db.now())

        return self._db.run(advance)

    def validator(self, url: str) -> HttpValidator | None:
        query = select(ValidatorRow).where(ValidatorRow.url_key == url_key(url))
        row = self._db.run(lambda session: session.execute(query).scalar_one_or_none())
        return None if row is None else HttpValidator(row.etag, row.last_modified, row.body)

    def put_validator(self, url: str, validator: HttpValidator) -> None:
        row = {
            "url_key": url_key(url),
            "url": url,
            "etag": validator.etag,
            "last_modified": validator.last_modified,
            "body": validator.body,
            "updated_at": self._db.now(),
        }
        self._db.run(
            lambda session: upsert(
                session, ValidatorRow, [row], key=("url_key",), update=VALIDATOR_FIELDS
            )
        )


def move_cursor_forward(
    session: Session, scope: dict[str, Any], position: CursorPosition, now: datetime
) -> CursorPosition:
    target = {
        "last_created_at": position.created_at,
        "last_run_id": position.run_id,
        "updated_at": now,
    }
    upsert(session, CursorRow, [scope | target], key=SCOPE, update=())
    in_scope = [CursorRow.__table__.c[column] == value for column, value in scope.items()]
    behind = or_(
        CursorRow.last_created_at < position.created_at,
        and_(
            CursorRow.last_created_at == position.created_at,
            CursorRow.last_run_id < position.run_id,
        ),
    )
    session.execute(update(CursorRow).where(*in_scope, behind).values(target))
    now_at = session.execute(
        select(CursorRow.last_created_at, CursorRow.last_run_id).where(*in_scope)
    ).one()
    return CursorPosition(*now_at)


def url_key(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()
