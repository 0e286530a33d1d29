"""A dashboard over a store with nothing in it yet says so, and says what fills it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.entry.dashboard.html_tree import parse_html


def test_every_section_of_an_empty_store_explains_itself(empty_client: TestClient) -> None:
    response = empty_client.get("/")
    assert response.status_code == 200
    tree = parse_html(response.text)
    counts = {tile.one(cls="count").text for tile in tree.by_id("states").all("a", cls="tile")}
    assert counts == {"0"}
    empty = {
        section: tree.by_id(section).one("p", cls="empty").text
        for section in ("states", "cases", "leaderboard", "reruns", "costs", "audit")
    }
    assert empty["states"].startswith("No failure cases yet.")
    assert "sheriff scan" in empty["states"]
    assert empty["cases"].startswith("Nothing to show yet")
    assert empty["leaderboard"].startswith("No flakiness estimates yet.")
    assert empty["reruns"].startswith("No re-runs requested yet.")
    assert empty["costs"].startswith("No LLM calls recorded.")
    assert empty["audit"].startswith("Nothing audited yet.")
    assert tree.all("table") == []
    assert tree.by_id("failures-empty").attrs.get("hidden") == ""  # shown by the script
    assert tree.by_id("audit").all("a", cls="older") == []


def test_empty_fragments_and_chart_data(empty_client: TestClient) -> None:
    cases = parse_html(empty_client.get("/fragments/cases?state=FIXING").text)
    assert cases.one("p", cls="empty").text == "No case is fixing right now."
    audit = parse_html(empty_client.get("/fragments/audit?before=10").text)
    assert audit.one("p", cls="empty").text == "No older events."
    chart = empty_client.get("/api/failures-per-day?days=7").json()
    assert chart == {
        "labels": [f"2026-01-{day:02d}" for day in range(6, 13)],
        "total": 0,
        "datasets": [],
    }
    assert empty_client.get("/cases/octo/app/abc").status_code == 404
