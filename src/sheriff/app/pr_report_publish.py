"""Writing the report to GitHub: the one managed comment and the check run, each written
only when its content changed, each write in the audit log.

The comment is found by its hidden key (``pr-report``) among the pull request's comments
written by Sheriff, and edited in place, so a report made twice never posts twice. A
report with no failed jobs only edits an existing comment (to say all is green); it never
opens one. GitHub lets only Apps create check runs: with other credentials the refusal is
written to the audit log with what to do, and the report goes on without a check run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sheriff.app.forge import Forge, IssueComment
from sheriff.app.forge_pulls import CheckRun, CheckRunReport
from sheriff.app.ports import AuditEvent, JournalStore
from sheriff.core.issues import CommentAction, CommentSnapshot, decide_comment
from sheriff.core.issues.comments import WantedComment
from sheriff.core.pr_report import REPORT_KEY, FailureReport, check_summary, verdict_summary
from sheriff.errors import GitHubPermissionError

ACTOR = "sheriff-pr-report"
ACTIONS_APP = "github-actions"
CHECK_RUN_HINT = (
    "only GitHub Apps may create check runs: run Sheriff as a GitHub App with the "
    "checks: write permission (the report comment is posted either way)"
)


@dataclass(frozen=True, slots=True)
class PublishTarget:
    repo: str
    number: int
    head_sha: str
    check_name: str
    login: str | None  # Sheriff's login, to recognise its own comment
    dry_run: bool = False


@dataclass(frozen=True, slots=True)
class CommentResult:
    action: str  # posted / edited / unchanged / none / planned
    comment_id: int | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class CheckResult:
    action: str  # created / updated / unchanged / denied / none / planned
    check_run_id: int | None = None


def publish_comment(
    forge: Forge, journal: JournalStore, target: PublishTarget, report: FailureReport, body: str
) -> CommentResult:
    comments = forge.list_comments(target.number).items
    snapshots = [
        CommentSnapshot(item.comment_id, item.body, item.author or "") for item in comments
    ]
    decision = decide_comment(
        WantedComment(REPORT_KEY, body), snapshots, sheriff_login=target.login
    )
    existing = next((item for item in comments if item.comment_id == decision.comment_id), None)
    if decision.action is CommentAction.KEEP:
        return CommentResult("unchanged", decision.comment_id, _url(existing))
    if decision.action is CommentAction.POST and not report.jobs:
        return CommentResult("none")
    if target.dry_run:
        return CommentResult("planned", decision.comment_id, _url(existing))
    if decision.action is CommentAction.POST:
        written = forge.create_comment(target.number, body)
        action, verb = "posted", "pr_report.comment.create"
    else:
        written = forge.update_comment(decision.comment_id or 0, body)
        action, verb = "edited", "pr_report.comment.update"
    details: dict[str, object] = {"comment": written.comment_id, "verdicts": _verdicts(report)}
    _audit(journal, target, verb, f"report {action}: {verdict_summary(report)}", details)
    return CommentResult(action, written.comment_id, written.html_url)


def publish_check_run(
    forge: Forge,
    journal: JournalStore,
    target: PublishTarget,
    report: FailureReport,
    comment_url: str | None,
) -> CheckResult:
    summary = check_summary(report, comment_url)
    existing = _own_check_run(forge, target)
    if existing is None and not report.jobs:
        return CheckResult("none")
    wanted = CheckRunReport(
        target.check_name, target.head_sha, "completed", summary.conclusion,
        details_url=comment_url, external_id=f"pr-report:{target.number}",
        title=summary.title, summary=summary.summary, text=summary.text or None,
    )  # fmt: skip
    if existing is not None and _same(existing, wanted):
        return CheckResult("unchanged", existing.check_run_id)
    if target.dry_run:
        return CheckResult("planned", existing.check_run_id if existing else None)
    return _write_check_run(forge, journal, target, wanted, existing)


def _write_check_run(
    forge: Forge,
    journal: JournalStore,
    target: PublishTarget,
    wanted: CheckRunReport,
    existing: CheckRun | None,
) -> CheckResult:
    try:
        if existing is None:
            written = forge.create_check_run(wanted)
            action, verb = "created", "pr_report.check_run.create"
        else:
            written = forge.update_check_run(existing.check_run_id, wanted)
            action, verb = "updated", "pr_report.check_run.update"
    except GitHubPermissionError as error:
        details: dict[str, object] = {
            "check_name": target.check_name,
            "error": error.message,
            "hint": CHECK_RUN_HINT,
        }
        cause = f"GitHub refused the check run: {error.message}"
        _audit(journal, target, "pr_report.check_run.denied", cause, details)
        return CheckResult("denied")
    done = {"check_run": written.check_run_id, "conclusion": wanted.conclusion}
    _audit(journal, target, verb, f"check run {action}: {wanted.title}", done)
    return CheckResult(action, written.check_run_id)


def _own_check_run(forge: Forge, target: PublishTarget) -> CheckRun | None:
    return next(
        (
            item
            for item in forge.list_check_runs(target.head_sha)
            if item.name == target.check_name and item.app != ACTIONS_APP
        ),
        None,
    )


def _same(existing: CheckRun, wanted: CheckRunReport) -> bool:
    return (
        existing.status == "completed"
        and existing.conclusion == wanted.conclusion
        and existing.title == wanted.title
        and (existing.summary or "") == (wanted.summary or "")
    )


def _url(comment: IssueComment | None) -> str | None:
    return comment.html_url if comment is not None else None


def _verdicts(report: FailureReport) -> dict[str, int]:
    return {verdict.value: count for verdict, count in report.counts().items()}


def _audit(
    journal: JournalStore,
    target: PublishTarget,
    action: str,
    cause: str,
    details: Mapping[str, object],
) -> None:
    journal.append_audit(
        AuditEvent(
            ACTOR,
            action,
            cause,
            repo=target.repo,
            details={"pull_request": target.number, "head_sha": target.head_sha, **details},
        )
    )
