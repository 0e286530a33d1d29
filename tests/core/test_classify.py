import pytest

from sheriff.core.classify import classify, confidence_of, level_of
from sheriff.core.model import Failure, FailureType, Finding, Location, Strength, TestIdentity


def _finding(**changes: object) -> Finding:
    base: dict[str, object] = {
        "tool": "pytest",
        "failure_type": FailureType.TEST,
        "sub_type": "assertion",
        "message": "AssertionError: expected 200, got 401",
        "anchor": 10,
        "ranges": ((10, 20),),
        "strength": Strength.CLEAR,
        "test": TestIdentity("pytest", "tests/test_api.py", "test_login"),
        "locations": (Location("tests/test_api.py", 15), Location("src/api.py", 42)),
        "has_stack_trace": True,
        "kind": "test",
    }
    base.update(changes)
    return Finding(**base)  # type: ignore[arg-type]


def _failure(finding: Finding, number: int = 1) -> Failure:
    return Failure(f"F{number:03d}", finding, "sig", "fp")


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (100, "high"),
        (80, "high"),
        (79, "medium"),
        (60, "medium"),
        (59, "low"),
        (40, "low"),
        (39, "skip"),
        (0, "skip"),
    ],
)
def test_levels_are_left_closed(score: int, level: str) -> None:
    assert level_of(score) == level


def test_confidence_sums_the_four_weighted_factors() -> None:
    assert confidence_of(_finding()) == 40 + 30 + 20 + 10
    partial = _finding(
        strength=Strength.PARTIAL, locations=(Location("a.py"),), has_stack_trace=False
    )
    assert confidence_of(partial) == 20 + 15 + 20 + 5
    bare = _finding(strength=Strength.WEAK, locations=(), has_stack_trace=False, message="")
    assert confidence_of(bare) == 20 + 0 + 10 + 0


def test_unknown_blocks_auto_fix_and_needs_a_decision() -> None:
    report = classify([_failure(_finding(failure_type=FailureType.UNKNOWN))])
    item = report.classifications[0]
    assert item.confidence == 20
    assert item.blocks_auto_fix
    assert item.requires_user_decision
    assert not item.auto_fixable
    assert report.recommendation.action == "manual"


def test_clear_backend_test_failure_recommends_auto_fix() -> None:
    report = classify([_failure(_finding())])
    item = report.classifications[0]
    assert (item.stack, item.fix_approach, item.related_workflow) == (
        "backend",
        "bugfix_workflow",
        "/fix-backend",
    )
    assert [file.role for file in item.affected_files] == ["test", "source"]
    assert report.recommendation.action == "auto_fix"
    assert report.recommendation.workflows == ("/fix-backend",)


def test_medium_confidence_asks_the_user() -> None:
    finding = _finding(locations=(), has_stack_trace=False)  # 40 + 0 + 20 + 5 = 65
    report = classify([_failure(finding)])
    assert report.classifications[0].confidence == 65
    assert report.recommendation.action == "ask_user"


def test_dependency_failures_are_manual() -> None:
    finding = _finding(failure_type=FailureType.DEPENDENCY, sub_type="npm", test=None)
    report = classify([_failure(finding)])
    assert not report.classifications[0].auto_fixable
    assert report.classifications[0].fix_approach == "manual"
    assert report.recommendation.action == "manual"


def test_frontend_and_e2e_stacks_choose_their_workflows() -> None:
    jest = _finding(
        tool="jest",
        test=TestIdentity("jest", "src/a.test.tsx", "renders"),
        locations=(Location("src/a.test.tsx", 3),),
    )
    e2e = _finding(
        tool="playwright",
        failure_type=FailureType.E2E,
        test=TestIdentity("playwright", "e2e/login.spec.ts", "logs in"),
        locations=(Location("e2e/login.spec.ts", 9),),
    )
    report = classify([_failure(jest, 1), _failure(e2e, 2)])
    assert [c.related_workflow for c in report.classifications] == ["/fix-frontend", "/fix-e2e"]
    assert report.classifications[1].stack == "e2e"


def test_weak_findings_are_classified_only_when_nothing_else_exists() -> None:
    weak = _failure(_finding(strength=Strength.WEAK, failure_type=FailureType.UNKNOWN), 2)
    report = classify([_failure(_finding()), weak])
    assert [c.failure_id for c in report.classifications] == ["F001"]
    only_weak = classify([weak])
    assert [c.failure_id for c in only_weak.classifications] == ["F002"]
