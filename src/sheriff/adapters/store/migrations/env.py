"""Alembic environment: run by ``sheriff.adapters.store.migrate`` with an open connection,
or by the ``alembic`` command with ``sqlalchemy.url`` set."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from sheriff.adapters.store.database import Database
from sheriff.adapters.store.migration_options import context_options


def run_offline() -> None:
    context.configure(
        url=context.config.get_main_option("sqlalchemy.url"),
        literal_binds=True,
        **context_options(),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_on(connection: Connection) -> None:
    context.configure(connection=connection, **context_options())
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_on(connection)
        return
    database = Database(context.config.get_main_option("sqlalchemy.url") or "")
    try:
        with database.engine.begin() as opened:
            run_on(opened)
    finally:
        database.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
