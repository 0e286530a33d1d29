"""One database: its engine (tuned per dialect) and explicit transactions with retries."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from sheriff.adapters.store.error_translation import is_transient, translating_errors
from sheriff.adapters.store.schema_base import MYSQL_FAMILY
from sheriff.errors import StoreUnavailableError

T = TypeVar("T")

DEFAULT_DRIVERS = {"postgresql": "psycopg", "mysql": "pymysql", "mariadb": "pymysql"}
SUPPORTED_HINT = (
    "use sqlite:///PATH, postgresql+psycopg://USER:PASSWORD@HOST/DB or "
    "mysql+pymysql://USER:PASSWORD@HOST/DB (--db / SHERIFF_DB_URL)"
)
TRANSACTION_TRIES = 5


def utc_now() -> datetime:
    return datetime.now(UTC)


def parse_database_url(text: str) -> URL:
    """Parse a database URL, choosing Sheriff's drivers when the URL names none."""
    try:
        url = make_url(text)
    except ArgumentError as error:
        raise StoreUnavailableError(f"not a database URL: {text!r}", hint=SUPPORTED_HINT) from error
    backend, _, driver = url.drivername.partition("+")
    if backend not in ("sqlite", *DEFAULT_DRIVERS):
        raise StoreUnavailableError(f"unsupported database {backend!r}", hint=SUPPORTED_HINT)
    if not driver and backend in DEFAULT_DRIVERS:
        url = url.set(drivername=f"{backend}+{DEFAULT_DRIVERS[backend]}")
    if backend in MYSQL_FAMILY and "charset" not in url.query:
        url = url.update_query_dict({"charset": "utf8mb4"})
    return url


def build_engine(url: URL, *, sqlite_busy_seconds: float) -> Engine:
    try:
        if url.get_backend_name() == "sqlite":
            return sqlite_engine(url, sqlite_busy_seconds)
        if url.get_backend_name() in MYSQL_FAMILY:
            return create_engine(url, pool_pre_ping=True, isolation_level="READ COMMITTED")
        return create_engine(url, pool_pre_ping=True)
    except (NoSuchModuleError, ModuleNotFoundError) as error:
        raise StoreUnavailableError(
            f"no driver for {url.drivername}: {error}", hint=SUPPORTED_HINT
        ) from error


def sqlite_engine(url: URL, busy_seconds: float) -> Engine:
    """SQLite in WAL mode with foreign keys on; every transaction takes the write lock at
    BEGIN (BEGIN IMMEDIATE), so concurrent writers wait ``busy_seconds`` instead of failing
    midway when a read transaction tries to become a write."""
    engine = create_engine(url, connect_args={"timeout": busy_seconds})

    @event.listens_for(engine, "connect")
    def configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def begin_immediately(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


class Database:
    """An engine plus a clock. ``run`` executes one unit of work in one transaction,
    again on deadlocks, and raises StoreErrors instead of driver errors."""

    def __init__(
        self,
        url: str,
        *,
        clock: Callable[[], datetime] = utc_now,
        sqlite_busy_seconds: float = 30.0,
    ) -> None:
        self.url = parse_database_url(url)
        self.engine = build_engine(self.url, sqlite_busy_seconds=sqlite_busy_seconds)
        self.now = clock
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def run(self, work: Callable[[Session], T]) -> T:
        with translating_errors(self.url):
            return self._run_with_retries(work)

    def _run_with_retries(self, work: Callable[[Session], T]) -> T:
        tries = 1
        while True:
            try:
                with self._sessions.begin() as session:
                    return work(session)
            except DBAPIError as error:
                if tries >= TRANSACTION_TRIES or not is_transient(error):
                    raise
            time.sleep((20 * tries + secrets.randbelow(20)) / 1000)  # back off, out of step
            tries += 1

    def dispose(self) -> None:
        self.engine.dispose()
