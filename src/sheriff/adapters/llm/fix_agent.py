"""The agent-fix loop: a model edits a Workspace and runs its tests, within bounds.

The run ends when the model answers with a ``FixReport`` or a bound stops it (see
``fix_progress``). Whatever happens, the outcome says what changed, every test run and
what the attempt spent: nothing the model did is lost to an exception.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources

from pydantic import BaseModel, Field
from pydantic_ai import Agent
from pydantic_ai.exceptions import UnexpectedModelBehavior
from pydantic_ai.models import Model
from pydantic_ai.usage import UsageLimits

from sheriff.adapters.llm.error_translation import LIBRARY_ERRORS, translate
from sheriff.adapters.llm.fix_progress import FixLimits, FixProgress, GuardedModel, LoopStopped
from sheriff.adapters.llm.fix_tools import FixTools
from sheriff.adapters.llm.pricing import PriceRef
from sheriff.app.llm import FixOutcome, FixStop, FixTask
from sheriff.app.workspace import Workspace
from sheriff.core.redact import redact
from sheriff.errors import WorkspaceError


class FixReport(BaseModel):
    """The agent's last word."""

    fixed: bool = Field(description="true when your change makes the failing test pass")
    summary: str = Field(description="what was wrong and what you changed, for the PR")


def fix_instructions() -> str:
    return resources.files("sheriff").joinpath("prompts/fix_agent.md").read_text("utf-8")


def run_fix(
    model: Model,
    task: FixTask,
    workspace: Workspace,
    *,
    limits: FixLimits,
    price_ref: PriceRef,
    output_retries: int,
    monotonic: Callable[[], float],
) -> FixOutcome:
    progress = FixProgress(limits, price_ref, monotonic)
    agent = Agent(
        GuardedModel(model, progress),
        output_type=FixReport,
        instructions=redact(task.instructions or fix_instructions()),
        tools=FixTools(workspace, progress, task.test).tools(),
        retries={"tools": 3, "output": output_retries},
        defer_model_check=True,
    )
    try:
        result = agent.run_sync(redact(task.prompt), usage_limits=UsageLimits(request_limit=None))
    except LoopStopped as stop:
        return _outcome(progress, workspace, stop.reason, "", detail=stop.detail)
    except UnexpectedModelBehavior as error:
        return _outcome(progress, workspace, FixStop.INVALID_OUTPUT, "", detail=str(error))
    except LIBRARY_ERRORS as error:
        detail = str(translate(error, progress.usage()))
        return _outcome(progress, workspace, FixStop.MODEL_ERROR, "", detail=detail)
    report = result.output
    if not report.fixed:
        return _outcome(progress, workspace, FixStop.GAVE_UP, report.summary)
    _run_final_tests(progress, workspace, task.test)
    return _outcome(progress, workspace, FixStop.FINISHED, report.summary)


def _run_final_tests(progress: FixProgress, workspace: Workspace, test: str | None) -> None:
    """Run the tests once more when the model edited after its last run (or never ran them)."""
    if progress.test_runs and not progress.edited_since_run:
        return
    try:
        timeout = progress.remaining_seconds()
        progress.record_run(workspace.run_tests(test, timeout=timeout), detect_stall=False)
    except (LoopStopped, WorkspaceError):
        return  # no time left or no test command: the outcome stays unverified


def _outcome(
    progress: FixProgress, workspace: Workspace, stop: FixStop, summary: str, *, detail: str = ""
) -> FixOutcome:
    runs = tuple(progress.test_runs)
    verified = (
        stop is FixStop.FINISHED
        and bool(runs)
        and runs[-1].passed
        and not progress.edited_since_run
    )
    return FixOutcome(
        stop=stop,
        summary=summary,
        changed_files=_changed_files(progress, workspace),
        test_runs=runs,
        usage=progress.usage(),
        iterations=progress.requests,
        verified=verified,
        detail=detail,
    )


def _changed_files(progress: FixProgress, workspace: Workspace) -> tuple[str, ...]:
    try:
        return workspace.diff_stat().paths
    except WorkspaceError:
        return tuple(sorted(progress.edited))
