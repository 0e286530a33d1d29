"""Making and verifying a change inside a leased worktree: the quarantine patch (the test
skipped in its framework's idiom, with the issue link), the agent's fix, and running the
failing test repeatedly to verify either.

Expected outcomes are values: a ``MadeChange`` or the reason there is none (a string),
and a ``Verification`` that says how the runs went or why there were none.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sheriff.app.case_pack import bare_test_name
from sheriff.app.llm import LLM, FixOutcome, FixStop, FixTask, LlmUsage
from sheriff.app.ports import JsonObject
from sheriff.app.workspace import CommandResult, SourceReader, Workspace
from sheriff.core.model import TestIdentity
from sheriff.core.quarantine import (
    CannotQuarantine,
    locate_test_file,
    quarantine_test,
    search_hint,
)
from sheriff.errors import WorkspacePathError

OUTPUT_TAIL = 1500


@dataclass(frozen=True, slots=True)
class MadeChange:
    summary: str  # what changed and why, for the commit and the pull request
    files: tuple[str, ...]
    usage: LlmUsage | None = None
    details: JsonObject = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Verification:
    """The failing test run ``len(runs)`` times after the change (``skipped``: why not)."""

    test: str | None
    runs: tuple[CommandResult, ...] = ()
    skipped: str = ""

    @property
    def passed(self) -> int:
        return sum(1 for run in self.runs if run.passed)

    @property
    def acceptable(self) -> bool:
        """No run failed (a verification that could not run does not block the fix: the
        pull request says it was not verified)."""
        return self.passed == len(self.runs)

    def as_details(self) -> JsonObject:
        return {
            "test": self.test,
            "runs": len(self.runs),
            "passed": self.passed,
            "skipped": self.skipped,
            "command": " ".join(self.runs[0].argv) if self.runs else None,
            "seconds": [round(run.duration_seconds, 2) for run in self.runs],
            "failure": _tail(next((run.output for run in self.runs if not run.passed), "")),
        }


def _tail(text: str) -> str:
    return text[-OUTPUT_TAIL:]


def failing_test_id(test: TestIdentity | None, test_file: str | None) -> str | None:
    """What ``{test}`` becomes in the test command: a pytest node id, else the test name."""
    if test is None:
        return None
    if test.framework == "pytest":
        module = test_file or (test.suite or "").split("::", 1)[0]
        return f"{module}::{test.name}" if module else test.name
    return test.name


def find_test_file(workspace: SourceReader, test: TestIdentity) -> str | None:
    """The file defining ``test`` in the tree (see ``core.quarantine.locate_test_file``):
    the file its identity names when that file defines it (no search), else a search."""
    hint = search_hint(test)
    if hint is not None and hint.path:
        try:
            named = workspace.read_file(hint.path).text
        except WorkspacePathError:
            named = None
        if named is not None and locate_test_file([(hint.path, named)], test) == hint.path:
            return hint.path
    paths = list(dict.fromkeys(item.path for item in workspace.find_test(bare_test_name(test))))
    if hint is not None and hint.path and hint.path not in paths:
        paths.insert(0, hint.path)
    candidates = []
    for path in paths:
        try:
            candidates.append((path, workspace.read_file(path).text))
        except WorkspacePathError:
            continue
    return locate_test_file(candidates, test)


def quarantine(workspace: Workspace, test: TestIdentity | None, issue_url: str) -> MadeChange | str:
    """Skip ``test`` in its framework's idiom with a link to the issue."""
    if test is None:
        return "the failure is not a test, so there is nothing to quarantine"
    path = find_test_file(workspace, test)
    if path is None:
        return f"Sheriff could not find the file that defines {test.qualified}"
    patched = quarantine_test(workspace.read_file(path).text, test, issue_url)
    if isinstance(patched, CannotQuarantine):
        return patched.reason
    if not patched.changed:
        return f"{test.qualified} is already skipped in {path}"
    text = patched.text if patched.text.endswith("\n") else patched.text + "\n"
    workspace.write_file(path, text)  # read_file gives lines: the final newline comes back
    summary = (
        f"Quarantine the flaky test `{test.qualified}`: it is skipped in `{path}` "
        f"(line {patched.line}) with a link to {issue_url} until it is fixed."
    )
    return MadeChange(summary, (path,), details={"file": path, "line": patched.line})


def agent_change(
    llm: LLM, workspace: Workspace, task: FixTask
) -> tuple[MadeChange | str, FixOutcome]:
    """Let the agent fix the code; the change, or why it made none, and its outcome."""
    outcome = llm.fix(task, workspace)
    details: JsonObject = {
        "stop": outcome.stop.value,
        "iterations": outcome.iterations,
        "agent_verified": outcome.verified,
    }
    if outcome.stop is not FixStop.FINISHED:
        reason = f"the agent stopped ({outcome.stop.value})"
        detail = outcome.detail or outcome.summary
        return (f"{reason}: {detail}" if detail else reason), outcome
    if not outcome.changed_files:
        return "the agent finished without changing any file", outcome
    made = MadeChange(outcome.summary, outcome.changed_files, outcome.usage, details)
    return made, outcome


def verify(workspace: Workspace, test: str | None, runs: int, *, configured: bool) -> Verification:
    """Run the failing test ``runs`` times (stopping at the first failure)."""
    if not configured:
        return Verification(test, skipped="no test command is configured (test_command)")
    done: list[CommandResult] = []
    for _ in range(runs):
        result = workspace.run_tests(test)
        done.append(result)
        if not result.passed:
            break
    return Verification(test, tuple(done))


def describe_verification(details: object) -> str:
    """The verification as the pull request shows it."""
    if not isinstance(details, dict):
        return "Not verified."
    if details.get("skipped"):
        return f"Not verified: {details['skipped']}."
    runs, passed = details.get("runs", 0), details.get("passed", 0)
    command = details.get("command") or "the test command"
    return f"The failing test was run {runs} time(s) with `{command}`: {passed} passed."
