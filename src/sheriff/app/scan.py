"""Use case: scan one repository's GitHub Actions history into the store and keep one issue
per failure.

Order of work, chosen so that a scan killed at any point and started again loses no run and
duplicates nothing: runs are taken oldest first from the stored cursor; each run's attempts,
jobs, logs and occurrences are recorded (all idempotent), then the issues of the cases it
touched are planned and executed, and only then does the cursor move past the run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from sheriff.app.forge import FAILED_CONCLUSIONS, Forge, RunQuery, WorkflowJob, WorkflowRun
from sheriff.app.ports import (
    CursorPosition,
    JobLog,
    LogReader,
    LogStatus,
    RepositoryRecord,
    Store,
)
from sheriff.app.scan_flaky import (
    RunEvidence,
    go_results_in_log,
    record_and_judge,
    reported_results,
)
from sheriff.app.scan_issues import IssueTarget, PlannedIssue, build_case, handle_case
from sheriff.app.scan_junit import distinct_failures, junit_reports
from sheriff.app.scan_records import case_seed, occurrence_record
from sheriff.app.scan_reruns import (
    FinishedRerun,
    RerunPlan,
    RerunSettings,
    carry_out,
    finished_reruns,
    follow_reruns,
    plan_rerun,
)
from sheriff.app.triage_logs import TriageRequest, triage_logs
from sheriff.core.model import Failure, TriageReport
from sheriff.core.repo_config import (
    CONFIG_PATH,
    ConfigProblem,
    RepoSettings,
    branch_is_watched,
    merge_repo_config,
    parse_repo_config,
    workflow_is_watched,
)

LISTED_CONCLUSIONS = FAILED_CONCLUSIONS | {"success"}  # success: a re-run may have passed
FAILED_JOBS = frozenset({"failure", "timed_out"})
PULL_REQUEST_EVENTS = frozenset({"pull_request", "pull_request_target"})
ALL = "*"  # the cursor covers every workflow and branch of the repository


class ScanProgress(Protocol):
    """Told how a scan is going (a progress bar, a log, or nothing)."""

    def runs_found(self, count: int) -> None: ...

    def run_done(self, label: str) -> None: ...

    def note(self, message: str) -> None: ...


def wall_clock() -> datetime:
    return datetime.now(UTC)


class SilentProgress:
    def runs_found(self, count: int) -> None:
        pass

    def run_done(self, label: str) -> None:
        pass

    def note(self, message: str) -> None:
        pass


@dataclass(frozen=True, slots=True)
class ScanRequest:
    """What to scan is the forge's ``read_repo``; issues go to its ``write_repo``."""

    data_dir: Path
    base_settings: RepoSettings = field(default_factory=RepoSettings)
    dry_run: bool = False
    max_runs: int = 200
    budget: int = 50
    reruns: RerunSettings = field(default_factory=RerunSettings)
    clock: Callable[[], datetime] = wall_clock  # re-run bounds and quarantine windows


@dataclass(slots=True)
class ScanReport:
    repo: str
    default_branch: str = ""
    runs_recorded: int = 0
    attempts_recorded: int = 0
    jobs_triaged: int = 0
    logs_expired: int = 0
    logs_failed: int = 0
    more_runs_waiting: bool = False
    config_problems: tuple[ConfigProblem, ...] = ()
    issues: list[PlannedIssue] = field(default_factory=list)
    reruns: list[RerunPlan] = field(default_factory=list)
    rerun_outcomes: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Context:
    repo: str
    request: ScanRequest
    forge: Forge
    store: Store
    reader: LogReader
    target: IssueTarget
    login: str | None
    progress: ScanProgress


def scan_repository(
    request: ScanRequest,
    forge: Forge,
    store: Store,
    reader: LogReader,
    progress: ScanProgress | None = None,
) -> ScanReport:
    """Scan new runs since the stored cursor; see the module docstring for the order."""
    shown = progress or SilentProgress()
    repo, issue_repo = forge.read_repo, forge.write_repo
    report = ScanReport(repo)
    # The run listing comes first and is conditional: when nothing finished since the
    # last scan it is the only request (no repository, config or identity look-ups).
    cursor = store.cursor(repo, ALL, ALL)
    listing = forge.list_workflow_runs(
        RunQuery(
            created_since=cursor.created_at if cursor else None, conclusions=LISTED_CONCLUSIONS
        )
    )
    fresh = _after_cursor(listing.items, cursor)
    due = [] if request.dry_run else finished_reruns(forge, store, request.clock())
    if not fresh and not due:
        if not request.dry_run:
            forge.mark_seen(listing)
        return report
    report.default_branch = forge.get_repository().default_branch
    store.upsert_repository(RepositoryRecord(repo, report.default_branch, write_repo=issue_repo))
    settings, report.config_problems = _repo_settings(forge, request)
    if not settings.enabled:
        shown.note(f"{repo}: `enabled: false` in {CONFIG_PATH}; nothing scanned")
        return report
    target = IssueTarget(repo, issue_repo, report.default_branch, settings, request.dry_run)
    context = _Context(repo, request, forge, store, reader, target, None, shown)
    runs = [run for run in fresh if _worth_reading(target, run)]
    report.more_runs_waiting = len(runs) > request.max_runs or not listing.complete
    runs = runs[: request.max_runs]
    if runs and not request.dry_run:  # who Sheriff is, to recognise its comments
        context = replace(context, login=forge.authenticated_login())
    shown.runs_found(len(runs))
    for run in runs:
        _scan_run(context, run, report)
        if not request.dry_run:  # a dry run leaves the runs for the real scan to file
            store.advance_cursor(repo, ALL, ALL, CursorPosition(run.created_at, run.run_id))
        shown.run_done(f"{run.workflow} #{run.run_id}")
    _follow_reruns(context, due, {run.run_id for run in runs}, report)
    if not report.more_runs_waiting and not request.dry_run:
        forge.mark_seen(listing)
    return report


def _follow_reruns(
    context: _Context, due: list[FinishedRerun], scanned: set[int], report: ScanReport
) -> None:
    """Read each finished re-run again (its outcome is evidence) and log how it ended."""
    if due and context.login is None and not context.request.dry_run:
        context = replace(context, login=context.forge.authenticated_login())

    def read_again(run: WorkflowRun) -> set[str]:
        if run.run_id in scanned:
            return set()
        return {item.fingerprint for item in _scan_run(context, run, report).latest_failures()}

    report.rerun_outcomes += follow_reruns(context.store, context.repo, due, read_again)


def scan_one_run(
    request: ScanRequest,
    forge: Forge,
    store: Store,
    reader: LogReader,
    run: WorkflowRun,
) -> ScanReport:
    """Scan one completed run now (a webhook said it finished), as ``scan_repository`` would.

    The cursor does not move: the periodic scan still reads runs in order and finds this one
    already recorded (every write is idempotent, and issues are found by their markers), so
    scanning a run here and again later changes nothing twice.
    """
    repo, issue_repo = forge.read_repo, forge.write_repo
    report = ScanReport(repo)
    report.default_branch = forge.get_repository().default_branch
    store.upsert_repository(RepositoryRecord(repo, report.default_branch, write_repo=issue_repo))
    settings, report.config_problems = _repo_settings(forge, request)
    target = IssueTarget(repo, issue_repo, report.default_branch, settings, request.dry_run)
    if not settings.enabled or run.status not in (None, "completed"):
        return report
    if not _worth_reading(target, run):
        return report
    login = None if request.dry_run else forge.authenticated_login()
    context = _Context(repo, request, forge, store, reader, target, login, SilentProgress())
    _scan_run(context, run, report)
    return report


def _repo_settings(
    forge: Forge, request: ScanRequest
) -> tuple[RepoSettings, tuple[ConfigProblem, ...]]:
    raw = forge.read_default_branch_file(CONFIG_PATH)
    parsed = parse_repo_config(None if raw is None else raw.decode("utf-8", "replace"))
    return merge_repo_config(request.base_settings, parsed.config), parsed.problems


def _after_cursor(
    listed: Sequence[WorkflowRun], cursor: CursorPosition | None
) -> list[WorkflowRun]:
    """Runs after the cursor, oldest first, up to the first one still going (the cursor
    must not pass a run that has not finished). Workflows and branches are filtered
    afterwards, with the repository's configuration."""
    chosen: list[WorkflowRun] = []
    for run in sorted(listed, key=lambda run: (run.created_at, run.run_id)):
        if cursor is not None and (run.created_at, run.run_id) <= (
            cursor.created_at,
            cursor.run_id,
        ):
            continue
        if run.status not in (None, "completed"):
            break
        chosen.append(run)
    return chosen


def _worth_reading(target: IssueTarget, run: WorkflowRun) -> bool:
    if not workflow_is_watched(target.settings, run.workflow, run.workflow_path):
        return False
    if run.event not in PULL_REQUEST_EVENTS and not branch_is_watched(
        target.settings, run.head_branch, target.default_branch
    ):
        return False
    return run.conclusion in FAILED_CONCLUSIONS or run.attempt > 1


def _scan_run(context: _Context, run: WorkflowRun, report: ScanReport) -> RunEvidence:
    touched: dict[str, tuple[TriageReport, Failure]] = {}
    extra, artifact_files = _artifact_reports(context, run)
    evidence = RunEvidence(context.repo, reported_results(context.reader, artifact_files))
    log_files: list[Path] = []
    for attempt in _attempts_of(context, run):
        _record_attempt(context, attempt)
        report.attempts_recorded += 1
        for job in context.forge.list_jobs(run.run_id, attempt.attempt):
            _record_job(context, job)
            if job.conclusion == "success":  # the tests that failed in it before passed
                evidence.job_passed(attempt, job)
            if job.conclusion not in FAILED_JOBS:
                continue
            found = _triage_job(context, job, report, log_files, extra)
            extra = []  # artifacts go with the run's first failed job
            structured = go_results_in_log(context.reader, _log_path(context, job.job_id), found)
            evidence.job_failed(attempt, job, found, structured)
            touched.update((failure.fingerprint, (triaged, failure)) for triaged, failure in found)
    _judge_and_rerun(context, run, evidence, report)
    for triaged, failure in touched.values():
        case = build_case(
            context.store,
            context.repo,
            triaged,
            failure,
            context.target.settings.evidence_rows,
        )
        planned = handle_case(context.forge, context.store, context.target, case, context.login)
        report.issues.append(planned)
    report.runs_recorded += 1
    for path in log_files + artifact_files:
        path.unlink(missing_ok=True)
    return evidence


def _judge_and_rerun(
    context: _Context, run: WorkflowRun, evidence: RunEvidence, report: ScanReport
) -> None:
    """Record the run's test results, write each case's flakiness verdict, and decide (and
    unless dry, carry out) an automatic re-run of its failed jobs."""
    now, threshold = context.request.clock(), context.target.settings.flaky_threshold
    verdicts = record_and_judge(context.store, evidence, threshold=threshold, now=now)
    latest = {item.fingerprint: verdicts[item.fingerprint] for item in evidence.latest_failures()}
    plan = plan_rerun(
        context.store, context.repo, run, list(latest.values()), context.request.reruns,
        threshold=threshold, now=now,
    )  # fmt: skip
    if plan is not None and not context.request.dry_run:
        plan = carry_out(context.forge, context.store, plan, now=now)
    if plan is not None:
        report.reruns.append(plan)


def _attempts_of(context: _Context, run: WorkflowRun) -> list[WorkflowRun]:
    """Every attempt of the run, first to last (re-runs are evidence)."""
    if run.attempt <= 1:
        return [run]
    attempts = {item.attempt: item for item in context.forge.list_run_attempts(run)}
    attempts[run.attempt] = run
    return [attempts[number] for number in sorted(attempts)]


def _record_attempt(context: _Context, run: WorkflowRun) -> None:
    context.store.upsert_run_attempt(run.as_attempt_record(context.repo))


def _record_job(context: _Context, job: WorkflowJob) -> None:
    context.store.upsert_job(job.as_job_record(context.repo))


def _artifact_reports(context: _Context, run: WorkflowRun) -> tuple[list[TriageReport], list[Path]]:
    globs = context.target.settings.artifact_globs
    if not globs or run.conclusion not in FAILED_CONCLUSIONS:
        return [], []
    folder = context.request.data_dir / "artifacts" / context.repo.replace("/", "__")
    reader, budget = context.reader, context.request.budget
    return junit_reports(
        context.forge, run.run_id, globs, folder=folder, reader=reader, budget=budget
    )


def _triage_job(
    context: _Context,
    job: WorkflowJob,
    report: ScanReport,
    log_files: list[Path],
    extra: list[TriageReport],
) -> list[tuple[TriageReport, Failure]]:
    """Triage one failed job's log (downloaded unless already on disk) with any test
    reports that go with it, and record its failures."""
    reports = list(extra)
    log = _job_log_report(context, job, report, log_files)
    if log is not None:
        reports.insert(0, log)
    found = distinct_failures(reports)
    records = [occurrence_record(triaged, failure) for triaged, failure in found]
    for _, failure in found:
        context.store.ensure_case(case_seed(context.repo, failure))
    if log is not None or found:
        context.store.record_occurrences(context.repo, job.job_id, records)
    if log is not None:
        size = Path(log.source).stat().st_size
        fetched = JobLog(LogStatus.FETCHED, log.source, size)
        context.store.record_job_log(context.repo, job.job_id, fetched)
        report.jobs_triaged += 1
    return found


def _job_log_report(
    context: _Context, job: WorkflowJob, report: ScanReport, log_files: list[Path]
) -> TriageReport | None:
    repo, store = context.repo, context.store
    if store.job_log_status(repo, job.job_id) is LogStatus.EXPIRED:
        report.logs_expired += 1
        return None
    path = _log_path(context, job.job_id)
    log_files.append(path)
    if not path.is_file():
        download = context.forge.download_job_log(job.job_id, path)
        if download.status is not LogStatus.FETCHED:  # expired (404/410) or failed: recorded
            store.record_job_log(repo, job.job_id, download)
            if download.status is LogStatus.EXPIRED:
                report.logs_expired += 1
            else:
                report.logs_failed += 1
            context.progress.note(f"job {job.job_id}: log {download.status.value}")
            path.unlink(missing_ok=True)
            return None
    request = TriageRequest([str(path)], context.request.budget, repo=repo, platform=job.runner_os)
    return triage_logs(request, context.reader)[0]


def _log_path(context: _Context, job_id: int) -> Path:
    folder = context.request.data_dir / "logs" / context.repo.replace("/", "__")
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{job_id}.log"
