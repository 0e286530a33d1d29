"""Whatever happens around a case, reconciling reaches a fixed point where planning asks for
nothing, no keyed comment exists twice, and no attempt opens two pull requests."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheriff.core.lifecycle import (
    CaseState,
    OpenPullRequest,
    StartFix,
    Transition,
    next_step,
    targets_of,
)
from tests.core.lifecycle.world import CONTRIBUTOR, DEPENDABOT, MAINTAINER, World, base_facts


def _if_pr_open(action: Callable[[World], None]) -> Callable[[World], None]:
    def guarded(world: World) -> None:
        pr = world.facts.pull_request
        if pr is not None and pr.open:
            action(world)

    return guarded


def _person_closes_issue(world: World) -> None:
    world._issue(open=False, state_reason="not_planned", closed_at=world.facts.now)


EVENTS: dict[str, Callable[[World], None]] = {
    "maintainer approves": lambda w: w.person_comments(MAINTAINER, "/ai-fix"),
    "maintainer labels": lambda w: w.label(MAINTAINER),
    "contributor approves": lambda w: w.person_comments(CONTRIBUTOR, "/ai-fix"),
    "contributor labels": lambda w: w.label(CONTRIBUTOR),
    "contributor asks": lambda w: w.person_comments(CONTRIBUTOR, "why does this fail?"),
    "bot comments": lambda w: w.person_comments(DEPENDABOT, "/ai-fix"),
    "checks fail": _if_pr_open(lambda w: w.checks_fail()),
    "changes requested": _if_pr_open(lambda w: w.review(MAINTAINER, comment="please rename")),
    "approved review": _if_pr_open(lambda w: w.review(MAINTAINER, "APPROVED")),
    "merged": _if_pr_open(lambda w: w.merge()),
    "closed unmerged": _if_pr_open(lambda w: w.close_pr()),
    "recurs": lambda w: w.recur(),
    "a day passes": lambda w: w.tick(86_400),
    "quiet period passes": lambda w: w.tick(15 * 86_400),
    "fixes start failing": lambda w: setattr(w, "fix_failure", "no test file found"),
    "fixes work again": lambda w: setattr(w, "fix_failure", None),
    "updates fail": lambda w: setattr(w, "update_failure", "agent stalled"),
    "person closes issue": _person_closes_issue,
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(sorted(EVENTS)), max_size=25))
def test_reconcile_always_reaches_a_quiet_fixed_point(events: list[str]) -> None:
    world = World(base_facts())
    world.reconcile()
    for name in events:
        EVENTS[name](world)
        world.reconcile()
        assert next_step(world.facts) == []
        counts = Counter(world.sheriff_keys())
        assert [key for key, count in counts.items() if count > 1] == []
    _check_attempts(world)


def _check_attempts(world: World) -> None:
    """Each stay in FIXING starts at most one fix and opens at most one pull request, and
    every transition follows the table."""
    per_attempt: Counter[tuple[int, str]] = Counter()
    attempt = 0
    for action in world.executed:
        if isinstance(action, Transition):
            record = action.record
            assert record.to_state in targets_of(record.from_state)
            if record.to_state is CaseState.FIXING:
                attempt += 1
        elif isinstance(action, (StartFix, OpenPullRequest)):
            per_attempt[(attempt, type(action).__name__)] += 1
    assert all(count == 1 for count in per_attempt.values()), per_attempt


def test_approval_by_people_without_permission_never_starts_a_fix() -> None:
    world = World(base_facts())
    world.reconcile()
    for event in ("contributor approves", "contributor labels", "bot comments"):
        EVENTS[event](world)
        world.reconcile()
    assert world.facts.state is CaseState.WAITING_FOR_SIGNAL
    assert not any(isinstance(a, StartFix) for a in world.executed)
    world.tick(timedelta(hours=1).total_seconds())
    EVENTS["maintainer approves"](world)
    world.reconcile()
    assert any(isinstance(a, StartFix) for a in world.executed)
