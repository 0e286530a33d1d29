"""Discovery cursors only move forward; HTTP validators are shared and overwritten."""

from __future__ import annotations

from datetime import timedelta

from sheriff.adapters.store import Store, open_store
from sheriff.app.ports import CursorPosition, HttpValidator
from tests.adapters.store.conftest import START
from tests.adapters.store.samples import REPO, repository


def test_cursor_advances_and_never_goes_back(store: Store) -> None:
    store.upsert_repository(repository())
    assert store.cursor(REPO, "*", "master") is None

    first = CursorPosition(START, 100)
    later = CursorPosition(START + timedelta(hours=1), 90)
    same_time_higher_id = CursorPosition(START + timedelta(hours=1), 95)
    assert store.advance_cursor(REPO, "*", "master", first) == first
    assert store.advance_cursor(REPO, "*", "master", later) == later
    assert store.advance_cursor(REPO, "*", "master", first) == later  # a slower worker
    assert store.advance_cursor(REPO, "*", "master", same_time_higher_id) == same_time_higher_id
    assert store.cursor(REPO, "*", "master") == same_time_higher_id
    assert store.cursor(REPO, "ci.yml", "master") is None
    assert store.cursor(REPO, "*", "release-8.5") is None


def test_validators_round_trip_and_are_visible_to_another_process(
    store: Store, database_url: str
) -> None:
    url = "https://api.github.com/repos/tikv/pd/actions/runs?branch=master&status=completed&per_page=100"
    assert store.validator(url) is None
    store.put_validator(url, HttpValidator('W/"9f1c"', None, b'{"total_count": 0}'))
    store.put_validator(
        url, HttpValidator('W/"a0b2"', "Mon, 05 Jan 2026 09:00:00 GMT", b"\x00\xff" * 40_000)
    )

    other_worker = open_store(database_url)
    try:
        assert other_worker.validator(url) == HttpValidator(
            'W/"a0b2"', "Mon, 05 Jan 2026 09:00:00 GMT", b"\x00\xff" * 40_000
        )
        assert other_worker.validator(url + "&page=2") is None
    finally:
        other_worker.close()
