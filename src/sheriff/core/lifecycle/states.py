"""The states of a failure case (one per fingerprint per repository)."""

from __future__ import annotations

from enum import StrEnum


class CaseState(StrEnum):
    """Where a failure case (one per fingerprint per repository) is in its lifecycle."""

    DISCOVERED = "DISCOVERED"
    ISSUE_OPEN = "ISSUE_OPEN"
    TRIAGED = "TRIAGED"
    WAITING_FOR_SIGNAL = "WAITING_FOR_SIGNAL"
    APPROVED_TO_FIX = "APPROVED_TO_FIX"
    FIXING = "FIXING"
    PR_OPEN = "PR_OPEN"
    PR_NEEDS_CHANGES = "PR_NEEDS_CHANGES"
    PR_UPDATING = "PR_UPDATING"
    MERGED = "MERGED"
    CLOSED_WONTFIX = "CLOSED_WONTFIX"
    QUARANTINED = "QUARANTINED"
    RESOLVED = "RESOLVED"


PULL_REQUEST_STATES = frozenset(
    {CaseState.PR_OPEN, CaseState.PR_NEEDS_CHANGES, CaseState.PR_UPDATING}
)
"""States in which the case has a fix pull request that is still open."""

BEFORE_APPROVAL = frozenset({CaseState.ISSUE_OPEN, CaseState.TRIAGED, CaseState.WAITING_FOR_SIGNAL})
"""States in which the case has an issue and waits for people (discussion, approval)."""

SETTLED = frozenset(
    {CaseState.MERGED, CaseState.CLOSED_WONTFIX, CaseState.QUARANTINED, CaseState.RESOLVED}
)
"""States in which nothing more happens unless the failure recurs."""
