"""The declarative base and the column types that behave the same on SQLite, PostgreSQL and
MySQL/MariaDB/TiDB.

Portability rules: indexed strings have explicit lengths (MySQL indexes at most 3072
bytes, 4 bytes a character in utf8mb4); tables are utf8mb4 with a binary collation so
comparisons are case-sensitive as on the other two; ids are BIGINT except on SQLite, where
only INTEGER PRIMARY KEY autoincrements; no PG-only types, no FULLTEXT.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Integer, LargeBinary, MetaData, Text
from sqlalchemy.dialects import mysql
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator, TypeEngine

MYSQL_FAMILY = ("mysql", "mariadb")

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}

MYSQL_TABLE_OPTIONS = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
}

Id = BigInteger().with_variant(Integer(), "sqlite")
"""Surrogate primary keys (and references to them)."""

GitHubId = BigInteger()
"""GitHub's numeric ids (runs and jobs pass 2**31)."""

LongText = Text().with_variant(mysql.MEDIUMTEXT(), *MYSQL_FAMILY)
"""Text that may pass MySQL's 64 KB TEXT limit (messages, excerpts)."""

LongBytes = LargeBinary().with_variant(mysql.LONGBLOB(), *MYSQL_FAMILY)

Json = JSON()


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime, stored naive in UTC with microseconds on every database.

    A naive datetime given to the store is taken to be UTC already.
    """

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name in MYSQL_FAMILY:
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(DateTime())

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo is None:
            return value
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def clip(text: str | None, limit: int) -> str | None:
    """Cut a text to a column's length (PostgreSQL and strict MySQL refuse longer ones)."""
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "…"
