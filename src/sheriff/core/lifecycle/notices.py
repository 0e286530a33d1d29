"""The short comments Sheriff writes about a case's progress, each under its own key.

Every comment starts with a hidden key marker, so the planner can tell it was posted and
never posts it twice. Keys that answer a person's comment are ``reply:<comment id>``,
shared by approval notices and discussion replies: one answer per comment.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sheriff.core.issues.blocks import AutomationStatus, when
from sheriff.core.issues.comments import WantedComment, keyed_comment
from sheriff.core.issues.inline_markdown import code_span, html_text
from sheriff.core.issues.markers import comment_key_of
from sheriff.core.lifecycle.facts import CaseFacts, Comment, FixStrategy, aware
from sheriff.core.lifecycle.states import CaseState


def reply_key(comment_id: int) -> str:
    return f"reply:{comment_id}"


def review_reply_key(comment_id: int) -> str:
    return f"review-reply:{comment_id}"


def analysis_key(fingerprint: str) -> str:
    return f"analysis:{fingerprint}"


def stamp(moment: datetime) -> str:
    return aware(moment).strftime("%Y%m%dT%H%M%SZ")


def sheriff_keys(facts: CaseFacts, comments: Sequence[Comment]) -> dict[str, int]:
    """The key of every comment Sheriff wrote (by its login, when known), to its id."""
    keys: dict[str, int] = {}
    for comment in sorted(comments, key=lambda item: item.id):
        key = comment_key_of(comment.body)
        if key is None or (facts.sheriff_login and not facts.is_sheriff(comment.author)):
            continue
        keys.setdefault(key, comment.id)
    return keys


def approval_granted(login: str, strategy: FixStrategy | None, branch: str) -> str:
    how = f" ({strategy.value} fix requested)" if strategy else ""
    return (
        f"Thanks @{login}: fix approved{how}. Sheriff is preparing it on branch "
        f"{code_span(branch)} and will open a draft pull request linked to this issue."
    )


def approval_refused(login: str, permission: str, command: str, label: str) -> str:
    return (
        f"@{login}, Sheriff starts a fix only when someone with write, maintain or admin "
        f"permission on this repository asks for it (you have {code_span(permission)}). "
        f"A maintainer can comment {code_span(command)} or add the label {code_span(label)}."
    )


def command_not_applicable(login: str, facts: CaseFacts) -> str:
    return f"@{login}, noted. {_state_sentence(facts)}"


def _state_sentence(facts: CaseFacts) -> str:
    pr = facts.pull_request
    pr_ref = f"#{pr.number}" if pr is not None else "its pull request"
    sentences = {
        CaseState.APPROVED_TO_FIX: "A fix is already approved and about to start.",
        CaseState.FIXING: "A fix is already being prepared.",
        CaseState.PR_OPEN: f"The fix is already proposed in {pr_ref}.",
        CaseState.PR_NEEDS_CHANGES: f"The fix in {pr_ref} is being updated.",
        CaseState.PR_UPDATING: f"The fix in {pr_ref} is being updated.",
        CaseState.MERGED: f"The fix was merged in {pr_ref}.",
        CaseState.CLOSED_WONTFIX: "Sheriff stopped working on this case (won't fix).",
        CaseState.QUARANTINED: "The test is quarantined.",
        CaseState.RESOLVED: "The failure has not recurred; the case is resolved.",
    }
    return sentences.get(facts.state, "Sheriff will act on it once its analysis is posted.")


def fix_failed(reason: str, command: str) -> str:
    return (
        f"Sheriff could not prepare a fix: {html_text(reason)}. To try again, a maintainer can "
        f"comment {code_span(command)} (optionally {code_span(command + ' agent')} or "
        f"{code_span(command + ' quarantine')})."
    )


def pull_request_merged(number: int) -> str:
    return (
        f"The fix in #{number} was merged. Sheriff closes this issue and reopens it if the "
        "failure comes back."
    )


def pull_request_closed(number: int, command: str) -> str:
    return (
        f"The fix in #{number} was closed without merging, so Sheriff stops here. "
        f"Comment {code_span(command)} to ask for another attempt."
    )


def resolved(quiet_period: timedelta, last_seen: datetime | None) -> str:
    since = f" (last seen {when(last_seen)})" if last_seen else ""
    return (
        f"No recurrence for {quiet_period.days} days{since}: Sheriff considers this resolved and "
        "reopens the issue if the failure comes back."
    )


def reopened(run_id: int, run_url: str | None, seen_at: datetime) -> str:
    run = (
        f"[run {run_id}]({run_url})"
        if run_url and run_url.startswith("https://")
        else f"run {run_id}"
    )
    return f"Reopened by Sheriff: the failure happened again in {run} ({when(seen_at)})."


def gave_up(rounds: int) -> str:
    return (
        f"Sheriff has addressed feedback {rounds} times on this pull request and stops "
        "updating it automatically; a maintainer can take it from here."
    )


def update_failed(reason: str) -> str:
    return f"Sheriff could not address the latest feedback: {html_text(reason)}."


def keyed(key: str, text: str, *, editable: bool = False) -> WantedComment:
    return keyed_comment(key, text, editable=editable)


def automation_status(facts: CaseFacts) -> AutomationStatus:
    """What the issue's status block says about the case."""
    pr = facts.pull_request
    pr_ref = f"#{pr.number}" if pr is not None else "the fix pull request"
    approve = (
        f"A maintainer can approve a fix by commenting `{facts.settings.command}` or adding "
        f"the label `{facts.settings.approval_label}`."
    )
    details = {
        CaseState.WAITING_FOR_SIGNAL: ("waiting for approval", approve),
        CaseState.TRIAGED: ("analysed", approve),
        CaseState.APPROVED_TO_FIX: ("fix approved", "Sheriff is about to prepare a fix."),
        CaseState.FIXING: ("fixing", "Sheriff is preparing and verifying a fix."),
        CaseState.PR_OPEN: ("fix proposed", f"The fix is in {pr_ref}."),
        CaseState.PR_NEEDS_CHANGES: ("updating the fix", f"Addressing feedback on {pr_ref}."),
        CaseState.PR_UPDATING: ("updating the fix", f"Addressing feedback on {pr_ref}."),
        CaseState.MERGED: ("fixed", f"The fix was merged in {pr_ref}."),
        CaseState.CLOSED_WONTFIX: ("stopped", "Sheriff does not work on this case any more."),
        CaseState.QUARANTINED: ("quarantined", "The test is skipped until it is fixed."),
        CaseState.RESOLVED: ("resolved", "No recurrence for the quiet period."),
    }
    state, detail = details.get(
        facts.state, ("tracking", "Sheriff updates this when the failure recurs.")
    )
    return AutomationStatus(state, detail)
