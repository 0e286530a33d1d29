"""Schema migrations: ``sheriff db upgrade`` and the check that the database's schema is
the one this Sheriff knows.

Developers add a revision after changing the models with::

    python -m sheriff.adapters.store.migrations revision "what changed" [URL]

(URL: a database at the current head; default a fresh SQLite file), then read and edit the
generated file under migrations/versions/ and run the store tests on all three databases.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from sheriff.adapters.store.database import Database
from sheriff.adapters.store.error_translation import translating_errors
from sheriff.adapters.store.migration_options import VERSION_TABLE, context_options
from sheriff.errors import StoreSchemaError

MIGRATIONS = Path(__file__).with_name("migrations")
UPGRADE_HINT = "run `sheriff db upgrade` against this database"


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("file_template", "r%%(rev)s_%%(slug)s")  # a valid module name
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise StoreSchemaError("this Sheriff ships no migrations", hint="reinstall Sheriff")
    return head


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {revision.revision for revision in script.walk_revisions()}


def current_revision(connection: Connection) -> str | None:
    context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
    return context.get_current_revision()


def upgrade(url: str) -> None:
    """Bring the database's schema up to this Sheriff's (``sheriff db upgrade``)."""
    database = Database(url)
    try:
        upgrade_database(database)
    finally:
        database.dispose()


def upgrade_database(database: Database) -> None:
    with translating_errors(database.url), database.engine.begin() as connection:
        refuse_newer_schema(current_revision(connection))
        command.upgrade(alembic_config(connection), "head")


def check_schema(url: str) -> None:
    """Raise StoreSchemaError unless the database is exactly at this Sheriff's schema."""
    database = Database(url)
    try:
        check_database(database)
    finally:
        database.dispose()


def check_database(database: Database) -> None:
    with translating_errors(database.url), database.engine.connect() as connection:
        current = current_revision(connection)
    where = database.url.render_as_string(hide_password=True)
    if current is None:
        raise StoreSchemaError(f"the database at {where} has no Sheriff schema", hint=UPGRADE_HINT)
    refuse_newer_schema(current)
    head = head_revision()
    if current != head:
        raise StoreSchemaError(
            f"database schema is at revision {current}, older than this Sheriff's ({head})",
            hint=UPGRADE_HINT,
        )


def refuse_newer_schema(current: str | None) -> None:
    if current is not None and current not in known_revisions():
        raise StoreSchemaError(
            f"database schema is at revision {current}, newer than this Sheriff "
            f"(knows up to {head_revision()})",
            hint="upgrade Sheriff (every process that uses this database must run the same "
            "or a newer version)",
        )


def schema_differences(database: Database) -> list[Any]:
    """What autogenerate would change: empty when the models and the database agree."""
    options = context_options()
    with database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={key: value for key, value in options.items() if key != "target_metadata"},
        )
        return list(compare_metadata(context, options["target_metadata"]))


def write_revision(message: str, url: str | None = None) -> None:
    """Autogenerate a new revision file from the difference between models and ``url``."""
    with tempfile.TemporaryDirectory() as scratch:
        database = Database(url or f"sqlite:///{scratch}/head.db")
        try:
            if url is None:
                upgrade_database(database)
            with database.engine.begin() as connection:
                command.revision(
                    alembic_config(connection),
                    message=message,
                    autogenerate=True,
                    rev_id=f"{len(known_revisions()) + 1:04d}",
                )
        finally:
            database.dispose()
