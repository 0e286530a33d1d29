"""``next_step``: everything to do about a case now, as a list of actions.

The planner runs the current state's step; when it moves the case, it plans the next
state from the same facts (as the actions will leave them), so one reconcile can go from
ISSUE_OPEN to a started fix. Then come the answers due to people (issue comments, review
comments). The app executes the actions in order and stops at the first failure.

Idempotence: every action is justified by the facts alone (a comment's key is absent, a
branch is not pushed, a pull request does not exist), so planning again from the facts
after the actions were executed yields nothing new.
"""

from __future__ import annotations

from dataclasses import replace

from sheriff.core.lifecycle.actions import Action, Transition
from sheriff.core.lifecycle.discussion import issue_replies, label_refusals
from sheriff.core.lifecycle.events import ApprovalGranted, FixStarted
from sheriff.core.lifecycle.facts import CaseFacts, StateChange
from sheriff.core.lifecycle.review import pull_request_step, review_replies
from sheriff.core.lifecycle.states import PULL_REQUEST_STATES
from sheriff.core.lifecycle.steps import STEPS, Step
from sheriff.core.lifecycle.transitions import TransitionRecord, require_transition

MAX_TRANSITIONS = 12  # more than the longest path; a loop in the table would be a bug


def plan_state(facts: CaseFacts) -> Step:
    """The actions and event of the case's current state alone."""
    if facts.state in PULL_REQUEST_STATES:
        return pull_request_step(facts)
    return STEPS[facts.state](facts)


def next_step(facts: CaseFacts) -> list[Action]:
    """Everything to do about the case now, in order."""
    planned: list[Action] = []
    current = facts
    for _ in range(MAX_TRANSITIONS):
        step = plan_state(current)
        planned.extend(step.actions)
        if step.event is None:
            break
        record = require_transition(current.state, step.event, sheriff_login=facts.sheriff_login)
        planned.append(Transition(record))
        current = moved(step.assumed or current, record)
    planned.extend(label_refusals(current))
    planned.extend(issue_replies(current, planned))
    planned.extend(review_replies(current))
    return planned


def moved(facts: CaseFacts, record: TransitionRecord) -> CaseFacts:
    """The facts once ``record`` is made (at ``facts.now``)."""
    change = StateChange(record.from_state, record.to_state, facts.now, record.event_name)
    event = record.event
    requested = event.strategy if isinstance(event, ApprovalGranted) else facts.requested_strategy
    strategy = event.strategy if isinstance(event, FixStarted) else facts.fix_strategy
    return replace(
        facts,
        state=record.to_state,
        state_changed_at=facts.now,
        history=(*facts.history, change),
        requested_strategy=requested,
        fix_strategy=strategy,
    )


def transitions_in(actions: list[Action]) -> list[TransitionRecord]:
    """The transitions a plan makes, in order (for dry runs and the audit log)."""
    return [action.record for action in actions if isinstance(action, Transition)]
