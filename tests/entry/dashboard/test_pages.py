"""Every page, fragment and the chart's data, over a store holding real triaged failures."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from fastapi import FastAPI
from fastapi.testclient import TestClient

from sheriff.adapters.store import Store
from sheriff.config import Settings
from sheriff.core.model import FailureType
from sheriff.entry.dashboard import dashboard_router, mount_dashboard_static
from sheriff.entry.dashboard.rendering import CONTENT_SECURITY_POLICY
from tests.adapters.store.dashboard_world import NOW, World
from tests.entry.dashboard.html_tree import Element, parse_html


def page(client: TestClient, url: str, status: int = 200) -> Element:
    response = client.get(url)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    return parse_html(response.text)


def case_url(world: World, name: str) -> str:
    return f"/cases/{world.repos[name]}/{world.fingerprints[name]}"


def test_state_tiles_count_the_cases_in_each_state(client: TestClient) -> None:
    tiles = page(client, "/").by_id("states").all("a", cls="tile")
    counts = {tile.attrs["data-state"]: tile.one(cls="count").text for tile in tiles}
    assert counts == {
        "": "5",
        "DISCOVERED": "2",
        "ISSUE_OPEN": "1",
        "TRIAGED": "0",
        "WAITING_FOR_SIGNAL": "1",
        "APPROVED_TO_FIX": "0",
        "FIXING": "0",
        "PR_OPEN": "1",
        "PR_NEEDS_CHANGES": "0",
        "PR_UPDATING": "0",
        "MERGED": "0",
        "CLOSED_WONTFIX": "0",
        "QUARANTINED": "0",
        "RESOLVED": "0",
    }
    pr_open = next(tile for tile in tiles if tile.attrs["data-state"] == "PR_OPEN")
    assert pr_open.attrs["hx-get"] == "/fragments/cases?state=PR_OPEN"
    assert pr_open.attrs["href"] == "/?state=PR_OPEN#cases"  # works without JavaScript too


def test_case_table_lists_cases_newest_seen_first_with_their_links(
    client: TestClient, world: World
) -> None:
    rows = page(client, "/").by_id("cases").one("tbody").all("tr")
    order = [row.attrs["data-fingerprint"] for row in rows]
    names = ["infra", "flaky", "broken", "dependency", "hostile"]
    assert order == [world.fingerprints[name] for name in names]
    by_name = dict(zip(names, rows, strict=True))

    flaky = by_name["flaky"]
    assert flaky.one("a", cls="case-link").attrs["href"] == case_url(world, "flaky")
    assert flaky.one("a", cls="case-link").text == world.fingerprints["flaky"][:12]
    assert "test_torch.py::TestTorchDeviceTypeCPU::test_cauchy_kstest_cpu_bfloat16" in flaky.text
    assert "test failure" in flaky.text
    assert "exception" in flaky.text
    assert flaky.one("meter").attrs["value"] == "0.860"
    assert flaky.one(cls="verdict-flaky").text == "flaky"
    assert flaky.hrefs()[-1] == "https://github.com/pytorch/pytorch/issues/101234"
    assert flaky.all("td", cls="num")[0].text == "4"
    assert flaky.one("time").text == "1 d ago"

    assert by_name["broken"].one("a", cls="pull").attrs["href"] == (
        "https://github.com/avelino/awesome-go/pull/5133"
    )
    dependency = by_name["dependency"]
    assert dependency.one("a", cls="issue").attrs["href"] == (
        "https://github.com/hashicorp/terraform-ci-issues/issues/77"
    )
    assert "hashicorp/terraform-ci-issues#77 (closed)" in dependency.text
    assert "Caused: hudson.remoting.RequestAbortedException" in by_name["infra"].text


def test_cases_fragment_filters_by_state_and_refuses_unknown_states(
    client: TestClient, world: World
) -> None:
    fragment = page(client, "/fragments/cases?state=PR_OPEN")
    assert fragment.all("html") == []  # a fragment, not a page
    rows = fragment.one("tbody").all("tr")
    assert [row.attrs["data-fingerprint"] for row in rows] == [world.fingerprints["broken"]]
    assert fragment.by_id("cases-title").text == "Cases pr open (1)"

    nothing = page(client, "/fragments/cases?state=MERGED")
    assert nothing.one("p", cls="empty").text == "No case is merged right now."
    beyond = page(client, "/fragments/cases?page=2")
    assert beyond.one("p", cls="empty").one("a").attrs["href"] == "/#cases"
    assert client.get("/fragments/cases?state=ON_FIRE").status_code == 422
    assert client.get("/fragments/cases?page=0").status_code == 422


def test_the_overview_page_takes_the_fragment_filters_without_javascript(
    client: TestClient, world: World
) -> None:
    overview = page(client, "/?state=WAITING_FOR_SIGNAL")
    rows = overview.by_id("cases").one("tbody").all("tr")
    assert [row.attrs["data-fingerprint"] for row in rows] == [world.fingerprints["flaky"]]
    current = overview.by_id("states").one("a", cls="current")
    assert current.attrs["data-state"] == "WAITING_FOR_SIGNAL"


def test_leaderboard_ranks_tests_by_p_flaky(client: TestClient, world: World) -> None:
    rows = page(client, "/").by_id("leaderboard").one("tbody").all("tr")
    assert [row.attrs["data-fingerprint"] for row in rows] == [
        world.fingerprints[name] for name in ("flaky", "hostile", "broken")
    ]  # the Jenkins agent loss has no test and no estimate: not on the board
    first = rows[0]
    assert [cell.text for cell in first.all("td", cls="num")] == ["1", "4"]
    assert first.one(cls="quarantine").text == "quarantine?"
    assert first.one("a", cls="case-link").attrs["href"] == case_url(world, "flaky")
    assert first.one("a", cls="issue").text == "#101234"
    assert rows[2].one("a", cls="pull").text == "PR #5133"


def test_rerun_outcomes_come_from_the_audit_log_and_the_next_attempts(client: TestClient) -> None:
    reruns = page(client, "/").by_id("reruns")
    tally = [item.text for item in reruns.one("ul", cls="tally").all("li")]
    assert tally == ["3 requested", "1 passed", "1 failed again", "1 pending"]
    rows = reruns.one("tbody").all("tr")
    assert [row.one("span", cls="badge").text for row in rows] == ["pending", "failed", "passed"]
    assert rows[1].all("a")[0].attrs["href"] == (
        "https://github.com/avelino/awesome-go/actions/runs/8200000001"
    )
    assert rows[1].one("td", cls="prob").one("span", cls="num").text == "0.74"


def test_costs_show_the_window_all_time_and_each_day(client: TestClient) -> None:
    costs = page(client, "/").by_id("costs")
    totals = [element.text for element in costs.one("dl", cls="totals").all("dd")]
    assert totals == [
        "$1.59",
        "3 calls · 409,766 in · 24,333 out",
        "$1.64",
        "4 calls · 421,766 in · 25,133 out",
    ]
    days = [[cell.text for cell in row.all("td")] for row in costs.one("tbody").all("tr")]
    assert days == [
        ["2026-01-10", "2", "361,556", "22,429", "$1.42"],
        ["2026-01-07", "1", "48,210", "1,904", "$0.1732"],
    ]


def test_audit_pages_walk_back_through_every_event_once(client: TestClient, world: World) -> None:
    overview = page(client, "/").by_id("audit")
    seen: list[int] = []
    section = overview
    while True:
        rows = section.all("tr", cls=None)
        seen += [int(row.attrs["data-sequence"]) for row in rows if "data-sequence" in row.attrs]
        older = section.all("a", cls="older")
        if not older:
            break
        query = parse_qs(urlsplit(older[0].attrs["hx-get"]).query)
        assert older[0].attrs["href"] == f"/?audit_before={query['before'][0]}#audit"
        section = page(client, older[0].attrs["hx-get"])
    assert seen == sorted(seen, reverse=True)
    assert len(seen) == len(set(seen)) == world.audit_events
    assert len(overview.one("tbody").all("tr")) == 25
    newest = overview.one("tbody").all("tr")[0]
    assert newest.all("code")[0].text == "webhook.workflow_run.completed"
    assert newest.one("td", cls="cause").text.startswith("GitHub delivery 72d3162e")


def test_failures_per_day_json_stacks_each_failure_type_over_the_window(
    client: TestClient, world: World
) -> None:
    response = client.get("/api/failures-per-day?days=30")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    chart = response.json()
    assert len(chart["labels"]) == 30
    assert chart["labels"][-1] == "2026-01-12"
    assert chart["labels"][0] == "2025-12-14"
    expected = {
        (day, kind.value): count for (day, kind), count in world.occurrences_per_day.items()
    }
    drawn = {
        (chart["labels"][index], dataset["key"]): count
        for dataset in chart["datasets"]
        for index, count in enumerate(dataset["data"])
        if count
    }
    assert drawn == expected
    assert chart["total"] == sum(expected.values()) == 8
    assert [dataset["key"] for dataset in chart["datasets"]] == [
        FailureType.TEST.value,
        FailureType.DEPENDENCY.value,
        FailureType.INFRASTRUCTURE.value,
    ]
    assert chart["datasets"][0]["label"] == "test failure"

    recent = client.get("/api/failures-per-day?days=2").json()
    assert recent["labels"] == ["2026-01-11", "2026-01-12"]
    assert recent["total"] == sum(
        count for (day, _), count in world.occurrences_per_day.items() if day >= "2026-01-11"
    )
    assert recent["total"] > 0
    assert client.get("/api/failures-per-day?days=0").status_code == 422


def test_chart_canvas_reads_its_data_from_the_json_endpoint(client: TestClient) -> None:
    failures = page(client, "/?days=14").by_id("failures")
    canvas = failures.one("canvas")
    assert canvas.attrs["data-source"] == "/api/failures-per-day?days=14"
    pressed = [button.text for button in failures.all("button", aria_pressed="true")]
    assert pressed == ["14 days"]


def test_case_page_shows_the_case_and_its_timeline(client: TestClient, world: World) -> None:
    case = page(client, case_url(world, "flaky"))
    head = case.one("section", cls="case-head")
    assert head.one("h1").text == (
        "waiting for signal test_torch.py::TestTorchDeviceTypeCPU::test_cauchy_kstest_cpu_bfloat16"
    )
    facts = {div.one("dt").text: div.one("dd").text for div in head.one("dl").all("div")}
    assert facts["Fingerprint"] == world.fingerprints["flaky"]
    assert facts["Occurrences"] == "4"
    assert facts["Failure type"] == "test failure / exception"
    assert facts["Verdict"] == "flaky quarantine candidate"
    assert facts["Issue / PR"] == "#101234"
    assert head.one("pre", cls="signature").text == world.signatures["flaky"]
    assert "RuntimeError: Subtraction" in head.one("pre", cls="excerpt").text

    events = case.by_id("timeline").all("li")
    kinds = [event.one("span", cls="kind").text for event in events]
    assert kinds.count("failed") == 4
    assert kinds.count("rerun.requested") == 2
    assert kinds[-1] == "failed"  # the first occurrence came before the case existed
    assert "case.discovered" in kinds
    times = [event.one("time").attrs["datetime"] for event in events]
    assert times == sorted(times, reverse=True)
    where = events[-1].one("span", cls="where")
    runs = "https://github.com/pytorch/pytorch/actions/runs/8100000000"
    assert where.hrefs()[:2] == [f"{runs}/job/30100000000", f"{runs}/attempts/1"]
    assert where.hrefs()[2].startswith("https://github.com/pytorch/pytorch/commit/")
    assert "linux-jammy-py3.10 / test of pull, run #8100000000 attempt 1" in where.text


def test_unknown_case_is_a_404_page_that_leads_back(client: TestClient) -> None:
    missing = page(client, "/cases/octo/app/0123456789abcdef0123", status=404)
    assert missing.one("h1").text == "No such case"
    assert "/" in missing.one("p", cls="crumbs").hrefs()


def test_static_files_are_served_from_the_package(client: TestClient) -> None:
    for path, kind in (
        ("/static/dashboard/vendor/htmx.min.js", "javascript"),
        ("/static/dashboard/vendor/chart.umd.min.js", "javascript"),
        ("/static/dashboard/dashboard.js", "javascript"),
        ("/static/dashboard/dashboard.css", "text/css"),
    ):
        response = client.get(path)
        assert response.status_code == 200
        assert kind in response.headers["content-type"]
    overview = page(client, "/")
    scripts = [element.attrs["src"] for element in overview.all("script")]
    assert scripts == [
        "/static/dashboard/vendor/htmx.min.js",
        "/static/dashboard/vendor/chart.umd.min.js",
        "/static/dashboard/dashboard.js",
    ]


def test_the_dashboard_can_live_under_a_prefix(filled: tuple[Store, World]) -> None:
    app = FastAPI()
    settings = Settings(github_api_url="https://ghe.example.com/api/v3")
    app.include_router(dashboard_router(filled[0], settings, clock=lambda: NOW), prefix="/dash")
    mount_dashboard_static(app, "/assets")
    client = TestClient(app)
    overview = page(client, "/dash/")
    local = [href for href in overview.hrefs() if not href.startswith("https://")]
    assert local
    assert all(href.startswith("/dash/") for href in local)
    assert {element.attrs["src"] for element in overview.all("script")} == {
        "/assets/vendor/htmx.min.js",
        "/assets/vendor/chart.umd.min.js",
        "/assets/dashboard.js",
    }
    assert overview.by_id("failures-chart").attrs["data-source"].startswith("/dash/api/")
    issues = [href for href in overview.hrefs() if "/issues/" in href]
    assert issues
    assert all(href.startswith("https://ghe.example.com/") for href in issues)
    assert client.get("/assets/dashboard.css").status_code == 200
