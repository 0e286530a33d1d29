"""When a closed issue is reopened.

A recurrence reopens a closed issue when: it happened after the issue was closed, on a
watched branch outside pull requests, and the policy still files the case; unless the issue
was closed as *not planned* or carries one of the silencing labels (default
``sheriff/ignore``). Reopening comes with a short, keyed comment saying why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sheriff.core.issues.blocks import when
from sheriff.core.issues.comments import WantedComment, keyed_comment, reopen_comment_key
from sheriff.core.issues.facts import (
    NOT_PLANNED,
    FailureCase,
    IssueSnapshot,
    IssueState,
    Occurrence,
)
from sheriff.core.issues.inline_markdown import code_span, safe_link
from sheriff.core.issues.policy import FilingDecision, watched_occurrences
from sheriff.core.repo_config import RepoSettings


@dataclass(frozen=True, slots=True)
class ReopenDecision:
    reopen: bool
    reason: str
    notice: WantedComment | None = None  # the comment to post when reopening


def silencing_label(issue: IssueSnapshot, settings: RepoSettings) -> str | None:
    """The label on the issue that tells Sheriff to leave it alone, if any."""
    silencing = {label.casefold() for label in settings.silencing_labels}
    return next((label for label in sorted(issue.labels) if label.casefold() in silencing), None)


def decide_reopen(
    issue: IssueSnapshot,
    case: FailureCase,
    settings: RepoSettings,
    *,
    default_branch: str,
    filing: FilingDecision,
) -> ReopenDecision:
    staying = _why_it_stays_closed(issue, settings)
    if staying is not None or issue.closed_at is None:
        return ReopenDecision(False, staying or "closed at an unknown time")
    closed_at = _aware(issue.closed_at)
    after = [
        item
        for item in watched_occurrences(case, settings, default_branch)
        if _aware(item.seen_at) > closed_at
    ]
    if not after:
        return ReopenDecision(False, "no recurrence on a watched branch since it was closed")
    if not filing.file:
        return ReopenDecision(False, f"recurred, but is not filed: {filing.reason}")
    latest = max(after, key=lambda item: item.seen_at)
    notice = _notice(case, latest, issue, settings)
    return ReopenDecision(True, f"recurred {when(latest.seen_at)} after closing", notice)


def _why_it_stays_closed(issue: IssueSnapshot, settings: RepoSettings) -> str | None:
    if issue.state is IssueState.OPEN:
        return "the issue is open"
    if issue.state_reason == NOT_PLANNED:
        return "closed as not planned: Sheriff never reopens it"
    label = silencing_label(issue, settings)
    if label is not None:
        return f"carries the label {label!r}: Sheriff leaves it closed"
    if issue.closed_at is None:
        return "closed at an unknown time: Sheriff cannot tell a recurrence from old evidence"
    return None


def _notice(
    case: FailureCase, latest: Occurrence, issue: IssueSnapshot, settings: RepoSettings
) -> WantedComment:
    link = safe_link(latest.run_url)
    run = f"[run #{latest.run_id}]({link})" if link else f"run #{latest.run_id}"
    branch = code_span(latest.branch or "?")
    text = (
        f"Reopened by Sheriff: this failure happened again on {branch} in {run} "
        f"(attempt {latest.attempt}, {when(latest.seen_at)}), after the issue was closed "
        f"{when(issue.closed_at)}. To keep it closed, close it as *not planned* or add the "
        "label " + " or ".join(code_span(label) for label in settings.silencing_labels) + "."
    )
    return keyed_comment(
        reopen_comment_key(case.fingerprint, latest.run_id, latest.attempt), text, editable=False
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
