"""Which processes are alive, and resuming the work of those that died.

Self-hosted DBOS (without its Conductor service) recovers a process's unfinished workflows
only when a process with the same executor id starts again. Sheriff's workers come and go
with their own ids, so every process keeps a heartbeat row in ``sheriff_executors`` (in the
DBOS system database) and, on each beat, looks for PENDING workflows whose executor has
been silent for longer than ``dead_after`` seconds and hands them back to their queue.
Handing back is idempotent in DBOS (only rows still PENDING on the dead executor move), so
two processes sweeping at once resume each workflow once.

``dead_after`` must be longer than the longest GitHub request: a request the dead process
sent just before dying may still be applied by GitHub, and the resumed work must see its
effect (an issue it created is then found by its label and marker, not created again).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Collection

from sqlalchemy import (
    BigInteger,
    Column,
    Engine,
    MetaData,
    String,
    Table,
    create_engine,
    inspect,
    select,
)
from sqlalchemy import delete as sql_delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from sheriff.adapters.engine.sqlite_tuning import tuned_sqlite_engine
from sheriff.errors import EngineError

log = logging.getLogger("sheriff.engine")

METADATA = MetaData()
EXECUTORS = Table(
    "sheriff_executors",
    METADATA,
    Column("executor_id", String(200), primary_key=True),
    Column("last_seen_ms", BigInteger, nullable=False),
    Column("started_ms", BigInteger, nullable=False),
)
FORGET_AFTER_MS = 24 * 3600 * 1000  # rows of processes gone this long are deleted

PendingExecutors = Callable[[], Collection[str]]
"""Executor ids that hold PENDING workflows (from DBOS)."""
Resume = Callable[[list[str]], int]
"""Hand the PENDING workflows of these executors back to their queues; returns how many."""


def sqlalchemy_url(url: str) -> str:
    """The URL for our own engine: psycopg 3 for PostgreSQL (DBOS accepts both forms)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def now_ms() -> int:
    return int(time.time() * 1000)


class Liveness:
    """This process's heartbeat, and the sweep that resumes dead processes' work."""

    def __init__(
        self, url: str, executor_id: str, *, beat_seconds: float, dead_after_seconds: float
    ) -> None:
        self.executor_id = executor_id
        self._url = sqlalchemy_url(url)
        self._beat_seconds = beat_seconds
        self._dead_after_ms = int(dead_after_seconds * 1000)
        self._engine: Engine | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_beat_ms = 0
        self.resumed = 0  # workflows handed back by this process's sweeps

    def open(self) -> None:
        """Create the table if needed and write the first beat (before DBOS dequeues)."""
        if self._url.startswith("sqlite"):
            engine = tuned_sqlite_engine(self._url, pool_size=2)
        else:
            engine = create_engine(self._url, pool_pre_ping=True, pool_size=2, max_overflow=2)
        self._engine = engine
        try:
            METADATA.create_all(engine, checkfirst=True)
        except SQLAlchemyError:  # another process created it at the same moment
            if not inspect(engine).has_table(EXECUTORS.name):
                raise
        self.beat(started=True)

    def start(self, pending: PendingExecutors, resume: Resume) -> None:
        self._thread = threading.Thread(
            target=self._run, args=(pending, resume), name="sheriff-liveness", daemon=True
        )
        self._thread.start()

    def beat(self, *, started: bool = False) -> None:
        stamp = now_ms()
        values = {"executor_id": self.executor_id, "last_seen_ms": stamp, "started_ms": stamp}
        update = {"last_seen_ms": stamp} | ({"started_ms": stamp} if started else {})
        with self._connected().begin() as connection:
            dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
            statement = dialect.insert(EXECUTORS).values(values)
            connection.execute(
                statement.on_conflict_do_update(index_elements=["executor_id"], set_=update)
            )
        self.last_beat_ms = stamp

    def live_executors(self) -> set[str]:
        cutoff = now_ms() - self._dead_after_ms
        query = select(EXECUTORS.c.executor_id).where(EXECUTORS.c.last_seen_ms >= cutoff)
        with self._connected().connect() as connection:
            return {row[0] for row in connection.execute(query)}

    def sweep(self, pending: PendingExecutors, resume: Resume) -> list[str]:
        """Resume the work of executors that hold PENDING workflows but stopped beating."""
        live = self.live_executors() | {self.executor_id}
        dead = sorted(set(pending()) - live)
        if dead:
            count = resume(dead)
            self.resumed += count
            log.warning("resumed %d workflow(s) of silent executors %s", count, dead)
        with self._connected().begin() as connection:
            connection.execute(
                sql_delete(EXECUTORS).where(EXECUTORS.c.last_seen_ms < now_ms() - FORGET_AFTER_MS)
            )
        return dead

    def stop_beating(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self._beat_seconds + 5)
            self._thread = None

    def close(self) -> None:
        """Stop beating and remove our row: our unfinished work is resumed elsewhere at once
        (call it once this process runs no workflow any more)."""
        self.stop_beating()
        if self._engine is None:
            return
        try:
            with self._engine.begin() as connection:
                connection.execute(
                    sql_delete(EXECUTORS).where(EXECUTORS.c.executor_id == self.executor_id)
                )
        except SQLAlchemyError as error:
            log.warning("could not remove this process's heartbeat: %s", error)
        self._engine.dispose()
        self._engine = None

    def _run(self, pending: PendingExecutors, resume: Resume) -> None:
        while not self._stop.wait(self._beat_seconds):
            try:
                self.beat()
                self.sweep(pending, resume)
            except (SQLAlchemyError, EngineError) as error:  # the database is away: next beat
                log.warning("heartbeat or sweep failed: %s", error)

    def _connected(self) -> Engine:
        if self._engine is None:
            raise EngineError("the liveness table is not open", hint="call open() first")
        return self._engine
