"""The web tier's durable inbox: acknowledged deliveries, in a SQLite file of its own.

Acknowledging a delivery must not wait for the durable engine, whose database the workers
keep busy (SQLite's single write lock in one process, the PostgreSQL server's CPU across
processes). So the web tier writes each delivery here, answers GitHub, and a forwarder
(``forwarder.py``) moves it to the engine's queue afterwards: the transactional-outbox
pattern, run backwards as an inbox.

One writer thread owns every write (group commit): it takes all the requests waiting,
applies them in one transaction (a redelivery is recognised right there by its delivery
id), commits once and only then resolves each request's future. Readers (the forwarder,
the metrics) never block the writer (write-ahead log).

``synchronous`` is SQLite's: with ``NORMAL`` (the default) a commit survives the process
being killed but not a power failure or an OS crash, which may lose the last commits; with
``FULL`` each commit also waits for the disk, which group commit shares among the
deliveries that arrived meanwhile, but whose worst cases (hundreds of milliseconds on a
busy virtual disk) every one of them then waits. See docs/architecture.md for the choice.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sheriff.adapters.engine.enqueued import Enqueued
from sheriff.adapters.engine.inbox_codec import decode_event, encode_event
from sheriff.adapters.engine.inbox_commands import (
    Command,
    Insert,
    MarkForwarded,
    Prune,
    apply_batch,
)
from sheriff.app.webhook_events import WebhookEvent
from sheriff.errors import EngineError

log = logging.getLogger("sheriff.inbox")

SCHEMA_VERSION = 1
SCHEMA = (
    """CREATE TABLE IF NOT EXISTS deliveries (
        delivery_id TEXT PRIMARY KEY,
        event_name TEXT NOT NULL,
        event_json TEXT NOT NULL,
        received_at REAL NOT NULL,
        forwarded_at REAL
    )""",
    """CREATE INDEX IF NOT EXISTS deliveries_waiting
        ON deliveries (received_at) WHERE forwarded_at IS NULL""",
    """CREATE INDEX IF NOT EXISTS deliveries_forwarded
        ON deliveries (forwarded_at) WHERE forwarded_at IS NOT NULL""",
)
BUSY_TIMEOUT_MS = 5_000
WAL_SIZE_LIMIT = 16 << 20  # bytes the write-ahead log keeps once checkpointed
MOST_PER_COMMIT = 500  # requests one transaction takes at most
STOP = None


Synchronous = Literal["NORMAL", "FULL"]


@dataclass(frozen=True, slots=True)
class InboxSettings:
    path: Path
    synchronous: Synchronous = "NORMAL"  # FULL: a commit waits for the disk (power loss)
    retention_seconds: float = 7 * 86400.0  # forwarded rows are kept this long (dedupe)
    stuck_after_seconds: float = 60.0  # a delivery waiting longer: the forwarder is stuck
    forward_batch: int = 100  # rows the forwarder takes at a time
    poll_seconds: float = 1.0  # the forwarder looks at least this often
    prune_every_seconds: float = 600.0


@dataclass(frozen=True, slots=True)
class Backlog:
    """Deliveries acknowledged but not yet in the durable queue."""

    depth: int
    oldest_received_at: float | None

    def oldest_age(self, now: float) -> float:
        return 0.0 if self.oldest_received_at is None else max(0.0, now - self.oldest_received_at)


@dataclass(frozen=True, slots=True)
class InboxRow:
    """A waiting delivery; ``event`` is None when the row cannot be read (``problem``)."""

    delivery_id: str
    received_at: float
    event: WebhookEvent | None
    problem: str = ""


class Inbox:
    """``open()`` before use, ``close()`` after (pending writes are finished first)."""

    def __init__(self, settings: InboxSettings, clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self._clock = clock
        self._requests: queue.SimpleQueue[Command | None] = queue.SimpleQueue()
        self._arrived = threading.Event()
        self._state = threading.Lock()  # guards _closed against submissions
        self._closed = True
        self._writer: sqlite3.Connection | None = None
        self._reader: sqlite3.Connection | None = None
        self._reading = threading.Lock()
        self._thread: threading.Thread | None = None
        self.commits = 0  # transactions the writer committed (each a batch of requests)

    @property
    def path(self) -> Path:
        return self.settings.path

    def open(self) -> None:
        try:
            self.settings.path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = _connect(self.settings.path, self.settings.synchronous)
            _create_schema(self._writer, self.settings.path)
            self._reader = _connect(self.settings.path, self.settings.synchronous)
        except EngineError:
            self._close_connections()
            raise
        except (OSError, sqlite3.Error) as error:
            self._close_connections()
            raise EngineError(
                f"could not open the webhook inbox {self.settings.path}: {error}",
                hint="SHERIFF_INBOX_PATH must name a file in a writable folder on a local disk",
            ) from error
        self._thread = threading.Thread(target=self._write, name="sheriff-inbox", daemon=True)
        self._thread.start()
        with self._state:
            self._closed = False

    def submit(self, event: WebhookEvent) -> Future[Enqueued]:
        """Record ``event``; the future resolves once its transaction has committed: NEW, or
        DUPLICATE when its delivery id was already there; it fails with an EngineError."""
        text = encode_event(event)
        return self._send(Insert(Future(), event.delivery_id, event.name, text, event.received_at))

    def mark_forwarded(self, delivery_ids: Sequence[str]) -> Future[int]:
        return self._send(MarkForwarded(Future(), tuple(delivery_ids), self._clock()))

    def prune(self, forwarded_before: float, most: int = 1000) -> Future[int]:
        """Delete up to ``most`` rows forwarded before that time (small, to keep commits short)."""
        return self._send(Prune(Future(), forwarded_before, most))

    def pending(self, limit: int) -> list[InboxRow]:
        """The oldest deliveries not yet forwarded, oldest first."""
        rows = self._read(
            "SELECT delivery_id, received_at, event_json FROM deliveries "
            "WHERE forwarded_at IS NULL ORDER BY received_at LIMIT ?",
            (limit,),
        )
        return [_row(delivery_id, received_at, text) for delivery_id, received_at, text in rows]

    def backlog(self) -> Backlog:
        ((depth, oldest),) = self._read(
            "SELECT COUNT(*), MIN(received_at) FROM deliveries WHERE forwarded_at IS NULL", ()
        )
        return Backlog(int(depth), oldest)

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the database file, without waiting for the writer.

        SQLite would otherwise do it inside the commit that fills the log past 1000 pages,
        and that commit — with the acknowledgements waiting on it — would also wait for the
        two flushes a checkpoint makes (the log, then the database)."""
        self._read("PRAGMA wal_checkpoint(PASSIVE)", ())

    def wait_for_arrivals(self, seconds: float) -> None:
        """Sleep until new deliveries are committed (or ``wake()``), at most ``seconds``."""
        self._arrived.wait(seconds)
        self._arrived.clear()

    def wake(self) -> None:
        self._arrived.set()

    def writing(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def close(self) -> None:
        with self._state:
            already, self._closed = self._closed, True
            if not already:
                self._requests.put(STOP)
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self._close_connections()

    def _send(self, command: Command) -> Future[Any]:
        with self._state:
            if self._closed:
                command.future.set_exception(
                    EngineError("the webhook inbox is closed", hint="the server is stopping")
                )
            else:
                self._requests.put(command)
        return command.future

    def _write(self) -> None:
        """The writer thread: one transaction per batch of waiting requests."""
        writer = self._writer
        assert writer is not None
        while (first := self._requests.get()) is not STOP:
            batch = [first]
            while len(batch) < MOST_PER_COMMIT:
                try:
                    following = self._requests.get_nowait()
                except queue.Empty:
                    break
                if following is STOP:
                    self._requests.put(STOP)  # finish this batch, then stop
                    break
                batch.append(following)
            applied = apply_batch(writer, batch, self.settings.path)
            self.commits += applied.committed
            if applied.arrivals:
                self._arrived.set()

    def _read(self, sql: str, parameters: tuple[Any, ...]) -> list[Any]:
        with self._reading:
            if self._reader is None:
                raise EngineError("the webhook inbox is not open", hint="open it first")
            try:
                return self._reader.execute(sql, parameters).fetchall()
            except sqlite3.Error as error:
                raise EngineError(
                    f"could not read the webhook inbox {self.settings.path}: {error}",
                    hint="check the file and its disk; acknowledged deliveries wait in it",
                ) from error

    def _close_connections(self) -> None:
        with self._reading:
            for connection in (self._writer, self._reader):
                if connection is not None:
                    connection.close()
            self._writer = self._reader = None


def _connect(path: Path, synchronous: Synchronous) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    for pragma in (
        f"busy_timeout={BUSY_TIMEOUT_MS}",
        "journal_mode=WAL",
        f"synchronous={synchronous}",
        "wal_autocheckpoint=0",  # checkpoints are the forwarder's: see checkpoint()
        f"journal_size_limit={WAL_SIZE_LIMIT}",
    ):
        connection.execute(f"PRAGMA {pragma}")
    return connection


def _create_schema(connection: sqlite3.Connection, path: Path) -> None:
    (version,) = connection.execute("PRAGMA user_version").fetchone()
    if version > SCHEMA_VERSION:
        raise EngineError(
            f"the webhook inbox {path} was written by a newer Sheriff (schema {version})",
            hint="run that version, or let it forward its deliveries and then remove the file",
        )
    connection.execute("BEGIN IMMEDIATE")
    for statement in SCHEMA:
        connection.execute(statement)
    connection.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    connection.execute("COMMIT")


def _row(delivery_id: str, received_at: float, text: str) -> InboxRow:
    try:
        return InboxRow(delivery_id, received_at, decode_event(text))
    except (ValueError, TypeError) as error:
        return InboxRow(delivery_id, received_at, None, f"{type(error).__name__}: {error}")
