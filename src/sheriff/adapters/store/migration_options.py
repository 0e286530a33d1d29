"""How Alembic sees Sheriff's schema: shared by the migration environment (env.py), the
schema check and the tests that prove autogenerate finds no difference."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate.api import AutogenContext
from alembic.runtime.migration import MigrationContext
from sqlalchemy import JSON, Column, MetaData
from sqlalchemy.dialects import mysql
from sqlalchemy.sql.schema import SchemaItem
from sqlalchemy.types import TypeEngine

from sheriff.adapters.store import schema_cases, schema_installations, schema_runs
from sheriff.adapters.store.schema_base import MYSQL_FAMILY, Base, UtcDateTime

VERSION_TABLE = "sheriff_alembic_version"
# imported so that every table is in metadata
TABLE_MODULES = (schema_runs, schema_cases, schema_installations)


def target_metadata() -> MetaData:
    return Base.metadata


def context_options() -> dict[str, Any]:
    """Keyword arguments for ``EnvironmentContext.configure`` / ``MigrationContext``."""
    return {
        "target_metadata": target_metadata(),
        "version_table": VERSION_TABLE,
        "render_as_batch": True,  # SQLite cannot ALTER most things: copy-and-move tables
        "compare_type": compare_type,
        "include_object": include_object,
        "render_item": render_item,
    }


def include_object(
    item: SchemaItem, name: str | None, kind: str, reflected: bool, compare_to: Any
) -> bool:
    """Only Sheriff's tables: a shared database (DBOS, other apps) is left alone."""
    return not (kind == "table" and reflected and compare_to is None)


def compare_type(
    context: MigrationContext,
    inspected: Column[Any],
    metadata: Column[Any],
    inspected_type: TypeEngine[Any],
    metadata_type: TypeEngine[Any],
) -> bool | None:
    """MariaDB stores JSON as LONGTEXT with a JSON check: that is the same type."""
    if isinstance(metadata_type, JSON) and context.dialect.name in MYSQL_FAMILY:
        return not isinstance(inspected_type, JSON | mysql.LONGTEXT)
    return None  # Alembic's own comparison


def render_item(kind: str, item: Any, autogen: AutogenContext) -> str | bool:
    """Render UtcDateTime as the plain DateTime it is in the database."""
    if kind == "type" and isinstance(item, UtcDateTime):
        autogen.imports.add("from sqlalchemy.dialects import mysql")
        return "sa.DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql', 'mariadb')"
    return False
