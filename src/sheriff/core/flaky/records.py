"""The values the flakiness engine reads and returns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sheriff.core.model import FailureType


class Outcome(StrEnum):
    PASS = "pass"  # noqa: S105 - an outcome, not a password
    FAIL = "fail"
    SKIP = "skip"


class Verdict(StrEnum):
    FLAKY = "flaky"
    REGRESSION = "regression"
    BROKEN_TRUNK = "broken_trunk"
    INFRA = "infra"
    UNKNOWN = "unknown"
    HEALTHY = "healthy"


DEFAULT_BRANCHES = frozenset({"main", "master", "trunk", "develop"})

MASS_FAILURE_SHARE = 0.15
MASS_FAILURE_MIN_TESTS = 5
"""A job attempt with at least this many and this share of its tests failing broke as a whole."""


@dataclass(frozen=True, slots=True)
class ResultContext:
    """What the rest of its job attempt, and the repository at the time, say about a result.

    Computed when the result is seen (``with_job_context``; ``concurrent`` by the history
    or the caller) and kept with it, so a test's history read back alone judges it the
    same way.
    """

    failed: int  # failing results in the job attempt
    total: int  # results known in the job attempt (only the failures, from a log alone)
    shared: int = 0  # other failures of the job attempt with this result's signature
    infra: bool = False  # an infrastructure failure was among them
    concurrent: int | None = None  # other tests failing so in other jobs in the last hour

    @property
    def broke(self) -> bool:
        """The job broke as a whole (infrastructure, or most of its tests at once)."""
        mass = self.failed >= MASS_FAILURE_MIN_TESTS and self.failed >= (
            MASS_FAILURE_SHARE * self.total
        )
        return self.infra or mass


@dataclass(frozen=True, slots=True)
class Observation:
    """One test's outcome in one job of one run attempt (one line of a replay history)."""

    repo: str
    workflow: str
    job: str
    run_id: int
    run_attempt: int
    sha: str
    branch: str
    event: str
    pr: int | None
    author: str
    time: datetime
    test: str
    outcome: Outcome
    signature: str = ""
    merge_base: str | None = None
    changed_files: tuple[str, ...] | None = None
    failure_type: FailureType | None = None  # from triage; else read from the signature
    context: ResultContext | None = None

    @property
    def failed(self) -> bool:
        return self.outcome is Outcome.FAIL

    @property
    def on_default_branch(self) -> bool:
        return self.pr is None and self.branch in DEFAULT_BRANCHES

    @property
    def job_key(self) -> tuple[int, int, str, str]:
        return (self.run_id, self.run_attempt, self.workflow, self.job)

    @property
    def kind(self) -> FailureType:
        """The failure class of a failed result (triage's, else read from the signature)."""
        return self.failure_type or failure_type_of(self.signature)


@dataclass(frozen=True, slots=True)
class Evidence:
    """One term of P(flaky): its value in [0, 1], log-odds weight, detail and source runs."""

    kind: str
    value: float
    weight: float
    detail: str
    run_ids: tuple[int, ...] = ()


_TYPE_PATTERNS: tuple[tuple[FailureType, re.Pattern[str]], ...] = (
    (FailureType.LINT, re.compile(r"\b(ruff|flake8|pylint|eslint|lint)\b", re.I)),
    (FailureType.TYPE_CHECK, re.compile(r"\b(mypy|pyright|tsc|error TS\d+)\b", re.I)),
    (FailureType.BUILD, re.compile(r"(compil\w+ (failed|error)|build failed|SyntaxError)", re.I)),
    (
        FailureType.DEPENDENCY,
        re.compile(r"(ModuleNotFoundError|No matching distribution|ResolutionImpossible)", re.I),
    ),
    (FailureType.CONFIG, re.compile(r"(invalid (workflow|config)|missing setting)", re.I)),
    (
        FailureType.INFRASTRUCTURE,
        re.compile(r"(runner .*(lost|shutdown)|lost communication|no space left)", re.I),
    ),
)


def failure_type_of(signature: str) -> FailureType:
    """The failure class a signature shows; a plain test failure when nothing else matches."""
    for failure_type, pattern in _TYPE_PATTERNS:
        if pattern.search(signature):
            return failure_type
    return FailureType.TEST
