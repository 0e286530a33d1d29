"""The dashboard's read-only queries, on every backend, over a store filled through its
own write API with failures triaged from real CI logs."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from sheriff.adapters.store import Store
from sheriff.adapters.store.dashboard_queries import StoreDashboard
from sheriff.app.dashboard import PullRequestRef, RerunResult
from sheriff.app.ports import AuditEvent, CaseState, IssueLink
from tests.adapters.store.conftest import TickingClock
from tests.adapters.store.dashboard_world import NOW, World, fill_dashboard_store

WINDOW = datetime(2025, 12, 14, tzinfo=UTC)


@pytest.fixture
def world(store: Store, clock: TickingClock) -> World:
    return fill_dashboard_store(store, clock)


@pytest.fixture
def dashboard(store: Store) -> StoreDashboard:
    return StoreDashboard(store)


def test_an_empty_store_reads_as_nothing(dashboard: StoreDashboard) -> None:
    assert {item.count for item in dashboard.state_counts()} == {0}
    assert [item.state for item in dashboard.state_counts()] == list(CaseState)
    page = dashboard.case_page(None, 0, 25)
    assert (page.cases, page.total, page.has_next, page.has_previous) == ((), 0, False, False)
    assert dashboard.flaky_leaderboard(10) == []
    assert dashboard.failures_per_day(WINDOW) == []
    assert dashboard.rerun_outcomes(10) == []
    assert dashboard.costs_per_day(WINDOW) == []
    totals = dashboard.cost_totals()
    assert (totals.calls, totals.input_tokens, totals.output_tokens, totals.usd) == (0, 0, 0, 0)
    assert dashboard.audit_page(None, 10) == []
    assert dashboard.case_summary("octo/app", "f" * 20) is None
    assert dashboard.latest_excerpt("octo/app", "f" * 20) is None


def test_cases_counts_pages_links_and_leaderboard(world: World, dashboard: StoreDashboard) -> None:
    counts = {item.state: item.count for item in dashboard.state_counts() if item.count}
    assert counts == {
        CaseState.DISCOVERED: 2,
        CaseState.ISSUE_OPEN: 1,
        CaseState.WAITING_FOR_SIGNAL: 1,
        CaseState.PR_OPEN: 1,
    }
    order = ["infra", "flaky", "broken", "dependency", "hostile"]
    first = dashboard.case_page(None, 0, 2)
    second = dashboard.case_page(None, 2, 2)
    last = dashboard.case_page(None, 4, 2)
    pages = [first, second, last]
    seen = [item.case.fingerprint for page in pages for item in page.cases]
    assert seen == [world.fingerprints[name] for name in order]
    assert [(p.total, p.page, p.has_previous, p.has_next) for p in pages] == [
        (5, 1, False, True),
        (5, 2, True, True),
        (5, 3, True, False),
    ]
    waiting = dashboard.case_page(CaseState.WAITING_FOR_SIGNAL, 0, 25)
    assert [item.case.fingerprint for item in waiting.cases] == [world.fingerprints["flaky"]]
    assert waiting.total == 1

    broken = dashboard.case_summary(world.repos["broken"], world.fingerprints["broken"])
    assert broken is not None
    assert broken.case.state is CaseState.PR_OPEN
    assert broken.issues == (IssueLink("avelino/awesome-go", 5_120, True),)
    assert broken.pull_request == PullRequestRef("avelino/awesome-go", 5_133)
    dependency = dashboard.case_summary(world.repos["dependency"], world.fingerprints["dependency"])
    assert dependency is not None
    assert dependency.pull_request is None
    assert dependency.issues[0].issue_repo == "hashicorp/terraform-ci-issues"

    board = dashboard.flaky_leaderboard(2)
    assert [item.case.fingerprint for item in board] == [
        world.fingerprints["flaky"],
        world.fingerprints["hostile"],
    ]
    assert board[0].case.assessment.p_flaky == pytest.approx(0.86)
    assert board[0].case.occurrence_count == 4
    assert board[0].issues[0].issue_number == 101_234


def test_a_pull_request_is_looked_up_only_where_the_state_can_have_one(
    world: World, store: Store, dashboard: StoreDashboard
) -> None:
    repo, fingerprint = world.repos["dependency"], world.fingerprints["dependency"]
    store.append_audit(AuditEvent("sheriff", "note", "x", repo, fingerprint, {"pull_request": 12}))
    summary = dashboard.case_summary(repo, fingerprint)
    assert summary is not None
    assert summary.pull_request is None


def test_failures_per_day_by_type(world: World, dashboard: StoreDashboard) -> None:
    rows = dashboard.failures_per_day(WINDOW)
    found = {(row.day.isoformat(), row.failure_type): row.count for row in rows}
    assert found == world.occurrences_per_day
    assert all(isinstance(row.day, date) for row in rows)
    recent = dashboard.failures_per_day(datetime(2026, 1, 10, tzinfo=UTC))
    assert {row.day for row in recent} == {date(2026, 1, 10), date(2026, 1, 11)}


def test_reruns_costs_audit_and_excerpt(world: World, dashboard: StoreDashboard) -> None:
    reruns = dashboard.rerun_outcomes(10)
    assert [(item.run_id, item.result, item.conclusion) for item in reruns] == [
        (8_100_000_003, RerunResult.PENDING, None),
        (8_200_000_001, RerunResult.FAILED, "failure"),
        (8_100_000_002, RerunResult.PASSED, "success"),
    ]
    assert reruns[1].repo == "avelino/awesome-go"
    assert reruns[1].fingerprint == world.fingerprints["broken"]
    assert reruns[1].p_flaky == pytest.approx(0.74)
    assert [item.run_id for item in dashboard.rerun_outcomes(1)] == [8_100_000_003]

    days = dashboard.costs_per_day(WINDOW)
    assert [(item.day, item.totals.calls, item.totals.usd) for item in days] == [
        (date(2026, 1, 7), 1, Decimal("0.173190")),
        (date(2026, 1, 10), 2, Decimal("1.421103")),
    ]
    window, total = dashboard.cost_totals(WINDOW), dashboard.cost_totals()
    assert (window.calls, window.input_tokens, window.output_tokens) == (3, 409_766, 24_333)
    assert (total.calls, total.usd) == (4, Decimal("1.642293"))

    newest = dashboard.audit_page(None, 10)
    older = dashboard.audit_page(newest[-1].sequence, 1000)
    sequences = [entry.sequence for entry in newest + older]
    assert sequences == sorted(sequences, reverse=True)
    assert len(sequences) == len(set(sequences)) == world.audit_events
    assert newest[0].event.action == "webhook.workflow_run.completed"

    excerpt = dashboard.latest_excerpt(world.repos["flaky"], world.fingerprints["flaky"])
    assert excerpt is not None
    assert "RuntimeError: Subtraction" in excerpt


def test_a_rerun_without_a_run_id_is_not_an_outcome(
    store: Store, clock: TickingClock, dashboard: StoreDashboard
) -> None:
    clock.now = NOW - timedelta(hours=1)
    store.append_audit(AuditEvent("sheriff", "rerun.requested", "old format", details={"job": "x"}))
    store.append_audit(AuditEvent("sheriff", "rerun.requested", "ok", details={"run_id": 5}))
    outcomes = dashboard.rerun_outcomes(10)
    assert [(item.run_id, item.attempt, item.result) for item in outcomes] == [
        (5, 1, RerunResult.PENDING)
    ]
