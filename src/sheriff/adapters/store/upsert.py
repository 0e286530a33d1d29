"""Insert-or-update on a natural key, the one place that knows each dialect's syntax:
``ON CONFLICT ... DO UPDATE`` (PostgreSQL, SQLite) and ``ON DUPLICATE KEY UPDATE``
(MySQL, MariaDB, TiDB)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from sqlalchemy import CursorResult, Result, Table, select
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert

from sheriff.adapters.store.schema_base import MYSQL_FAMILY, Base

Row = Mapping[str, Any]
BATCH_ROWS = 500  # well under SQLite's limit of bound parameters per statement


def upsert(
    session: Session,
    model: type[Base],
    rows: Sequence[Row],
    *,
    key: Sequence[str],
    update: Sequence[str],
) -> None:
    """Insert ``rows``; where a row with the same ``key`` exists, set its ``update`` columns
    (none: leave it as it is). Rows are deduplicated on the key (the last wins) and written
    in key order, so concurrent writers lock rows in the same order."""
    unique = {tuple(row[column] for column in key): row for row in rows}
    ordered = [unique[row_key] for row_key in sorted(unique, key=repr)]
    dialect = session.get_bind().dialect.name
    table = table_of(model)
    for start in range(0, len(ordered), BATCH_ROWS):
        batch = ordered[start : start + BATCH_ROWS]
        session.execute(upsert_statement(dialect, table, batch, key, update))


def upsert_statement(
    dialect: str, table: Table, rows: Sequence[Row], key: Sequence[str], update: Sequence[str]
) -> Insert:
    if dialect in MYSQL_FAMILY:
        mysql_insert = mysql.insert(table).values(list(rows))
        # With nothing to update, a no-op assignment still turns a duplicate into a success.
        changes = {column: mysql_insert.inserted[column] for column in update} or {
            key[0]: table.c[key[0]]
        }
        return mysql_insert.on_duplicate_key_update(changes)
    if dialect == "postgresql":
        pg_insert = postgresql.insert(table).values(list(rows))
        if not update:
            return pg_insert.on_conflict_do_nothing(index_elements=list(key))
        pg_changes = {column: pg_insert.excluded[column] for column in update}
        return pg_insert.on_conflict_do_update(index_elements=list(key), set_=pg_changes)
    sqlite_insert = sqlite.insert(table).values(list(rows))
    if not update:
        return sqlite_insert.on_conflict_do_nothing(index_elements=list(key))
    sqlite_changes = {column: sqlite_insert.excluded[column] for column in update}
    return sqlite_insert.on_conflict_do_update(index_elements=list(key), set_=sqlite_changes)


def id_of(session: Session, model: type[Base], natural_key: Row) -> int | None:
    """The surrogate id of the row with this natural key, if there is one."""
    table = table_of(model)
    query = select(table.c.id).where(
        *(table.c[column] == value for column, value in natural_key.items())
    )
    found: int | None = session.execute(query).scalar_one_or_none()
    return found


def table_of(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


def rows_matched(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE matched (MySQL included: SQLAlchemy asks it for
    found rows, not changed ones)."""
    return cast(CursorResult[Any], result).rowcount
