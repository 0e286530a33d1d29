"""The fix agent on a real worktree of a real repository, running a real test command."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic_ai.exceptions import ModelHTTPError
from pydantic_ai.messages import ModelMessage, ModelResponse, ToolCallPart
from pydantic_ai.models.function import AgentInfo, FunctionModel

from sheriff.adapters.git import GitWorktree
from sheriff.adapters.llm import FixLimits, PriceRef, PydanticLLM
from sheriff.app.llm import FixStop, FixTask
from sheriff.testing.scripted_llm import Call, Finish, FixScript, answering_badly
from tests.adapters.git.repos import published_project, workspaces

FAILING = "tests/test_pricing.py::test_total_applies_discount"
TASK = FixTask("test_total_applies_discount fails: assert 11.0 == 10. Fix it.", test=FAILING)
READ = Call("read_file", {"path": "shop/pricing.py"})
RUN = Call("run_tests")
FIX = Call(
    "edit_file",
    {"path": "shop/pricing.py", "old_text": " + 1\n", "new_text": "\n"},
)


@pytest.fixture
def tree(tmp_path: Path) -> Iterator[GitWorktree]:
    published = published_project(tmp_path / "github")
    mirror = workspaces(tmp_path / "sheriff").mirror("shop/pricing", published.url)
    mirror.ensure()
    with mirror.lease_worktree("main") as leased:
        yield leased


def agent(script: FixScript | FunctionModel, **limits: Any) -> PydanticLLM:
    model = script.model if isinstance(script, FixScript) else script
    return PydanticLLM(model, PriceRef("scripted"), limits=FixLimits(**limits))


def test_the_agent_reads_edits_and_tests_until_the_failing_test_passes(
    tree: GitWorktree,
) -> None:
    script = FixScript([READ, RUN, FIX, RUN, Finish(summary="Removed a stray + 1.")])

    outcome = agent(script).fix(TASK, tree)

    assert outcome.stop is FixStop.FINISHED
    assert outcome.verified
    assert outcome.summary == "Removed a stray + 1."
    assert outcome.changed_files == ("shop/pricing.py",)
    assert [run.passed for run in outcome.test_runs] == [False, True]
    assert outcome.test_runs[0].argv[-1] == FAILING
    assert "+ 1" not in (tree.root / "shop/pricing.py").read_text()
    assert outcome.iterations == script.requests == 5
    assert outcome.usage.requests == 5
    assert outcome.usage.input_tokens > 0
    assert "    3      return sum(prices) * (1 - discount / 100) + 1" in script.tool_results[0]
    assert "FAILED (exit code 1)" in script.tool_results[1]
    assert "assert 11.0 == 10" in script.tool_results[1]
    assert script.tool_results[2] == "edited shop/pricing.py"
    assert "PASSED" in script.tool_results[3]
    assert script.prompts == [TASK.prompt]


def test_an_edit_not_followed_by_a_test_run_is_verified_by_the_loop(tree: GitWorktree) -> None:
    outcome = agent(FixScript([FIX, Finish()])).fix(TASK, tree)

    assert outcome.stop is FixStop.FINISHED
    assert len(outcome.test_runs) == 1
    assert outcome.test_runs[0].passed
    assert outcome.verified


def test_a_claimed_fix_whose_tests_fail_is_not_verified(tree: GitWorktree) -> None:
    wrong = Call("edit_file", {"path": "README.md", "old_text": "tiny", "new_text": "small"})
    outcome = agent(FixScript([wrong, Finish()])).fix(TASK, tree)

    assert outcome.stop is FixStop.FINISHED
    assert not outcome.verified
    assert outcome.changed_files == ("README.md",)


def test_giving_up_is_an_outcome(tree: GitWorktree) -> None:
    outcome = agent(FixScript([READ, Finish(fixed=False, summary="Needs a human.")])).fix(
        TASK, tree
    )
    assert outcome.stop is FixStop.GAVE_UP
    assert outcome.summary == "Needs a human."
    assert not outcome.verified
    assert outcome.changed_files == ()


def test_the_same_failure_twice_in_a_row_stops_the_loop(tree: GitWorktree) -> None:
    script = FixScript([RUN, READ, RUN, Finish()])

    outcome = agent(script).fix(TASK, tree)

    assert outcome.stop is FixStop.STALLED
    assert [run.passed for run in outcome.test_runs] == [False, False]
    assert script.requests == 3  # the finishing request was never made
    assert "twice" in outcome.detail


def test_a_changed_failure_is_not_a_stall(tree: GitWorktree) -> None:
    other = Call(
        "edit_file", {"path": "shop/pricing.py", "old_text": " + 1\n", "new_text": " + 2\n"}
    )
    undo = Call("edit_file", {"path": "shop/pricing.py", "old_text": " + 2\n", "new_text": "\n"})
    outcome = agent(FixScript([RUN, other, RUN, undo, RUN, Finish()])).fix(TASK, tree)

    assert outcome.stop is FixStop.FINISHED
    assert [run.passed for run in outcome.test_runs] == [False, False, True]


def test_the_iteration_cap_stops_an_endless_agent(tree: GitWorktree) -> None:
    script = FixScript([], then=Call("list_files"))

    outcome = agent(script, max_iterations=3).fix(TASK, tree)

    assert outcome.stop is FixStop.MAX_ITERATIONS
    assert outcome.iterations == script.requests == 3
    assert "shop/pricing.py" in script.tool_results[0]


def test_the_token_budget_stops_the_loop(tree: GitWorktree) -> None:
    script = FixScript([], then=READ)

    outcome = agent(script, max_tokens=1).fix(TASK, tree)

    assert outcome.stop is FixStop.BUDGET
    assert script.requests == 1
    assert "tokens" in outcome.detail


def test_the_cost_budget_stops_the_loop(tree: GitWorktree) -> None:
    script = FixScript([], then=READ, model_name="claude-sonnet-4-5")
    llm = PydanticLLM(
        script.model,
        PriceRef("claude-sonnet-4-5", provider_id="anthropic"),
        limits=FixLimits(max_usd=Decimal("0.0001")),
    )

    outcome = llm.fix(TASK, tree)

    assert outcome.stop is FixStop.BUDGET
    assert outcome.usage.usd >= Decimal("0.0001")
    assert script.requests < 5


def test_wall_time_is_measured_on_the_injected_clock(tree: GitWorktree) -> None:
    ticks = iter(range(0, 10_000, 60))  # every look at the clock is a minute later
    script = FixScript([], then=READ)
    llm = PydanticLLM(
        script.model,
        PriceRef("scripted"),
        limits=FixLimits(wall_seconds=250),
        monotonic=lambda: float(next(ticks)),
    )

    outcome = llm.fix(TASK, tree)

    assert outcome.stop is FixStop.WALL_TIME
    assert 1 <= script.requests <= 3


def test_paths_outside_the_worktree_are_refused_and_the_agent_may_go_on(
    tree: GitWorktree,
) -> None:
    escape = Call("edit_file", {"path": "../escape.py", "old_text": "", "new_text": "x = 1\n"})
    script = FixScript([escape, Call("read_file", {"path": "/etc/passwd"}), Finish(False)])

    outcome = agent(script).fix(TASK, tree)

    assert outcome.stop is FixStop.GAVE_UP
    assert script.tool_results[0].startswith("error: '../escape.py' climbs out")
    assert script.tool_results[1].startswith("error: '/etc/passwd' is an absolute path")
    assert not (tree.root.parent / "escape.py").exists()
    assert outcome.changed_files == ()


def test_text_sent_back_from_the_tools_is_redacted(tree: GitWorktree) -> None:
    token = "ghp_" + "Q1w2E3r4" * 5
    (tree.root / "settings.py").write_text(f"GITHUB_TOKEN = '{token}'\n")
    script = FixScript([Call("read_file", {"path": "settings.py"}), Finish(False)])

    agent(script).fix(TASK, tree)

    assert token not in script.tool_results[0]
    assert "[REDACTED" in script.tool_results[0]


def test_output_that_stays_invalid_ends_the_attempt_with_its_usage(tree: GitWorktree) -> None:
    outcome = agent(answering_badly()).fix(TASK, tree)

    assert outcome.stop is FixStop.INVALID_OUTPUT
    assert outcome.usage.requests == 3  # the first answer and two retries
    assert outcome.detail


def test_a_provider_failure_ends_the_attempt_with_what_was_done(tree: GitWorktree) -> None:
    calls = [0]

    def edit_then_fail(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        calls[0] += 1
        if calls[0] == 1:
            return ModelResponse(parts=[ToolCallPart(FIX.tool, dict(FIX.args))])
        raise ModelHTTPError(503, "scripted", "overloaded")

    outcome = agent(FunctionModel(edit_then_fail)).fix(TASK, tree)

    assert outcome.stop is FixStop.MODEL_ERROR
    assert "503" in outcome.detail
    assert outcome.changed_files == ("shop/pricing.py",)
    assert outcome.iterations == 2
