"""The approval gate: commands, labels, who counts, and which signals are spent."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from sheriff.core.lifecycle import (
    Actor,
    CaseState,
    Comment,
    FixStrategy,
    LabelEvent,
    LifecycleSettings,
    StateChange,
    actors_to_check,
    approval_signals,
    decide_approval,
    find_command,
)
from sheriff.core.repo_config import RepoSettings
from tests.core.lifecycle.world import CONTRIBUTOR, MAINTAINER, SHERIFF, T0, base_facts


@pytest.mark.parametrize(
    "body",
    [
        "/ai-fix",
        "Thanks for the analysis!\n\n/ai-fix",
        "  /ai-fix please",
        "/AI-FIX",
        "```go\nt.Skip()\n```\n/ai-fix",
    ],
)
def test_commands_that_count(body: str) -> None:
    assert find_command(body) is not None


@pytest.mark.parametrize(
    "body",
    [
        "please /ai-fix this",
        "> /ai-fix\nwhy did that not work?",
        "```\n/ai-fix\n```",
        "~~~~\n/ai-fix\n~~~\n~~~~ not closed by a shorter fence",
        "    /ai-fix",
        "`/ai-fix`",
        "<!-- /ai-fix -->",
        "<!--\n/ai-fix\n-->",
        "/ai-fixes",
        "```python\n/ai-fix\n",
    ],
)
def test_commands_that_do_not_count(body: str) -> None:
    assert find_command(body) is None


def test_a_command_can_ask_for_a_strategy() -> None:
    upper = find_command("/ai-fix Agent")
    assert upper is not None
    assert upper.strategy is FixStrategy.AGENT
    found = find_command("/ai-fix quarantine now")
    assert found is not None
    assert found.strategy is FixStrategy.QUARANTINE
    other = find_command("/ai-fix whatever")
    assert other is not None
    assert other.strategy is None


def comment(author: Actor, body: str, minutes: int, comment_id: int = 1) -> Comment:
    return Comment(comment_id, author, body, T0 + timedelta(minutes=minutes))


def waiting(**issue_changes: object):  # type: ignore[no-untyped-def]
    facts = base_facts(CaseState.WAITING_FOR_SIGNAL)
    assert facts.issue is not None
    return replace(facts, issue=replace(facts.issue, **issue_changes))  # type: ignore[arg-type]


def test_the_first_permitted_person_approves_and_earlier_refusals_are_reported() -> None:
    facts = waiting(
        comments=(
            comment(CONTRIBUTOR, "/ai-fix", 1, 10),
            comment(MAINTAINER, "/ai-fix agent", 2, 11),
        )
    )
    decision = decide_approval(facts)
    assert decision.granted is not None
    assert decision.granted.comment_id == 11
    assert decision.permission == "maintain"
    assert [(signal.comment_id, permission) for signal, permission in decision.refused] == [
        (10, "read")
    ]


def test_bots_and_sheriff_never_approve_even_with_permission() -> None:
    bot = Actor("merge-queue[bot]", "Bot")
    facts = waiting(comments=(comment(bot, "/ai-fix", 1), comment(SHERIFF, "/ai-fix", 2, 2)))
    facts = replace(facts, permissions={bot.login: "admin", SHERIFF.login: "admin"})
    assert approval_signals(facts) == []
    assert decide_approval(facts).granted is None


def test_the_label_counts_from_whoever_added_it_last_while_it_is_there() -> None:
    label = "sheriff/ai-fix-approved"
    events = (
        LabelEvent(label, CONTRIBUTOR, T0 + timedelta(minutes=1)),
        LabelEvent(label, MAINTAINER, T0 + timedelta(minutes=2)),
    )
    facts = waiting(labels=frozenset({label}), label_events=events)
    granted = decide_approval(facts).granted
    assert granted is not None
    assert (granted.via, granted.actor) == ("label", MAINTAINER)
    removed = waiting(labels=frozenset(), label_events=events)
    assert decide_approval(removed).granted is None


def test_the_label_name_follows_the_prefix() -> None:
    settings = LifecycleSettings.from_repo(RepoSettings(label_prefix="ci-bot/"))
    assert settings.approval_label == "ci-bot/ai-fix-approved"
    event = LabelEvent("ci-bot/ai-fix-approved", MAINTAINER, T0)
    facts = replace(
        waiting(labels=frozenset({"ci-bot/ai-fix-approved"}), label_events=(event,)),
        settings=settings,
    )
    assert decide_approval(facts).granted is not None


def test_signals_before_the_last_attempt_are_spent() -> None:
    facts = waiting(comments=(comment(MAINTAINER, "/ai-fix", 1),))
    used = StateChange(
        CaseState.WAITING_FOR_SIGNAL, CaseState.APPROVED_TO_FIX, T0 + timedelta(minutes=5)
    )
    assert decide_approval(replace(facts, history=(used,))).granted is None


def test_unknown_permissions_are_asked_for_not_guessed() -> None:
    stranger = Actor("someone-new")
    facts = waiting(
        comments=(comment(stranger, "/ai-fix", 1), comment(MAINTAINER, "/ai-fix", 2, 2))
    )
    assert actors_to_check(facts) == {"someone-new"}
    decision = decide_approval(facts)
    assert decision.granted is not None
    assert decision.granted.actor == MAINTAINER
    assert decision.refused == ()
