"""Gather a case's ``CaseFacts`` from the store, the audit log and GitHub, then look up the
permissions of the people who asked for a fix, at that moment.

Only what the case's state needs is read: its issue (comments, label events) always; the
fix pull request once a fix started (reviews, review comments, check runs while it is
open); the fix branch while the fix is being made.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sheriff.app.case_context import LifecycleContext
from sheriff.app.case_history import CaseHistory
from sheriff.app.case_quarantine import skipped_on_default_branch
from sheriff.app.forge import Issue, IssueComment
from sheriff.app.forge_pulls import CheckRun as ForgeCheckRun
from sheriff.app.forge_pulls import PullRequest
from sheriff.app.forge_pulls import Review as ForgeReview
from sheriff.app.forge_pulls import ReviewComment as ForgeReviewComment
from sheriff.app.ports import CaseView, OccurrenceEvidence
from sheriff.app.workspace import SourceMirror
from sheriff.core.lifecycle import (
    PULL_REQUEST_STATES,
    Actor,
    CaseFacts,
    CaseState,
    CheckRun,
    Comment,
    FixFacts,
    IssueFacts,
    LabelEvent,
    LastOccurrence,
    PullRequestFacts,
    Review,
    ReviewComment,
    actors_to_check,
    fix_branch,
)
from sheriff.core.repo_config import branch_is_watched
from sheriff.errors import GitHubError, GitRefNotFoundError, WorkspaceError

PULL_REQUEST_EVENTS = frozenset({"pull_request", "pull_request_target"})
FIX_STATES = frozenset({CaseState.APPROVED_TO_FIX, CaseState.FIXING})
WITH_PULL_REQUEST = PULL_REQUEST_STATES | {
    CaseState.FIXING,
    CaseState.MERGED,
    CaseState.CLOSED_WONTFIX,
}


def actor(login: str | None, is_bot: bool) -> Actor:
    return Actor(login or "ghost", "Bot" if is_bot else "User")


def gather_facts(
    context: LifecycleContext, view: CaseView, history: CaseHistory, default_branch: str
) -> CaseFacts:
    """Everything the planner needs about the case now (permissions not yet checked)."""
    now = context.now()
    issue = _issue_facts(context, view)
    branch = fix_branch(view.fingerprint)
    pull = _pull_request(context, branch) if view.state in WITH_PULL_REQUEST else None
    seen = _watched_occurrences(context, view, default_branch)
    last_seen = _recurrence_window(context, view, seen, history, pull)
    detail = context.store.latest_occurrence(context.repo, view.fingerprint)
    test = detail.test if detail else None
    return CaseFacts(
        repo=context.repo,
        fingerprint=view.fingerprint,
        state=view.state,
        state_changed_at=view.state_changed_at,
        now=now,
        sheriff_login=context.login,
        default_branch=default_branch,
        issue=issue,
        pull_request=_pull_request_facts(context, view, pull, history, now) if pull else None,
        fix=_fix_facts(context, branch, history) if view.state in FIX_STATES else None,
        update_outcome=history.update_outcome,
        history=history.changes,
        last_seen_at=last_seen[0].seen_at if last_seen else None,
        last_occurrence=_last_occurrence(last_seen[0]) if last_seen else None,
        test=test,
        quarantine_candidate=view.assessment.quarantine_candidate,
        quarantined_on_default_branch=skipped_on_default_branch(
            context, view, test, default_branch, seen[0].head_sha if seen else None
        ),
        llm_available=context.llm is not None,
        requested_strategy=history.requested_strategy,
        fix_strategy=history.fix_strategy,
        settings=context.settings,
    )


def check_permissions(context: LifecycleContext, facts: CaseFacts) -> tuple[CaseFacts, list[str]]:
    """The facts with the permission of every person who asked for a fix, looked up now;
    and the lookups that failed (those signals wait for the next reconcile)."""
    found = dict(facts.permissions)
    failures = []
    for login in sorted(actors_to_check(facts)):
        try:
            found[login] = context.forge.permission_of(login).value
        except GitHubError as error:
            failures.append(f"cannot check @{login}'s permission: {error}")
            context.audit(
                facts.fingerprint,
                "permission.check_failed",
                f"GitHub did not say what @{login} may do",
                {"login": login, "error": error.message, "hint": error.hint},
            )
            continue
        context.audit(
            facts.fingerprint,
            "permission.check",
            f"@{login} asked for a fix: checked their permission",
            {"login": login, "permission": found[login]},
        )
    return replace(facts, permissions=found), failures


def _issue_facts(context: LifecycleContext, view: CaseView) -> IssueFacts | None:
    issue_repo = context.forge.write_repo
    links = [
        link
        for link in context.store.issue_links(context.repo, view.fingerprint)
        if link.issue_repo == issue_repo
    ]
    if not links:
        return None
    link = links[-1]
    issue = context.forge.get_issue(link.issue_number)
    if issue is None:
        return None
    comments = context.forge.list_comments(issue.number).items
    return IssueFacts(
        number=issue.number,
        open=issue.state == "open",
        labels=frozenset(issue.labels),
        comments=tuple(_comment(item, context.now()) for item in comments),
        label_events=_label_events(context, issue),
        created_by_sheriff=link.created_by_sheriff,
        state_reason=issue.state_reason,
        closed_at=issue.closed_at,
        url=issue.html_url,
    )


def _comment(comment: IssueComment, now: datetime) -> Comment:
    return Comment(
        comment.comment_id,
        actor(comment.author, comment.author_is_bot),
        comment.body,
        comment.created_at or now,
        comment.updated_at,
    )


def _label_events(context: LifecycleContext, issue: Issue) -> tuple[LabelEvent, ...]:
    if context.settings.approval_label.casefold() not in {name.casefold() for name in issue.labels}:
        return ()  # the approval label is the only label whose history matters
    return tuple(
        LabelEvent(
            event.label or "",
            actor(event.actor, event.actor_is_bot),
            event.created_at or context.now(),
            added=event.event == "labeled",
        )
        for event in context.forge.list_issue_events(issue.number)
        if event.event in ("labeled", "unlabeled") and event.label
    )


def _pull_request(context: LifecycleContext, branch: str) -> PullRequest | None:
    pulls = context.forge.list_pull_requests(state="all", head=branch)
    mine = [pull for pull in pulls if pull.head_ref == branch]
    return max(mine, key=lambda pull: pull.number) if mine else None


def _pull_request_facts(
    context: LifecycleContext,
    view: CaseView,
    pull: PullRequest,
    history: CaseHistory,
    now: datetime,
) -> PullRequestFacts:
    created = pull.created_at or now
    push = history.last_push(pull.head_ref, pull_request=pull.number)  # updates, not the fix
    facts = PullRequestFacts(
        number=pull.number,
        head_ref=pull.head_ref,
        head_sha=pull.head_sha,
        base_ref=pull.base_ref,
        created_at=created,
        open=pull.state == "open",
        merged=pull.merged,
        last_push_at=push.at if push else None,
        url=pull.html_url,
    )
    if not facts.open or view.state not in PULL_REQUEST_STATES:
        return facts
    forge = context.forge
    return replace(
        facts,
        reviews=tuple(_review(item, now) for item in forge.list_reviews(pull.number)),
        review_comments=tuple(
            _review_comment(item, now) for item in forge.list_review_comments(pull.number)
        ),
        check_runs=tuple(_check_run(item) for item in forge.list_check_runs(pull.head_sha)),
        comments=tuple(_comment(item, now) for item in forge.list_comments(pull.number).items),
    )


def _review(review: ForgeReview, now: datetime) -> Review:
    return Review(
        review.review_id,
        actor(review.author, review.author_is_bot),
        review.state,
        review.submitted_at or now,
        review.body,
        review.commit_id,
    )


def _review_comment(comment: ForgeReviewComment, now: datetime) -> ReviewComment:
    return ReviewComment(
        comment.comment_id,
        actor(comment.author, comment.author_is_bot),
        comment.body,
        comment.created_at or now,
        comment.path,
        comment.line,
        comment.in_reply_to,
    )


def _check_run(check: ForgeCheckRun) -> CheckRun:
    return CheckRun(
        check.check_run_id,
        check.name,
        check.head_sha,
        check.status,
        check.conclusion,
        check.completed_at,
        check.details_url,
        check.app,
    )


def _fix_facts(context: LifecycleContext, branch: str, history: CaseHistory) -> FixFacts:
    remote = context.forge.branch_head(branch)
    prepared = history.prepared
    local = prepared if prepared is not None and prepared.branch == branch else None
    push = history.last_push(branch, commit=remote) if remote else None
    failure = history.failure
    return FixFacts(
        branch=branch,
        local_head=local.commit if local else None,
        prepared_at=local.at if local else None,
        remote_head=remote,
        pushed_at=push.at if push else None,
        failure=failure[0] if failure else None,
        failed_at=failure[1] if failure else None,
    )


def _watched_occurrences(
    context: LifecycleContext, view: CaseView, default_branch: str
) -> list[OccurrenceEvidence]:
    """Occurrences on the watched branches (never pull requests'), newest first."""
    rows = context.store.occurrences_of(context.repo, view.fingerprint, limit=50)
    return [
        row
        for row in rows
        if row.event not in PULL_REQUEST_EVENTS
        and branch_is_watched(context.repo_settings, row.head_branch, default_branch)
    ]


def _recurrence_window(
    context: LifecycleContext,
    view: CaseView,
    seen: list[OccurrenceEvidence],
    history: CaseHistory,
    pull: PullRequest | None,
) -> list[OccurrenceEvidence]:
    """The occurrences that may count as the case's latest sighting. After a merge, only
    commits that contain the fix count: a late run of an older commit (a re-run, a queue, a
    branch cut before the merge) must not reopen the case. The mirror tells whether a
    commit contains the merge; without it, commits that already failed before the merge
    are the ones left out."""
    if view.state is not CaseState.MERGED:
        return seen
    merged_at = history.entered(CaseState.MERGED)
    if merged_at is None:
        return seen
    before = [row for row in seen if row.seen_at <= merged_at]
    after = [row for row in seen if row.seen_at > merged_at]
    with_fix = _containing(context, view, after, pull.merge_commit_sha if pull else None)
    if with_fix is None:
        failed_before = {row.head_sha for row in before}
        with_fix = [row for row in after if row.head_sha not in failed_before]
    return sorted([*before, *with_fix], key=lambda row: row.seen_at, reverse=True)


def _containing(
    context: LifecycleContext, view: CaseView, rows: list[OccurrenceEvidence], merge: str | None
) -> list[OccurrenceEvidence] | None:
    """The rows whose commit contains ``merge``; None when the mirror cannot tell."""
    mirrors = context.mirror
    if not rows or merge is None or mirrors is None or not mirrors.available:
        return None
    try:
        mirror = mirrors.get()
        mirror.contains(merge, merge)  # the merge itself unknown: the mirror cannot tell
        return [row for row in rows if _contains(mirror, row.head_sha, merge)]
    except WorkspaceError as error:
        context.audit(
            view.fingerprint,
            "recurrence.check_failed",
            "could not tell whether the failing commits contain the merged fix",
            {"error": error.message, "hint": error.hint, "merge": merge},
            key=f"recurrence-check:{view.fingerprint}:{error.message}",
        )
        return None


def _contains(mirror: SourceMirror, sha: str, merge: str) -> bool:
    """Whether ``sha`` contains the merge; a commit gone from the repository (force-pushed
    away) is on no branch any more, so its failure is not the default branch's."""
    try:
        return mirror.contains(sha, merge)
    except GitRefNotFoundError:
        return False


def _last_occurrence(row: OccurrenceEvidence) -> LastOccurrence:
    return LastOccurrence(row.run_id, row.attempt, row.seen_at, row.job_url)
