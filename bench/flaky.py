"""Flakiness benchmark: simulated CI histories with ground truth, replayed like live.

Every history goes through ``sheriff.app.flaky_replay.Replay`` -- the code path of
``sheriff flaky replay`` -- as JSON lines. Writes bench/results/flaky.md.

    python bench/flaky.py                    # seeds 1-5, 11-13 and 1-3 from logs only
    python bench/flaky.py --seeds 7 9 --fresh-seeds --logs-only-seeds   # other histories
    python bench/flaky.py --fit              # fit the logistic weights on seeds 101 and 102
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "src"))
sys.path.insert(0, str(BENCH))

from flaky_world import JOBS, STEPS, World, simulate  # noqa: E402
from sheriff.app.flaky_replay import Replay  # noqa: E402
from sheriff.core.flaky.records import Verdict  # noqa: E402
from sheriff.core.flaky.weights import WEIGHTS  # noqa: E402

RESULTS = BENCH / "results" / "flaky.md"
KEYWORDS = re.compile(r"timeout|timed out|race|connection reset|flaky|wait", re.I)
NEGATIVE_TERMS = (
    "broken_trunk",
    "reproduces_on_rerun",
    "first_seen_touching",
    "shared_job_failure",
    "concurrent_failures",
)
POSITIVE_TERMS = (
    "same_commit_pass_fail",
    "several_commits",
    "unrelated_commits",
    "flip_rate",
    "isolated_failures",
    "signature_hint",
    "untouched_changes",
)
TARGETS = {"precision": 0.95, "recall": 0.90, "median": 3, "brier": 0.08, "rerun": 0.95}
FIT_SEEDS = (101, 102)
L2 = 1e-3  # ridge penalty of the fit
REPORT_SEEDS = (1, 2, 3, 4, 5)
FRESH_SEEDS = (11, 12, 13)
DEV_SEEDS_DEFAULT = (1, 2, 3, 4)


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


def population_of(replay: Replay) -> set[str]:
    """Tests with at least one failure outside infrastructure failures."""
    return {test for test, record in replay.engine.records().items() if record.failures}


def score_engine(world: World, replay: Replay) -> Scores:
    report = replay.report()
    population = population_of(replay)
    truth = world.flaky_tests
    by_test = {item["test"]: item for item in report["tests"]}
    flagged = {t for t, item in by_test.items() if item["verdict"] == Verdict.FLAKY}
    precision, recall = score_flags(flagged, truth, population)
    seen = [
        by_test[t]["first_flagged"]["failures_seen"]
        for t in flagged & truth
        if by_test[t]["first_flagged"]
    ]
    brier = statistics.fmean((by_test[t]["p_flaky"] - (t in truth)) ** 2 for t in population)
    good = sum(
        world.job_truth[job[0].job_key] for job, result in replay.job_results if result.rerun
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


KEYWORD_RULES = "keyword rules on the signature"
SAME_COMMIT = "pass and fail on the same commit"
RERUN_JOBS = "failed then passed on rerun in > 2 jobs"


def baseline_flags(rows: Iterable[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """The three baselines, read in time order: each flagged test with the failures it had
    when it was first flagged."""
    flags: dict[str, dict[str, int]] = {KEYWORD_RULES: {}, SAME_COMMIT: {}, RERUN_JOBS: {}}
    fails: Counter[str] = Counter()
    recovered: Counter[str] = Counter()
    seen: dict[tuple[str, str], set[bool]] = defaultdict(set)
    attempts: dict[tuple[str, int, str, str], dict[int, bool]] = defaultdict(dict)
    for row in rows:
        test, failed = row["test"], row["outcome"] == "fail"
        fails[test] += failed
        if failed and KEYWORDS.search(row["signature"]):
            flags[KEYWORD_RULES].setdefault(test, fails[test])
        outcomes = seen[(test, row["sha"])]
        outcomes.add(failed)
        if len(outcomes) == 2:
            flags[SAME_COMMIT].setdefault(test, fails[test])
        key = (test, row["run_id"], row["workflow"], row["job"])
        attempts[key][row["run_attempt"]] = failed
        if not failed and attempts[key].get(row["run_attempt"] - 1):
            recovered[test] += 1
            if recovered[test] > 2:
                flags[RERUN_JOBS].setdefault(test, fails[test])
    return flags


@dataclass
class Evaluation:
    seed: int
    engine: Scores
    baselines: dict[str, Scores]
    lines: int
    runs: int
    tests: int
    flaky: int
    replay: Replay = field(repr=False)
    world: World = field(repr=False)


def logs_only(lines: list[str]) -> list[str]:
    """The history as a scan reading only logs sees it: every failure, and a pass only for
    a test that failed on an earlier attempt of the run in a job that now passed whole."""
    rows = [json.loads(line) for line in lines]
    jobs: dict[tuple[int, int, str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        jobs[(row["run_id"], row["run_attempt"], row["workflow"], row["job"])].append(row)
    failed_before: set[tuple[int, str, str, str]] = set()
    kept = []
    for (run_id, attempt, workflow, job), results in jobs.items():  # in time order
        failed = [row for row in results if row["outcome"] == "fail"]
        if failed:
            kept.extend(failed)
            failed_before.update((run_id, workflow, job, row["test"]) for row in failed)
        elif attempt > 1:
            kept.extend(
                row for row in results if (run_id, workflow, job, row["test"]) in failed_before
            )
    return [json.dumps(row) for row in kept]


def evaluate(seed: int, steps: int, *, only_logs: bool = False) -> Evaluation:
    world, lines = simulate(seed, steps)
    if only_logs:
        lines = logs_only(lines)
    replay = Replay()
    replay.feed(lines)
    engine = score_engine(world, replay)
    population = population_of(replay)
    truth = world.flaky_tests
    baselines = {}
    raw = baseline_flags(json.loads(line) for line in lines).items()
    filtered = baseline_flags(filtered_rows(replay)).items()
    named = [(f"{name} (raw)", f) for name, f in raw]
    named += [(f"{name} (after Sheriff's infra filter)", f) for name, f in filtered]
    for name, first_flags in named:
        flagged = set(first_flags)
        precision, recall = score_flags(flagged, truth, population)
        judged = population | flagged
        brier = statistics.fmean(float((t in flagged) != (t in truth)) for t in judged)
        seen = [first_flags[t] for t in flagged & truth]
        median = statistics.median(seen) if seen else None
        baselines[name] = Scores(precision, recall, median, brier, None, len(flagged))
    runs = len({job[0].run_id for job, _ in replay.job_results})
    return Evaluation(
        seed, engine, baselines, len(lines), runs, len(world.tests),
        len(truth & population), replay, world,
    )  # fmt: skip


def training_rows(evaluation: Evaluation) -> Iterator[tuple[list[float], float, str]]:
    """Every live assessment of a failure: evidence values, ground truth, the test."""
    kinds = list(WEIGHTS)
    truth = evaluation.world.flaky_tests
    for _, result in evaluation.replay.job_results:
        for assessment in result.assessments:
            values = {item.kind: item.value for item in assessment.evidence}
            row = [1.0] + [values.get(kind, 0.0) for kind in kinds]
            yield row, float(assessment.test in truth), f"{evaluation.seed}:{assessment.test}"


def fit_weights(evaluations: list[Evaluation], steps: int = 6000) -> dict[str, float]:
    """Logistic regression (gradient descent) on every live assessment, each test weighted 1."""
    kinds = list(WEIGHTS)
    rows, labels, tests = [], [], []
    for evaluation in evaluations:
        for row, label, test in training_rows(evaluation):
            rows.append(row)
            labels.append(label)
            tests.append(test)
    counts = Counter(tests)
    x, y = np.array(rows), np.array(labels)
    share = np.array([1.0 / counts[test] for test in tests])  # every test weighs the same
    share /= share.sum()
    w = np.zeros(x.shape[1])
    negative = [1 + kinds.index(kind) for kind in NEGATIVE_TERMS]
    positive = [1 + kinds.index(kind) for kind in POSITIVE_TERMS]
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ w))
        w -= 2.0 * (x.T @ (share * (p - y)) + L2 * np.r_[0, w[1:]])
        w[negative] = np.minimum(w[negative], 0.0)  # the signs are kept:
        w[positive] = np.maximum(w[positive], 0.0)  # a term may fit to 0, never flip
    fitted = {kind: round(float(v), 2) for kind, v in zip(kinds, w[1:], strict=True)}
    return {"BIAS": round(float(w[0]), 2)} | fitted


def fmt(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def row(name: str, s: Scores) -> str:
    cells = [name, str(s.flagged), fmt(s.precision), fmt(s.recall), fmt(s.median, 1)]
    cells += [fmt(s.brier), f"{fmt(s.rerun)} ({s.reruns})"]
    return "| " + " | ".join(cells) + " |"


def misses(s: Scores) -> list[str]:
    """The targets a score does not meet, named."""
    checks = {
        "precision": s.precision >= TARGETS["precision"],
        "recall": s.recall >= TARGETS["recall"],
        "median": s.median is not None and s.median <= TARGETS["median"],
        "Brier": s.brier is not None and s.brier <= TARGETS["brier"],
        "auto-rerun precision": s.rerun is not None and s.rerun >= TARGETS["rerun"],
    }
    return [name for name, met in checks.items() if not met]


def summary_row(evaluations: list[Evaluation]) -> str:
    """The engine's scores over every reported seed: mean (min–max)."""

    def spread(values: list[float]) -> str:
        return f"{statistics.fmean(values):.3f} ({min(values):.3f}–{max(values):.3f})"

    engines = [e.engine for e in evaluations]
    medians = [e.median for e in engines if e.median is not None]
    cells = [
        spread([e.precision for e in engines]),
        spread([e.recall for e in engines]),
        spread(medians) if medians else "–",
        spread([e.brier for e in engines if e.brier is not None]),
        spread([e.rerun for e in engines if e.rerun is not None]),
    ]
    return "| " + " | ".join(cells) + " |"


LIMITS = """## What this does and does not show

- The simulator and the engine were written by the same hands, and the evidence terms were
  shaped by looking at the development seeds' misses (a platform-only regression passing in
  the other matrix job, service outages failing a few tests at once, flaky tests needing
  many failures before a flag). The fresh seeds were never looked at before this report,
  but they come from the same simulator: the numbers say the engine handles what the
  simulator does, not that it will score so on real histories. Feed real histories through
  `sheriff flaky replay` to measure that.
- Over 1,200 commits the "failed then passed on rerun in > 2 jobs" baseline, once Sheriff's
  infrastructure filter has removed whole-job failures, is about as precise as the engine
  here (people re-run 30% of failed runs, and a regression seldom passes on a re-run); it
  flags a test only after many more failures (its median column), and without the filter
  it is poor. The engine's gains are the early flag, a probability and safe re-runs.
- Baselines count failures until flagged from all of a test's failures (infrastructure
  ones too, in the raw rows); the engine counts those outside infrastructure failures.
- The simulated flakes are independent draws (apart from the shared fixtures); real
  flakiness is bursty (load, time of day, runner images), signatures vary more than the
  few fixed strings here, and tests get renamed, sharded and quarantined. Retries inside a
  test runner (pytest-rerunfailures, Gradle test retry) hide flakes from any history.
- Every pull-request line carries its merge base and changed files here; the live scan
  does not read pull requests yet, so those terms are silent there and broken trunk falls
  back to the default branch's last two commits.
- With logs only, passing tests are known only when a job passes on a re-run: recall and
  the failures needed before a flag get much worse (the logs-only section), and there the
  plain "pass and fail on the same commit" rule (after the infrastructure filter) beats
  the engine on recall: the weights were fitted on full histories. The issue policy keeps
  that observation as flaky evidence for a case the engine leaves undecided; automatic
  re-runs stay gated by P(flaky) alone. Give Sheriff the test reports (`artifact_globs`)
  when you can.
- Auto-rerun precision counts a re-run as right when every failure of that job attempt was
  a flake (no regression, broken trunk, lint or outage). The once-per-run rule and the
  hourly cap are in force during the replay; the outcome of Sheriff's own re-runs is not
  simulated (only the people's re-runs are in the histories).
- The ground truth calls a test flaky if it was flaky at any time; a test whose flakiness
  was fixed long ago may fairly be judged otherwise at the end of the history.
"""


@dataclass
class Section:
    title: str
    about: str
    evaluations: list[Evaluation]


HEADER = (
    "| method | flagged | precision | recall | median failures until flagged | Brier "
    "| auto-rerun precision (reruns) |\n|---|---|---|---|---|---|---|"
)


def report(sections: list[Section], steps: int) -> str:
    jobs = sum(len(names) for names in JOBS.values())
    parts = [
        "# Flakiness benchmark\n",
        f"`python bench/flaky.py` (about 10 minutes on 2 cores) — simulated histories ({steps} "
        f"commits of pull requests and the default branch, {jobs} jobs in 3 workflows plus a "
        "nightly run; the simulator is `bench/flaky_world.py`, whose docstring lists what "
        "it simulates) replayed through `sheriff.app.flaky_replay.Replay`, the code path of "
        "`sheriff flaky replay`.\n",
        f"Weights fitted on seeds {', '.join(map(str, FIT_SEEDS))} "
        "(`python bench/flaky.py --fit`), never on a seed reported here.\n",
        "Population: tests with at least one failure outside infrastructure failures. "
        "Baselines flag a test from its whole history, either raw (infrastructure failures "
        "included) or after Sheriff's mass-failure filter; their Brier is their 0/1 error "
        "rate.\n",
        f"Targets: precision ≥ {TARGETS['precision']}, recall ≥ {TARGETS['recall']}, median ≤ "
        f"{TARGETS['median']}, Brier ≤ {TARGETS['brier']}, "
        f"auto-rerun precision ≥ {TARGETS['rerun']}.\n",
        "## Summary: the Sheriff engine, mean (min–max) over the seeds of each set\n",
        "| seeds | precision | recall | median failures until flagged | Brier "
        "| auto-rerun precision |",
        "|---|---|---|---|---|---|",
    ]
    parts += [
        f"| {section.title} |" + summary_row(section.evaluations).removeprefix("|")
        for section in sections
    ]
    parts.append("")
    for section in sections:
        parts.append(f"## {section.title}\n\n{section.about}\n")
        parts.extend(seed_table(evaluation) for evaluation in section.evaluations)
    parts.append(LIMITS)
    return "\n".join(parts) + "\n"


def seed_table(e: Evaluation) -> str:
    missed = misses(e.engine)
    status = "all targets met" if not missed else f"targets missed: {', '.join(missed)}"
    rows = [row("**Sheriff engine**", e.engine)]
    rows += [row(name, score) for name, score in e.baselines.items()]
    title = (
        f"### Seed {e.seed}: {e.runs} runs, {e.tests} tests ({e.flaky} flaky ones failed), "
        f"{e.lines} result lines — {status}"
    )
    return "\n".join([title, "", HEADER, *rows, ""])


SECTIONS = (
    (
        "development seeds",
        "These histories were inspected while the evidence terms were designed (their "
        "misses led to the per-job same-commit rule, the one-off-failure and outage terms); "
        "the weights were not fitted on them.",
        "seeds",
        False,
    ),
    (
        "fresh seeds",
        "Never looked at before this report: the honest estimate for histories like these.",
        "fresh_seeds",
        False,
    ),
    (
        "logs only",
        "The development histories as a scan reading only logs sees them: every failure, and "
        "a pass only for a test that failed on an earlier attempt of the run in a job that "
        "then passed whole (`logs_only` in bench/flaky.py).",
        "logs_only_seeds",
        True,
    ),
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=list(DEV_SEEDS_DEFAULT))
    parser.add_argument("--fresh-seeds", type=int, nargs="*", default=list(FRESH_SEEDS))
    parser.add_argument("--logs-only-seeds", type=int, nargs="*", default=list(REPORT_SEEDS[:3]))
    parser.add_argument("--steps", type=int, default=STEPS)
    parser.add_argument("--fit", action="store_true", help="print weights fitted on FIT_SEEDS")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    if args.fit:
        print(json.dumps(fit_weights([evaluate(seed, args.steps) for seed in FIT_SEEDS]), indent=2))
        return 0
    sections = []
    for title, about, option, only_logs in SECTIONS:
        evaluations = []
        for seed in getattr(args, option):
            evaluation = evaluate(seed, args.steps, only_logs=only_logs)
            print(row(f"{title}: seed {seed}", evaluation.engine), flush=True)
            evaluations.append(evaluation)
        if evaluations:
            sections.append(Section(title, about, evaluations))
    if not args.no_write:
        RESULTS.write_text(report(sections, args.steps))
        print(f"wrote {RESULTS}")
    judged = [e for section in sections[:2] for e in section.evaluations]
    return 0 if not any(misses(e.engine) for e in judged) else 1


if __name__ == "__main__":
    raise SystemExit(main())
