"""Values the triage engine produces: findings, failures, excerpts and reports.

Everything here is an immutable value with no behaviour beyond small derivations, so
the rest of Sheriff (store, issues, renderers) can depend on it without pulling logic.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import IntEnum, StrEnum
from operator import attrgetter

LineRange = tuple[int, int]
"""An inclusive, 1-based range of line numbers in the original input."""


class FailureType(StrEnum):
    """The failure taxonomy of seed 004, in the order used to break ties."""

    TEST = "test_failure"
    E2E = "e2e_failure"
    BUILD = "build_failure"
    LINT = "lint_failure"
    TYPE_CHECK = "type_check_failure"
    DEPENDENCY = "dependency_failure"
    CONFIG = "config_failure"
    INFRASTRUCTURE = "infrastructure_failure"
    UNKNOWN = "unknown"


DETERMINISTIC_TYPES = frozenset(
    {
        FailureType.BUILD,
        FailureType.LINT,
        FailureType.TYPE_CHECK,
        FailureType.DEPENDENCY,
        FailureType.CONFIG,
    }
)
"""Failure types that a re-run cannot fix: they are never flaky."""


class Strength(IntEnum):
    """How clearly a finding says why the job failed."""

    WEAK = 1  # a generic word such as "error" or an exit code
    PARTIAL = 2  # a known tool's failure line without its details
    CLEAR = 3  # a precise, tool-specific failure with its message


@dataclass(frozen=True, slots=True)
class Location:
    """A source location named by the log."""

    path: str
    line: int | None = None

    def __reduce__(self) -> tuple[type[Location], tuple[str, int | None]]:
        """Pickled as its constructor's arguments (see ``Finding.__reduce__``)."""
        return (Location, (self.path, self.line))


@dataclass(frozen=True, slots=True)
class TestIdentity:
    """Which test failed: framework, suite (file, package or class) and name."""

    __test__ = False  # not a pytest test class, despite the name

    framework: str
    suite: str | None
    name: str

    @property
    def qualified(self) -> str:
        return f"{self.suite}::{self.name}" if self.suite else self.name

    def __reduce__(self) -> tuple[type[TestIdentity], tuple[str, str | None, str]]:
        """Pickled as its constructor's arguments (see ``Finding.__reduce__``)."""
        return (TestIdentity, (self.framework, self.suite, self.name))


@dataclass(frozen=True, slots=True)
class Finding:
    """One failure a parser recognised in the log, before fingerprinting.

    ``anchor`` is the line that proves the failure; ``ranges`` are the lines that
    explain it (header, message, stack, summary), all in original line numbers.
    """

    tool: str
    failure_type: FailureType
    sub_type: str
    message: str
    anchor: int
    ranges: tuple[LineRange, ...]
    strength: Strength = Strength.CLEAR
    test: TestIdentity | None = None
    locations: tuple[Location, ...] = ()
    has_stack_trace: bool = False
    kind: str = "error"
    step: str | None = None

    def __reduce__(self) -> tuple[type[Finding], tuple[object, ...]]:
        """Pickled as its constructor's arguments: a worker process scanning part of a
        big log sends thousands of findings, and the default for a frozen dataclass with
        slots (state set field by field) is several times slower."""
        return (Finding, finding_fields(self))


finding_fields = attrgetter(*(item.name for item in fields(Finding)))
"""A finding's field values, in the order its constructor takes them."""


@dataclass(frozen=True, slots=True)
class Failure:
    """A finding with its stable identity: the public unit of ``sheriff.triage/v1``."""

    id: str
    finding: Finding
    signature: str
    fingerprint: str


@dataclass(frozen=True, slots=True)
class Excerpt:
    """The lines chosen to explain the failure, never more than the budget."""

    ranges: tuple[LineRange, ...]
    budget: int

    @property
    def line_count(self) -> int:
        return sum(last - first + 1 for first, last in self.ranges)


@dataclass(frozen=True, slots=True)
class AffectedFile:
    path: str
    line: int | None
    role: str  # "source" or "test"


@dataclass(frozen=True, slots=True)
class Classification:
    """Seed 004's classification of one failure."""

    failure_id: str
    step_name: str | None
    failure_type: FailureType
    sub_type: str
    stack: str
    secondary_stack: str | None
    confidence: int
    auto_fixable: bool
    fix_approach: str
    related_workflow: str | None
    evidence: tuple[str, ...]
    affected_files: tuple[AffectedFile, ...]
    primary_error: str
    error_count: int
    error_category: str
    blocks_auto_fix: bool = False
    requires_user_decision: bool = False


@dataclass(frozen=True, slots=True)
class Recommendation:
    action: str  # auto_fix / ask_user / manual
    workflows: tuple[str, ...]
    reason: str
    estimated_complexity: str


@dataclass(frozen=True, slots=True)
class ClassificationReport:
    classifications: tuple[Classification, ...]
    recommendation: Recommendation
    overall_confidence: int


@dataclass(frozen=True, slots=True)
class TriageReport:
    """Everything ``sheriff triage`` says about one log."""

    source: str
    lines: int
    excerpt: Excerpt
    failures: tuple[Failure, ...]
    classification: ClassificationReport
    excerpt_text: tuple[tuple[int, str], ...] = field(default=())
    skipped_lines: int = 0
    """Lines that looked like failures but were not examined: past ``scan.MAX_HIT_LINES``
    confirmed lines, only the last lines are (a file split across cores beyond the limit
    may confirm up to twice it, each part a share)."""
