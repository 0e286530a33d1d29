"""Maven goal blocks attach to the last earlier finding that explains them.

``_GoalTargets`` answers that with indexes (a log of thousands of goal blocks walked every
finding for every goal). The reference below is the plain walk it replaced: both must
attach every goal to the same finding.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from sheriff.core.model import FailureType, Finding
from sheriff.core.parsers.jvm_maven import _RELATED_TYPES, _GoalTargets

_TYPES = [
    FailureType.BUILD,
    FailureType.TEST,
    FailureType.DEPENDENCY,
    FailureType.INFRASTRUCTURE,
    FailureType.LINT,
    FailureType.CONFIG,
    FailureType.UNKNOWN,
]


def _finding(anchor: int, failure_type: FailureType, sub_type: str) -> Finding:
    return Finding("maven", failure_type, sub_type, f"at {anchor}", anchor, ((anchor, anchor),))


def _explains(cause: Finding, goal: Finding) -> bool:
    if goal.failure_type is FailureType.TEST:
        return False
    if goal.sub_type == "maven" and goal.failure_type is FailureType.BUILD:
        return True
    return any(cause.failure_type in g and goal.failure_type in g for g in _RELATED_TYPES)


def _walked(causes: list[Finding], goals: list[Finding]) -> list[Finding]:
    findings = list(causes)
    for goal in goals:
        for index in range(len(findings) - 1, -1, -1):
            cause = findings[index]
            if cause.anchor < goal.anchor and _explains(cause, goal):
                findings[index] = replace(cause, ranges=(*cause.ranges, *goal.ranges))
                break
        else:
            findings.append(goal)
    return findings


_KINDS = st.tuples(st.sampled_from(_TYPES), st.sampled_from(["maven", "compile", "x"]))


@given(
    st.lists(st.tuples(st.integers(1, 300), _KINDS), max_size=25),
    st.lists(st.tuples(st.integers(1, 300), _KINDS), max_size=25, unique_by=lambda g: g[0]),
)
def test_goals_attach_where_walking_back_attaches_them(
    causes: list[tuple[int, tuple[FailureType, str]]],
    goals: list[tuple[int, tuple[FailureType, str]]],
) -> None:
    sorted_causes = sorted(
        (_finding(anchor, *kind) for anchor, kind in causes), key=lambda f: f.anchor
    )
    in_order = [_finding(anchor, *kind) for anchor, kind in sorted(goals)]
    targets = _GoalTargets(list(sorted_causes))
    for goal in in_order:
        targets.place(goal)
    assert targets.findings == _walked(sorted_causes, in_order)
