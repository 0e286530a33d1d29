"""When the store cannot be read the dashboard answers 503 with the store's hint, and the
chart's endpoint answers JSON saying the same."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import text

from sheriff.adapters.store import open_store
from sheriff.config import Settings
from sheriff.entry.dashboard import dashboard_app
from tests.adapters.store.dashboard_world import NOW
from tests.entry.dashboard.html_tree import parse_html


def test_a_broken_store_gives_503_with_what_to_do(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'sheriff.db'}", upgrade=True)
    try:
        with store.database.engine.begin() as connection:
            connection.execute(text("DROP TABLE audit_log"))
        client = TestClient(dashboard_app(store, Settings(), clock=lambda: NOW))

        response = client.get("/")
        assert response.status_code == 503
        notice = parse_html(response.text).one("section", cls="notice")
        assert notice.one("h1").text == "The store cannot be read right now"
        assert "audit_log" in notice.text
        assert notice.one("p", cls="hint").text.startswith("What to do:")

        assert client.get("/fragments/audit").status_code == 503
        assert client.get("/fragments/cases").status_code == 200  # cases are still readable
        assert client.get("/api/failures-per-day").status_code == 200

        with store.database.engine.begin() as connection:
            connection.execute(text("DROP TABLE failure_occurrences"))
        chart = client.get("/api/failures-per-day")
        assert chart.status_code == 503
        assert "failure_occurrences" in chart.json()["error"]
        assert chart.json()["hint"] == "run `sheriff db upgrade` against this database"
    finally:
        store.close()
