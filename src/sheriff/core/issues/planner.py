"""One decision per case: what to do with its GitHub issue, as an ``IssuePlan`` value.

Decisions, in order: the issue the store links to the case; else an open issue that
carries the case's fingerprint in Sheriff's own summary block (a lost link: updated as
Sheriff's); else the filing policy; else a person's issue about the same test (attached
to with one managed comment); else a new issue. See ``plan`` for how to execute a plan.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sheriff.core.issues.blocks import (
    STATUS,
    AutomationStatus,
    BlockBudget,
    Surface,
    render_blocks,
)
from sheriff.core.issues.comments import (
    CommentAction,
    CommentDecision,
    WantedComment,
    decide_comment,
    find_keyed_comment,
    managed_comment_key,
)
from sheriff.core.issues.facts import (
    NOT_PLANNED,
    CommentSnapshot,
    FailureCase,
    IssueSnapshot,
    IssueState,
    LinkedIssue,
)
from sheriff.core.issues.issue_body import (
    BlockRenderer,
    BodyUpdate,
    fit_body,
    fit_comment,
    managed_hash,
)
from sheriff.core.issues.labels import LabelPlan, plan_labels
from sheriff.core.issues.markers import labels_in_state, parse_marked
from sheriff.core.issues.matching import IssueMatch, find_matching_issue
from sheriff.core.issues.naming import issue_title, title_is_sheriffs, wanted_labels
from sheriff.core.issues.plan import IssueAction, IssuePlan
from sheriff.core.issues.policy import FilingDecision, decide_filing
from sheriff.core.issues.reopen import ReopenDecision, decide_reopen, silencing_label
from sheriff.core.repo_config import RepoSettings

TRACKING = AutomationStatus()


@dataclass(frozen=True, slots=True)
class _Inputs:
    case: FailureCase
    settings: RepoSettings
    filing: FilingDecision
    status: AutomationStatus
    default_branch: str
    sheriff_login: str | None
    fix_merged: bool = False

    @property
    def wanted_labels(self) -> frozenset[str]:
        return wanted_labels(
            self.settings.label_prefix, self.filing.verdict, self.case.failure_type
        )

    def renderer(self, applied: frozenset[str], surface: Surface) -> BlockRenderer:
        def render(budget: BlockBudget) -> dict[str, str]:
            return render_blocks(
                self.case,
                self.filing.verdict,
                self.settings,
                budget,
                status=self.status,
                applied=applied,
                surface=surface,
            )

        return render

    @property
    def budget(self) -> BlockBudget:
        return BlockBudget(self.settings.evidence_rows, self.settings.excerpt_budget)

    def plan(self, action: IssueAction, reason: str, number: int | None = None) -> IssuePlan:
        return IssuePlan(action, self.case.fingerprint, self.filing.verdict, reason, number)


def plan_issue(
    case: FailureCase,
    settings: RepoSettings,
    *,
    default_branch: str,
    linked: LinkedIssue | None = None,
    open_issues: Sequence[IssueSnapshot] = (),
    status: AutomationStatus = TRACKING,
    sheriff_login: str | None = None,
    fix_merged: bool = False,
) -> IssuePlan:
    """Decide what to do with the case's issue: ``linked`` is the issue the store links to
    the case; otherwise ``open_issues`` are searched for one about the same failure.

    ``fix_merged``: the case's fix pull request is merged. A failure after the merge is a
    recurrence only on a commit that contains the fix, which the lifecycle tells from git
    (it reopens the issue itself); so a closed issue stays closed here."""
    filing = decide_filing(case, settings, default_branch)
    inputs = _Inputs(case, settings, filing, status, default_branch, sheriff_login, fix_merged)
    if linked is not None:
        return _plan_linked(inputs, linked)
    match = find_matching_issue(case, open_issues)
    if match is not None and match.sheriff_managed:
        return _plan_linked(inputs, LinkedIssue(match.issue, created_by_sheriff=True))
    if not filing.file:
        return inputs.plan(IssueAction.NOT_FILED, filing.reason)
    if match is not None:
        return _plan_attach(inputs, match)
    return _plan_create(inputs)


def _plan_create(inputs: _Inputs) -> IssuePlan:
    labels = inputs.wanted_labels
    body = fit_body(None, inputs.renderer(labels, "issue"), inputs.budget)
    return replace(
        inputs.plan(IssueAction.CREATE, inputs.filing.reason),
        title=issue_title(inputs.case, inputs.filing.verdict),
        body=body.text,
        labels_to_add=tuple(sorted(labels)),
        sheriff_owns_body=True,
        managed_hash=body.managed_hash,
    )


def _plan_attach(inputs: _Inputs, match: IssueMatch) -> IssuePlan:
    issue = match.issue
    label = silencing_label(issue, inputs.settings)
    if label is not None:
        reason = f"#{issue.number} {match.detail} but carries {label!r}; no new issue either"
        return inputs.plan(IssueAction.IGNORED, reason, issue.number)
    labels = plan_labels(
        inputs.wanted_labels, issue.labels, (), prefix=inputs.settings.label_prefix
    )
    key = managed_comment_key(inputs.case.fingerprint)
    comment = fit_comment(key, None, inputs.renderer(labels.applied, "comment"), inputs.budget)
    reason = f"#{issue.number} {match.detail}; {inputs.filing.reason}"
    return replace(
        inputs.plan(IssueAction.ATTACH, reason, issue.number),
        labels_to_add=labels.add,
        comments=(CommentDecision(CommentAction.POST, WantedComment(key, comment.text)),),
        managed_hash=comment.managed_hash,
    )


def _plan_linked(inputs: _Inputs, linked: LinkedIssue) -> IssuePlan:
    issue = linked.issue
    number = issue.number
    label = silencing_label(issue, inputs.settings)
    if label is not None:
        reason = f"#{number} carries {label!r}"
        return inputs.plan(IssueAction.IGNORED, reason, number)
    reopening = None
    if issue.state is IssueState.CLOSED and inputs.fix_merged:
        reason = f"#{number} was closed by the merged fix: reconcile decides whether it recurred"
        return inputs.plan(IssueAction.UNCHANGED, reason, number)
    if issue.state is IssueState.CLOSED:
        reopening = decide_reopen(
            issue,
            inputs.case,
            inputs.settings,
            default_branch=inputs.default_branch,
            filing=inputs.filing,
        )
        if not reopening.reopen:
            ignored = issue.state_reason == NOT_PLANNED
            action = IssueAction.IGNORED if ignored else IssueAction.UNCHANGED
            return inputs.plan(action, f"#{number} {reopening.reason}", number)
    return _plan_refresh(inputs, linked, reopening)


def _plan_refresh(
    inputs: _Inputs, linked: LinkedIssue, reopening: ReopenDecision | None
) -> IssuePlan:
    """Bring an open (or reopening) linked issue up to date."""
    issue, key = linked.issue, managed_comment_key(inputs.case.fingerprint)
    existing = find_keyed_comment(linked.comments, key, sheriff_login=inputs.sheriff_login)
    applied = labels_in_state(_status_of(issue.body))
    if existing is not None:
        applied |= labels_in_state(_status_of(existing.body))
    labels = plan_labels(
        inputs.wanted_labels, issue.labels, applied, prefix=inputs.settings.label_prefix
    )
    body = None
    if linked.created_by_sheriff:
        body = fit_body(issue.body, inputs.renderer(labels.applied, "issue"), inputs.budget)
    comments = []
    if body is None or not body.fits:  # a person's issue, or Sheriff's body is full
        comments.append(_managed_comment(inputs, linked, labels))
    if reopening is not None and reopening.notice is not None:
        comments.append(_decide(inputs, reopening.notice, linked.comments))
    return _assemble(
        inputs, linked, labels=labels, body=body, comments=comments, reopening=reopening
    )


def _status_of(text: str) -> str:
    return parse_marked(text).interior(STATUS) or ""


def _managed_comment(inputs: _Inputs, linked: LinkedIssue, labels: LabelPlan) -> CommentDecision:
    key = managed_comment_key(inputs.case.fingerprint)
    render = inputs.renderer(labels.applied, "comment")
    text = fit_comment(key, None, render, inputs.budget).text
    return _decide(inputs, WantedComment(key, text), linked.comments)


def _decide(
    inputs: _Inputs, wanted: WantedComment, comments: Sequence[CommentSnapshot]
) -> CommentDecision:
    return decide_comment(wanted, comments, sheriff_login=inputs.sheriff_login)


def _assemble(
    inputs: _Inputs,
    linked: LinkedIssue,
    *,
    labels: LabelPlan,
    body: BodyUpdate | None,
    comments: list[CommentDecision],
    reopening: ReopenDecision | None,
) -> IssuePlan:
    number = linked.issue.number
    fitting = body if body is not None and body.fits else None
    new_body = fitting.text if fitting is not None and fitting.changed else None
    plan = replace(
        inputs.plan(IssueAction.UNCHANGED, f"#{number} is up to date", number),
        title=_new_title(inputs, linked),
        body=new_body,
        labels_to_add=labels.add,
        labels_to_remove=labels.remove,
        comments=tuple(item for item in comments if item.action is not CommentAction.KEEP),
        reopen=reopening is not None,
        sheriff_owns_body=linked.created_by_sheriff,
        managed_hash=fitting.managed_hash if fitting else _comment_hash(comments),
    )
    if reopening is not None:
        return replace(plan, action=IssueAction.REOPEN, reason=f"#{number} {reopening.reason}")
    changed = [name for name, value in _changes(plan) if value]
    if changed:
        return replace(plan, action=IssueAction.UPDATE, reason=f"#{number}: {', '.join(changed)}")
    return plan


def _changes(plan: IssuePlan) -> tuple[tuple[str, bool], ...]:
    return (
        ("new title", plan.title is not None),
        ("managed blocks changed", plan.body is not None),
        ("labels changed", bool(plan.labels_to_add or plan.labels_to_remove)),
        ("managed comment changed", bool(plan.comments)),
    )


def _comment_hash(comments: Sequence[CommentDecision]) -> str | None:
    managed = next((item for item in comments if item.wanted.key.startswith("case:")), None)
    return managed_hash(managed.wanted.body) if managed else None


def _new_title(inputs: _Inputs, linked: LinkedIssue) -> str | None:
    wanted = issue_title(inputs.case, inputs.filing.verdict)
    current = linked.issue.title
    if not linked.created_by_sheriff or current.strip() == wanted:
        return None
    return wanted if title_is_sheriffs(current, inputs.case) else None
