"""Dashboards over real SQLite stores: one filled through the store's own API with
failures triaged from real CI logs (``tests/adapters/store/dashboard_world.py``), one
empty. Filling takes a second, so a store is shared by the tests of a module; the
dashboard only reads it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sheriff.adapters.store import Store, open_store
from sheriff.config import Settings
from sheriff.entry.dashboard import dashboard_app
from tests.adapters.store.conftest import TickingClock
from tests.adapters.store.dashboard_world import NOW, World, fill_dashboard_store


def opened_store(directory: Path, clock: TickingClock) -> Store:
    return open_store(f"sqlite:///{directory / 'sheriff.db'}", upgrade=True, clock=clock)


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, World]]:
    clock = TickingClock()
    store = opened_store(tmp_path_factory.mktemp("dashboard"), clock)
    world = fill_dashboard_store(store, clock)
    yield store, world
    store.close()


@pytest.fixture(scope="module")
def world(filled: tuple[Store, World]) -> World:
    return filled[1]


@pytest.fixture(scope="module")
def client(filled: tuple[Store, World]) -> TestClient:
    return TestClient(
        dashboard_app(
            filled[0], Settings(github_api_url="https://api.github.com"), clock=lambda: NOW
        )
    )


@pytest.fixture(scope="module")
def empty_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = opened_store(tmp_path_factory.mktemp("empty"), TickingClock())
    yield TestClient(
        dashboard_app(store, Settings(github_api_url="https://api.github.com"), clock=lambda: NOW)
    )
    store.close()
