"""The store's tests run on every backend: SQLite always (a temp file), PostgreSQL and
MariaDB/MySQL when SHERIFF_TEST_PG_URL / SHERIFF_TEST_MYSQL_URL name a server
(``eval "$(bash scripts/dbservers)"`` starts both). With CI set, a missing URL fails the
run instead of skipping, so CI can never silently test SQLite only.

Under pytest-xdist each worker gets its own database (``<name>_<worker>``) on the servers.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL

from sheriff.adapters.store import Database, Store, open_store, parse_database_url, upgrade
from sheriff.adapters.store.migrate import current_revision, head_revision
from sheriff.adapters.store.migration_options import VERSION_TABLE, target_metadata

SERVER_URL_VARIABLES = {"postgresql": "SHERIFF_TEST_PG_URL", "mariadb": "SHERIFF_TEST_MYSQL_URL"}
BACKENDS = ("sqlite", "postgresql", "mariadb")
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


class TickingClock:
    """A clock that moves one second each time it is read: distinct, ordered times."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def server_url(backend: str) -> str:
    variable = SERVER_URL_VARIABLES[backend]
    url = os.environ.get(variable)
    if url:
        return url
    message = f"{variable} is not set: no {backend} server to test the store on"
    if os.environ.get("CI"):
        pytest.fail(f'{message}; in CI run `eval "$(bash scripts/dbservers)"` first')
    pytest.skip(f'{message} (start one with `eval "$(bash scripts/dbservers)"`)')


def worker_database(url: URL) -> URL:
    """This xdist worker's own database on the server, created if needed."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    name = f"{url.database}_{worker}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if url.get_backend_name() == "postgresql":
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if exists is None:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        else:
            connection.execute(
                text(
                    f"CREATE DATABASE IF NOT EXISTS `{name}`"
                    " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
                )
            )
    engine.dispose()
    return url.set(database=name)


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    backend = request.param
    if backend == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('store') / 'sheriff.db'}"
    url = worker_database(parse_database_url(server_url(backend)))
    return url.render_as_string(hide_password=False)


def drop_everything(url: str) -> None:
    """Remove Sheriff's tables and its version table: an empty database."""
    database = Database(url)
    try:
        with database.engine.begin() as connection:
            target_metadata().drop_all(connection)
            connection.execute(text(f"DROP TABLE IF EXISTS {VERSION_TABLE}"))
    finally:
        database.dispose()


def empty_tables(url: str) -> None:
    """Bring the schema to head if needed, then delete every row."""
    database = Database(url)
    try:
        with database.engine.connect() as connection:
            at_head = current_revision(connection) == head_revision()
        if not at_head:
            drop_everything(url)
            upgrade(url)
        with database.engine.begin() as connection:
            for table in reversed(target_metadata().sorted_tables):
                connection.execute(table.delete())
    finally:
        database.dispose()


@pytest.fixture
def clock() -> TickingClock:
    return TickingClock()


@pytest.fixture
def store(database_url: str, clock: TickingClock) -> Iterator[Store]:
    empty_tables(database_url)
    opened = open_store(database_url, clock=clock)
    yield opened
    opened.close()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'sheriff.db'}"
