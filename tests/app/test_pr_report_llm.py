"""The report's deep analysis by a model (a scripted pydantic-ai FunctionModel): validated
against the schema and the files it was shown, reused when asked again, and replaced by
the deterministic analysis, with the error audited, when the answer is unusable."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic_ai.messages import ModelMessage, ModelRequest, ModelResponse
from pydantic_ai.models.function import AgentInfo, FunctionModel

from sheriff.adapters.llm import PydanticLLM
from sheriff.testing.scripted_llm import answering, answering_badly
from tests.app.lifecycle_world import PRICED
from tests.app.pr_report_world import (
    BROKEN_PRICING,
    REPO,
    PrWorld,
    comment_action,
    pricing_failure_log,
    running_pr_world,
)

ANALYSIS: dict[str, Any] = {
    "severity": "critical",
    "failed_tests": ["tests/test_pricing.py::test_total_without_discount"],
    "root_cause": "The change adds a flat 1 to every total in shop/pricing.py line 6.",
    "related_changes": [{"file": "shop/pricing.py", "lines": "6", "why": "adds + 1"}],
    "suggested_fixes": [
        {
            "title": "Drop the flat fee from total()",
            "description": "Shipping belongs in a separate function.",
            "file": "shop/pricing.py",
            "code": "    return round(subtotal * (1 - discount), 2)",
        }
    ],
    "is_flaky": False,
    "confidence": 0.95,
}


@pytest.fixture
def world(tmp_path: Path) -> Iterator[PrWorld]:
    yield from running_pr_world(tmp_path)


class CountingModel:
    """Answers with ``ANALYSIS`` and keeps the prompts it was sent."""

    def __init__(self, output: dict[str, Any]) -> None:
        self.prompts: list[str] = []
        self._inner = answering(output)
        self.model = FunctionModel(self._answer, model_name="scripted")

    def _answer(self, messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        request = messages[-1]
        if isinstance(request, ModelRequest):
            self.prompts += [str(part.content) for part in request.parts]
        function = self._inner.function
        assert function is not None
        answer = function(messages, info)
        assert isinstance(answer, ModelResponse)
        return answer


def failing_pull(world: PrWorld):  # type: ignore[no-untyped-def]
    number, sha = world.open_pull("shipping", {"shop/pricing.py": BROKEN_PRICING}, "Shipping")
    return number, world.ci(sha, "tests", pricing_failure_log())


def test_a_models_analysis_is_posted_and_reused_not_bought_twice(world: PrWorld) -> None:
    scripted = CountingModel(ANALYSIS)
    llm = PydanticLLM(scripted.model, PRICED)
    number, run = failing_pull(world)
    first = world.report(run, llm=llm)
    assert comment_action(first) == "posted"
    [comment] = world.report_comments(number)
    assert "🔴 **Severity**: critical" in comment.body
    assert "##### 1. Drop the flat fee from total()" in comment.body
    assert "Analysis by claude-sonnet-4-5, from the log and the diff" in comment.body
    asked = "\n".join(scripted.prompts)
    assert "+6:     return round(subtotal * (1 - discount) + 1, 2)" in asked  # the diff
    assert "- symbol: shop/pricing.py lines 3-6" in asked
    assert len(scripted.prompts) == 1

    again = world.report(run, llm=llm)
    assert comment_action(again) == "unchanged"
    assert len(scripted.prompts) == 1  # the stored analysis was reused
    [kept] = world.store.audit_log(REPO, action="pr_report.analysis")
    assert kept.event.details["analysis"]["severity"] == "critical"


@pytest.mark.parametrize(
    ("model", "expected_error"),
    [
        (answering_badly(), "Exceeded maximum output retries"),
        (
            answering(
                {**ANALYSIS, "suggested_fixes": [{"title": "Edit tax", "file": "shop/tax.py"}]}
            ),
            "invalid answer: suggested_fixes.0.file",
        ),
    ],
)
def test_an_unusable_answer_falls_back_to_the_deterministic_analysis(
    world: PrWorld, model: FunctionModel, expected_error: str
) -> None:
    number, run = failing_pull(world)
    outcome = world.report(run, llm=PydanticLLM(model, PRICED))
    assert comment_action(outcome) == "posted"
    [comment] = world.report_comments(number)
    assert (
        "Deterministic analysis from the log and the diff. claude-sonnet-4-5 gave no usable"
        in comment.body
    )
    assert "🟠 **Severity**: high" in comment.body  # the deterministic one
    [failed] = world.store.audit_log(REPO, action="llm.failed")
    assert expected_error.lower() in str(failed.event.details["error"]).lower()
    assert failed.event.details["purpose"] == "pr_analysis"
    assert world.store.audit_log(REPO, action="pr_report.analysis") == []
