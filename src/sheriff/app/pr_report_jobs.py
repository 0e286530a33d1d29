"""The failed jobs of a pull request's head, read into ``JobFacts``.

Every workflow run of the head commit is listed (the run that triggered the report
included, even when the listing lags behind it); the failed jobs of each run's latest
attempt are triaged from their logs with the same use case the scan uses (so
fingerprints match the store's), and each cause is looked up in the store: the
flakiness engine's verdict on its case, and whether the same fingerprint failed on the
default branch recently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sheriff.app.forge import FAILED_CONCLUSIONS, Forge, RunQuery, WorkflowJob, WorkflowRun
from sheriff.app.ports import LogReader, LogStatus, Store, TestOutcome
from sheriff.app.test_history import unit_of
from sheriff.app.triage_logs import TriageRequest, triage_logs
from sheriff.core.causes import causes_of
from sheriff.core.model import Failure, TriageReport
from sheriff.core.pr_report import CauseFacts, JobFacts, TrunkFailure
from sheriff.core.repo_config import RepoSettings, workflow_is_watched

FAILED_JOBS = frozenset({"failure", "timed_out"})
PULL_REQUEST_EVENTS = frozenset({"pull_request", "pull_request_target"})
TRUNK_LOOKBACK = 200  # occurrences of a fingerprint read to find default-branch failures


@dataclass(frozen=True, slots=True)
class JobSource:
    """Where the jobs come from and what they are compared with."""

    repo: str
    forge: Forge
    store: Store
    reader: LogReader
    log_dir: Path
    budget: int
    default_branch: str
    head_sha: str
    trunk_since: datetime
    settings: RepoSettings


def runs_at_head(source: JobSource, trigger: WorkflowRun) -> list[WorkflowRun]:
    """The head's runs (latest attempts) of watched workflows, in a stable order."""
    query = RunQuery(head_sha=source.head_sha, conclusions=FAILED_CONCLUSIONS | {"success"})
    listed = list(source.forge.list_workflow_runs(query).items)
    runs = {run.run_id: run for run in listed if run.head_sha == source.head_sha}
    known = runs.get(trigger.run_id)
    if trigger.head_sha == source.head_sha and (known is None or known.attempt < trigger.attempt):
        runs[trigger.run_id] = trigger
    watched = [
        run
        for run in runs.values()
        if workflow_is_watched(source.settings, run.workflow, run.workflow_path)
    ]
    return sorted(watched, key=lambda run: (run.workflow, run.run_id))


def failed_jobs(
    source: JobSource, runs: list[WorkflowRun], cap: int
) -> tuple[list[tuple[WorkflowRun, WorkflowJob]], int]:
    """The failed jobs of the runs whose latest attempt failed, at most ``cap``; and how
    many more there were."""
    found: list[tuple[WorkflowRun, WorkflowJob]] = []
    for run in runs:
        if run.conclusion not in FAILED_CONCLUSIONS:
            continue
        jobs = source.forge.list_jobs(run.run_id, run.attempt)
        found += [(run, job) for job in jobs if job.conclusion in FAILED_JOBS]
    found.sort(key=lambda item: (item[0].workflow, item[1].name, item[1].job_id))
    return found[:cap], max(len(found) - cap, 0)


def job_facts(source: JobSource, run: WorkflowRun, job: WorkflowJob) -> JobFacts:
    base = JobFacts(
        run_id=run.run_id,
        attempt=run.attempt,
        workflow=run.workflow,
        job_id=job.job_id,
        name=job.name,
        conclusion=job.conclusion,
        url=job.html_url or run.html_url,
        failed_step=next((s.name for s in job.steps if s.conclusion in FAILED_JOBS), None),
    )
    triaged = _triage(source, job)
    if isinstance(triaged, str):
        return _with(base, log_problem=triaged)
    causes = tuple(_cause_facts(source, failure) for failure in causes_of(triaged))
    return _with(base, causes=causes, excerpt=triaged.excerpt_text)


def _with(
    base: JobFacts,
    *,
    log_problem: str | None = None,
    causes: tuple[CauseFacts, ...] = (),
    excerpt: tuple[tuple[int, str], ...] = (),
) -> JobFacts:
    return JobFacts(
        base.run_id, base.attempt, base.workflow, base.job_id, base.name, base.conclusion,
        base.url, log_problem, causes, base.failed_step, excerpt,
    )  # fmt: skip


def _triage(source: JobSource, job: WorkflowJob) -> TriageReport | str:
    """The log's triage report, or why there is none."""
    source.log_dir.mkdir(parents=True, exist_ok=True)
    path = source.log_dir / f"{job.job_id}.log"
    try:
        download = source.forge.download_job_log(job.job_id, path)
        if download.status is not LogStatus.FETCHED:
            detail = f" ({download.detail})" if download.detail else ""
            return f"{download.status.value}{detail}"
        request = TriageRequest(
            [str(path)], source.budget, repo=source.repo, platform=job.runner_os
        )
        return triage_logs(request, source.reader)[0]
    finally:
        path.unlink(missing_ok=True)


def _cause_facts(source: JobSource, failure: Failure) -> CauseFacts:
    view = source.store.get_case(source.repo, failure.fingerprint)
    assessment = view.assessment if view is not None else None
    broken, flaky = _trunk_failures(source, failure)
    return CauseFacts(
        failure,
        p_flaky=assessment.p_flaky if assessment else None,
        flaky_verdict=assessment.verdict if assessment else None,
        trunk=broken,
        trunk_flaky=flaky,
    )


def _trunk_failures(
    source: JobSource, failure: Failure
) -> tuple[tuple[TrunkFailure, ...], tuple[TrunkFailure, ...]]:
    """The fingerprint's recent failures on the default branch: those that stayed failed,
    and those whose commit passed the same test in the same job (a re-run: flaky)."""
    rows = source.store.occurrences_of(source.repo, failure.fingerprint, limit=TRUNK_LOOKBACK)
    trunk = [
        row
        for row in rows
        if row.head_branch == source.default_branch
        and row.event not in PULL_REQUEST_EVENTS
        and row.head_sha != source.head_sha
        and row.seen_at >= source.trunk_since
    ]
    if not trunk:
        return (), ()
    results = source.store.recent_test_results(source.repo, unit_of(failure), TRUNK_LOOKBACK)
    passed = {(item.sha, item.job) for item in results if item.outcome is TestOutcome.PASSED}
    broken: dict[int, TrunkFailure] = {}
    flaky: dict[int, TrunkFailure] = {}
    for row in trunk:
        found = TrunkFailure(row.run_id, row.head_sha, row.seen_at, row.job_url)
        chosen = flaky if (row.head_sha, row.job_name) in passed else broken
        chosen[row.run_id] = found
    return _by_time(broken), _by_time(flaky)


def _by_time(found: dict[int, TrunkFailure]) -> tuple[TrunkFailure, ...]:
    return tuple(sorted(found.values(), key=lambda item: item.seen_at))
