"""Decisions as values: bounded automatic re-runs and quarantine candidates."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
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
    """One failing test of a job as the rerun policy sees it."""

    test: str
    p_flaky: float
    deterministic: bool


@dataclass(slots=True)
class RerunPolicy:
    """Re-run when every failure looks flaky: once per run, at most ``hourly_cap`` per repo."""

    threshold: float = 0.7
    hourly_cap: int = 10
    rerun_runs: set[tuple[str, int]] = field(default_factory=set)
    recent: dict[str, deque[datetime]] = field(default_factory=lambda: defaultdict(deque))

    def decide(
        self, repo: str, run_id: int, job: str, time: datetime, failing: list[FailingTest]
    ) -> RerunRequest | None:
        if not failing or (repo, run_id) in self.rerun_runs:
            return None
        if any(item.deterministic or item.p_flaky < self.threshold for item in failing):
            return None
        window = self.recent[repo]
        while window and time - window[0] >= HOUR:
            window.popleft()
        if len(window) >= self.hourly_cap:
            return None
        window.append(time)
        self.rerun_runs.add((repo, run_id))
        return RerunRequest(repo, run_id, job, min(item.p_flaky for item in failing), time)


def confirmed_on_default_branch(record: TestRecord, now: datetime) -> int:
    """Distinct default-branch (commit, job) pairs where the test failed and also passed."""
    since = now - QUARANTINE_WINDOW
    return len(
        {
            (facts.observation.sha, facts.observation.job)
            for facts in record.failures
            if facts.observation.on_default_branch
            and facts.observation.time >= since
            and facts.observation.sha in record.pass_shas
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
