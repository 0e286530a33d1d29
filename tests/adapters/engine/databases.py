"""Engine (DBOS system) databases for tests: a SQLite file, or a fresh PostgreSQL database
on the server named by SHERIFF_TEST_PG_URL (``eval "$(bash scripts/dbservers)"``). Without
that URL PostgreSQL tests are skipped, except in CI (CI set), where they fail: CI must never
silently test SQLite only (the store tests follow the same rule)."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

PG_VARIABLE = "SHERIFF_TEST_PG_URL"


def pg_server_url() -> str:
    url = os.environ.get(PG_VARIABLE)
    if url:
        return url
    message = f"{PG_VARIABLE} is not set: no PostgreSQL server for the multi-worker engine"
    if os.environ.get("CI"):
        pytest.fail(f'{message}; in CI run `eval "$(bash scripts/dbservers)"` first')
    pytest.skip(f'{message} (start one with `eval "$(bash scripts/dbservers)"`)')


@contextmanager
def fresh_pg_database(prefix: str) -> Iterator[str]:
    """A new, empty database on the test server (dropped afterwards); yields its URL."""
    server = make_url(pg_server_url())
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        _drop(admin, name)
        admin.dispose()


def _drop(admin: Engine, name: str) -> None:
    """Drop the database, ending its sessions; a session a stopping engine's background
    thread opens at that very moment makes PostgreSQL refuse, so try again briefly."""
    for attempt in range(10):
        try:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        except DBAPIError:
            if attempt == 9:
                raise
            time.sleep(0.5)
        else:
            return


@pytest.fixture(params=["sqlite", "postgresql"])
def engine_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An engine database URL: each test using it runs on SQLite, then on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'engine.sqlite'}"
        return
    with fresh_pg_database("sheriff_engine") as url:
        yield url
