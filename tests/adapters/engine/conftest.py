"""Every engine test runs on SQLite and on PostgreSQL (see ``databases``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.adapters.engine.databases import fresh_pg_database


@pytest.fixture(params=["sqlite", "postgresql"])
def engine_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'engine.sqlite'}"
        return
    with fresh_pg_database("sheriff_engine") as url:
        yield url
