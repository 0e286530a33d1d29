"""Turn database driver errors into StoreErrors that say what to do next."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError

from sheriff.errors import StoreError, StoreLockedError, StoreSchemaError, StoreUnavailableError

TRANSIENT_SQLSTATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock (PG)
TRANSIENT_MYSQL_CODES = frozenset({1205, 1213})  # lock wait timeout, deadlock

UPGRADE_HINT = "run `sheriff db upgrade` against this database"


def is_transient(error: DBAPIError) -> bool:
    """A deadlock or serialization failure: running the transaction again may succeed."""
    driver_error = error.orig
    if getattr(driver_error, "sqlstate", None) in TRANSIENT_SQLSTATES:
        return True
    code = driver_error.args[0] if driver_error is not None and driver_error.args else None
    return code in TRANSIENT_MYSQL_CODES


def describe(error: DBAPIError, url: URL) -> StoreError:
    """The StoreError to show for a driver error raised while using ``url``."""
    where = url.render_as_string(hide_password=True)
    detail = first_line(error.orig) if error.orig is not None else first_line(error)
    lowered = detail.lower()
    if "database is locked" in lowered or "database table is locked" in lowered:
        return locked(url)
    if names_missing_table(lowered):
        return StoreSchemaError(
            f"the database at {where} lacks Sheriff's tables ({detail})", hint=UPGRADE_HINT
        )
    if isinstance(error, IntegrityError):
        return StoreError(
            f"the database refused a write ({detail})",
            hint="this is a bug in Sheriff: please report it with this message",
        )
    if is_transient(error):
        return StoreError(
            f"the database at {where} stayed busy with conflicting writes ({detail})",
            hint="retry; if it keeps happening, run fewer workers against this database",
        )
    if isinstance(error, OperationalError | InterfaceError):
        return StoreUnavailableError(
            f"cannot use the database at {where}: {detail}",
            hint="check --db / SHERIFF_DB_URL, that the server is running and reachable, "
            "the credentials, and for SQLite that the folder exists and is writable",
        )
    return StoreError(f"database error at {where}: {detail}", hint=UPGRADE_HINT)


def locked(url: URL) -> StoreLockedError:
    return StoreLockedError(
        f"the SQLite database {url.database} is locked by another process",
        hint="wait for the other Sheriff process to finish, or use PostgreSQL "
        "(--db / SHERIFF_DB_URL) to run several workers at once",
    )


@contextmanager
def translating_errors(url: URL) -> Iterator[None]:
    """Raise driver errors from the block as StoreErrors."""
    try:
        yield
    except DBAPIError as error:
        raise describe(error, url) from error


def names_missing_table(message: str) -> bool:
    """SQLite, PostgreSQL and MySQL's words for a table that is not there."""
    return (
        "no such table" in message
        or ("relation" in message and "does not exist" in message)
        or ("table" in message and "doesn't exist" in message)
    )


def first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
