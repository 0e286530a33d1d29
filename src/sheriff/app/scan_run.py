"""Reading one workflow run: its attempts and jobs recorded, each failed job's log (and test
reports) triaged into occurrences, the flakiness verdicts and any automatic re-run, then the
issue of every case the run touched."""

from __future__ import annotations

from pathlib import Path

from sheriff.app.forge import FAILED_CONCLUSIONS, WorkflowJob, WorkflowRun
from sheriff.app.ports import JobLog, LogStatus
from sheriff.app.scan_flaky import (
    RunEvidence,
    go_results_in_log,
    record_and_judge,
    reported_results,
)
from sheriff.app.scan_issues import build_case, handle_case
from sheriff.app.scan_junit import distinct_failures, junit_reports
from sheriff.app.scan_records import case_seed, occurrence_record
from sheriff.app.scan_request import ScanContext, ScanReport
from sheriff.app.scan_reruns import carry_out, plan_rerun
from sheriff.app.triage_logs import TriageRequest, triage_logs
from sheriff.core.model import Failure, TriageReport

FAILED_JOBS = frozenset({"failure", "timed_out"})


def scan_run(context: ScanContext, run: WorkflowRun, report: ScanReport) -> RunEvidence:
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
    context: ScanContext, run: WorkflowRun, evidence: RunEvidence, report: ScanReport
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


def _attempts_of(context: ScanContext, run: WorkflowRun) -> list[WorkflowRun]:
    """Every attempt of the run, first to last (re-runs are evidence)."""
    if run.attempt <= 1:
        return [run]
    attempts = {item.attempt: item for item in context.forge.list_run_attempts(run)}
    attempts[run.attempt] = run
    return [attempts[number] for number in sorted(attempts)]


def _record_attempt(context: ScanContext, run: WorkflowRun) -> None:
    context.store.upsert_run_attempt(run.as_attempt_record(context.repo))


def _record_job(context: ScanContext, job: WorkflowJob) -> None:
    context.store.upsert_job(job.as_job_record(context.repo))


def _artifact_reports(
    context: ScanContext, run: WorkflowRun
) -> tuple[list[TriageReport], list[Path]]:
    globs = context.target.settings.artifact_globs
    if not globs or run.conclusion not in FAILED_CONCLUSIONS:
        return [], []
    folder = context.request.data_dir / "artifacts" / context.repo.replace("/", "__")
    reader, budget = context.reader, context.request.budget
    return junit_reports(
        context.forge, run.run_id, globs, folder=folder, reader=reader, budget=budget
    )


def _triage_job(
    context: ScanContext,
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
    context: ScanContext, job: WorkflowJob, report: ScanReport, log_files: list[Path]
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


def _log_path(context: ScanContext, job_id: int) -> Path:
    folder = context.request.data_dir / "logs" / context.repo.replace("/", "__")
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{job_id}.log"
