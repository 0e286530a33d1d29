"""Executing the planner's simple actions: transitions, keyed comments, closing and
reopening the issue, and keeping the issue's status block in step with the case.

Each action that changes GitHub or the store is appended to the audit log with its cause.
Keyed comments are the planner's idempotence: it asks for one only when no Sheriff
comment carries the key, and edits the one it finds in place.
"""

from __future__ import annotations

from sheriff.app.case_context import LifecycleContext
from sheriff.app.case_history import LIFECYCLE_ACTOR, TRANSITION
from sheriff.app.forge import IssueChange
from sheriff.app.ports import AuditEvent, JsonObject
from sheriff.core.issues.blocks import STATUS, render_status
from sheriff.core.issues.issue_body import body_changed, update_body
from sheriff.core.issues.markers import labels_in_state, parse_marked
from sheriff.core.lifecycle import (
    ApprovalGranted,
    CaseFacts,
    CloseIssue,
    CommentOnIssue,
    CommentOnPullRequest,
    FixStarted,
    ReopenIssue,
    TransitionRecord,
    automation_status,
)
from sheriff.core.lifecycle.planner import moved


def transition_details(record: TransitionRecord) -> JsonObject:
    """What the audit keeps of a transition; the strategies are read back by
    ``CaseHistory`` (``requested_strategy``, ``fix_strategy``)."""
    event = record.event
    details: JsonObject = {"event": record.event_name}
    if isinstance(event, ApprovalGranted):
        details.update(
            approver=event.actor.login,
            permission=event.permission,
            via=event.via,
            reference=event.reference,
            strategy=event.strategy.value if event.strategy else None,
        )
    elif isinstance(event, FixStarted):
        details["strategy"] = event.strategy.value
    return details


def make_transition(context: LifecycleContext, facts: CaseFacts, record: TransitionRecord) -> bool:
    """Move the case (compare-and-set); False when another worker moved it first.

    ``facts`` are the case as it is in ``record.from_state``: when it entered that state
    is part of the audit key, so a case going round again (a recurrence after a merge)
    logs each transition anew, while a retried step logs it once."""
    entered = facts.state_changed_at.isoformat()
    cause = AuditEvent(
        actor=LIFECYCLE_ACTOR,
        action=TRANSITION,
        cause=record.cause,
        details=transition_details(record),
        key=f"{record.audit_key(context.repo, facts.fingerprint)}@{entered}",
    )
    return context.store.transition_case(
        context.repo,
        facts.fingerprint,
        expected=record.from_state,
        new=record.to_state,
        cause=cause,
    )


def comment_on_issue(context: LifecycleContext, facts: CaseFacts, action: CommentOnIssue) -> None:
    body = action.comment.body
    if action.comment_id is not None:
        context.forge.update_comment(action.comment_id, body)
        verb, comment_id = "comment.update", action.comment_id
    else:
        comment_id = context.forge.create_comment(action.issue_number, body).comment_id
        verb = "comment.create"
    context.audit(
        facts.fingerprint,
        verb,
        f"notice {action.comment.key} on #{action.issue_number}",
        {"issue": action.issue_number, "comment": comment_id, "key": action.comment.key},
    )


def comment_on_pull_request(
    context: LifecycleContext, facts: CaseFacts, action: CommentOnPullRequest
) -> None:
    made = context.forge.create_comment(action.pull_request, action.comment.body)
    context.audit(
        facts.fingerprint,
        "pull_request.comment",
        f"notice {action.comment.key} on pull request #{action.pull_request}",
        {
            "pull_request": action.pull_request,
            "comment": made.comment_id,
            "key": action.comment.key,
        },
    )


def close_issue(context: LifecycleContext, facts: CaseFacts, action: CloseIssue) -> None:
    change = IssueChange(state="closed", state_reason=action.reason)
    context.forge.update_issue(action.issue_number, change)
    context.audit(
        facts.fingerprint,
        "issue.close",
        f"closed #{action.issue_number} ({action.reason}) in state {facts.state.value}",
        {"issue": action.issue_number, "reason": action.reason},
    )


def reopen_issue(context: LifecycleContext, facts: CaseFacts, action: ReopenIssue) -> None:
    context.forge.update_issue(
        action.issue_number, IssueChange(state="open", state_reason="reopened")
    )
    context.audit(
        facts.fingerprint,
        "issue.reopen",
        f"the failure recurred: reopened #{action.issue_number}",
        {"issue": action.issue_number},
    )


def sync_issue_status(context: LifecycleContext, facts: CaseFacts) -> bool:
    """Bring the status block of the case's issue (one Sheriff opened) up to date with the
    case's state and fix pull request; True when the body was edited."""
    issue = facts.issue
    if issue is None or not issue.created_by_sheriff:
        return False
    current = context.forge.get_issue(issue.number)
    if current is None:
        return False
    marked = parse_marked(current.body)
    if marked.block(STATUS) is None:
        return False  # not a body Sheriff manages (or a person removed the block)
    applied = labels_in_state(marked.interior(STATUS) or "")
    text = render_status(automation_status(facts), context.repo_settings, applied, "issue")
    body = update_body(current.body, {STATUS: text})
    if not body_changed(current.body, body):
        return False
    context.forge.update_issue(issue.number, IssueChange(body=body))
    pull = facts.pull_request
    context.audit(
        facts.fingerprint,
        "issue.status",
        f"status of #{issue.number}: {automation_status(facts).state}",
        {"issue": issue.number, "state": facts.state.value, "pull_request": pull and pull.number},
    )
    return True


def after_transition(facts: CaseFacts, record: TransitionRecord) -> CaseFacts:
    """The facts as they are once ``record`` was made (for the status block)."""
    return moved(facts, record)
