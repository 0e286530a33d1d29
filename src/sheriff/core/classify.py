"""Seed 004's classifier: type, stack, confidence, fixability and a recommendation.

Confidence is the sum of four factors: signal clarity (40), file location (30), known
pattern (20) and context (10). Levels are left-closed: 80 and above is auto-fix, 60 asks
the user, 40 suggests a manual fix, below 40 is skipped. An unknown failure always has
confidence 20, blocks auto-fix and needs a user decision.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.model import (
    AffectedFile,
    Classification,
    ClassificationReport,
    Failure,
    FailureType,
    Finding,
    Recommendation,
    Strength,
)

AUTO_FIX = 80
ASK_USER = 60
SUGGEST_MANUAL = 40
UNKNOWN_CONFIDENCE = 20
MAX_CLASSIFIED = 20

_FIXABLE = frozenset({FailureType.TEST, FailureType.E2E, FailureType.LINT})
_PARTLY_FIXABLE = frozenset({FailureType.BUILD, FailureType.TYPE_CHECK})

_STACK_SIGNALS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("e2e", lazy_compile(r"playwright|cypress|selenium|webdriver|puppeteer|\be2e\b", re.I)),
    (
        "frontend",
        lazy_compile(
            r"jest|vitest|mocha|karma|jasmine|eslint|prettier|stylelint|tsc|typescript|webpack"
            r"|vite|react|vue|angular|\.(?:tsx|jsx|ts|js|vue|css|scss)\b",
            re.I,
        ),
    ),
    (
        "backend",
        lazy_compile(
            r"pytest|python|django|fastapi|flask|unittest|mypy|ruff|flake8|\bgo\b|golang|cargo"
            r"|rust|maven|gradle|junit|java|kotlin|scala|sbt|rspec|minitest|ruby|rails|phpunit"
            r"|php|dotnet|xunit|nunit|elixir|exunit|erlang|gtest|ctest|gcc|clang|\.(?:py|go|rs"
            r"|java|kt|scala|rb|php|cs|ex|exs|erl|c|cc|cpp|h|hpp)\b",
            re.I,
        ),
    ),
)
_TEST_PATH = lazy_compile(
    r"(?:^|[/\\])(?:tests?|spec|specs|__tests__|e2e|testing)[/\\]|(?:_test|_spec|\.test|\.spec"
    r"|Test|Tests|Spec)\.[A-Za-z]+$|(?:^|[/\\])test_[^/\\]+$"
)


def level_of(confidence: int) -> str:
    """Left-closed levels: exactly 80 is high, exactly 60 medium, exactly 40 low."""
    if confidence >= AUTO_FIX:
        return "high"
    if confidence >= ASK_USER:
        return "medium"
    if confidence >= SUGGEST_MANUAL:
        return "low"
    return "skip"


def confidence_of(finding: Finding) -> int:
    """The 40/30/20/10 weighted confidence of one finding."""
    if finding.failure_type is FailureType.UNKNOWN:
        return UNKNOWN_CONFIDENCE
    score = 40 if finding.strength is Strength.CLEAR else 20
    with_line = any(location.line is not None for location in finding.locations)
    score += 30 if with_line else 15 if finding.locations else 0
    score += 20 if finding.strength >= Strength.PARTIAL else 10
    score += 10 if finding.has_stack_trace else 5 if finding.message.strip() else 0
    return score


def stacks_of(finding: Finding) -> list[str]:
    """Technology stacks the finding points at, most specific first."""
    text = " ".join(
        [finding.tool, finding.test.framework if finding.test else ""]
        + [location.path for location in finding.locations]
    )
    return [stack for stack, pattern in _STACK_SIGNALS if pattern.search(text)]


def _fix_approach(failure_type: FailureType, stack: str) -> tuple[str, str | None]:
    if failure_type is FailureType.LINT:
        return "quick_fix", "lint --fix"
    if failure_type is FailureType.E2E:
        return "bugfix_workflow", "/fix-e2e"
    if failure_type in _FIXABLE | _PARTLY_FIXABLE:
        workflow = {"frontend": "/fix-frontend", "e2e": "/fix-e2e"}.get(stack, "/fix-backend")
        return "bugfix_workflow", workflow
    return "manual", None


def classify_failure(failure: Failure, step_name: str | None = None) -> Classification:
    finding = failure.finding
    stacks = stacks_of(finding) or ["unknown"]
    confidence = confidence_of(finding)
    unknown = finding.failure_type is FailureType.UNKNOWN
    located = bool(finding.locations)
    fixable = not unknown and (
        finding.failure_type in _FIXABLE or (finding.failure_type in _PARTLY_FIXABLE and located)
    )
    approach, workflow = _fix_approach(finding.failure_type, stacks[0])
    return Classification(
        failure_id=failure.id,
        step_name=step_name or finding.step,
        failure_type=finding.failure_type,
        sub_type=finding.sub_type,
        stack=stacks[0],
        secondary_stack=stacks[1] if len(stacks) > 1 else None,
        confidence=confidence,
        auto_fixable=fixable,
        fix_approach="manual" if unknown else approach,
        related_workflow=None if unknown else workflow,
        evidence=_evidence(finding),
        affected_files=_affected_files(finding),
        primary_error=finding.message.strip().splitlines()[0][:300] if finding.message else "",
        error_count=1,
        error_category=finding.sub_type,
        blocks_auto_fix=unknown,
        requires_user_decision=unknown,
    )


def _evidence(finding: Finding) -> tuple[str, ...]:
    items = [f"{finding.tool} {finding.kind} signal at line {finding.anchor}"]
    if finding.test is not None:
        items.append(f"failing test {finding.test.qualified}")
    if finding.locations:
        items.append(f"located at {finding.locations[0].path}")
    if finding.has_stack_trace:
        items.append("stack trace present")
    if finding.failure_type is FailureType.UNKNOWN:
        items.append("error signals match no known pattern")
    return tuple(items)


def _affected_files(finding: Finding) -> tuple[AffectedFile, ...]:
    return tuple(
        AffectedFile(location.path, location.line, _role(location.path))
        for location in finding.locations[:8]
    )


def _role(path: str) -> str:
    return "test" if _TEST_PATH.search(path) else "source"


def classify(failures: Sequence[Failure], step_name: str | None = None) -> ClassificationReport:
    """Classify failures ranked primary-first and recommend what to do."""
    chosen = _choose(failures)
    classifications = tuple(
        _with_counts(classify_failure(failure, step_name), failures) for failure in chosen
    )
    if not classifications:
        return ClassificationReport((), _recommend(()), 0)
    overall = round(sum(item.confidence for item in classifications) / len(classifications))
    return ClassificationReport(classifications, _recommend(classifications), overall)


def _choose(failures: Sequence[Failure]) -> list[Failure]:
    """One classification per distinct cause; weak lines only when nothing else exists."""
    strong = [f for f in failures if f.finding.strength > Strength.WEAK]
    pool = strong or list(failures[:1])
    return pool[:MAX_CLASSIFIED]


def _with_counts(classification: Classification, failures: Sequence[Failure]) -> Classification:
    same = sum(
        1
        for failure in failures
        if failure.finding.failure_type is classification.failure_type
        and failure.finding.strength > Strength.WEAK
    )
    if same <= 1:
        return classification
    return replace(classification, error_count=same)


def _recommend(classifications: Sequence[Classification]) -> Recommendation:
    auto = [c for c in classifications if c.auto_fixable and c.confidence >= AUTO_FIX]
    ask = [c for c in classifications if c.auto_fixable and ASK_USER <= c.confidence < AUTO_FIX]
    complexity = _complexity(classifications)
    if auto:
        return Recommendation(
            "auto_fix", _workflows(auto), "high confidence and auto-fixable", complexity
        )
    if ask:
        return Recommendation(
            "ask_user", _workflows(ask), "medium confidence: confirm before fixing", complexity
        )
    reason = (
        "failure type not recognised: a person must look at the log"
        if any(c.failure_type is FailureType.UNKNOWN for c in classifications)
        or not classifications
        else "low confidence or not auto-fixable: fix by hand"
    )
    return Recommendation("manual", (), reason, complexity)


def _workflows(items: Sequence[Classification]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c.related_workflow for c in items if c.related_workflow))


def _complexity(classifications: Sequence[Classification]) -> str:
    types = Counter(c.failure_type for c in classifications)
    if not classifications or len(classifications) > 5 or FailureType.UNKNOWN in types:
        return "high"
    if len(types) > 1 or len(classifications) > 2:
        return "medium"
    return "low"
