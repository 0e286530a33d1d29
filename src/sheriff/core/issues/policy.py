"""Which failures open an issue.

Default: flaky test failures, and test failures that are not known to be flaky but recur
(in ``recurrence_threshold`` distinct runs), on a watched branch (the default branch
unless configured). Infrastructure failures are recorded and counted, never filed, unless
``issue_kinds`` names them (or is ``all``). Pull-request runs never open an issue: they
are evidence only (a pass after a failure on the same commit still proves flakiness).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sheriff.core.issues.facts import FailureCase, FlakySignal, Occurrence
from sheriff.core.model import DETERMINISTIC_TYPES, FailureType
from sheriff.core.repo_config import IssueKinds, RepoSettings, branch_is_watched

DEFAULT_KINDS = frozenset({FailureType.TEST, FailureType.E2E})


class Verdict(StrEnum):
    """Sheriff's word for a failure in titles and labels."""

    FLAKY = "flaky"  # failed and passed on the same code, or P(flaky) over the threshold
    FAILING = "failing"  # fails consistently, or is not known to be flaky


@dataclass(frozen=True, slots=True)
class FilingDecision:
    """Whether a case may open (or reopen, or attach to) an issue, and why."""

    file: bool
    verdict: Verdict
    reason: str


def flaky_evidence(case: FailureCase, threshold: float) -> str | None:
    """Why the case counts as flaky, or None (deterministic failure types never are)."""
    if case.failure_type in DETERMINISTIC_TYPES:
        return None
    signal = case.flakiness
    if signal.verdict is not None and signal.p_flaky is not None:
        return _judged_evidence(signal, signal.p_flaky, threshold)
    if signal.failed_and_passed_on:
        return f"failed and passed on the same commit {signal.failed_and_passed_on[:7]}"
    if signal.p_flaky is not None and signal.p_flaky >= threshold:
        return f"P(flaky) {signal.p_flaky:.2f} (threshold {threshold:.2f})"
    return None


def _judged_evidence(signal: FlakySignal, p_flaky: float, threshold: float) -> str | None:
    """The flakiness engine's word: flaky at P(flaky) >= threshold; an undecided case seen
    to pass and fail on one commit in one job counts too (what was seen, not guessed); a
    regression, broken trunk, infrastructure or healthy verdict never does."""
    if signal.verdict == "flaky" and p_flaky >= threshold:
        return f"P(flaky) {p_flaky:.2f} (threshold {threshold:.2f})"
    if signal.verdict != "unknown" or not signal.failed_and_passed_on:
        return None
    sha = signal.failed_and_passed_on[:7]
    return f"failed and passed on the same commit {sha} (P(flaky) {p_flaky:.2f})"


def verdict_of(case: FailureCase, settings: RepoSettings) -> Verdict:
    return Verdict.FLAKY if flaky_evidence(case, settings.flaky_threshold) else Verdict.FAILING


def watched_occurrences(
    case: FailureCase, settings: RepoSettings, default_branch: str
) -> tuple[Occurrence, ...]:
    """The occurrences that may open an issue: not pull requests, on a watched branch."""
    return tuple(
        item
        for item in case.occurrences
        if not item.from_pull_request and branch_is_watched(settings, item.branch, default_branch)
    )


def kind_is_filed(kinds: IssueKinds, failure_type: FailureType) -> bool:
    if kinds == "all":
        return True
    if kinds == "default":
        return failure_type in DEFAULT_KINDS
    return failure_type in kinds


def decide_filing(case: FailureCase, settings: RepoSettings, default_branch: str) -> FilingDecision:
    """Whether the case deserves an issue, with a reason a person can act on."""
    verdict = verdict_of(case, settings)
    watched = watched_occurrences(case, settings, default_branch)
    branches = _branch_words(settings, default_branch)
    if not watched:
        return FilingDecision(False, verdict, _unwatched_reason(case, branches))
    if not kind_is_filed(settings.issue_kinds, case.failure_type):
        return FilingDecision(False, verdict, _kind_reason(case.failure_type))
    evidence = flaky_evidence(case, settings.flaky_threshold)
    if evidence:
        return FilingDecision(True, verdict, f"flaky on {branches}: {evidence}")
    runs = len({item.run_id for item in watched})
    needed = settings.recurrence_threshold
    if runs >= needed:
        return FilingDecision(True, verdict, f"failed in {runs} runs on {branches}")
    return FilingDecision(
        False,
        verdict,
        f"seen in {runs} run on {branches} and not known to be flaky; "
        f"an issue opens once it fails in {needed} runs",
    )


def _branch_words(settings: RepoSettings, default_branch: str) -> str:
    names = settings.branches or (default_branch,)
    return ", ".join(f"`{name}`" for name in names)


def _unwatched_reason(case: FailureCase, branches: str) -> str:
    if case.occurrences and all(item.from_pull_request for item in case.occurrences):
        return "seen only in pull-request runs, which are evidence and never open issues"
    return f"not seen on a watched branch ({branches}); add the branch to `branches` to file it"


def _kind_reason(failure_type: FailureType) -> str:
    if failure_type is FailureType.INFRASTRUCTURE:
        return (
            "infrastructure failures are recorded and counted, not filed "
            "(add infrastructure_failure to `issue_kinds` to file them)"
        )
    return (
        f"{failure_type.value} is not filed (default: flaky and recurring test failures; "
        f"add it to `issue_kinds`, or set `issue_kinds: all`)"
    )
