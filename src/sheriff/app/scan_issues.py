"""One case's issue: build the case from the store, plan with ``core.issues``, then either
print the plan (dry run) or execute it against GitHub in the order ``core.issues.plan``
documents, writing every external action to the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sheriff.app.case_history import lifecycle_status
from sheriff.app.forge import Forge, Issue, IssueChange, IssueComment
from sheriff.app.ports import AuditEvent, CaseAssessment, CaseState, IssueLink, Store
from sheriff.core.issues import (
    CommentAction,
    CommentSnapshot,
    EvidenceNote,
    FailureCase,
    FlakySignal,
    IssueAction,
    IssuePlan,
    IssueSnapshot,
    IssueState,
    LinkedIssue,
    Occurrence,
    case_from_triage,
    describe_plan,
    plan_issue,
    resolve_comments,
)
from sheriff.core.model import Failure, TriageReport
from sheriff.core.repo_config import RepoSettings

ACTOR = "sheriff-scan"
FLAG_FAILED_AND_PASSED = "failed_and_passed_on"
MANAGED_LABEL = "managed"  # with the prefix: on every issue Sheriff opened


@dataclass(frozen=True, slots=True)
class IssueTarget:
    """Where a repository's issues go and how they are treated."""

    repo: str  # the scanned repository (cases and occurrences)
    issue_repo: str  # where issues are filed (``--write-repo``)
    default_branch: str
    settings: RepoSettings
    dry_run: bool = False


@dataclass(frozen=True, slots=True)
class PlannedIssue:
    plan: IssuePlan
    case: FailureCase
    description: str


def build_case(
    store: Store, repo: str, report: TriageReport, failure: Failure, evidence_rows: int
) -> FailureCase:
    """The case as issue decisions need it: the latest report plus the store's history."""
    rows = store.occurrences_of(repo, failure.fingerprint, limit=max(evidence_rows, 1) * 2)
    occurrences = [
        Occurrence(
            run_id=row.run_id,
            attempt=row.attempt,
            run_url=row.job_url or "",
            job_name=row.job_name,
            head_sha=row.head_sha,
            branch=row.head_branch,
            event=row.event,
            seen_at=row.seen_at,
            runner=row.runner_os,
        )
        for row in rows
    ]
    view = store.get_case(repo, failure.fingerprint)
    assessment = view.assessment if view else CaseAssessment(None, None)
    flaky = flaky_signal_of(assessment)
    case = case_from_triage(report, failure, repo=repo, occurrences=occurrences, flakiness=flaky)
    if view is None:
        return case
    return replace(
        case,
        total_occurrences=max(view.occurrence_count, len(occurrences)),
        first_seen=view.first_seen_at,
    )


def flaky_signal_of(assessment: CaseAssessment) -> FlakySignal:
    """What the issue shows of the flakiness engine's assessment ([T3]): P(flaky), the
    verdict and the evidence terms written by ``scan_flaky``."""
    sha = assessment.flags.get(FLAG_FAILED_AND_PASSED)
    judged = assessment.flags.get("flaky")
    terms = judged.get("evidence", []) if isinstance(judged, dict) else []
    evidence = tuple(
        EvidenceNote(
            str(item.get("kind", "")),
            float(item.get("weight", 0.0)),
            str(item.get("detail", "")),
            tuple(int(run) for run in item.get("runs", ())),
        )
        for item in terms
        if isinstance(item, dict)
    )
    return FlakySignal(
        assessment.p_flaky,
        sha if isinstance(sha, str) else None,
        verdict=assessment.verdict if isinstance(judged, dict) else None,
        evidence=evidence,
        quarantine_candidate=assessment.quarantine_candidate,
    )


def plan_case(
    forge: Forge, store: Store, target: IssueTarget, case: FailureCase, login: str | None
) -> IssuePlan:
    """Decide what to do with the case's issue: the store's link first, then Sheriff's own
    open issues (a lost link), and only before creating one, a search for a person's issue
    about the same test (search is rate-limited to 30 requests a minute)."""
    linked = _linked_issue(forge, store, target, case.fingerprint)
    view = store.get_case(target.repo, case.fingerprint)
    status = lifecycle_status(store, target.repo, case.fingerprint, target.settings)
    fix_merged = view is not None and view.state is CaseState.MERGED

    def plan_with(open_issues: list[IssueSnapshot]) -> IssuePlan:
        return plan_issue(
            case,
            target.settings,
            default_branch=target.default_branch,
            linked=linked,
            open_issues=open_issues,
            status=status,
            sheriff_login=login,
            fix_merged=fix_merged,
        )

    own = [] if linked is not None else _sheriffs_open_issues(forge, target)
    plan = plan_with(own)
    if plan.action is IssueAction.CREATE and case.test is not None:
        plan = plan_with(own + _issues_mentioning(forge, case.test.name, own))
    if plan.comments and plan.issue_number is not None and linked is None:
        plan = resolve_comments(plan, comments_of(forge, plan.issue_number), sheriff_login=login)
    return plan


def _linked_issue(
    forge: Forge, store: Store, target: IssueTarget, fingerprint: str
) -> LinkedIssue | None:
    links = [
        link
        for link in store.issue_links(target.repo, fingerprint)
        if link.issue_repo == target.issue_repo
    ]
    if not links:
        return None
    link = links[-1]
    issue = forge.get_issue(link.issue_number)
    if issue is None:  # deleted or transferred: file afresh
        return None
    comments = tuple(comments_of(forge, link.issue_number))
    return LinkedIssue(snapshot_of(issue), link.created_by_sheriff, comments)


def _sheriffs_open_issues(forge: Forge, target: IssueTarget) -> list[IssueSnapshot]:
    label = f"{target.settings.label_prefix}{MANAGED_LABEL}"
    return [snapshot_of(item) for item in forge.list_issues(labels=[label], state="open").items]


def _issues_mentioning(
    forge: Forge, name: str, known: Sequence[IssueSnapshot]
) -> list[IssueSnapshot]:
    seen = {item.number for item in known}
    found = forge.search_issues([name], state="open")
    return [snapshot_of(item) for item in found if item.number not in seen]


def snapshot_of(issue: Issue) -> IssueSnapshot:
    return IssueSnapshot(
        number=issue.number,
        title=issue.title,
        body=issue.body,
        labels=frozenset(issue.labels),
        author=issue.author or "",
        state=IssueState.CLOSED if issue.state == "closed" else IssueState.OPEN,
        state_reason=issue.state_reason,
        closed_at=issue.closed_at,
    )


def comments_of(forge: Forge, number: int) -> list[CommentSnapshot]:
    return [_comment_snapshot(item) for item in forge.list_comments(number).items]


def _comment_snapshot(comment: IssueComment) -> CommentSnapshot:
    return CommentSnapshot(comment.comment_id, comment.body, comment.author or "")


def execute_plan(
    forge: Forge, store: Store, target: IssueTarget, plan: IssuePlan, login: str | None
) -> int | None:
    """Carry the plan out (labels before body) and store the link; returns the issue number."""
    if not plan.writes and plan.action is not IssueAction.UNCHANGED:
        return plan.issue_number
    number = plan.issue_number
    if plan.action is IssueAction.CREATE:
        title, body = plan.title or "", plan.body or ""  # always set for CREATE
        number = forge.create_issue(title, body, plan.labels_to_add).number
        _audit(store, target, plan, "issue.create", {"issue": number, "title": plan.title})
    elif number is not None:
        _change_issue(forge, store, target, plan, number)
    if number is not None:
        link = IssueLink(
            target.issue_repo,
            number,
            created_by_sheriff=plan.sheriff_owns_body,
            managed_block_hash=plan.managed_hash,
            issue_state="open",
        )
        store.link_issue(target.repo, plan.fingerprint, link)
        _mark_issue_open(store, target, plan, number)
    return number


def _mark_issue_open(store: Store, target: IssueTarget, plan: IssuePlan, number: int) -> None:
    """DISCOVERED → ISSUE_OPEN once the case has an issue (the full lifecycle is [T4]'s)."""
    view = store.get_case(target.repo, plan.fingerprint)
    if view is None or view.state is not CaseState.DISCOVERED:
        return
    cause = AuditEvent(
        actor=ACTOR,
        action="case.issue_open",
        cause=f"{plan.action.value} {target.issue_repo}#{number}",
        repo=target.repo,
        fingerprint=plan.fingerprint,
        details={"issue_repo": target.issue_repo, "issue": number},
        key=f"case.issue_open:{target.repo}:{plan.fingerprint}",
    )
    store.transition_case(
        target.repo,
        plan.fingerprint,
        expected=CaseState.DISCOVERED,
        new=CaseState.ISSUE_OPEN,
        cause=cause,
    )


def _change_issue(
    forge: Forge,
    store: Store,
    target: IssueTarget,
    plan: IssuePlan,
    number: int,
) -> None:
    if plan.labels_to_add:
        forge.add_labels(number, plan.labels_to_add)
        _audit(
            store, target, plan, "issue.labels.add", {"issue": number, "labels": plan.labels_to_add}
        )
    for label in plan.labels_to_remove:
        forge.remove_label(number, label)
        _audit(store, target, plan, "issue.labels.remove", {"issue": number, "label": label})
    if plan.reopen or plan.title is not None or plan.body is not None:
        state, reason = ("open", "reopened") if plan.reopen else (None, None)
        forge.update_issue(number, IssueChange(plan.title, plan.body, state, reason))
        action = "issue.reopen" if plan.reopen else "issue.update"
        _audit(store, target, plan, action, {"issue": number, "title": plan.title})
    _post_comments(forge, store, target, plan, number)


def _post_comments(
    forge: Forge, store: Store, target: IssueTarget, plan: IssuePlan, number: int
) -> None:
    for item in plan.comments:
        if item.action is CommentAction.POST:
            comment_id = forge.create_comment(number, item.wanted.body).comment_id
            details = {"issue": number, "comment": comment_id, "key": item.wanted.key}
            _audit(store, target, plan, "comment.create", details)
        elif item.action is CommentAction.EDIT and item.comment_id is not None:
            forge.update_comment(item.comment_id, item.wanted.body)
            details = {"issue": number, "comment": item.comment_id, "key": item.wanted.key}
            _audit(store, target, plan, "comment.update", details)


def _audit(
    store: Store, target: IssueTarget, plan: IssuePlan, action: str, details: dict[str, object]
) -> None:
    store.append_audit(
        AuditEvent(
            actor=ACTOR,
            action=action,
            cause=plan.reason,
            repo=target.repo,
            fingerprint=plan.fingerprint,
            details={"issue_repo": target.issue_repo, **_jsonable(details)},
        )
    )


def _jsonable(details: dict[str, object]) -> dict[str, object]:
    return {
        key: list(value) if isinstance(value, Sequence) and not isinstance(value, str) else value
        for key, value in details.items()
    }


def handle_case(
    forge: Forge,
    store: Store,
    target: IssueTarget,
    case: FailureCase,
    login: str | None,
) -> PlannedIssue:
    """Plan the case's issue and, unless this is a dry run, execute the plan."""
    plan = plan_case(forge, store, target, case, login)
    if not target.dry_run:
        execute_plan(forge, store, target, plan, login)
    return PlannedIssue(plan, case, describe_plan(plan, case))
