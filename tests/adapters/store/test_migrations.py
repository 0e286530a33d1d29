"""Migrations: up from empty, no autogenerate difference, clear errors on schema drift."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from sheriff.adapters.store import Database, check_schema, head_revision, open_store, upgrade
from sheriff.adapters.store.migrate import current_revision, schema_differences
from sheriff.adapters.store.migration_options import VERSION_TABLE, target_metadata
from sheriff.errors import StoreSchemaError
from tests.adapters.store.conftest import drop_everything


@pytest.fixture
def empty_url(database_url: str) -> str:
    drop_everything(database_url)
    return database_url


def test_upgrade_from_empty_creates_every_table_and_autogenerate_finds_no_difference(
    empty_url: str,
) -> None:
    upgrade(empty_url)
    upgrade(empty_url)  # a second upgrade is a no-op

    database = Database(empty_url)
    try:
        tables = set(inspect(database.engine).get_table_names())
        assert set(target_metadata().tables) | {VERSION_TABLE} <= tables
        with database.engine.connect() as connection:
            assert current_revision(connection) == head_revision()
        assert schema_differences(database) == []
    finally:
        database.dispose()
    check_schema(empty_url)


def test_a_database_without_the_schema_asks_for_an_upgrade(empty_url: str) -> None:
    with pytest.raises(StoreSchemaError, match="no Sheriff schema") as raised:
        open_store(empty_url)
    assert "sheriff db upgrade" in raised.value.hint


def test_open_store_can_upgrade_first(empty_url: str) -> None:
    store = open_store(empty_url, upgrade=True)
    store.close()
    check_schema(empty_url)


def test_a_schema_newer_than_this_sheriff_is_refused(empty_url: str) -> None:
    upgrade(empty_url)
    database = Database(empty_url)
    with database.engine.begin() as connection:
        connection.execute(text(f"UPDATE {VERSION_TABLE} SET version_num = 'f00dfeed9999'"))
    database.dispose()

    expected = (
        f"database schema is at revision f00dfeed9999, newer than this Sheriff "
        f"\\(knows up to {head_revision()}\\)"
    )
    with pytest.raises(StoreSchemaError, match=expected) as raised:
        check_schema(empty_url)
    assert "upgrade Sheriff" in raised.value.hint
    with pytest.raises(StoreSchemaError, match="newer than this Sheriff"):
        upgrade(empty_url)  # never migrates a database it does not understand
    with pytest.raises(StoreSchemaError, match="newer than this Sheriff"):
        open_store(empty_url, upgrade=True)
