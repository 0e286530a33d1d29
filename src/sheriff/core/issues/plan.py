"""The values a case's issue decision produces, and how to execute or print them.

The app executes a plan (or, in a dry run, prints ``describe_plan``). Order: create the
issue (title, body and labels in one request); or add and remove labels first (the body
records the labels Sheriff applied, so it must not claim one that failed to apply), then
reopen and edit title and body in one request; then post or edit comments; then store the link
(``issue_number``, ``sheriff_owns_body``, ``managed_hash``) for every plan that names an
issue. When the planner was not given the issue's comments (always so for ``ATTACH``, and
for a link recovered through the fingerprint marker), pass the plan through
``resolve_comments`` with them before posting, so a restarted scan never posts a comment
twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from sheriff.core.issues.comments import CommentAction, CommentDecision, decide_comment
from sheriff.core.issues.facts import CommentSnapshot, FailureCase
from sheriff.core.issues.policy import Verdict


class IssueAction(StrEnum):
    CREATE = "create"
    ATTACH = "attach"  # reuse a person's issue: one managed comment, their body untouched
    UPDATE = "update"
    REOPEN = "reopen"
    UNCHANGED = "unchanged"
    IGNORED = "ignored"  # silenced by a label, or closed as not planned
    NOT_FILED = "not_filed"  # recorded and counted only (policy)


@dataclass(frozen=True, slots=True)
class IssuePlan:
    """What to do with a case's issue. ``title``/``body`` None: leave them as they are."""

    action: IssueAction
    fingerprint: str
    verdict: Verdict
    reason: str
    issue_number: int | None = None
    title: str | None = None
    body: str | None = None
    labels_to_add: tuple[str, ...] = ()
    labels_to_remove: tuple[str, ...] = ()
    comments: tuple[CommentDecision, ...] = ()  # POST or EDIT only
    reopen: bool = False
    sheriff_owns_body: bool = False  # Sheriff created the issue (store this with the link)
    managed_hash: str | None = None  # of the managed blocks written (body or comment)

    @property
    def writes(self) -> bool:
        return self.action in (
            IssueAction.CREATE,
            IssueAction.ATTACH,
            IssueAction.UPDATE,
            IssueAction.REOPEN,
        )


def resolve_comments(
    plan: IssuePlan, comments: Sequence[CommentSnapshot], *, sheriff_login: str | None = None
) -> IssuePlan:
    """The plan with each comment decided again against the issue's current comments
    (needed for ``ATTACH``, whose comments were not known when it was planned)."""
    decided = (
        decide_comment(item.wanted, comments, sheriff_login=sheriff_login) for item in plan.comments
    )
    kept = tuple(item for item in decided if item.action is not CommentAction.KEEP)
    return replace(plan, comments=kept)


def describe_plan(plan: IssuePlan, case: FailureCase) -> str:
    """One line for a dry run: the action, the issue, labels and comments, and why."""
    target = f"#{plan.issue_number}" if plan.issue_number else f"{plan.title!r}"
    labels = [f"+{label}" for label in plan.labels_to_add]
    labels += [f"-{label}" for label in plan.labels_to_remove]
    parts = [
        f"{plan.action.value} {target}" if plan.writes or plan.issue_number else plan.action.value
    ]
    if plan.title and plan.issue_number:
        parts.append(f"title {plan.title!r}")
    if plan.body and plan.issue_number:
        parts.append("body blocks")
    if labels:
        parts.append("labels " + " ".join(labels))
    parts += [f"{item.action.value} comment {item.wanted.key}" for item in plan.comments]
    confidence = "?" if case.confidence is None else str(case.confidence)
    return (
        f"{', '.join(parts)} [{case.fingerprint} {case.failure_type.value}/{case.sub_type} "
        f"confidence {confidence}, {plan.verdict.value}]: {plan.reason}"
    )
