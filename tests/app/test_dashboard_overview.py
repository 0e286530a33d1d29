"""The dashboard's use cases: the chart's series, a case's timeline, re-run tallies, and
which audit event names a case's pull request."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sheriff.app.dashboard import (
    DailyFailures,
    PullRequestRef,
    RerunOutcome,
    RerunResult,
    pull_request_of,
    rerun_result,
)
from sheriff.app.dashboard_overview import (
    case_timeline,
    failure_series,
    tally_reruns,
    window_start,
)
from sheriff.app.ports import AuditEntry, AuditEvent, OccurrenceEvidence
from sheriff.core.model import FailureType

NOW = datetime(2026, 1, 12, 15, 0, tzinfo=UTC)


def entry(sequence: int, minutes: int, **details: object) -> AuditEntry:
    event = AuditEvent("sheriff", "case.transition", "why", "octo/app", "f" * 20, dict(details))
    return AuditEntry(sequence, NOW + timedelta(minutes=minutes), event)


def occurrence(minutes: int) -> OccurrenceEvidence:
    return OccurrenceEvidence(
        run_id=1,
        attempt=1,
        job_id=2,
        job_name="test",
        workflow="CI",
        head_sha="a" * 40,
        head_branch="main",
        event="push",
        runner_os="Linux",
        seen_at=NOW + timedelta(minutes=minutes),
        job_url=None,
        failure_id="F001",
        message="boom",
    )


def test_window_starts_at_midnight_utc_and_is_bounded() -> None:
    assert window_start(NOW, 1) == datetime(2026, 1, 12, tzinfo=UTC)
    assert window_start(NOW, 30) == datetime(2025, 12, 14, tzinfo=UTC)
    assert window_start(NOW, 0) == window_start(NOW, 1)
    assert window_start(NOW, 10_000) == window_start(NOW, 366)


def test_failure_series_fills_empty_days_orders_types_and_drops_outsiders() -> None:
    first, last = date(2026, 1, 10), date(2026, 1, 12)
    rows = [
        DailyFailures(date(2026, 1, 12), FailureType.INFRASTRUCTURE, 2),
        DailyFailures(date(2026, 1, 10), FailureType.TEST, 3),
        DailyFailures(date(2026, 1, 12), FailureType.TEST, 1),
        DailyFailures(date(2026, 1, 9), FailureType.LINT, 9),  # before the window
    ]
    series = failure_series(rows, first, last)
    assert series.days == (date(2026, 1, 10), date(2026, 1, 11), date(2026, 1, 12))
    assert list(series.counts) == [FailureType.TEST, FailureType.INFRASTRUCTURE]
    assert series.counts[FailureType.TEST] == (3, 0, 1)
    assert series.counts[FailureType.INFRASTRUCTURE] == (0, 0, 2)
    assert series.total == 6
    assert failure_series([], first, last).counts == {}


def test_timeline_is_newest_first_with_events_before_occurrences_of_the_same_instant() -> None:
    items = case_timeline([entry(1, 0), entry(2, 10), entry(3, 10)], [occurrence(0), occurrence(5)])
    shape = [(item.audit.sequence if item.audit else "seen", item.time.minute) for item in items]
    assert shape == [(3, 10), (2, 10), ("seen", 5), (1, 0), ("seen", 0)]


def test_pull_request_is_the_newest_one_named() -> None:
    entries = [entry(1, 0, pull_request=5), entry(3, 2, other=1), entry(2, 1, pull_request=6)]
    assert pull_request_of(entries, "octo/app") == PullRequestRef("octo/app", 6)
    moved = [entry(4, 3, pull_request=7, pull_request_repo="octo/fork")]
    assert pull_request_of(moved, "octo/app") == PullRequestRef("octo/fork", 7)
    junk = [
        entry(5, 0, pull_request="7"),
        entry(6, 0, pull_request=True),
        entry(7, 0, pull_request=0),
    ]
    assert pull_request_of(junk, "octo/app") is None


def test_rerun_results_and_their_tally() -> None:
    assert rerun_result("success") is RerunResult.PASSED
    assert rerun_result("failure") is RerunResult.FAILED
    assert rerun_result("timed_out") is RerunResult.FAILED
    assert rerun_result("cancelled") is RerunResult.INCONCLUSIVE
    assert rerun_result(None) is RerunResult.PENDING

    def outcome(result: RerunResult) -> RerunOutcome:
        return RerunOutcome(NOW, "octo/app", None, 1, 1, None, 0.8, result)

    results = [*RerunResult, RerunResult.PASSED]
    tally = tally_reruns([outcome(result) for result in results])
    counts = (tally.requested, tally.passed, tally.failed, tally.inconclusive, tally.pending)
    assert counts == (5, 2, 1, 1, 1)
