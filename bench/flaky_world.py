"""A simulated repository's CI history with ground truth, for bench/flaky.py.

What it simulates, per step of 30 minutes (``STEPS`` steps):

- four workflows: ``ci`` (the unit suite in a Linux and a macOS matrix job), ``integration``
  (one end-to-end job), ``lint`` (ruff and mypy jobs) and a nightly ``integration`` run on
  the default branch (event ``schedule``); one run per workflow per commit;
- about 220 tests, some added during the history;
- flaky tests with log-uniform flake rates between 1% and 30%: some only on macOS, some that
  start being flaky at a commit or get fixed later, several failure signatures each (most
  without a "timeout"-like word), and flaky fixtures that fail two or three tests of a job
  at once with one signature;
- regressions on pull requests (mostly in the tests of the changed modules, a quarter
  elsewhere), some only on macOS, some intermittent (a race the PR adds), fixed by a later
  commit of the PR; lint and type errors on pull requests;
- regressions merged into the default branch and fixed some hours later: pull requests
  based on a broken default branch inherit the failure (broken trunk);
- infrastructure: runners lost (the whole job fails), and service outages of one to three
  hours failing integration tests across every run in that time, either most of a job or
  only a handful of tests (below the mass-failure filter);
- human re-runs of failed jobs (30% of failed runs, a second time 30% of the time).

The ground truth: a test is flaky when it has a flake rate at any time (its own or its
fixture's); every other test that fails is not. A job attempt is "all flakes" when every
failure in it came from a flake (the measure of an automatic re-run's precision).
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

REPO = "acme/widgets"
STEPS = 1200
MODULES = 30
UNIT_TESTS = 180
INTEGRATION_TESTS = 70
LATE_TESTS = 0.1  # share of tests added during the history
AUTHORS = [f"dev{i}" for i in range(14)]
START = datetime(2026, 1, 1, tzinfo=UTC)
STEP = timedelta(minutes=30)

UNIT_JOBS = ("unit-linux", "unit-macos")
JOBS: dict[str, tuple[str, ...]] = {
    "ci": UNIT_JOBS,
    "integration": ("e2e",),
    "lint": ("ruff", "mypy"),
}
SUITE_OF_JOB = {"unit-linux": "unit", "unit-macos": "unit", "e2e": "integration"}

FLAKY_SHARE = 0.09
FIXTURE_CLUSTERS = 3
FLAKY_SIGNATURES = (
    "TimeoutError: timed out waiting for server after 30s",
    "AssertionError: assert 2 == 3",
    "ConnectionResetError: [Errno 104] Connection reset by peer",
    "AssertionError: expected event not received",
    "KeyError: 'session'",
    "AssertionError: assert [1, 3, 2] == [1, 2, 3]",
    "RuntimeError: port 8081 already in use",
    "AssertionError: elapsed 1.31s > 1.0s",
    "sqlite3.OperationalError: database is locked",
)
REGRESSION_SIGNATURES = (
    "AssertionError: assert 'v2' == 'v1'",
    "TypeError: unsupported operand type(s) for +: 'int' and 'str'",
    "TimeoutError: deadlock in worker pool",
    "ValueError: invalid literal for int() with base 10: 'x'",
    "AttributeError: 'NoneType' object has no attribute 'id'",
    "AssertionError: assert 404 == 200",
)
LINT_SIGNATURE = "ruff: E501 line too long (lint)"
TYPE_SIGNATURE = "mypy: error: Incompatible types in assignment"
RUNNER_LOST = "The runner has lost communication with the server"
OUTAGE_SIGNATURE = "ConnectionRefusedError: [Errno 111] Connection refused (db:5432)"


@dataclass
class Test:
    name: str
    suite: str
    module: str
    born: int = 0
    flake_rate: float = 0.0
    flaky_jobs: frozenset[str] | None = None  # None: every job that runs it
    flaky_from: int = 0
    flaky_until: int = 10**9
    signatures: tuple[str, ...] = ()
    regression_signature: str = ""

    def flaky_at(self, step: int, job: str) -> float:
        if not self.flaky_from <= step < self.flaky_until:
            return 0.0
        if self.flaky_jobs is not None and job not in self.flaky_jobs:
            return 0.0
        return self.flake_rate


@dataclass
class Fixture:
    """A flaky fixture shared by a few tests of one suite: they fail together."""

    tests: tuple[str, ...]
    rate: float
    signature: str


@dataclass(frozen=True)
class Breakage:
    """A regression: the test fails on these jobs (None: all) at this rate (1: always)."""

    test: str
    jobs: frozenset[str] | None
    rate: float
    signature: str

    def fails(self, rng: random.Random, job: str) -> bool:
        return (self.jobs is None or job in self.jobs) and rng.random() < self.rate


@dataclass
class PullRequest:
    number: int
    author: str
    merge_base: str
    changed: tuple[str, ...]
    breakages: list[Breakage]
    lint: str | None
    commits: int = 0


@dataclass
class Outage:
    until: int
    rate: float


@dataclass
class World:
    rng: random.Random
    tests: dict[str, Test] = field(default_factory=dict)
    fixtures: list[Fixture] = field(default_factory=list)
    main_sha: str = "m0"
    trunk: dict[str, tuple[Breakage, ...]] = field(default_factory=dict)
    trunk_fixes: dict[Breakage, int] = field(default_factory=dict)
    prs: list[PullRequest] = field(default_factory=list)
    outage: Outage | None = None
    next_pr: int = 1
    run_id: int = 10_000
    job_truth: dict[tuple[int, int, str, str], bool] = field(default_factory=dict)

    @property
    def flaky_tests(self) -> set[str]:
        clustered = {name for fixture in self.fixtures for name in fixture.tests}
        return {name for name, test in self.tests.items() if test.flake_rate > 0} | clustered

    def suite(self, suite: str, step: int) -> list[Test]:
        return [t for t in self.tests.values() if t.suite == suite and t.born <= step]


def build_world(seed: int) -> World:
    world = World(random.Random(seed))
    rng = world.rng
    for suite, count in (("unit", UNIT_TESTS), ("integration", INTEGRATION_TESTS)):
        for index in range(count):
            module = f"mod{rng.randrange(MODULES)}"
            name = f"tests/{suite}/test_{module}.py::test_{suite}_{index}"
            born = rng.randrange(STEPS // 2) if rng.random() < LATE_TESTS else 0
            test = Test(name, suite, module, born)
            test.regression_signature = rng.choice(REGRESSION_SIGNATURES)
            if rng.random() < FLAKY_SHARE:
                make_flaky(rng, test)
            world.tests[name] = test
    for _ in range(FIXTURE_CLUSTERS):
        suite = rng.choice(["unit", "integration"])
        members = rng.sample([t.name for t in world.suite(suite, 0)], rng.randint(2, 3))
        rate = math.exp(rng.uniform(math.log(0.02), math.log(0.15)))
        world.fixtures.append(Fixture(tuple(members), rate, rng.choice(FLAKY_SIGNATURES)))
    world.tests["lint::ruff"] = Test("lint::ruff", "ruff", "lint")
    world.tests["lint::mypy"] = Test("lint::mypy", "mypy", "lint")
    world.trunk["m0"] = ()
    return world


def make_flaky(rng: random.Random, test: Test) -> None:
    test.flake_rate = math.exp(rng.uniform(math.log(0.01), math.log(0.30)))
    test.signatures = tuple(rng.sample(FLAKY_SIGNATURES, rng.randint(1, 3)))
    if test.suite == "unit" and rng.random() < 0.25:
        test.flaky_jobs = frozenset({"unit-macos"})
    if rng.random() < 0.3:
        test.flaky_from = rng.randrange(STEPS // 2)
    if rng.random() < 0.2:
        test.flaky_until = test.flaky_from + rng.randrange(STEPS // 4, STEPS)


def breakage_of(world: World, test: Test, intermittent: bool) -> Breakage:
    rng = world.rng
    jobs = frozenset({"unit-macos"}) if test.suite == "unit" and rng.random() < 0.3 else None
    rate = rng.uniform(0.3, 0.6) if intermittent else 1.0
    return Breakage(test.name, jobs, rate, test.regression_signature)


def breakable(world: World, step: int) -> list[Test]:
    return [
        t for t in world.tests.values() if t.suite in ("unit", "integration") and t.born <= step
    ]


def push_main(world: World, step: int) -> str:
    """A merged commit: trunk regressions may be introduced or fixed."""
    rng = world.rng
    broken = [b for b in world.trunk[world.main_sha] if world.trunk_fixes.get(b, 0) > step]
    if rng.random() < 0.03:
        fresh = breakage_of(world, rng.choice(breakable(world, step)), intermittent=False)
        broken.append(fresh)
        world.trunk_fixes[fresh] = step + rng.randint(4, 24)
    world.main_sha = f"m{step}"
    world.trunk[world.main_sha] = tuple(broken)
    return world.main_sha


def open_pr(world: World, step: int) -> PullRequest:
    rng = world.rng
    changed = tuple(f"src/pkg/mod{rng.randrange(MODULES)}.py" for _ in range(rng.randint(1, 3)))
    breakages = []
    if rng.random() < 0.15:
        modules = {path.rsplit("/", 1)[-1].removesuffix(".py") for path in changed}
        near = [t for t in breakable(world, step) if t.module in modules]
        pool = near if near and rng.random() < 0.75 else breakable(world, step)
        breakages.append(breakage_of(world, rng.choice(pool), intermittent=rng.random() < 0.15))
    lint = None
    if rng.random() < 0.08:
        lint = rng.choice(["lint::ruff", "lint::mypy"])
    pr = PullRequest(world.next_pr, rng.choice(AUTHORS), world.main_sha, changed, breakages, lint)
    world.next_pr += 1
    world.prs.append(pr)
    return pr


@dataclass(frozen=True)
class Commit:
    base: dict[str, Any]
    breakages: tuple[Breakage, ...]
    lint: str | None = None


def main_commit(world: World, step: int) -> Commit:
    sha = push_main(world, step)
    base = {"sha": sha, "branch": "main", "event": "push", "pr": None,
            "author": world.rng.choice(AUTHORS)}  # fmt: skip
    return Commit(base, world.trunk[sha])


def nightly_commit(world: World) -> Commit:
    base = {"sha": world.main_sha, "branch": "main", "event": "schedule", "pr": None,
            "author": "github-actions"}  # fmt: skip
    return Commit(base, world.trunk[world.main_sha])


def pr_commit(world: World, step: int) -> Commit:
    """A new commit on an open PR (or a new PR): it may fix its regression or lint error."""
    rng = world.rng
    open_prs = (p for p in world.prs[-8:] if p.commits < 4 and rng.random() < 0.7)
    pr = next(open_prs, None) or open_pr(world, step)
    pr.commits += 1
    if pr.commits >= 2 and rng.random() < 0.6:
        pr.breakages, pr.lint = [], None
    base = {
        "sha": f"p{pr.number}c{pr.commits}", "branch": f"feature-{pr.number}",
        "event": "pull_request", "pr": pr.number, "author": pr.author,
        "merge_base": pr.merge_base, "changed_files": list(pr.changed),
    }  # fmt: skip
    return Commit(base, world.trunk[pr.merge_base] + tuple(pr.breakages), pr.lint)


def result_of(
    world: World, test: Test, job: str, step: int, commit: Commit, fixture_hits: dict[str, str]
) -> tuple[str, str, str]:
    """(outcome, signature, cause) of one test in one job attempt."""
    rng = world.rng
    outage = world.outage
    if test.suite == "integration" and outage is not None and rng.random() < outage.rate:
        return "fail", OUTAGE_SIGNATURE, "infra"
    if test.suite in ("ruff", "mypy"):
        if commit.lint == test.name:
            return "fail", LINT_SIGNATURE if test.suite == "ruff" else TYPE_SIGNATURE, "broken"
        return "pass", "", "pass"
    for breakage in commit.breakages:
        if breakage.test == test.name and breakage.fails(rng, job):
            return "fail", breakage.signature, "broken"
    if test.name in fixture_hits:
        return "fail", fixture_hits[test.name], "flaky"
    if rng.random() < test.flaky_at(step, job):
        return "fail", rng.choice(test.signatures), "flaky"
    return "pass", "", "pass"


def fixture_failures(world: World, job: str) -> dict[str, str]:
    """Tests that a flaky fixture failed in this job attempt (most of its tests at once)."""
    rng = world.rng
    hits: dict[str, str] = {}
    for fixture in world.fixtures:
        if rng.random() < fixture.rate:
            hits.update({name: fixture.signature for name in fixture.tests if rng.random() < 0.85})
    return hits


def run_job(
    world: World, row: dict[str, Any], job: str, step: int, commit: Commit
) -> list[dict[str, Any]]:
    rng = world.rng
    suite = SUITE_OF_JOB.get(job, job)
    tests = world.suite(suite, step)
    runner_lost = suite in ("unit", "integration") and rng.random() < 0.01
    hits = fixture_failures(world, job)
    lines, causes = [], set()
    for test in tests:
        if runner_lost:
            outcome, signature, cause = "fail", RUNNER_LOST, "infra"
        else:
            outcome, signature, cause = result_of(world, test, job, step, commit, hits)
        causes.add(cause)
        lines.append({**row, "job": job, "test": test.name, "outcome": outcome,
                      "signature": signature})  # fmt: skip
    key = (row["run_id"], row["run_attempt"], row["workflow"], job)
    world.job_truth[key] = causes <= {"flaky", "pass"}
    return lines


def run_workflow(
    world: World, workflow: str, jobs: tuple[str, ...], step: int, commit: Commit
) -> list[dict[str, Any]]:
    """One run: every job, then re-runs of the failed jobs by a person 30% of the time."""
    rng = world.rng
    world.run_id += 1
    time = START + step * STEP
    row = {"repo": REPO, "workflow": workflow, "run_id": world.run_id, "run_attempt": 1,
           "time": time.isoformat(), **commit.base}  # fmt: skip
    lines: list[dict[str, Any]] = []
    pending = list(jobs)
    for attempt in (1, 2, 3):
        later = time + timedelta(minutes=12 * (attempt - 1))
        attempt_row = {**row, "run_attempt": attempt, "time": later.isoformat()}
        failed = []
        for job in pending:
            job_lines = run_job(world, attempt_row, job, step, commit)
            lines.extend(job_lines)
            if any(line["outcome"] == "fail" for line in job_lines):
                failed.append(job)
        if not failed or rng.random() > 0.3:
            break
        pending = failed
    return lines


def update_outage(world: World, step: int) -> None:
    rng = world.rng
    if world.outage is not None and step >= world.outage.until:
        world.outage = None
    if world.outage is None and rng.random() < 0.012:
        heavy = rng.random() < 0.5
        rate = rng.uniform(0.3, 0.7) if heavy else rng.uniform(0.015, 0.05)
        world.outage = Outage(step + rng.randint(2, 6), rate)


def simulate(seed: int, steps: int = STEPS) -> tuple[World, list[str]]:
    """One history as JSON lines in time order, and the world that holds its ground truth."""
    world = build_world(seed)
    rows: list[dict[str, Any]] = []
    for step in range(1, steps + 1):
        update_outage(world, step)
        commit = main_commit(world, step) if world.rng.random() < 0.35 else pr_commit(world, step)
        for workflow, jobs in JOBS.items():
            rows.extend(run_workflow(world, workflow, jobs, step, commit))
        if step % 48 == 0:
            rows.extend(run_workflow(world, "nightly", ("e2e",), step, nightly_commit(world)))
    rows.sort(key=lambda row: row["time"])
    return world, [json.dumps(row) for row in rows]
