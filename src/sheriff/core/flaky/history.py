"""What the engine remembers about each test, fed in time order (in memory, no I/O)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sheriff.core.flaky.records import Observation, Outcome

RECENT_RESULTS = 30
"""How many recent results the flip rate looks at."""

MASS_FAILURE_SHARE = 0.15
MASS_FAILURE_MIN_TESTS = 5
"""A job attempt with at least this many and this share of its tests failing broke as a whole."""

SHARED_CAUSE = 2
"""A failure that this many other tests of the job share word for word has a shared cause."""


@dataclass(slots=True)
class FailureFacts:
    """What was known about one failure when it arrived."""

    observation: Observation
    broken_trunk: bool
    touches_changes: bool | None
    shared_in_job: int = 0
    """Other tests of the same job attempt that failed with the same signature."""


@dataclass(slots=True)
class TestRecord:
    """One test's results outside infrastructure failures, oldest first."""

    __test__ = False

    results: list[Observation] = field(default_factory=list)
    failures: list[FailureFacts] = field(default_factory=list)
    pass_shas: set[str] = field(default_factory=set)
    fail_shas: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    infra_failures: int = 0


def _stem_of(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name


def touches_changes(test: str, changed_files: tuple[str, ...]) -> bool:
    """Whether a test's file, or the module it is named after, is among the changed files."""
    test_path = test.split("::", 1)[0]
    test_stem = _stem_of(test_path)
    subject = test_stem.removeprefix("test_").removesuffix("_test")
    return any(
        changed == test_path or _stem_of(changed) in {subject, test_stem}
        for changed in changed_files
    )


def is_mass_failure(job: list[Observation]) -> bool:
    """Many tests of one job attempt failed at once: the job broke, not the tests."""
    failed = sum(1 for item in job if item.failed)
    return failed >= MASS_FAILURE_MIN_TESTS and failed >= MASS_FAILURE_SHARE * len(job)


class History:
    """Per-test results, per-sha outcomes and the default branch's latest state."""

    def __init__(self) -> None:
        self.tests: dict[str, TestRecord] = defaultdict(TestRecord)
        self.sha_results: dict[tuple[str, str], list[Observation]] = defaultdict(list)

    def record_of(self, test: str) -> TestRecord:
        return self.tests[test]

    def add_infra(self, observation: Observation) -> None:
        if observation.failed:
            self.tests[observation.test].infra_failures += 1

    def add(self, observation: Observation, shared_in_job: int = 0) -> None:
        if observation.outcome is Outcome.SKIP:
            return
        record = self.tests[observation.test]
        if observation.failed:
            facts = self._facts_of(observation)
            facts.shared_in_job = shared_in_job
            record.failures.append(facts)
            if shared_in_job < SHARED_CAUSE:  # a shared cause says nothing about this test
                record.fail_shas[observation.sha].append(observation.run_id)
        else:
            record.pass_shas.add(observation.sha)
        record.results.append(observation)
        self.sha_results[(observation.test, observation.sha)].append(observation)

    def _facts_of(self, observation: Observation) -> FailureFacts:
        touches = None
        if observation.pr is not None and observation.changed_files is not None:
            touches = touches_changes(observation.test, observation.changed_files)
        return FailureFacts(observation, self.failed_on_base(observation), touches)

    def failed_on_base(self, observation: Observation) -> bool:
        """A PR failure the merge base already had: every result of the test there failed."""
        if observation.pr is None or observation.merge_base is None:
            return False
        on_base = self.sha_results.get((observation.test, observation.merge_base), [])
        return bool(on_base) and all(item.failed for item in on_base)
