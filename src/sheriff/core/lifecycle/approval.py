"""The approval gate: who may start a fix, and how they say so.

A fix is approved by the approval label (``sheriff/ai-fix-approved`` by default) or by a
comment whose line starts with the command (``/ai-fix``, optionally followed by
``quarantine`` or ``agent``). A command counts only as the first word of a line outside
quotes, code blocks and HTML comments. Only people count: bots (``[bot]`` logins, user type
Bot) and Sheriff itself never approve; and a person counts only with write, maintain or
admin permission, which the app checks at that moment for the logins
``actors_to_check`` names. Each fix attempt uses the signals given before it: a new
attempt needs a new signal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sheriff.core.lifecycle.facts import (
    APPROVING_PERMISSIONS,
    Actor,
    CaseFacts,
    FixStrategy,
    IssueFacts,
    aware,
    entered_at,
)
from sheriff.core.lifecycle.states import CaseState

_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_QUOTE = re.compile(r"^ {0,3}>")
_INDENTED_CODE = re.compile(r"^(?: {4}|\t)")


@dataclass(frozen=True, slots=True)
class Command:
    """A command found in a comment, with the strategy it asks for (if any)."""

    line: str
    strategy: FixStrategy | None = None


@dataclass(frozen=True, slots=True)
class ApprovalSignal:
    """A person asked for a fix; ``comment_id`` is None for the label."""

    actor: Actor
    via: str  # "label" or "comment"
    reference: str
    at: datetime
    comment_id: int | None = None
    strategy: FixStrategy | None = None


@dataclass(frozen=True, slots=True)
class ApprovalDecision:
    """The first signal from a person allowed to approve, and the ones refused."""

    granted: ApprovalSignal | None
    permission: str | None
    refused: tuple[tuple[ApprovalSignal, str], ...]  # (signal, the permission it had)


def find_command(body: str, command: str = "/ai-fix") -> Command | None:
    """The first line of ``body`` that starts with ``command``, outside quotes and code."""
    wanted = command.casefold()
    fence: str | None = None
    for line in _HTML_COMMENT.sub("", body).splitlines():
        opened = _FENCE.match(line)
        if fence is not None:
            if (
                opened
                and not opened.group("info").strip()
                and _closes(opened.group("fence"), fence)
            ):
                fence = None
            continue
        if opened:
            fence = opened.group("fence")
            continue
        if _QUOTE.match(line) or _INDENTED_CODE.match(line):
            continue
        words = line.split()
        if words and words[0].casefold() == wanted:
            return Command(line.strip(), _strategy(words[1:]))
    return None


def _closes(candidate: str, fence: str) -> bool:
    return candidate[0] == fence[0] and len(candidate) >= len(fence)


def _strategy(words: list[str]) -> FixStrategy | None:
    if not words:
        return None
    try:
        return FixStrategy(words[0].casefold())
    except ValueError:
        return None


def approval_epoch(facts: CaseFacts) -> datetime | None:
    """Signals given at or before this time were used by an earlier fix attempt."""
    return entered_at(facts, CaseState.APPROVED_TO_FIX)


def approval_signals(facts: CaseFacts) -> list[ApprovalSignal]:
    """Every signal from a person given since the last attempt, oldest first."""
    issue = facts.issue
    if issue is None:
        return []
    epoch = approval_epoch(facts)
    signals = [*_command_signals(facts, issue), *_label_signals(facts, issue)]
    fresh = [item for item in signals if epoch is None or aware(item.at) > epoch]
    return sorted(fresh, key=lambda item: (aware(item.at), item.comment_id or 0))


def _command_signals(facts: CaseFacts, issue: IssueFacts) -> list[ApprovalSignal]:
    signals = []
    for comment in issue.comments:
        if not facts.is_human(comment.author):
            continue
        found = find_command(comment.body, facts.settings.command)
        if found is not None:
            signals.append(
                ApprovalSignal(
                    comment.author,
                    "comment",
                    str(comment.id),
                    comment.created_at,
                    comment.id,
                    found.strategy,
                )
            )
    return signals


def _label_signals(facts: CaseFacts, issue: IssueFacts) -> list[ApprovalSignal]:
    """The label counts while it is on the issue, from whoever added it last."""
    label = facts.settings.approval_label.casefold()
    if label not in {name.casefold() for name in issue.labels}:
        return []
    added = [
        event for event in issue.label_events if event.added and event.label.casefold() == label
    ]
    if not added:
        return []
    last = max(added, key=lambda event: aware(event.at))
    if not facts.is_human(last.actor):
        return []
    return [ApprovalSignal(last.actor, "label", facts.settings.approval_label, last.at)]


def decide_approval(facts: CaseFacts) -> ApprovalDecision:
    """Whether a fix is approved now: signals from people whose permission is not known
    yet are left for later (neither granted nor refused)."""
    refused: list[tuple[ApprovalSignal, str]] = []
    for signal in approval_signals(facts):
        permission = facts.permission_of(signal.actor.login)
        if permission is None:
            continue
        if permission in APPROVING_PERMISSIONS:
            return ApprovalDecision(signal, permission, tuple(refused))
        refused.append((signal, permission))
    return ApprovalDecision(None, None, tuple(refused))


def actors_to_check(facts: CaseFacts) -> frozenset[str]:
    """Logins whose repository permission the app must look up before planning."""
    return frozenset(
        signal.actor.login
        for signal in approval_signals(facts)
        if facts.permission_of(signal.actor.login) is None
    )
