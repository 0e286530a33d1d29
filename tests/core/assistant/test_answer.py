"""Answers without a model, and the polite refusals."""

from __future__ import annotations

from dataclasses import replace

from sheriff.core.assistant import (
    AssistantAnswer,
    AssistantAsk,
    RequestKind,
    change_refusal,
    deterministic_answer,
    help_text,
)
from tests.core.assistant.cases import CONTEXT, PULL_CONTEXT, TOKEN

EXPLAIN = AssistantAsk(RequestKind.EXPLAIN, "why did this fail?")


def test_without_a_model_the_answer_is_the_triage_summary() -> None:
    text = deterministic_answer(EXPLAIN, CONTEXT)
    assert "No language model is configured" in text
    for expected in (
        "**`tests/test_retry.py::test_fetch_within_deadline`** (test_failure/assertion",
        "[tests](https://github.com/acme/shop/actions/runs/1001/job/10011)",
        "`TimeoutError: deadline exceeded: the server took 1.31s`",
        "P(flaky): 0.74 (flaky); seen 2 time(s)",
        "Test defined at `tests/test_retry.py:7`",
        "Reproduce: `python -m pytest tests/test_retry.py::test_fetch_within_deadline`",
        "   41  E   TimeoutError: deadline exceeded",
    ):
        assert expected in text, expected
    assert TOKEN not in text


def test_without_failures_it_says_it_has_nothing_grounded() -> None:
    text = deterministic_answer(EXPLAIN, replace(CONTEXT, failures=()))
    assert "no CI failure triaged by Sheriff is linked to this issue" in text


def test_a_review_without_a_model_lists_the_changes() -> None:
    text = deterministic_answer(AssistantAsk(RequestKind.REVIEW, "review"), PULL_CONTEXT)
    assert text.startswith("A review needs a language model")
    assert "- `shop/retry.py` (modified, +1/-1)" in text


def test_refusals_and_help_are_polite_and_say_what_is_possible() -> None:
    refusal = change_refusal("ada", "code changes are turned off")
    assert refusal.startswith(
        "Thanks, ada: I can't make that change, because code changes are turned off."
    )
    assert "review pull requests" in refusal
    assert "turned off here (`assistant_changes`)" in help_text("@sheriff", changes=False)
    assert "draft pull request" in help_text("@sheriff", changes=True)


def test_the_answer_shape_is_validated() -> None:
    answer = AssistantAnswer.model_validate({"answer": "It timed out.", "files": ["a.py"]})
    assert answer.files == ("a.py",)
    assert AssistantAnswer.model_json_schema()["required"] == ["answer"]
