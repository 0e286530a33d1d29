"""Flakiness benchmark: simulated CI histories with ground truth, replayed like live.

Every history goes through ``sheriff.app.flaky_replay.Replay`` -- the code path of
``sheriff flaky replay`` -- as JSON lines. Writes bench/results/flaky.md.

    python bench/flaky.py                    # dev seed 1 and independent seeds 2, 3, 4
    python bench/flaky.py --seeds 1 7 9      # other histories
    python bench/flaky.py --fit --seed 1     # fit the logistic weights (core/flaky/weights.py)
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))

from sheriff.app.flaky_replay import Replay  # noqa: E402
from sheriff.core.flaky.records import Verdict  # noqa: E402
from sheriff.core.flaky.weights import WEIGHTS  # noqa: E402

RESULTS = BENCH / "results" / "flaky.md"
REPO = "acme/widgets"
MODULES = 40
JOBS = (("ci", "unit-1"), ("ci", "unit-2"), ("ci", "unit-3"), ("integration", "e2e"))
TESTS_PER_JOB = 60
FLAKY_SHARE = 0.08
EVENTS = 1500
AUTHORS = [f"dev{i}" for i in range(12)]
FLAKY_SIGNATURES = (
    "TimeoutError: timed out waiting for server after 30s",
    "AssertionError: assert 2 == 3",
    "ConnectionResetError: [Errno 104] Connection reset by peer",
    "AssertionError: expected event not received",
    "KeyError: 'session'",
)
REGRESSION_SIGNATURES = (
    "AssertionError: assert 'v2' == 'v1'",
    "TypeError: unsupported operand",
    "TimeoutError: deadlock in worker pool",
    "ValueError: invalid literal for int()",
)
INFRA_SIGNATURES = ("The runner has lost communication with the server", "")
KEYWORDS = re.compile(r"timeout|timed out|race|connection reset|flaky|wait", re.I)
NEGATIVE_TERMS = (
    "broken_trunk",
    "reproduces_on_rerun",
    "first_seen_touching",
    "shared_job_failure",
)
POSITIVE_TERMS = (
    "same_commit_pass_fail",
    "unrelated_commits",
    "flip_rate",
    "signature_hint",
    "untouched_changes",
)
TARGETS = {"precision": 0.95, "recall": 0.90, "median": 3, "brier": 0.08, "rerun": 0.95}


@dataclass
class PullRequest:
    number: int
    author: str
    merge_base: str
    changed: tuple[str, ...]
    regression: str | None
    lint_broken: bool
    commits: int = 0


@dataclass
class World:
    """The simulated repository: tests, flake rates, trunk breakages, open PRs."""

    rng: random.Random
    tests: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    flake_rate: dict[str, float] = field(default_factory=dict)
    signature: dict[str, str] = field(default_factory=dict)
    main_sha: str = "m0"
    main_broken: dict[str, set[str]] = field(default_factory=dict)
    trunk_regressions: dict[str, int] = field(default_factory=dict)
    prs: list[PullRequest] = field(default_factory=list)
    next_pr: int = 1
    run_id: int = 1000
    job_truth: dict[tuple[int, int, str, str], bool] = field(default_factory=dict)


def build_world(seed: int) -> World:
    world = World(random.Random(seed))
    rng = world.rng
    for workflow, job in JOBS:
        names = []
        for index in range(TESTS_PER_JOB):
            module = f"mod{rng.randrange(MODULES)}"
            names.append(f"tests/{job}/test_{module}.py::test_{job.replace('-', '_')}_{index}")
        world.tests[(workflow, job)] = names
        for name in names:
            if rng.random() < FLAKY_SHARE:
                world.flake_rate[name] = rng.uniform(0.01, 0.30)
                world.signature[name] = rng.choice(FLAKY_SIGNATURES)
            else:
                world.signature[name] = rng.choice(REGRESSION_SIGNATURES)
    world.tests[("lint", "ruff")] = ["lint::ruff"]
    world.signature["lint::ruff"] = "ruff: E501 line too long (lint)"
    world.main_broken["m0"] = set()
    return world


def stable_tests(world: World) -> list[str]:
    return [t for names in world.tests.values() for t in names if t not in world.flake_rate]


def push_main(world: World, step: int) -> None:
    """A merged commit: may introduce or fix a trunk regression."""
    rng = world.rng
    broken = set(world.main_broken[world.main_sha])
    for test, until in list(world.trunk_regressions.items()):
        if step >= until:
            broken.discard(test)
            del world.trunk_regressions[test]
    if rng.random() < 0.04:
        test = rng.choice([t for t in stable_tests(world) if t != "lint::ruff"])
        broken.add(test)
        world.trunk_regressions[test] = step + rng.randint(6, 30)
    world.main_sha = f"m{step}"
    world.main_broken[world.main_sha] = broken


def open_pr(world: World) -> PullRequest:
    rng = world.rng
    changed = tuple(f"src/pkg/mod{rng.randrange(MODULES)}.py" for _ in range(rng.randint(1, 3)))
    regression = None
    if rng.random() < 0.15:
        stems = {Path(path).stem for path in changed}
        near = [t for t in stable_tests(world) if Path(t.split("::")[0]).stem[5:] in stems]
        pool = near if near and rng.random() < 0.8 else stable_tests(world)
        regression = rng.choice([t for t in pool if t != "lint::ruff"])
    pr = PullRequest(
        world.next_pr, rng.choice(AUTHORS), world.main_sha, changed, regression,
        rng.random() < 0.08,
    )  # fmt: skip
    world.next_pr += 1
    world.prs.append(pr)
    return pr


OUTAGE_SIGNATURE = "ConnectionRefusedError: [Errno 111] Connection refused (db:5432)"


def outcome_of(
    world: World, test: str, broken: set[str], infra: bool | float
) -> tuple[str, str, str]:
    """(outcome, signature, cause) of one test in one job attempt."""
    if isinstance(infra, float) and world.rng.random() < infra:
        return "fail", OUTAGE_SIGNATURE, "infra"
    if infra is True:
        return "fail", world.rng.choice(INFRA_SIGNATURES) or "OSError: runner disk", "infra"
    if test in broken:
        return "fail", world.signature[test], "broken"
    if world.rng.random() < world.flake_rate.get(test, 0.0):
        return "fail", world.signature[test], "flaky"
    return "pass", "", "pass"


def run_job(
    world: World, base: dict[str, Any], job: tuple[str, str], broken: set[str]
) -> list[dict[str, Any]]:
    infra: bool | float = job[0] != "lint" and world.rng.random() < 0.015
    if job[0] != "lint" and not infra and world.rng.random() < 0.02:
        infra = world.rng.uniform(0.2, 0.45)  # a partial outage: a service the tests need
    lines, causes = [], set()
    for test in world.tests[job]:
        outcome, signature, cause = outcome_of(world, test, broken, infra)
        causes.add(cause)
        lines.append(
            {
                **base,
                "workflow": job[0],
                "job": job[1],
                "test": test,
                "outcome": outcome,
                "signature": signature,
            }
        )
    key = (base["run_id"], base["run_attempt"], job[0], job[1])
    world.job_truth[key] = causes <= {"flaky", "pass"}
    return lines


def run_workflows(world: World, base: dict[str, Any], broken: set[str]) -> Iterator[dict[str, Any]]:
    """All jobs of one push or PR commit; failed jobs are re-run by a human 30% of the time."""
    rng = world.rng
    for job in world.tests:
        world.run_id += 1
        attempt = {**base, "run_id": world.run_id, "run_attempt": 1}
        lines = run_job(world, attempt, job, broken)
        yield from lines
        for number in (2, 3):
            if not any(line["outcome"] == "fail" for line in lines) or rng.random() > 0.3:
                break
            later = (
                datetime.fromisoformat(base["time"]) + timedelta(minutes=10 * number)
            ).isoformat()
            lines = run_job(world, {**attempt, "run_attempt": number, "time": later}, job, broken)
            yield from lines


Commit = tuple[dict[str, Any], set[str]]


def main_commit(world: World, step: int, common: dict[str, Any]) -> Commit:
    push_main(world, step)
    author = world.rng.choice(AUTHORS)
    base = {**common, "sha": world.main_sha, "branch": "main", "event": "push", "pr": None,
            "author": author}  # fmt: skip
    return base, set(world.main_broken[world.main_sha])


def pr_commit(world: World, common: dict[str, Any]) -> Commit:
    """A new commit on an open PR (or a new PR): it may fix its regression or lint error."""
    rng = world.rng
    open_prs = (p for p in world.prs[-8:] if p.commits < 4 and rng.random() < 0.7)
    pr = next(open_prs, None) or open_pr(world)
    pr.commits += 1
    if pr.commits >= 2 and rng.random() < 0.6:
        pr.regression, pr.lint_broken = None, False
    base = {
        **common, "sha": f"p{pr.number}c{pr.commits}", "branch": f"feature-{pr.number}",
        "event": "pull_request", "pr": pr.number, "author": pr.author,
        "merge_base": pr.merge_base, "changed_files": list(pr.changed),
    }  # fmt: skip
    broken = set(world.main_broken[pr.merge_base])
    broken |= {t for t in (pr.regression,) if t}
    return base, broken | ({"lint::ruff"} if pr.lint_broken else set())


def simulate(seed: int, events: int = EVENTS) -> tuple[World, list[str]]:
    """One history as JSON lines in time order, and the world that holds its ground truth."""
    world = build_world(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows: list[dict[str, Any]] = []
    for step in range(1, events + 1):
        common = {"repo": REPO, "time": (start + timedelta(minutes=40 * step)).isoformat()}
        if world.rng.random() < 0.35:
            base, broken = main_commit(world, step, common)
        else:
            base, broken = pr_commit(world, common)
        rows.extend(run_workflows(world, base, broken))
    rows.sort(key=lambda row: row["time"])
    return world, [json.dumps(row) for row in rows]


@dataclass
class Scores:
    precision: float
    recall: float
    median: float | None
    brier: float | None
    rerun: float | None
    flagged: int
    reruns: int = 0


def ratio(hit: int, total: int) -> float:
    return hit / total if total else 1.0


def score_flags(flagged: set[str], truth: set[str], population: set[str]) -> tuple[float, float]:
    return ratio(len(flagged & truth), len(flagged)), ratio(
        len(flagged & truth), len(truth & population)
    )


def score_engine(world: World, replay: Replay) -> Scores:
    report = replay.report()
    population = {t for t, r in replay.engine.records().items() if r.failures}
    truth = set(world.flake_rate)
    by_test = {item["test"]: item for item in report["tests"]}
    flagged = {t for t, item in by_test.items() if item["verdict"] == Verdict.FLAKY}
    precision, recall = score_flags(set(flagged), truth, population)
    seen = [
        by_test[t]["first_flagged"]["failures_seen"]
        for t in flagged & truth
        if by_test[t]["first_flagged"]
    ]
    brier = statistics.fmean((by_test[t]["p_flaky"] - (t in truth)) ** 2 for t in population)
    good = sum(
        world.job_truth[(job[0].run_id, job[0].run_attempt, job[0].workflow, job[0].job)]
        for job, res in replay.job_results
        if res.rerun
    )
    reruns = len(report["reruns"])
    median = statistics.median(seen) if seen else None
    return Scores(precision, recall, median, brier, ratio(good, reruns), len(flagged), reruns)


def filtered_rows(replay: Replay) -> Iterator[dict[str, Any]]:
    """The history without the job attempts Sheriff's infrastructure filter dropped."""
    for record in replay.engine.records().values():
        for item in record.results:
            yield {"test": item.test, "sha": item.sha, "run_id": item.run_id, "job": item.job,
                   "workflow": item.workflow, "run_attempt": item.run_attempt,
                   "outcome": item.outcome.value, "signature": item.signature}  # fmt: skip


def baseline_flags(rows: Iterable[dict[str, Any]]) -> dict[str, set[str]]:
    """Keyword rules; pass and fail on one commit; failed then passed on rerun in > 2 jobs."""
    keyword, fail_shas, pass_shas = set(), set(), set()
    attempts: dict[tuple[str, int, str, str], dict[int, bool]] = defaultdict(dict)
    for row in rows:
        failed = row["outcome"] == "fail"
        if failed and KEYWORDS.search(row["signature"]):
            keyword.add(row["test"])
        (fail_shas if failed else pass_shas).add((row["test"], row["sha"]))
        key = (row["test"], row["run_id"], row["workflow"], row["job"])
        attempts[key][row["run_attempt"]] = failed
    recovered: Counter[str] = Counter(
        key[0] for key, a in attempts.items() if any(a[n] and a.get(n + 1) is False for n in a)
    )
    return {
        "keyword rules on the signature": keyword,
        "pass and fail on the same commit": {test for test, sha in fail_shas & pass_shas},
        "failed then passed on rerun in > 2 jobs": {t for t, n in recovered.items() if n > 2},
    }


def evaluate(seed: int, events: int) -> tuple[Scores, dict[str, Scores], Replay, World]:
    world, lines = simulate(seed, events)
    replay = Replay()
    replay.feed(lines)
    engine = score_engine(world, replay)
    population = {t for t, r in replay.engine.records().items() if r.failures}
    truth = set(world.flake_rate)
    baselines = {}
    raw = baseline_flags(json.loads(line) for line in lines).items()
    filtered = baseline_flags(filtered_rows(replay)).items()
    named = [(f"{name} (raw)", f) for name, f in raw]
    named += [(f"{name} (after Sheriff's infra filter)", f) for name, f in filtered]
    for name, flagged in named:
        precision, recall = score_flags(set(flagged), truth, population)
        judged = population | flagged
        brier = statistics.fmean(float((t in flagged) != (t in truth)) for t in judged)
        baselines[name] = Scores(precision, recall, None, brier, None, len(flagged))
    return engine, baselines, replay, world


def fit_weights(replay: Replay, world: World, steps: int = 5000) -> dict[str, float]:
    """Logistic regression (gradient descent) on every live assessment, each test weighted 1."""
    kinds = list(WEIGHTS)
    rows, labels, tests = [], [], []
    for _, result in replay.job_results:
        for assessment in result.assessments:
            values = {item.kind: item.value for item in assessment.evidence}
            rows.append([1.0] + [values.get(kind, 0.0) for kind in kinds])
            labels.append(float(assessment.test in world.flake_rate))
            tests.append(assessment.test)
    counts = Counter(tests)
    x, y = np.array(rows), np.array(labels)
    share = np.array([1.0 / counts[test] for test in tests])  # every test weighs the same
    share /= share.sum()
    w = np.zeros(x.shape[1])
    negative = [1 + kinds.index(kind) for kind in NEGATIVE_TERMS]
    positive = [1 + kinds.index(kind) for kind in POSITIVE_TERMS]
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ w))
        w -= 2.0 * (x.T @ (share * (p - y)) + 0.001 * np.r_[0, w[1:]])
        w[negative] = np.minimum(w[negative], 0.0)  # the signs are kept:
        w[positive] = np.maximum(w[positive], 0.0)  # a term may fit to 0, never flip
    return {"BIAS": float(w[0])} | {kind: float(v) for kind, v in zip(kinds, w[1:], strict=True)}


def fmt(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def row(name: str, s: Scores) -> str:
    cells = [name, str(s.flagged), fmt(s.precision), fmt(s.recall), fmt(s.median, 1)]
    cells += [fmt(s.brier), f"{fmt(s.rerun)} ({s.reruns})"]
    return "| " + " | ".join(cells) + " |"


def meets(s: Scores) -> bool:
    return (
        s.precision >= TARGETS["precision"] and s.recall >= TARGETS["recall"]
        and s.median is not None and s.median <= TARGETS["median"]
        and s.brier is not None and s.brier <= TARGETS["brier"]
        and s.rerun is not None and s.rerun >= TARGETS["rerun"]
    )  # fmt: skip


LIMITS = """## What this does and does not show

- The simulated regressions fail on every run of the broken code, so once Sheriff's
  infrastructure filter has removed mass failures, "pass and fail on the same commit" alone
  is already near-perfect here; the engine's gains over it are a calibrated P(flaky), the
  early flag (median failures until flagged) and safe automatic re-runs. Raw, without the
  filter, that baseline flags almost every test (whole-job outages pass on re-run).
- Not simulated: intermittent regressions (a PR that adds a race), flaky tests whose rate
  changes over time, tests renamed or sharded differently, only-logs histories (no passing
  results: same-commit and flip-rate evidence then vanish and P(flaky) leans on the
  signature, unrelated-commits and changed-files terms). Expect lower numbers on real
  histories; feed them through `sheriff flaky replay` to measure.
- Auto-rerun precision counts a re-run as right when every failure of that job attempt was
  a flake (no regression, broken trunk, lint or outage). The once-per-run rule and the
  hourly cap (10 per repository) are in force during the replay.
"""


def report(
    results: list[tuple[int, Scores, dict[str, Scores], int]], dev_seed: int, events: int
) -> str:
    header = (
        "| method | flagged | precision | recall | median failures until flagged | Brier "
        "| auto-rerun precision (reruns) |\n|---|---|---|---|---|---|---|"
    )
    parts = [
        "# Flakiness benchmark\n",
        f"`python bench/flaky.py` — simulated histories ({events} pushes/PR commits, "
        f"{len(JOBS) * TESTS_PER_JOB + 1} tests in 5 jobs of 3 workflows, "
        f"~{FLAKY_SHARE:.0%} flaky tests with flake rates 1–30%, PR and trunk regressions "
        "later fixed, broken-trunk periods, partial and total "
        "infrastructure outages, human re-runs, lint failures) replayed through "
        "`sheriff.app.flaky_replay.Replay`, the code path of `sheriff flaky replay`.\n",
        f"Weights fitted on a longer history of seed {dev_seed} "
        f"(`python bench/flaky.py --fit --seed {dev_seed} --events 4000`); "
        "the other seeds are independent histories never used for fitting.\n",
        "Population: tests with at least one failure outside infrastructure failures. "
        "Baselines flag a test from its whole history, either raw (infrastructure failures "
        "included) or after Sheriff's mass-failure filter; every flag counts; their Brier is "
        "their 0/1 error rate.\n",
        f"Targets: precision ≥ {TARGETS['precision']}, recall ≥ {TARGETS['recall']}, median ≤ "
        f"{TARGETS['median']}, Brier ≤ {TARGETS['brier']}, "
        f"auto-rerun precision ≥ {TARGETS['rerun']}.\n",
    ]
    for seed, engine, baselines, lines in results:
        role = "dev (fitted)" if seed == dev_seed else "independent"
        status = "all targets met" if meets(engine) else "targets NOT all met"
        parts.append(f"## Seed {seed} — {role}, {lines} result lines: {status}\n\n{header}")
        parts.append(row("**Sheriff engine**", engine))
        parts.extend(row(name, score) for name, score in baselines.items())
        parts.append("")
    parts.append(LIMITS)
    return "\n".join(parts) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4])
    parser.add_argument("--seed", type=int, default=1, help="the dev seed (fitting)")
    parser.add_argument("--events", type=int, default=EVENTS)
    parser.add_argument("--fit", action="store_true", help="print fitted weights and exit")
    args = parser.parse_args(argv)
    if args.fit:
        _, _, replay, world = evaluate(args.seed, args.events)
        print(json.dumps(fit_weights(replay, world), indent=2))
        return 0
    results = []
    for seed in args.seeds:
        engine, baselines, replay, _ = evaluate(seed, args.events)
        lines = sum(len(job) for job, _ in replay.job_results)
        print(row(f"seed {seed}", engine), flush=True)
        results.append((seed, engine, baselines, lines))
    RESULTS.write_text(report(results, args.seed, args.events))
    print(f"wrote {RESULTS}")
    return 0 if all(meets(e) for _, e, _, _ in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
