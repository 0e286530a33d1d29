"""The scan feeds the flakiness engine and re-runs flaky failures, over real HTTP against the
fake GitHub seeded with real CI logs (cidiff's flaky ``testClassicParsing()``, PyTorch's
lintrunner failure)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

import pytest

from sheriff.app.ports import AuditEvent, Store, TestOutcome
from sheriff.app.scan import ScanReport
from sheriff.app.scan_reruns import NOT_STARTED, OUTCOME, REFUSED, RERUN, RerunSettings
from sheriff.entry.scan_command import render_report
from sheriff.testing.fakegithub import DEMO_SEED
from tests.app.scan_world import (
    REPO,
    START,
    TEST_NAME,
    World,
    attempt_line,
    flaky_run,
    github_forge,
    new_attempt,
    running_world,
    write_seed,
)

RERUN_CALL = "actions/re-run-workflow-failed-jobs"
LINT_LOG = DEMO_SEED / "logs" / "pytorch" / "lint_lintrunner.log"


def at(hours: float) -> datetime:
    """A time of the seed: run N starts N hours after START (``attempt_line``)."""
    return START + timedelta(hours=hours)


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


def _world(tmp_path: Path, runs: list[dict[str, object]]) -> Iterator[World]:
    seed = write_seed(tmp_path / "seed", runs)  # type: ignore[arg-type]
    shutil.copy(LINT_LOG, seed / "logs" / "lint.log")
    yield from running_world(seed, tmp_path / "data", github_forge)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    """Two commits on which the test failed and then passed on a re-run by a person."""
    yield from _world(tmp_path, [*flaky_run(101), *flaky_run(102)])


def _reruns_asked(world: World) -> int:
    return sum(1 for item in world.fake.requests if item.operation == RERUN_CALL)


def _audited(world: World, action: str) -> list[dict[str, object]]:
    return [entry.event.details for entry in world.store.audit_log(REPO, action=action)]


def _scan(world: World, clock: Clock, **options: object) -> ScanReport:
    return world.scan(clock=clock, **options)  # type: ignore[arg-type]


def test_a_flaky_failure_is_rerun_once_and_the_outcome_becomes_evidence(world: World) -> None:
    clock = Clock(at(102))
    first = _scan(world, clock)
    assert first.reruns == []  # both runs passed on their second attempt: nothing to re-run

    world.fake.add_run_attempt(new_attempt(103))
    clock.now = at(104)
    second = _scan(world, clock)
    [plan] = second.reruns
    assert plan.decision.rerun, plan.description
    assert plan.decision.p_flaky is not None
    assert plan.decision.p_flaky >= 0.7
    assert _reruns_asked(world) == 1
    [taken] = _audited(world, RERUN)
    assert taken["run_id"] == 103

    clock.now += timedelta(minutes=5)
    _scan(world, clock)  # the re-run has not finished: polled, not asked again
    assert _reruns_asked(world) == 1

    world.fake.finish_attempt(REPO, 103, "success")
    clock.now += timedelta(minutes=10)
    fourth = _scan(world, clock)
    assert fourth.rerun_outcomes == ["re-run of CI #103 (attempt 2) passed"]
    [outcome] = _audited(world, OUTCOME)
    assert outcome["outcome"] == "passed"
    assert "passed" in render_report(fourth, dry_run=False)
    assert _pass_recorded_for_the_rerun(world)

    clock.now += timedelta(minutes=10)
    fifth = _scan(world, clock)
    assert fifth.rerun_outcomes == []
    assert _reruns_asked(world) == 1
    assert len(_audited(world, RERUN)) == 1

    body = _issue_body(world)
    assert "P(flaky) **" in body
    assert "engine verdict `flaky`" in body
    assert "Evidence for P(flaky)" in body
    assert "passed and failed in one job" in body
    assert "#103" in body  # the runs each term came from


def _pass_recorded_for_the_rerun(world: World) -> bool:
    failures = world.store.failed_results_between(REPO, START, START + timedelta(days=30))
    test = next(item.test for item in failures if item.test.name == TEST_NAME)
    history = world.store.recent_test_results(REPO, test)
    return any(
        (item.run_id, item.attempt, item.outcome) == (103, 2, TestOutcome.PASSED)
        for item in history
    )


def _issue_body(world: World) -> str:
    [issue] = [item for item in world.fake.issues(REPO) if TEST_NAME in item.title]
    return issue.body or ""


def test_the_case_carries_p_flaky_the_verdict_and_its_evidence(world: World) -> None:
    _scan(world, Clock(at(102)))
    [case] = [case for case in _cases(world) if TEST_NAME in (case.test_name or "")]
    assessment = case.assessment
    assert assessment.verdict == "flaky"
    assert assessment.p_flaky is not None
    assert assessment.p_flaky >= 0.7
    judged = assessment.flags["flaky"]
    kinds = {item["kind"] for item in judged["evidence"]}
    assert "same_commit_pass_fail" in kinds
    assert all(item["runs"] for item in judged["evidence"])
    assert judged["test_verdict"] == "flaky"


def _cases(world: World) -> list:  # type: ignore[type-arg]
    from sheriff.app.ports import CaseState

    return world.store.cases_in_state(REPO, list(CaseState))


def _lint_line(run_id: int, attempt: int = 1, *, passed: bool = False) -> dict[str, object]:
    line = attempt_line(run_id, attempt, passed=passed, commit=200)
    if not passed:
        line["jobs"][0]["log"] = "logs/lint.log"
    return line


def test_a_lint_failure_is_never_rerun_however_flaky_it_looks(tmp_path: Path) -> None:
    runs = [_lint_line(201), _lint_line(201, 2, passed=True), _lint_line(202)]
    for world in _world(tmp_path, runs):
        report = _scan(world, Clock(at(203)))
        assert _reruns_asked(world) == 0
        [plan] = [plan for plan in report.reruns if plan.run.run_id == 202]
        assert not plan.decision.rerun
        assert "deterministic" in plan.decision.reason
        refused = _audited(world, REFUSED)
        assert any("deterministic" in str(item["reason"]) for item in refused)
        assert "failed runs not re-run (reasons in the audit log)" in render_report(
            report, dry_run=False
        )


def test_the_hourly_cap_holds_across_scans(world: World) -> None:
    capped = RerunSettings(hourly_cap=1)
    clock = Clock(at(102))
    _scan(world, clock, reruns=capped)
    world.fake.add_run_attempt(new_attempt(103))
    world.fake.add_run_attempt(new_attempt(104))
    clock.now = at(104.5)
    report = _scan(world, clock, reruns=capped)
    decisions = {plan.run.run_id: plan.decision for plan in report.reruns}
    assert decisions[103].rerun
    assert not decisions[104].rerun
    assert "hourly cap" in decisions[104].reason
    assert _reruns_asked(world) == 1

    world.fake.add_run_attempt(new_attempt(105))
    clock.now = at(105.25)  # within the hour of the first
    assert not _scan(world, clock, reruns=capped).reruns[0].decision.rerun
    world.fake.add_run_attempt(new_attempt(106))
    clock.now = at(106)  # over an hour after it: the cap has freed up
    assert _scan(world, clock, reruns=capped).reruns[0].decision.rerun
    assert _reruns_asked(world) == 2


def test_a_dry_run_prints_the_rerun_decision_and_does_nothing(world: World) -> None:
    clock = Clock(at(102))
    _scan(world, clock)
    world.fake.add_run_attempt(new_attempt(103))
    clock.now = at(104)
    report = _scan(world, clock, dry_run=True)
    assert [plan.decision.rerun for plan in report.reruns] == [True]
    assert "would re-run failed jobs of CI #103" in render_report(report, dry_run=True)
    assert _reruns_asked(world) == 0
    assert _audited(world, RERUN) == []


class RacingStore:
    """The real store, except that another worker scanning the same run claims its re-run
    a moment before this one does (after both read the audit log and decided)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def claim_audit(self, event: AuditEvent) -> bool:
        self._store.claim_audit(event)  # the other worker
        return self._store.claim_audit(event)


def test_two_workers_deciding_the_same_rerun_at_once_ask_github_once(world: World) -> None:
    clock = Clock(at(102))
    _scan(world, clock)
    world.fake.add_run_attempt(new_attempt(103))
    clock.now = at(104)
    racing = cast(Store, RacingStore(world.store))
    [plan] = world.scan(clock=clock, store=racing).reruns
    assert not plan.decision.rerun
    assert "another worker" in plan.decision.reason
    assert _reruns_asked(world) == 0  # the other worker is the one that asks GitHub
    assert len(_audited(world, RERUN)) == 1


def test_an_old_run_is_not_rerun(world: World) -> None:
    clock = Clock(at(102))
    _scan(world, clock)
    world.fake.add_run_attempt(new_attempt(103))
    clock.now = at(103 + 72)
    [plan] = _scan(world, clock).reruns
    assert not plan.decision.rerun
    assert "too old" in plan.decision.reason
    assert _reruns_asked(world) == 0


def test_a_rerun_github_refuses_is_logged_and_never_asked_again(world: World) -> None:
    clock = Clock(at(102))
    _scan(world, clock)
    world.fake.fail_next(r"/rerun-failed-jobs$", status=404, count=None, method="POST")
    world.fake.add_run_attempt(new_attempt(103))
    clock.now = at(104)
    [plan] = _scan(world, clock).reruns
    assert plan.error is not None
    assert "refused by GitHub" in plan.description
    [failed] = _audited(world, NOT_STARTED)
    assert failed["run_id"] == 103
    clock.now = at(104.2)
    _scan(world, clock)  # not polled (nothing will come) and not asked again
    assert _reruns_asked(world) == 1
    assert not [item for item in world.fake.requests if item.path.endswith("/runs/103")]
