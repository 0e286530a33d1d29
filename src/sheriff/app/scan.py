"""Use case: scan one repository's GitHub Actions history into the store and keep one issue
per failure.

Order of work, chosen so that a scan killed at any point and started again loses no run and
duplicates nothing: runs are taken oldest first from the stored cursor; each run's attempts,
jobs, logs and occurrences are recorded (all idempotent), then the issues of the cases it
touched are planned and executed, and only then does the cursor move past the run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sheriff.app.forge import FAILED_CONCLUSIONS, Forge, RunQuery, WorkflowRun
from sheriff.app.ports import CursorPosition, LogReader, RepositoryRecord, Store
from sheriff.app.scan_issues import IssueTarget
from sheriff.app.scan_request import (
    ScanContext,
    ScanProgress,
    ScanReport,
    ScanRequest,
    SilentProgress,
    wall_clock,
)
from sheriff.app.scan_reruns import FinishedRerun, finished_reruns, follow_reruns
from sheriff.app.scan_run import scan_run
from sheriff.core.repo_config import (
    CONFIG_PATH,
    ConfigProblem,
    RepoSettings,
    branch_is_watched,
    merge_repo_config,
    parse_repo_config,
    workflow_is_watched,
)

__all__ = [
    "ScanProgress",
    "ScanReport",
    "ScanRequest",
    "SilentProgress",
    "scan_one_run",
    "scan_repository",
    "wall_clock",
]

LISTED_CONCLUSIONS = FAILED_CONCLUSIONS | {"success"}  # success: a re-run may have passed
PULL_REQUEST_EVENTS = frozenset({"pull_request", "pull_request_target"})
ALL = "*"  # the cursor covers every workflow and branch of the repository


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
    context = ScanContext(repo, request, forge, store, reader, target, None, shown)
    runs = [run for run in fresh if _worth_reading(target, run)]
    report.more_runs_waiting = len(runs) > request.max_runs or not listing.complete
    runs = runs[: request.max_runs]
    if runs and not request.dry_run:  # who Sheriff is, to recognise its comments
        context = replace(context, login=forge.authenticated_login())
    shown.runs_found(len(runs))
    for run in runs:
        scan_run(context, run, report)
        if not request.dry_run:  # a dry run leaves the runs for the real scan to file
            store.advance_cursor(repo, ALL, ALL, CursorPosition(run.created_at, run.run_id))
        shown.run_done(f"{run.workflow} #{run.run_id}")
    _follow_reruns(context, due, {run.run_id for run in runs}, report)
    if not report.more_runs_waiting and not request.dry_run:
        forge.mark_seen(listing)
    return report


def _follow_reruns(
    context: ScanContext, due: list[FinishedRerun], scanned: set[int], report: ScanReport
) -> None:
    """Read each finished re-run again (its outcome is evidence) and log how it ended."""
    if due and context.login is None and not context.request.dry_run:
        context = replace(context, login=context.forge.authenticated_login())

    def read_again(run: WorkflowRun) -> set[str]:
        if run.run_id in scanned:
            return set()
        return {item.fingerprint for item in scan_run(context, run, report).latest_failures()}

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
    context = ScanContext(repo, request, forge, store, reader, target, login, SilentProgress())
    scan_run(context, run, report)
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
