"""Use case: the failure report of a pull request (seed 000 and Dr. CI).

When a run fails on a pull request, ``report_pull_request_failures`` reads every failed
job of the pull request's head (all its runs, not only the one that just finished),
judges each one NEW / BROKEN TRUNK / FLAKY / INFRA / UNKNOWN from triage, the flakiness
engine's verdicts and the default branch's recent failures, analyses the NEW ones
against the pull request's diff (with the configured model, read-only, else
deterministically), and writes one comment per pull request (edited in place) and a check
run on the head commit. Running it again changes the comment in place or leaves it alone;
it never posts twice. Every write to GitHub and every notice is in the audit log.

The scan of the same run (``scan_one_run``) should come first: it records the run's
failures and the flakiness verdicts this report reads. Without it the report still works,
with P(flaky) unknown for failures the store has never seen.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sheriff.app.forge import Forge, WorkflowRun
from sheriff.app.forge_pulls import PullRequest
from sheriff.app.llm import LLM
from sheriff.app.notify import Notifications, read_codeowners
from sheriff.app.ports import LogReader, Store
from sheriff.app.pr_report_analysis import AnalysisSource, analyse
from sheriff.app.pr_report_jobs import JobSource, failed_jobs, job_facts, runs_at_head
from sheriff.app.pr_report_publish import (
    CheckResult,
    CommentResult,
    PublishTarget,
    publish_check_run,
    publish_comment,
)
from sheriff.config import Settings
from sheriff.core.notify import Notice, NoticeKind
from sheriff.core.pr_report import (
    ChangedFile,
    FailureReport,
    JobJudgement,
    JobVerdict,
    changed_file,
    judge_job,
    new_failure_of,
    render_report,
    verdict_summary,
)
from sheriff.core.pr_report.deterministic import first_line
from sheriff.core.repo_config import CONFIG_PATH, RepoSettings, merge_repo_config, parse_repo_config


def wall_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class PullRequestReportRequest:
    """How to report; entry builds it from the ``pr_report_*`` settings."""

    data_dir: Path  # job logs are downloaded under it (and removed once triaged)
    base_settings: RepoSettings = field(default_factory=RepoSettings)
    check_name: str = "Sheriff"
    trunk_window: timedelta = timedelta(days=3)
    max_jobs: int = 30
    max_analyses: int = 3
    budget: int = 50  # log lines kept per job by triage
    dry_run: bool = False  # decide and render, write nothing
    clock: Callable[[], datetime] = wall_clock

    @classmethod
    def from_settings(
        cls, settings: Settings, data_dir: Path, *, dry_run: bool = False
    ) -> PullRequestReportRequest:
        """The request the ``pr_report_*`` settings describe (``pr_report`` itself, on or
        off, is for the caller to check)."""
        return cls(
            data_dir=data_dir,
            base_settings=RepoSettings(
                label_prefix=settings.label_prefix, flaky_threshold=settings.flaky_threshold
            ),
            check_name=settings.pr_report_check_name,
            trunk_window=timedelta(days=settings.pr_report_trunk_days),
            max_jobs=settings.pr_report_max_jobs,
            max_analyses=settings.pr_report_max_analyses,
            budget=settings.budget,
            dry_run=dry_run,
        )


@dataclass(frozen=True, slots=True)
class PullRequestReportOutcome:
    repo: str
    number: int | None
    head_sha: str | None = None
    skipped: str | None = None  # why there is no report
    report: FailureReport | None = None
    body: str | None = None  # the comment as rendered
    comment: CommentResult | None = None
    check: CheckResult | None = None
    notices_sent: int = 0

    @property
    def summary(self) -> str:
        """One line for the audit log of the event that triggered the report."""
        if self.skipped is not None or self.report is None:
            return f"no pull request report: {self.skipped}"
        comment = self.comment.action if self.comment else "none"
        check = self.check.action if self.check else "none"
        return f"{verdict_summary(self.report)}; comment {comment}, check run {check}"


def report_pull_request_failures(
    request: PullRequestReportRequest,
    forge: Forge,
    store: Store,
    reader: LogReader,
    run: WorkflowRun,
    *,
    llm: LLM | None = None,
    notifications: Notifications | None = None,
    number: int | None = None,
) -> PullRequestReportOutcome:
    """Report the failed jobs of the head of ``run``'s pull request (``number``, else the
    run's first pull request, else the open pull request whose head is the run's commit)."""
    repo = forge.read_repo
    found = _pull_request(forge, run, number)
    if isinstance(found, str):
        return PullRequestReportOutcome(repo, number, run.head_sha, skipped=found)
    pull = found
    settings = _repo_settings(forge, request.base_settings)
    if not settings.enabled:
        reason = f"`enabled: false` in {CONFIG_PATH}"
        return PullRequestReportOutcome(repo, pull.number, pull.head_sha, skipped=reason)
    report = _build_report(
        request, forge, store=store, reader=reader, run=run, pull=pull, settings=settings, llm=llm
    )
    body = render_report(report)
    login = None if request.dry_run else forge.authenticated_login()
    target = PublishTarget(
        repo, pull.number, pull.head_sha, request.check_name, login, request.dry_run
    )
    comment = publish_comment(forge, store, target, report, body)
    check = publish_check_run(forge, store, target, report, comment.url)
    sent = _notify(notifications, forge, report, pull, comment) if not request.dry_run else 0
    return PullRequestReportOutcome(
        repo, pull.number, pull.head_sha, None, report, body, comment, check, sent
    )


def _pull_request(forge: Forge, run: WorkflowRun, number: int | None) -> PullRequest | str:
    """The open pull request the run belongs to, or why there is none to report on."""
    if forge.read_repo != forge.write_repo:
        return f"CI is read from {forge.read_repo}, pull requests live in {forge.write_repo}"
    chosen = number or (run.pull_requests[0] if run.pull_requests else None)
    if chosen is None:
        heads = [p for p in forge.list_pull_requests(state="open") if p.head_sha == run.head_sha]
        if not heads:
            return f"no open pull request has {run.head_sha[:7]} as its head"
        chosen = heads[0].number
    pull = forge.get_pull_request(chosen)
    if pull is None:
        return f"pull request #{chosen} not found"
    if pull.state != "open":
        return f"pull request #{chosen} is {pull.state}"
    if pull.head_sha != run.head_sha:
        return f"run {run.run_id} is of {run.head_sha[:7]}, no longer the head of #{chosen}"
    return pull


def _repo_settings(forge: Forge, base: RepoSettings) -> RepoSettings:
    raw = forge.read_default_branch_file(CONFIG_PATH)
    parsed = parse_repo_config(None if raw is None else raw.decode("utf-8", "replace"))
    return merge_repo_config(base, parsed.config)


def _build_report(
    request: PullRequestReportRequest,
    forge: Forge,
    *,
    store: Store,
    reader: LogReader,
    run: WorkflowRun,
    pull: PullRequest,
    settings: RepoSettings,
    llm: LLM | None,
) -> FailureReport:
    repo = forge.read_repo
    source = JobSource(
        repo, forge, store, reader,
        request.data_dir / "pr-logs" / repo.replace("/", "__"), request.budget,
        forge.get_repository().default_branch, pull.head_sha,
        request.clock() - request.trunk_window, settings,
    )  # fmt: skip
    jobs, left_out = failed_jobs(source, runs_at_head(source, run), request.max_jobs)
    judged = [judge_job(job_facts(source, r, job), settings.flaky_threshold) for r, job in jobs]
    new = [item for item in judged if item.verdict is JobVerdict.NEW]
    files = _changed_files(forge, pull.number) if new else ()
    analysis = AnalysisSource(
        repo, store, llm, pull.number, pull.title, pull.head_sha, request.dry_run
    )
    counts = _jobs_per_fingerprint(judged)
    analyses = tuple(
        analyse(analysis, new_failure_of(repo, item, files, counts))
        for item in new[: request.max_analyses]
    )
    unanalysed = max(len(new) - request.max_analyses, 0)
    paths = tuple(item.path for item in files)
    return FailureReport(
        repo, pull.number, pull.head_sha, tuple(judged), analyses, unanalysed, left_out, paths
    )


def _changed_files(forge: Forge, number: int) -> tuple[ChangedFile, ...]:
    return tuple(
        changed_file(item.filename, item.status, item.additions, item.deletions, item.patch)
        for item in forge.list_pull_request_files(number)
    )


def _jobs_per_fingerprint(judged: list[JobJudgement]) -> dict[str, int]:
    return dict(Counter(cause.cause.fingerprint for item in judged for cause in item.causes))


def _notify(
    notifications: Notifications | None,
    forge: Forge,
    report: FailureReport,
    pull: PullRequest,
    comment: CommentResult,
) -> int:
    """Tell the owners of the changed paths about new failures (once per head and set of
    new failures)."""
    if notifications is None or not report.has_new:
        return 0
    new = [item for item in report.jobs if item.verdict is JobVerdict.NEW]
    fingerprints = sorted({c.cause.fingerprint for item in new for c in item.causes})
    digest = hashlib.sha256("+".join(fingerprints).encode()).hexdigest()[:16]
    lines = tuple(f"{item.job.title}: {_failure_line(item)}" for item in new[:10])
    notice = Notice(
        NoticeKind.PR_FAILURE, report.repo,
        f"#{pull.number} {pull.title}: {report.tally()}",
        key=f"pr:{pull.number}:{pull.head_sha[:12]}:{digest}", lines=lines,
        link=comment.url or pull.html_url, paths=report.changed_paths,
    )  # fmt: skip
    owners = read_codeowners(forge) if notifications.enabled and notice.paths else None
    return sum(item.status == "sent" for item in notifications.send(notice, owners))


def _failure_line(item: JobJudgement) -> str:
    deciding = item.deciding
    if deciding is None:
        return item.reason
    finding = deciding.cause.failure.finding
    what = finding.test.qualified if finding.test else finding.tool
    return f"{what}: {first_line(finding.message, 160)}"
