"""Decisions as values: bounded automatic re-runs and quarantine candidates."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sheriff.core.flaky.history import TestRecord

HOUR = timedelta(hours=1)
QUARANTINE_WINDOW = timedelta(days=14)
QUARANTINE_MIN_COMMITS = 3
QUARANTINE_POSTERIOR = 0.9
QUARANTINE_MIN_RESULTS = 10


@dataclass(frozen=True, slots=True)
class RerunRequest:
    """Re-run the failed jobs of one run (GitHub's rerun-failed-jobs)."""

    repo: str
    run_id: int
    job: str
    p_flaky: float
    time: datetime


@dataclass(frozen=True, slots=True)
class FailingTest:
    """One failing test (or fingerprint) of a run as the rerun decision sees it."""

    test: str
    p_flaky: float
    deterministic: bool
    infra: bool = False


@dataclass(frozen=True, slots=True)
class RerunLimits:
    """The bounds on automatic re-runs and what the audit log says about them so far."""

    threshold: float = 0.7
    hourly_cap: int = 10
    reruns_last_hour: int = 0  # re-runs Sheriff requested in this repository in the last hour
    already_rerun: bool = False  # Sheriff re-ran this run before
    age: timedelta | None = None  # since the run finished (None: judged live)
    max_age: timedelta = timedelta(hours=24)  # an older run is history, not a build to unblock


@dataclass(frozen=True, slots=True)
class RerunDecision:
    """Whether to re-run a run's failed jobs, and why (taken or refused alike)."""

    rerun: bool
    reason: str
    p_flaky: float | None = None  # the least flaky failure's P(flaky)


def decide_rerun(
    attempt: int, failing: Sequence[FailingTest], limits: RerunLimits
) -> RerunDecision:
    """Re-run when every failure looks flaky: once per run, within the hourly cap, never
    for lint/build/type/dependency/config failures nor for infrastructure alone."""
    refusal = _refusal(attempt, failing, limits)
    if refusal is not None:
        return RerunDecision(False, refusal)
    judged = [item for item in failing if not item.infra]
    if not judged:
        return RerunDecision(False, "infrastructure failure only: no flaky test to re-run")
    least = min(judged, key=lambda item: item.p_flaky)
    if least.p_flaky < limits.threshold:
        reason = f"P(flaky) {least.p_flaky:.2f} of {least.test} is below {limits.threshold:.2f}"
        return RerunDecision(False, reason, least.p_flaky)
    if limits.reruns_last_hour >= limits.hourly_cap:
        reason = f"hourly cap reached ({limits.hourly_cap} re-runs)"
        return RerunDecision(False, reason, least.p_flaky)
    reason = f"every failure looks flaky (lowest P(flaky) {least.p_flaky:.2f})"
    return RerunDecision(True, reason, least.p_flaky)


def _refusal(attempt: int, failing: Sequence[FailingTest], limits: RerunLimits) -> str | None:
    """Why the run is not re-run whatever its failures' P(flaky), if it is not."""
    if limits.already_rerun:
        return "Sheriff re-ran this run once already"
    if attempt > 1:
        return f"already re-run (this is attempt {attempt})"
    if limits.age is not None and limits.age > limits.max_age:
        return f"finished {limits.age.total_seconds() / 3600:.0f} h ago: too old to re-run"
    if not failing:
        return "no failing test or failure recognised in the logs"
    fixed = [item.test for item in failing if item.deterministic]
    if fixed:
        return f"deterministic failure (a re-run cannot fix it): {fixed[0]}"
    return None


@dataclass(slots=True)
class RerunPolicy:
    """``decide_rerun`` with its bounds kept in memory (for replays)."""

    threshold: float = 0.7
    hourly_cap: int = 10
    rerun_runs: set[tuple[str, int]] = field(default_factory=set)
    recent: dict[str, deque[datetime]] = field(default_factory=lambda: defaultdict(deque))

    def decide(
        self, repo: str, run_id: int, job: str, time: datetime, failing: list[FailingTest]
    ) -> RerunRequest | None:
        window = self.recent[repo]
        while window and time - window[0] >= HOUR:
            window.popleft()
        limits = RerunLimits(
            self.threshold, self.hourly_cap, len(window), (repo, run_id) in self.rerun_runs
        )
        decision = decide_rerun(1, failing, limits)
        if not decision.rerun or decision.p_flaky is None:
            return None
        window.append(time)
        self.rerun_runs.add((repo, run_id))
        return RerunRequest(repo, run_id, job, decision.p_flaky, time)


def confirmed_on_default_branch(record: TestRecord, now: datetime) -> int:
    """Distinct default-branch (commit, job) pairs where the test failed and also passed."""
    since = now - QUARANTINE_WINDOW
    return len(
        {
            (facts.observation.sha, facts.observation.job)
            for facts in record.failures
            if facts.observation.on_default_branch
            and facts.observation.time >= since
            and (facts.observation.sha, facts.observation.job) in record.pass_shas
        }
    )


def quarantine_candidates(
    records: Iterable[tuple[str, TestRecord, float]], now: datetime
) -> list[str]:
    """Tests to quarantine: flaky on >= 3 default-branch commits/jobs, or a sure posterior."""
    chosen = []
    for test, record, p_flaky in records:
        confirmed = confirmed_on_default_branch(record, now) >= QUARANTINE_MIN_COMMITS
        sure = p_flaky >= QUARANTINE_POSTERIOR and len(record.results) >= QUARANTINE_MIN_RESULTS
        if confirmed or sure:
            chosen.append(test)
    return sorted(chosen)
