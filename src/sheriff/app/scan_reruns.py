"""Automatic re-runs of failed jobs that look flaky (seed 000, made safe) ([T3]).

The decision is core's (``decide_rerun``): every failure of the run's latest attempt has
P(flaky) at or above the repository's ``flaky_threshold``, none is deterministic (lint,
build, type-check, dependency, config), they are not infrastructure alone, the run was not
re-run before, and the repository is under its hourly cap. The bounds are read from the
audit log, so they survive restarts and hold across processes. Every decision, taken or
refused, is written to the audit log; a dry run only reports it.

GitHub lists runs by creation time, so the new attempt of a re-run run behind the discovery
cursor is never listed again: ``pending_reruns`` names the runs Sheriff re-ran whose outcome
is not recorded yet; the scan polls each (one request) until its new attempt completes,
reads the run again (the outcome becomes evidence) and records the outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sheriff.app.forge import FAILED_CONCLUSIONS, Forge, WorkflowRun
from sheriff.app.ports import AuditEntry, AuditEvent, Store
from sheriff.app.scan_flaky import FailureVerdict
from sheriff.app.test_history import unit_name, unit_of
from sheriff.core.flaky.decisions import HOUR, FailingTest, RerunDecision, RerunLimits, decide_rerun
from sheriff.errors import GitHubError

ACTOR = "sheriff-scan"
RERUN = "flaky.rerun"
REFUSED = "flaky.rerun.refused"
NOT_STARTED = "flaky.rerun.failed"
OUTCOME = "flaky.rerun.outcome"
WATCH_FOR = timedelta(days=3)  # a re-run not finished by then is no longer polled
AUDIT_WINDOW = 1000  # re-run events read back (the cap and max age keep far fewer relevant)


@dataclass(frozen=True, slots=True)
class RerunSettings:
    enabled: bool = True
    hourly_cap: int = 10
    max_age: timedelta = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class RerunPlan:
    """A decision about one run, as the scan reports it."""

    repo: str
    run: WorkflowRun
    decision: RerunDecision
    fingerprints: tuple[str, ...]
    failing: tuple[str, ...]
    error: str | None = None  # GitHub refused the re-run

    @property
    def description(self) -> str:
        what = f"{self.run.workflow} #{self.run.run_id} (attempt {self.run.attempt})"
        if self.error is not None:
            return f"re-run of {what} refused by GitHub: {self.error}"
        if self.decision.rerun:
            return f"re-run failed jobs of {what}: {self.decision.reason}"
        return f"no re-run of {what}: {self.decision.reason}"


def plan_rerun(
    store: Store,
    repo: str,
    run: WorkflowRun,
    verdicts: Sequence[FailureVerdict],
    settings: RerunSettings,
    *,
    threshold: float,
    now: datetime,
) -> RerunPlan | None:
    """Decide about a failed run (None for a run that did not fail, or when disabled)."""
    if not settings.enabled or run.conclusion not in FAILED_CONCLUSIONS:
        return None
    taken = store.audit_log(repo, limit=AUDIT_WINDOW, action=RERUN)
    finished = run.updated_at or run.started_at or run.created_at
    limits = RerunLimits(
        threshold=threshold,
        hourly_cap=settings.hourly_cap,
        reruns_last_hour=sum(1 for entry in taken if now - _time_of(entry) < HOUR),
        already_rerun=any(entry.event.details.get("run_id") == run.run_id for entry in taken),
        age=now - finished,
        max_age=settings.max_age,
    )
    failing = [
        FailingTest(
            unit_name(unit_of(item.failure)),
            item.fingerprint.assessment.p_flaky,
            deterministic=item.deterministic,
            infra=item.infra,
        )
        for item in verdicts
    ]
    decision = decide_rerun(run.attempt, failing, limits)
    fingerprints = tuple(item.failure.fingerprint for item in verdicts)
    return RerunPlan(repo, run, decision, fingerprints, tuple(item.test for item in failing))


def _time_of(entry: AuditEntry) -> datetime:
    """When Sheriff asked for the re-run, by the scan's clock (the log's own time is the
    database's)."""
    at = entry.event.details.get("at")
    return datetime.fromisoformat(at) if isinstance(at, str) else entry.time


def carry_out(forge: Forge, store: Store, plan: RerunPlan, *, now: datetime) -> RerunPlan:
    """Write the decision to the audit log and, when it is to re-run, ask GitHub. The
    intent is claimed first (a unique key in the audit log): a re-run is never asked twice,
    even after a crash or by two workers scanning the same run at once."""
    run = plan.run
    details: dict[str, object] = {
        "run_id": run.run_id,
        "attempt": run.attempt,
        "workflow": run.workflow,
        "p_flaky": plan.decision.p_flaky,
        "reason": plan.decision.reason,
        "failing": list(plan.failing[:20]),
        "fingerprints": list(plan.fingerprints[:20]),
        "at": now.isoformat(),
    }
    if not plan.decision.rerun:
        key = f"{REFUSED}:{plan.repo}:{run.run_id}:{run.attempt}"
        store.append_audit(_event(plan, REFUSED, details, key))
        return plan
    intent = _event(plan, RERUN, details, f"{RERUN}:{plan.repo}:{run.run_id}")
    if not store.claim_audit(intent):  # another worker scanning the same run got there first
        reason = "another worker already asked for this run's re-run"
        decision = RerunDecision(False, reason, plan.decision.p_flaky)
        return RerunPlan(plan.repo, run, decision, plan.fingerprints, plan.failing)
    try:
        forge.rerun_failed_jobs(run.run_id)
    except GitHubError as error:
        failed = {**details, "error": str(error)}
        store.append_audit(
            _event(plan, NOT_STARTED, failed, f"{NOT_STARTED}:{plan.repo}:{run.run_id}")
        )
        return RerunPlan(plan.repo, run, plan.decision, plan.fingerprints, plan.failing, str(error))
    return plan


def _event(plan: RerunPlan, action: str, details: dict[str, object], key: str) -> AuditEvent:
    return AuditEvent(
        actor=ACTOR,
        action=action,
        cause=plan.decision.reason,
        repo=plan.repo,
        details=details,
        key=key,
    )


@dataclass(frozen=True, slots=True)
class PendingRerun:
    run_id: int
    attempt: int  # the attempt that was re-run
    fingerprints: tuple[str, ...]


def pending_reruns(store: Store, repo: str, now: datetime) -> list[PendingRerun]:
    """Runs Sheriff re-ran (within ``WATCH_FOR``) whose outcome is not recorded yet."""
    closed = {
        entry.event.details.get("run_id")
        for action in (OUTCOME, NOT_STARTED)
        for entry in store.audit_log(repo, limit=AUDIT_WINDOW, action=action)
    }
    return [
        PendingRerun(
            int(details["run_id"]),
            int(details.get("attempt", 1)),
            tuple(str(item) for item in details.get("fingerprints", ())),
        )
        for entry in store.audit_log(repo, limit=AUDIT_WINDOW, action=RERUN)
        if (details := entry.event.details).get("run_id") not in closed
        and now - _time_of(entry) < WATCH_FOR
    ]


FinishedRerun = tuple[PendingRerun, WorkflowRun]


def finished_reruns(forge: Forge, store: Store, now: datetime) -> list[FinishedRerun]:
    """The pending re-runs whose new attempt has completed (one request each)."""
    polled = [
        (item, forge.get_run(item.run_id)) for item in pending_reruns(store, forge.read_repo, now)
    ]
    return [
        (item, run)
        for item, run in polled
        if run.attempt > item.attempt and run.status in (None, "completed")
    ]


def follow_reruns(
    store: Store,
    repo: str,
    due: Sequence[FinishedRerun],
    read_again: Callable[[WorkflowRun], set[str]],
) -> list[str]:
    """Read each finished re-run again (``read_again`` returns the fingerprints of its
    latest attempt) and log its outcome; returns the outcomes, as the scan reports them."""
    return [record_outcome(store, repo, pending, run, read_again(run)) for pending, run in due]


def record_outcome(
    store: Store, repo: str, pending: PendingRerun, run: WorkflowRun, fingerprints: set[str]
) -> str:
    """Log how the re-run ended (passed, failed alike or failed otherwise); returns it."""
    if run.conclusion not in FAILED_CONCLUSIONS:
        outcome = "passed"
    elif fingerprints & set(pending.fingerprints):
        outcome = "failed again with the same failure"
    else:
        outcome = "failed with another failure"
    text = f"re-run of {run.workflow} #{run.run_id} (attempt {run.attempt}) {outcome}"
    details: dict[str, object] = {
        "run_id": run.run_id,
        "attempt": run.attempt,
        "conclusion": run.conclusion,
        "outcome": outcome,
    }
    store.append_audit(
        AuditEvent(
            actor=ACTOR,
            action=OUTCOME,
            cause=text,
            repo=repo,
            details=details,
            key=f"{OUTCOME}:{repo}:{run.run_id}",
        )
    )
    return text
