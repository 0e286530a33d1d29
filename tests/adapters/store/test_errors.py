"""Every way the store can fail reaches the user as a StoreError saying what to do next."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from sheriff.adapters.store import Database, default_database_path, default_database_url, open_store
from sheriff.adapters.store.schema_cases import AuditRow
from sheriff.app.ports import AuditEvent
from sheriff.errors import StoreLockedError, StoreSchemaError, StoreUnavailableError


def test_a_locked_sqlite_file_is_reported_as_locked(sqlite_url: str, tmp_path: Path) -> None:
    store = open_store(sqlite_url, upgrade=True, sqlite_busy_seconds=0.2)
    holder = sqlite3.connect(tmp_path / "sheriff.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        with pytest.raises(StoreLockedError, match="locked by another process") as raised:
            store.append_audit(AuditEvent("sheriff", "scan", "test"))
        assert time.monotonic() - started < 5
        assert "PostgreSQL" in raised.value.hint
    finally:
        holder.rollback()
        holder.close()
        store.close()


def test_an_unreachable_server_is_reported_with_what_to_check() -> None:
    with pytest.raises(StoreUnavailableError, match="cannot use the database at") as raised:
        open_store("postgresql://sheriff:s3cret@127.0.0.1:9/sheriff?connect_timeout=2")
    assert "s3cret" not in str(raised.value)
    assert "SHERIFF_DB_URL" in raised.value.hint


def test_an_unreachable_mysql_server_is_reported_too() -> None:
    with pytest.raises(StoreUnavailableError, match="cannot use the database at"):
        open_store("mysql://sheriff:s3cret@127.0.0.1:9/sheriff?connect_timeout=2")


def test_a_sqlite_file_in_a_missing_folder_is_reported(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailableError, match="cannot use the database") as raised:
        open_store(f"sqlite:///{tmp_path}/missing/folder/sheriff.db")
    assert "folder exists" in raised.value.hint


@pytest.mark.parametrize("url", ["not a url", "oracle://scott:tiger@db/orcl", "mssql+pyodbc://db"])
def test_unsupported_urls_are_refused_with_the_supported_forms(url: str) -> None:
    with pytest.raises(StoreUnavailableError) as raised:
        Database(url)
    assert "postgresql+psycopg://" in raised.value.hint


def test_drivers_are_chosen_when_the_url_names_none() -> None:
    assert Database("postgresql://u@h/d").url.drivername == "postgresql+psycopg"
    mysql = Database("mysql://u@h/d").url
    assert (mysql.drivername, mysql.query["charset"]) == ("mysql+pymysql", "utf8mb4")


def test_missing_tables_ask_for_an_upgrade(sqlite_url: str) -> None:
    database = Database(sqlite_url)
    with pytest.raises(StoreSchemaError, match="lacks Sheriff's tables") as raised:
        database.run(lambda session: session.get(AuditRow, 1))
    assert "sheriff db upgrade" in raised.value.hint
    database.dispose()


def test_default_url_follows_xdg_and_creates_the_folder(tmp_path: Path) -> None:
    url = default_database_url({"XDG_DATA_HOME": str(tmp_path / "data"), "HOME": "/nonexistent"})
    assert url == f"sqlite:///{tmp_path}/data/sheriff/sheriff.db"
    assert (tmp_path / "data" / "sheriff").is_dir()
    home = default_database_path({"XDG_DATA_HOME": "relative/ignored", "HOME": str(tmp_path)})
    assert home == tmp_path / ".local" / "share" / "sheriff" / "sheriff.db"


def test_an_unwritable_data_folder_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreUnavailableError, match="cannot create the data folder") as raised:
        default_database_url({"XDG_DATA_HOME": str(blocker)})
    assert "SHERIFF_DB_URL" in raised.value.hint
