"""The SQLite engine database, tuned for a web tier and workers sharing one file.

DBOS builds its SQLite engine with IMMEDIATE transactions, a 30 s busy timeout and foreign
keys on. Sheriff hands DBOS an engine that does the same and also keeps the file in
write-ahead-log mode with ``synchronous=NORMAL`` (like Sheriff's store): readers never block
the writer, and a commit does not wait for the disk. Every workflow step is a few commits
holding the only write lock, so waiting for the disk at each of them (about 4 ms here) made
acknowledging a webhook wait behind the workers for seconds. The price: a power failure or
an OS crash (not a process crash) may lose the last commits; GitHub can redeliver them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event

BUSY_TIMEOUT_MS = 30_000


def tuned_sqlite_engine(url: str, *, pool_size: int) -> Engine:
    engine = create_engine(url, pool_size=pool_size, max_overflow=0, pool_timeout=30)
    event.listen(engine, "connect", _tune_connection)
    return engine


def _tune_connection(connection: Any, _record: Any) -> None:
    connection.isolation_level = "IMMEDIATE"
    for pragma in (
        f"busy_timeout={BUSY_TIMEOUT_MS}",
        "foreign_keys=ON",
        "journal_mode=WAL",
        "synchronous=NORMAL",
    ):
        connection.execute(f"PRAGMA {pragma}")
