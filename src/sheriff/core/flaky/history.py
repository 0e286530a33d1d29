"""What the engine remembers about each test, fed in time order (in memory, no I/O)."""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import timedelta

from sheriff.core.flaky.records import Observation, Outcome, ResultContext
from sheriff.core.model import FailureType

RECENT_RESULTS = 30
"""How many recent results the flip rate looks at."""

SHARED_CAUSE = 2
"""A failure that this many other tests of the job share word for word has a shared cause."""

CONCURRENT_CAUSE = 2
"""So has a failure that this many other tests met alike in other jobs just before."""

CONCURRENT_WINDOW = timedelta(hours=1)
"""Failures of other tests with the same signature this close in time share a cause."""

TRUNK_FAILURES = 2
"""Without a merge base, a PR failure is inherited when the test's latest results on this
many default-branch commits all failed."""


@dataclass(slots=True)
class FailureFacts:
    """What was known about one failure when it arrived."""

    observation: Observation
    broken_trunk: bool
    touches_changes: bool | None
    shared_in_job: int = 0
    """Other tests of the same job attempt that failed with the same signature."""
    concurrent: int = 0
    """Other tests that failed with the same signature in other jobs in the hour before."""

    @property
    def shared_cause(self) -> bool:
        """Other tests failed alike, in the job or around it: the cause is not this test."""
        return self.shared_in_job >= SHARED_CAUSE or self.concurrent >= CONCURRENT_CAUSE


@dataclass(slots=True)
class TestRecord:
    """One test's results outside infrastructure failures, oldest first."""

    __test__ = False

    results: list[Observation] = field(default_factory=list)
    failures: list[FailureFacts] = field(default_factory=list)
    pass_shas: set[tuple[str, str]] = field(default_factory=set)  # (sha, job)
    fail_shas: dict[tuple[str, str], list[int]] = field(
        default_factory=lambda: defaultdict(list)
    )  # (sha, job) -> failing runs
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


def with_job_context(job: list[Observation]) -> list[Observation]:
    """Each result of one job attempt with what the whole attempt says (kept when known)."""
    failed = [item for item in job if item.failed]
    signatures = Counter(item.signature for item in failed)
    infra = any(item.kind is FailureType.INFRASTRUCTURE for item in failed)
    return [
        item
        if item.context is not None
        else replace(
            item,
            context=ResultContext(
                failed=len(failed),
                total=len(job),
                shared=signatures[item.signature] - 1 if item.failed else 0,
                infra=infra,
            ),
        )
        for item in job
    ]


def count_concurrent(failure: Observation, earlier: Iterable[Observation]) -> int:
    """Other tests that failed with ``failure``'s signature in other job attempts within
    ``CONCURRENT_WINDOW`` before it."""
    since = failure.time - CONCURRENT_WINDOW
    return len(
        {
            item.test
            for item in earlier
            if item.failed
            and item.test != failure.test
            and item.job_key != failure.job_key
            and item.signature == failure.signature
            and since <= item.time <= failure.time
        }
    )


def job_broke(job: list[Observation]) -> bool:
    """Infrastructure or most of the job's tests at once: the job broke, not the tests."""
    return any(item.context is not None and item.context.broke for item in job)


class History:
    """Per-test results, per-sha outcomes and the default branch's latest state."""

    def __init__(self) -> None:
        self.tests: dict[str, TestRecord] = defaultdict(TestRecord)
        self.sha_results: dict[tuple[str, str], list[Observation]] = defaultdict(list)
        self.trunk_commits: dict[str, list[str]] = defaultdict(list)  # default-branch shas
        self.recent_failures: dict[str, deque[Observation]] = defaultdict(deque)
        """Failures of the last ``CONCURRENT_WINDOW``, by signature."""

    def record_of(self, test: str) -> TestRecord:
        return self.tests[test]

    def add_infra(self, observation: Observation) -> None:
        if observation.failed:
            self.tests[observation.test].infra_failures += 1

    def add(self, observation: Observation, shared_in_job: int | None = None) -> None:
        if observation.outcome is Outcome.SKIP:
            return
        if shared_in_job is None:
            context = observation.context
            shared_in_job = context.shared if context is not None else 0
        record = self.tests[observation.test]
        commit = (observation.sha, observation.job)
        if observation.failed:
            facts = self._facts_of(observation)
            facts.shared_in_job = shared_in_job
            facts.concurrent = self._concurrent(observation)
            record.failures.append(facts)
            if not facts.shared_cause:  # a shared cause says nothing about this test
                record.fail_shas[commit].append(observation.run_id)
        else:
            record.pass_shas.add(commit)
        record.results.append(observation)
        self.sha_results[(observation.test, observation.sha)].append(observation)
        trunk = self.trunk_commits[observation.test]
        if observation.on_default_branch and (not trunk or trunk[-1] != observation.sha):
            trunk.append(observation.sha)
            del trunk[:-TRUNK_FAILURES]

    def _concurrent(self, observation: Observation) -> int:
        """Other tests that failed with this signature in other jobs in the hour before
        (given by the caller when it knows more than this history)."""
        if observation.context is not None and observation.context.concurrent is not None:
            return observation.context.concurrent
        window = self.recent_failures[observation.signature]
        while window and observation.time - window[0].time > CONCURRENT_WINDOW:
            window.popleft()
        count = count_concurrent(observation, window)
        window.append(observation)
        return count

    def _facts_of(self, observation: Observation) -> FailureFacts:
        touches = None
        if observation.pr is not None and observation.changed_files is not None:
            touches = touches_changes(observation.test, observation.changed_files)
        return FailureFacts(observation, self.failed_on_base(observation), touches)

    def failed_on_base(self, observation: Observation) -> bool:
        """A PR failure the merge base already had: every result of the test there failed.

        Without a merge base (the scan does not read pull requests yet), the default
        branch stands in: its latest ``TRUNK_FAILURES`` commits all failed this test."""
        if observation.pr is None:
            return False
        if observation.merge_base is not None:
            return self._failed_on(observation.test, observation.merge_base)
        trunk = self.trunk_commits.get(observation.test, [])
        return len(trunk) == TRUNK_FAILURES and all(
            self._failed_on(observation.test, sha) for sha in trunk
        )

    def _failed_on(self, test: str, sha: str) -> bool:
        on_base = self.sha_results.get((test, sha), [])
        return bool(on_base) and all(item.failed for item in on_base)
