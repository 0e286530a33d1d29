"""Sheriff's store: SQLAlchemy 2 on SQLite (embedded default), PostgreSQL and
MySQL/MariaDB/TiDB, with Alembic migrations shipped in the package.

    store = open_store(default_database_url(), upgrade=True)
    store.upsert_repository(RepositoryRecord("octo/app", "main"))
"""

from sheriff.adapters.store.database import Database, parse_database_url
from sheriff.adapters.store.location import default_database_path, default_database_url
from sheriff.adapters.store.migrate import check_schema, head_revision, upgrade
from sheriff.adapters.store.store import Store, open_store

__all__ = [
    "Database",
    "Store",
    "check_schema",
    "default_database_path",
    "default_database_url",
    "head_revision",
    "open_store",
    "parse_database_url",
    "upgrade",
]
