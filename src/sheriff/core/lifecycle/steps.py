"""One planning step per state before and after the pull request: the actions to take and
the event that moves the case on (the pull-request states are in ``review``).

A step's actions come before its transition, so a transition is only made once what
justifies it was done. ``assumed`` is the facts as they will be after the actions (an
issue reopened), for planning the next state in the same pass.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from sheriff.core.lifecycle import notices
from sheriff.core.lifecycle.actions import (
    Action,
    CloseIssue,
    CommentOnIssue,
    OpenPullRequest,
    PostAnalysis,
    PushFix,
    ReopenIssue,
    StartFix,
)
from sheriff.core.lifecycle.approval import decide_approval
from sheriff.core.lifecycle.events import (
    AnalysisPosted,
    ApprovalGranted,
    ApprovalRequested,
    CaseEvent,
    FixFailed,
    FixStarted,
    IssueClosed,
    IssueOpened,
    PullRequestOpened,
    Quarantined,
    QuietPeriodElapsed,
    Recurred,
)
from sheriff.core.lifecycle.facts import (
    CaseFacts,
    FixStrategy,
    IssueFacts,
    aware,
    entered_at,
    fix_branch,
    not_before,
)
from sheriff.core.lifecycle.states import CaseState
from sheriff.core.quarantine import can_quarantine


@dataclass(frozen=True, slots=True)
class Step:
    actions: tuple[Action, ...] = ()
    event: CaseEvent | None = None
    assumed: CaseFacts | None = None


def comment_once(facts: CaseFacts, key: str, text: str) -> tuple[Action, ...]:
    """A keyed notice on the case's issue, unless Sheriff already posted it."""
    issue = facts.issue
    if issue is None or key in notices.sheriff_keys(facts, issue.comments):
        return ()
    return (CommentOnIssue(issue.number, notices.keyed(key, text)),)


def discovered(facts: CaseFacts) -> Step:
    return Step(event=IssueOpened(facts.issue.number)) if facts.issue else Step()


def _closed_by_person(facts: CaseFacts) -> Step | None:
    issue = facts.issue
    if issue is None or issue.open:
        return None
    closed_at = issue.closed_at or facts.now
    return Step(event=IssueClosed(issue.number, issue.state_reason, closed_at))


def issue_open(facts: CaseFacts) -> Step:
    """(Re)post the analysis, edited in place when Sheriff posted one before."""
    if facts.issue is None:
        return Step()
    closed = _closed_by_person(facts)
    if closed is not None:
        return closed
    key = notices.analysis_key(facts.fingerprint)
    existing = notices.sheriff_keys(facts, facts.issue.comments).get(key)
    post = PostAnalysis(facts.issue.number, key, existing)
    return Step((post,), AnalysisPosted(facts.issue.number))


def triaged(_facts: CaseFacts) -> Step:
    return Step(event=ApprovalRequested())


def waiting_for_signal(facts: CaseFacts) -> Step:
    closed = _closed_by_person(facts)
    if closed is not None:
        return closed
    if facts.quarantined_on_default_branch:
        return Step(event=Quarantined("the test is already skipped on the default branch"))
    decision = decide_approval(facts)
    if decision.granted is not None and decision.permission is not None:
        signal = decision.granted
        text = notices.approval_granted(
            signal.actor.login, signal.strategy, fix_branch(facts.fingerprint)
        )
        key = (
            notices.reply_key(signal.comment_id)
            if signal.comment_id is not None
            else f"approval:{facts.fingerprint}:{notices.stamp(signal.at)}"
        )
        event = ApprovalGranted(
            signal.actor, decision.permission, signal.via, signal.reference, signal.at,
            signal.strategy,
        )  # fmt: skip
        return Step(comment_once(facts, key, text), event)
    return _quiet_period(facts)


def _quiet_period(facts: CaseFacts) -> Step:
    last_seen = facts.last_seen_at or facts.state_changed_at
    quiet = facts.settings.quiet_period
    if aware(facts.now) - aware(last_seen) < quiet:
        return Step()
    actions = comment_once(
        facts,
        f"resolved:{facts.fingerprint}:{notices.stamp(last_seen)}",
        notices.resolved(quiet, facts.last_seen_at),
    )
    issue = facts.issue
    if issue and issue.open and issue.created_by_sheriff and facts.settings.close_resolved_issues:
        actions += (CloseIssue(issue.number),)
    return Step(actions, QuietPeriodElapsed(last_seen, facts.now, quiet))


def choose_strategy(facts: CaseFacts) -> FixStrategy | str:
    """The strategy for the next attempt, or why there is none."""
    quarantine = can_quarantine(facts.test)
    wanted = facts.requested_strategy
    if wanted is None and facts.settings.fix_strategy != "auto":
        wanted = FixStrategy(facts.settings.fix_strategy)
    if wanted is FixStrategy.QUARANTINE and not quarantine:
        return "Sheriff cannot quarantine this failure in its test framework"
    if wanted is FixStrategy.AGENT and not facts.llm_available:
        return "an agent fix needs an LLM, and none is configured"
    if wanted is not None:
        return wanted
    if quarantine and (facts.quarantine_candidate or not facts.llm_available):
        return FixStrategy.QUARANTINE
    if facts.llm_available:
        return FixStrategy.AGENT
    return "no LLM is configured and Sheriff cannot quarantine this failure"


def approved_to_fix(facts: CaseFacts) -> Step:
    strategy = choose_strategy(facts)
    if isinstance(strategy, FixStrategy):
        return Step(event=FixStarted(strategy))
    return _fix_failed(facts, strategy, facts.now)


def _fix_failed(facts: CaseFacts, reason: str, at: datetime) -> Step:
    key = f"fix-failed:{facts.fingerprint}:{notices.stamp(at)}"
    actions = comment_once(facts, key, notices.fix_failed(reason, facts.settings.command))
    return Step(actions, FixFailed(reason, at))


def fixing(facts: CaseFacts) -> Step:
    started = entered_at(facts, CaseState.FIXING) or aware(facts.state_changed_at)
    pr, fix = facts.pull_request, facts.fix
    branch = fix_branch(facts.fingerprint)
    if pr is not None and pr.head_ref == branch and (pr.open or not_before(pr.created_at, started)):
        return Step(event=PullRequestOpened(pr.number))
    if fix is not None and fix.failure and fix.failed_at and not_before(fix.failed_at, started):
        return _fix_failed(facts, fix.failure, fix.failed_at)
    issue_number = facts.issue.number if facts.issue else None
    strategy = facts.fix_strategy
    opening = OpenPullRequest(branch, facts.default_branch, issue_number, strategy)
    if fix and fix.remote_head and fix.pushed_at and not_before(fix.pushed_at, started):
        return Step((opening,))
    if fix and fix.local_head and fix.prepared_at and not_before(fix.prepared_at, started):
        return Step((PushFix(branch, fix.local_head), opening))
    chosen = strategy or choose_strategy(facts)
    if not isinstance(chosen, FixStrategy):
        return _fix_failed(facts, chosen, facts.now)
    return Step((StartFix(chosen, branch, facts.default_branch, issue_number),))


def merged(facts: CaseFacts) -> Step:
    recurrence = _recurrence(facts)
    if recurrence is not None:
        return recurrence
    issue, pr = facts.issue, facts.pull_request
    if issue is None or pr is None:
        return Step()
    key = f"merged:{facts.fingerprint}:{pr.number}"
    if key in notices.sheriff_keys(facts, issue.comments):
        return Step()
    close = (CloseIssue(issue.number),) if issue.open else ()
    return Step((*close, *comment_once(facts, key, notices.pull_request_merged(pr.number))))


def resolved(facts: CaseFacts) -> Step:
    return _recurrence(facts) or Step()


def closed_wontfix(facts: CaseFacts) -> Step:
    pr = facts.pull_request
    if pr is None or pr.merged or pr.open:
        return Step()
    key = f"pr-closed:{facts.fingerprint}:{pr.number}"
    return Step(
        comment_once(facts, key, notices.pull_request_closed(pr.number, facts.settings.command))
    )


def _recurrence(facts: CaseFacts) -> Step | None:
    """A failure seen after the case settled reopens it (and its issue, unless people
    closed it as not planned or silenced it)."""
    since = entered_at(facts, facts.state) or aware(facts.state_changed_at)
    seen = facts.last_seen_at
    if seen is None or aware(seen) <= since:
        return None
    occurrence = facts.last_occurrence
    event = Recurred(seen, occurrence.run_id if occurrence else None)
    issue = facts.issue
    if issue is None or issue.open:
        return Step(event=event)
    if not _reopenable(facts, issue):
        return None
    actions: tuple[Action, ...] = (ReopenIssue(issue.number),)
    if occurrence is not None:
        key = f"reopen:{facts.fingerprint}:{occurrence.run_id}.{occurrence.attempt}"
        text = notices.reopened(occurrence.run_id, occurrence.run_url, occurrence.seen_at)
        actions += comment_once(facts, key, text)
    assumed = replace(facts, issue=replace(issue, open=True, state_reason="reopened"))
    return Step(actions, event, assumed)


def _reopenable(facts: CaseFacts, issue: IssueFacts) -> bool:
    silencing = {label.casefold() for label in facts.settings.silencing_labels}
    silenced = any(label.casefold() in silencing for label in issue.labels)
    return issue.state_reason != "not_planned" and not silenced


def nothing(_facts: CaseFacts) -> Step:
    return Step()


STEPS: dict[CaseState, Callable[[CaseFacts], Step]] = {
    CaseState.DISCOVERED: discovered,
    CaseState.ISSUE_OPEN: issue_open,
    CaseState.TRIAGED: triaged,
    CaseState.WAITING_FOR_SIGNAL: waiting_for_signal,
    CaseState.APPROVED_TO_FIX: approved_to_fix,
    CaseState.FIXING: fixing,
    CaseState.MERGED: merged,
    CaseState.RESOLVED: resolved,
    CaseState.CLOSED_WONTFIX: closed_wontfix,
    CaseState.QUARANTINED: nothing,
}
