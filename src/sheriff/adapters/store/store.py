"""The Store: one facade over the store's parts, implementing ``sheriff.app.ports.Store``."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from datetime import datetime
from typing import TYPE_CHECKING

from sheriff.adapters.store.cases import Cases
from sheriff.adapters.store.database import Database, utc_now
from sheriff.adapters.store.installations import Installations
from sheriff.adapters.store.issue_links import IssueLinks
from sheriff.adapters.store.journal import Journal
from sheriff.adapters.store.migrate import check_database, upgrade_database
from sheriff.adapters.store.occurrence_details import OccurrenceDetails
from sheriff.adapters.store.occurrences import Occurrences
from sheriff.adapters.store.result_history import ResultHistory
from sheriff.adapters.store.run_history import RunHistory
from sheriff.adapters.store.scan_state import ScanState
from sheriff.app import ports


class Store(
    RunHistory,
    Occurrences,
    OccurrenceDetails,
    ResultHistory,
    Cases,
    IssueLinks,
    ScanState,
    Journal,
    Installations,
):
    """Sheriff's database. Every method is one transaction, idempotent on natural keys."""

    def __init__(self, database: Database) -> None:
        self._db = database

    @property
    def database(self) -> Database:
        return self._db

    def close(self) -> None:
        self._db.dispose()


def open_store(
    url: str,
    *,
    upgrade: bool = False,
    clock: Callable[[], datetime] = utc_now,
    sqlite_busy_seconds: float = 30.0,
) -> Store:
    """Open the store at ``url``, first migrating it when ``upgrade`` is true (sensible for
    the embedded SQLite default). Raises StoreSchemaError when the schema is missing, older
    or newer than this Sheriff, StoreUnavailableError when the database cannot be reached."""
    database = Database(url, clock=clock, sqlite_busy_seconds=sqlite_busy_seconds)
    with ExitStack() as on_failure:
        on_failure.callback(database.dispose)
        if upgrade:
            upgrade_database(database)
        check_database(database)
        on_failure.pop_all()
    return Store(database)


if TYPE_CHECKING:
    implements_the_port: type[ports.Store] = Store  # mypy proves Store fits the Protocol
