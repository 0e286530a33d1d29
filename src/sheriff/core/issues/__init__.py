"""One well-kept GitHub issue per failure: pure decisions, returned as values.

- ``decide_filing``: which failures open an issue (policy; pull requests never do);
- ``plan_issue``: create / attach / update / reopen / leave alone, as an ``IssuePlan``;
- ``fit_body`` / ``update_body``: Sheriff's managed blocks inside a body people edit;
- ``plan_labels``: only Sheriff's own labels are added, and removed only when it added them;
- ``find_matching_issue``: reuse a person's issue about the same test;
- ``decide_reopen``: reopen on recurrence unless closed as not planned or silenced;
- ``decide_comment``: keyed comments, never posted twice.
"""

from sheriff.core.issues.blocks import BLOCK_ORDER, AutomationStatus, BlockBudget, render_blocks
from sheriff.core.issues.comments import (
    CommentAction,
    CommentDecision,
    WantedComment,
    decide_comment,
    find_keyed_comment,
    keyed_comment,
    managed_comment_key,
)
from sheriff.core.issues.facts import (
    CommentSnapshot,
    EvidenceNote,
    FailureCase,
    FlakySignal,
    IssueSnapshot,
    IssueState,
    LinkedIssue,
    Occurrence,
    case_from_triage,
    commit_that_failed_and_passed,
)
from sheriff.core.issues.issue_body import (
    BODY_LIMIT,
    BodyUpdate,
    body_changed,
    fit_body,
    managed_hash,
    normalised,
    render_body,
    update_body,
)
from sheriff.core.issues.labels import LabelPlan, plan_labels
from sheriff.core.issues.markers import fingerprint_marker, fingerprints_in, parse_marked
from sheriff.core.issues.matching import (
    IssueMatch,
    MatchKind,
    find_matching_issue,
    name_is_specific,
)
from sheriff.core.issues.naming import TITLE_LIMIT, issue_title, wanted_labels
from sheriff.core.issues.plan import IssueAction, IssuePlan, describe_plan, resolve_comments
from sheriff.core.issues.planner import plan_issue
from sheriff.core.issues.policy import FilingDecision, Verdict, decide_filing
from sheriff.core.issues.reopen import ReopenDecision, decide_reopen, silencing_label

__all__ = [
    "BLOCK_ORDER",
    "BODY_LIMIT",
    "TITLE_LIMIT",
    "AutomationStatus",
    "BlockBudget",
    "BodyUpdate",
    "CommentAction",
    "CommentDecision",
    "CommentSnapshot",
    "EvidenceNote",
    "FailureCase",
    "FilingDecision",
    "FlakySignal",
    "IssueAction",
    "IssueMatch",
    "IssuePlan",
    "IssueSnapshot",
    "IssueState",
    "LabelPlan",
    "LinkedIssue",
    "MatchKind",
    "Occurrence",
    "ReopenDecision",
    "Verdict",
    "WantedComment",
    "body_changed",
    "case_from_triage",
    "commit_that_failed_and_passed",
    "decide_comment",
    "decide_filing",
    "decide_reopen",
    "describe_plan",
    "find_keyed_comment",
    "find_matching_issue",
    "fingerprint_marker",
    "fingerprints_in",
    "fit_body",
    "issue_title",
    "keyed_comment",
    "managed_comment_key",
    "managed_hash",
    "name_is_specific",
    "normalised",
    "parse_marked",
    "plan_issue",
    "plan_labels",
    "render_blocks",
    "render_body",
    "resolve_comments",
    "silencing_label",
    "update_body",
    "wanted_labels",
]
