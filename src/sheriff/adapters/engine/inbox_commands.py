"""What the inbox's writer thread does with one batch of requests: one transaction, one
commit, then every request's future resolved (or all of them failed).

The inserts of a batch are two statements whatever their number: one ``SELECT`` of the ids
already there (redeliveries), one multi-row ``INSERT`` of the others. Inside the batch's
``BEGIN IMMEDIATE`` nothing else can write, so this is exactly ``INSERT OR IGNORE`` row by
row, but every statement is a release and re-acquisition of the GIL by the writer thread,
and in a process whose worker threads keep the GIL busy each of those is a wait.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sheriff.adapters.engine.enqueued import Enqueued
from sheriff.errors import EngineError

log = logging.getLogger("sheriff.inbox")
T = TypeVar("T")
IDS_PER_STATEMENT = 500
INSERT = "INSERT INTO deliveries (delivery_id, event_name, event_json, received_at) VALUES "
ROWS_PER_INSERT = 200  # 4 parameters each, far below SQLite's limit of 32766


@dataclass(frozen=True, slots=True)
class Insert:
    future: Future[Enqueued]
    delivery_id: str
    event_name: str
    event_json: str
    received_at: float

    @property
    def row(self) -> tuple[str, str, str, float]:
        return (self.delivery_id, self.event_name, self.event_json, self.received_at)

    def failure(self, error: sqlite3.Error, path: Path) -> EngineError:
        return EngineError(
            f"could not record delivery {self.delivery_id} in the webhook inbox {path}: {error}",
            hint="check that its disk is writable and not full; GitHub can redeliver the "
            "delivery from the App's settings (Advanced → Recent Deliveries)",
        )


@dataclass(frozen=True, slots=True)
class MarkForwarded:
    future: Future[int]
    delivery_ids: tuple[str, ...]
    at: float

    def apply(self, cursor: sqlite3.Cursor) -> int:
        marked = 0
        for chunk in _chunks(self.delivery_ids, IDS_PER_STATEMENT):
            marks = _marks(len(chunk))
            query = f"UPDATE deliveries SET forwarded_at = ? WHERE delivery_id IN ({marks})"  # noqa: S608
            cursor.execute(query + " AND forwarded_at IS NULL", (self.at, *chunk))
            marked += max(cursor.rowcount, 0)
        return marked

    def failure(self, error: sqlite3.Error, path: Path) -> EngineError:
        return EngineError(
            f"could not mark {len(self.delivery_ids)} deliveries forwarded in {path}: {error}",
            hint="they stay in the inbox and are forwarded again (the queue ignores repeats)",
        )


@dataclass(frozen=True, slots=True)
class Prune:
    future: Future[int]
    forwarded_before: float
    most: int

    def apply(self, cursor: sqlite3.Cursor) -> int:
        cursor.execute(
            "DELETE FROM deliveries WHERE rowid IN (SELECT rowid FROM deliveries "
            "WHERE forwarded_at IS NOT NULL AND forwarded_at < ? LIMIT ?)",
            (self.forwarded_before, self.most),
        )
        return max(cursor.rowcount, 0)

    def failure(self, error: sqlite3.Error, path: Path) -> EngineError:
        return EngineError(f"could not prune the webhook inbox {path}: {error}")


Command = Insert | MarkForwarded | Prune


@dataclass(frozen=True, slots=True)
class Applied:
    committed: bool = False
    arrivals: int = 0  # new deliveries committed


def apply_batch(connection: sqlite3.Connection, batch: list[Command], path: Path) -> Applied:
    """Apply ``batch`` in one transaction, then resolve (or fail) every request's future.

    A request whose caller gave up waiting (its future cancelled) is skipped, so what was
    answered 503 is not recorded either."""
    live = [command for command in batch if command.future.set_running_or_notify_cancel()]
    if not live:
        return Applied()
    inserts = [command for command in live if isinstance(command, Insert)]
    others = [command for command in live if not isinstance(command, Insert)]
    results: list[Any] = []
    cursor = connection.cursor()
    try:
        cursor.execute("BEGIN IMMEDIATE")
        results = [*_insert_all(cursor, inserts), *(command.apply(cursor) for command in others)]
        cursor.execute("COMMIT")
    except sqlite3.Error as error:
        _roll_back(connection)
        log.error("webhook inbox write failed: %s", error)  # noqa: TRY400 - said in full
        for command in live:
            command.future.set_exception(command.failure(error, path))
        return Applied()
    finally:
        cursor.close()
    for command, result in zip([*inserts, *others], results, strict=True):
        command.future.set_result(result)
    return Applied(committed=True, arrivals=sum(result is Enqueued.NEW for result in results))


def _insert_all(cursor: sqlite3.Cursor, inserts: list[Insert]) -> list[Enqueued]:
    """Insert the deliveries not yet there (the first of repeats within the batch)."""
    ids = list(dict.fromkeys(insert.delivery_id for insert in inserts))
    seen: set[str] = set()
    for chunk in _chunks(ids, IDS_PER_STATEMENT):
        marks = _marks(len(chunk))
        query = f"SELECT delivery_id FROM deliveries WHERE delivery_id IN ({marks})"  # noqa: S608
        seen.update(row[0] for row in cursor.execute(query, chunk))
    results, fresh = [], []
    for insert in inserts:
        if insert.delivery_id in seen:
            results.append(Enqueued.DUPLICATE)
        else:
            seen.add(insert.delivery_id)
            fresh.append(insert.row)
            results.append(Enqueued.NEW)
    for rows in _chunks(fresh, ROWS_PER_INSERT):
        values = ", ".join(["(?, ?, ?, ?)"] * len(rows))  # placeholders only: no injection
        cursor.execute(INSERT + values, [value for row in rows for value in row])
    return results


def _chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def _marks(count: int) -> str:
    return ", ".join(["?"] * count)


def _roll_back(connection: sqlite3.Connection) -> None:
    if connection.in_transaction:
        try:
            connection.execute("ROLLBACK")
        except sqlite3.Error as error:
            log.warning("webhook inbox rollback failed: %s", error)
