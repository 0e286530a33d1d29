"""Excerpt benchmark: does Sheriff's excerpt contain the lines that explain the failure?

For every dataset and budget it scores Sheriff (with and without the passing log where
there is one) and the baselines (tail, grep, diff, logreduce) on hit, full and mean recall,
checks the targets and writes bench/results/extraction.md.

    python bench/extraction.py                      # everything, writes the report
    python bench/extraction.py --dataset cidiff --budget 50
    python bench/extraction.py --details logchunks --budget 50
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import baselines
import datasets
import engine
from datasets import CIDIFF, DATASET_NAMES, LOGCHUNKS, LOGREDUCE, PYTORCH, Case
from scoring import (
    METRIC_NAMES,
    Metrics,
    fmt,
    format_ranges,
    line_text,
    md_table,
    score_case,
    set_to_ranges,
    verdict,
)

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results" / "extraction.md"
CACHE = BENCH / ".cache"
BUDGETS = (25, 50, 100, 200)

SHERIFF = "sheriff"
SHERIFF_PASS = "sheriff+pass"
TAIL, GREP, DIFF, LOGREDUCE_TOOL = "tail", "grep", "diff", "logreduce"
PASSING_METHODS = {SHERIFF_PASS, DIFF, LOGREDUCE_TOOL}

# Published baseline numbers (project lead, dev data): (dataset, method, metric, budget).
PUBLISHED: dict[tuple[str, str, str, int], float] = {
    (LOGCHUNKS, TAIL, "hit", 50): 0.43,
    (LOGCHUNKS, GREP, "hit", 50): 0.58,
    (LOGCHUNKS, TAIL, "full", 50): 0.30,
    (LOGCHUNKS, GREP, "full", 50): 0.21,
    (CIDIFF, TAIL, "recall", 50): 0.83,
    (CIDIFF, GREP, "recall", 50): 0.77,
    (CIDIFF, DIFF, "recall", 50): 0.92,
}

Excerpts = dict[str, dict[int, list[frozenset[int]]]]  # method -> budget -> per case


@dataclass
class DatasetRun:
    name: str
    cases: list[Case]
    excerpts: Excerpts = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    def metrics(
        self,
        method: str,
        budget: int,
        pick: Callable[[Case], bool] = lambda c: c.headline,
        alt_truth: bool = False,
    ) -> Metrics:
        scores = []
        for case, excerpt in zip(self.cases, self.excerpts[method][budget], strict=True):
            if pick(case):
                truth = case.truth_alt if alt_truth and case.truth_alt is not None else case.truth
                scores.append(score_case(truth, excerpt, budget))
        return Metrics.of(scores)


# --- running Sheriff ---------------------------------------------------------------------

_WORKER_CASES: list[Case] = []


def _sheriff_case(
    index: int, budgets: tuple[int, ...]
) -> tuple[dict[str, dict[int, frozenset[int]]], str | None]:
    """Run the engine on one case at every budget, with and without its passing log."""
    case = _WORKER_CASES[index]
    triage = engine.load()
    modes = [(SHERIFF, None)] + ([(SHERIFF_PASS, case.passing)] if case.passing else [])
    out: dict[str, dict[int, frozenset[int]]] = {}
    for method, passing in modes:
        out[method] = {}
        for budget in budgets:
            try:
                report = triage(case.fail, source=case.id, budget=budget, passing=passing)
            except Exception as exc:  # a crash must not stop the benchmark
                out[method][budget] = frozenset()
                error = f"{case.dataset}/{case.id} {method}@{budget}: {type(exc).__name__}: {exc}"
                return out, error
            lines = engine.excerpt_lines(report)
            if len(lines) > budget:
                error = f"{case.dataset}/{case.id} {method}@{budget}: {len(lines)} lines > budget"
                return out, error
            out[method][budget] = lines
    return out, None


def run_sheriff(run: DatasetRun, budgets: tuple[int, ...], jobs: int) -> None:
    global _WORKER_CASES  # noqa: PLW0603
    _WORKER_CASES = run.cases
    start = time.perf_counter()
    indices = range(len(run.cases))
    if jobs > 1 and len(run.cases) > 1:
        context = multiprocessing.get_context("fork")  # workers inherit the loaded cases
        with ProcessPoolExecutor(jobs, mp_context=context) as pool:
            results = list(pool.map(_sheriff_case, indices, [budgets] * len(run.cases)))
    else:
        results = [_sheriff_case(i, budgets) for i in indices]
    methods = [SHERIFF] + ([SHERIFF_PASS] if any(c.passing for c in run.cases) else [])
    for method in methods:
        run.excerpts[method] = {
            b: [res.get(method, {}).get(b, frozenset()) for res, _ in results] for b in budgets
        }
    run.errors.extend(err for _, err in results if err)
    run.seconds[SHERIFF] = time.perf_counter() - start


# --- running the baselines ---------------------------------------------------------------


def run_baselines(run: DatasetRun, budgets: tuple[int, ...], with_logreduce: bool) -> None:
    has_passing = any(c.passing for c in run.cases)
    names = [TAIL, GREP] + ([DIFF] if has_passing else [])
    for name in names:
        run.excerpts[name] = {b: [] for b in budgets}
    start = time.perf_counter()
    for case in run.cases:
        lines = case.fail.splitlines()
        matches = baselines.grep_matches(lines)
        candidates = (
            baselines.diff_candidates(lines, case.passing.splitlines()) if case.passing else []
        )
        for budget in budgets:
            run.excerpts[TAIL][budget].append(baselines.tail(lines, budget))
            run.excerpts[GREP][budget].append(baselines.grep(lines, budget, matches))
            if has_passing:
                run.excerpts[DIFF][budget].append(baselines.diff(candidates, budget))
    run.seconds["baselines"] = time.perf_counter() - start
    if has_passing and with_logreduce:
        run_logreduce(run, budgets)


def run_logreduce(run: DatasetRun, budgets: tuple[int, ...]) -> None:
    if baselines.logreduce_command() is None:
        run.errors.append(f"{run.name}: logreduce not installed (pip install logreduce==0.6.1)")
        return
    start = time.perf_counter()
    per_budget: dict[int, list[frozenset[int]]] = {b: [] for b in budgets}
    for case in run.cases:
        order: list[int] = []
        if case.pass_path and case.fail_path:
            try:
                report = baselines.run_logreduce(
                    case.pass_path, case.fail_path, CACHE / "logreduce"
                )
                order = baselines.logreduce_order(report or {}, case.fail)
            except Exception as exc:
                run.errors.append(f"{run.name}/{case.id} logreduce: {type(exc).__name__}: {exc}")
        for budget in budgets:
            per_budget[budget].append(baselines.take(order, budget))
    run.excerpts[LOGREDUCE_TOOL] = per_budget
    run.seconds[LOGREDUCE_TOOL] = time.perf_counter() - start


# --- report ------------------------------------------------------------------------------

TITLES = {
    LOGCHUNKS: "LogChunks (Travis CI, first failure-reason chunk)",
    CIDIFF: "cidiff-breakages (error lines `E` of groundtruth)",
    PYTORCH: "pytorch log-classifier fixtures (the blamed line)",
    LOGREDUCE: "logreduce-tests (expected anomaly lines)",
}


def metrics_table(
    run: DatasetRun,
    budgets: tuple[int, ...],
    pick: Callable[[Case], bool] = lambda c: c.headline,
    alt_truth: bool = False,
) -> str:
    headers = ["method"] + [f"{m}@{b}" for m in METRIC_NAMES for b in budgets]
    rows = []
    for method in run.excerpts:
        values = [run.metrics(method, b, pick, alt_truth) for b in budgets]
        rows.append([method] + [fmt(v.get(m)) for m in METRIC_NAMES for v in values])
    return md_table(headers, rows)


def dataset_section(run: DatasetRun, budgets: tuple[int, ...]) -> str:
    n = sum(c.headline for c in run.cases)
    parts = [f"## {TITLES[run.name]}\n", f"{n} cases.\n", metrics_table(run, budgets)]
    if run.name == PYTORCH:
        parts.append(
            "\nThe fixtures are windows centred on the answer, so tail and grep mean little "
            "here (dataset README); they are left out of the comparison targets."
        )
    if run.name == LOGREDUCE:
        parts += [
            "\nPer anomaly: an anomaly is a text that can match several lines, so it counts as"
            " found when any of its lines is in the excerpt. **all** = fraction of cases with"
            " every required anomaly found; **found** = mean fraction of anomalies found.\n",
            anomaly_table(run, budgets),
            "\nWith the optional anomalies added to the truth:\n",
            metrics_table(run, budgets, alt_truth=True),
            "\n`syslog-01` (system syslog, not a CI log; not in the numbers above):\n",
            metrics_table(run, budgets, pick=lambda c: not c.headline),
        ]
    timing = ", ".join(f"{k} {v:.1f}s" for k, v in run.seconds.items())
    parts.append(f"\nTime: {timing}.")
    return "\n".join(parts) + "\n"


def anomaly_table(run: DatasetRun, budgets: tuple[int, ...]) -> str:
    """Anomaly-level coverage of logreduce-tests, per method and budget."""
    headers = ["method", *[f"all@{b}" for b in budgets], *[f"found@{b}" for b in budgets]]
    rows = []
    for method in run.excerpts:
        every, found = [], []
        for budget in budgets:
            fractions = anomaly_fractions(run, method, budget)
            every.append(fmt(sum(f == 1.0 for f in fractions) / len(fractions)))
            found.append(fmt(sum(fractions) / len(fractions)))
        rows.append([method, *every, *found])
    return md_table(headers, rows)


def anomaly_fractions(run: DatasetRun, method: str, budget: int) -> list[float]:
    """Per headline case, the fraction of its required anomalies the excerpt shows."""
    excerpts = run.excerpts[method][budget]
    return [
        sum(bool(lines & excerpt) for lines in case.meta["anomalies"])
        / max(len(case.meta["anomalies"]), 1)
        for case, excerpt in zip(run.cases, excerpts, strict=True)
        if case.headline
    ]


def unreachable_full(run: DatasetRun, method: str, budget: int) -> list[str]:
    """Why line-level full coverage fails on a case: an anomaly matching many lines.

    full@B needs min(|truth|, B) truth lines in a B-line excerpt; when one required
    anomaly's text matches dozens of lines (the same frame in every repeated traceback),
    only an excerpt made of nothing but repeats of that line reaches it.
    """
    notes = []
    excerpts = run.excerpts[method][budget]
    for case, excerpt in zip(run.cases, excerpts, strict=True):
        score = score_case(case.truth, excerpt, budget)
        if not case.headline or score.full:
            continue
        widest = max(len(lines) for lines in case.meta["anomalies"])
        notes.append(
            f"`{case.id}`: {score.covered} of the {score.needed} truth lines needed at "
            f"{budget} ({len(case.truth)} truth lines in all; one required anomaly's text "
            f"is on {widest} lines); every required anomaly found: "
            f"{'yes' if all(lines & excerpt for lines in case.meta['anomalies']) else 'no'}"
        )
    return notes


@dataclass(frozen=True)
class Target:
    name: str
    value: float
    ok: bool
    wanted: str


def _value(runs: dict[str, DatasetRun], ds: str, method: str, metric: str, budget: int) -> float:
    run = runs.get(ds)
    if run is None or method not in run.excerpts or budget not in run.excerpts[method]:
        return float("nan")
    return run.metrics(method, budget).get(metric)


def targets(runs: dict[str, DatasetRun]) -> list[Target]:
    specs = [
        ("LogChunks hit@50", LOGCHUNKS, SHERIFF, "hit", 50, ">=", 0.90),
        ("LogChunks full@50", LOGCHUNKS, SHERIFF, "full", 50, ">=", 0.75),
        ("cidiff recall@50 with passing log", CIDIFF, SHERIFF_PASS, "recall", 50, ">=", 0.95),
        ("cidiff recall@50 without passing log", CIDIFF, SHERIFF, "recall", 50, ">=", 0.90),
        ("pytorch hit@25", PYTORCH, SHERIFF, "hit", 25, ">=", 0.95),
        ("logreduce full@50 with passing log", LOGREDUCE, SHERIFF_PASS, "full", 50, "=", 1.0),
    ]
    out = []
    for name, ds, method, metric, budget, op, threshold in specs:
        value = _value(runs, ds, method, metric, budget)
        if value != value:  # not measured in this run
            continue
        ok = value >= threshold - 1e-9
        out.append(Target(name, value, ok, f"{op} {threshold:.2f}"))
    logreduce = runs.get(LOGREDUCE)
    if logreduce is not None and 50 in logreduce.excerpts.get(SHERIFF_PASS, {}):
        fractions = anomaly_fractions(logreduce, SHERIFF_PASS, 50)
        every = sum(f == 1.0 for f in fractions) / len(fractions)
        name = "logreduce all required anomalies @50 with passing log (per anomaly)"
        out.append(Target(name, every, every >= 1.0 - 1e-9, "= 1.00"))
    return out


def baseline_comparisons(runs: dict[str, DatasetRun]) -> list[tuple[str, bool]]:
    """Sheriff vs every baseline, on mean recall, per dataset and budget.

    tail and grep are compared with Sheriff without the passing log; diff and logreduce,
    which need one, with Sheriff given the passing log. Sheriff must be strictly better,
    except that a tie at 1.00 counts as a pass. pytorch is left out (see its section).
    """
    lines = []
    for ds, run in runs.items():
        if ds == PYTORCH:
            continue
        for method in run.excerpts:
            if method in (SHERIFF, SHERIFF_PASS):
                continue
            ours = SHERIFF_PASS if method in PASSING_METHODS else SHERIFF
            if ours not in run.excerpts:
                continue
            for budget in run.excerpts[method]:
                mine = run.metrics(ours, budget).recall
                theirs = run.metrics(method, budget).recall
                ok = mine > theirs + 1e-9 or (mine >= 1 - 1e-9 and theirs >= 1 - 1e-9)
                text = f"{ds} @{budget}: {ours} {fmt(mine, 3)} vs {method} {fmt(theirs, 3)}"
                lines.append((text, ok))
    return lines


def targets_section(runs: dict[str, DatasetRun]) -> str:
    rows = [[t.name, fmt(t.value, 3), t.wanted, verdict(t.ok)] for t in targets(runs)]
    comparisons = baseline_comparisons(runs)
    losses = [text for text, ok in comparisons if not ok]
    if comparisons:
        rows.append(
            [
                "Sheriff better than every baseline (mean recall, every budget)",
                f"{len(comparisons) - len(losses)}/{len(comparisons)}",
                "all",
                verdict(not losses),
            ]
        )
    parts = ["## Targets\n", md_table(["target", "value", "wanted", "result"], rows)]
    if LOGREDUCE in runs and 50 in runs[LOGREDUCE].excerpts.get(SHERIFF_PASS, {}):
        notes = unreachable_full(runs[LOGREDUCE], SHERIFF_PASS, 50)
        if notes:
            parts.append("\nlogreduce full@50 (lines) is missed on:\n")
            parts.extend(f"- {note}" for note in notes)
    if losses:
        parts.append("\nWhere Sheriff is not better:\n")
        parts.extend(f"- {text}" for text in losses)
    return "\n".join(parts) + "\n"


def reproduction_section(runs: dict[str, DatasetRun]) -> str:
    rows = []
    for (ds, method, metric, budget), published in PUBLISHED.items():
        value = _value(runs, ds, method, metric, budget)
        if value != value:
            continue
        same = f"{value:.2f}" == f"{published:.2f}"
        rows.append(
            [f"{ds} {method} {metric}@{budget}", f"{published:.2f}", fmt(value), verdict(same)]
        )
    if not rows:
        return ""
    table = md_table(["baseline", "published", "measured", "reproduced"], rows)
    return "## Baseline reproduction (published by the project lead)\n\n" + table + "\n"


def build_report(runs: dict[str, DatasetRun], budgets: tuple[int, ...], command: str) -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    head = [
        "# Sheriff excerpt benchmark\n",
        f"Date: {now}. Reproduce: `{command}` (from the repository root).\n",
        "Metrics per case, averaged over cases: **hit** = at least one truth line is in the "
        "excerpt; **full** = the excerpt holds at least min(|truth|, budget) truth lines; "
        "**recall** = |truth ∩ excerpt| / min(|truth|, budget). Baseline conventions: "
        "bench/README.md.\n",
    ]
    errors = [e for run in runs.values() for e in run.errors]
    body = [dataset_section(run, budgets) for run in runs.values()]
    tail = [targets_section(runs), reproduction_section(runs)]
    if errors:
        tail.append("## Errors\n\n" + "\n".join(f"- {e}" for e in errors[:50]) + "\n")
    return "\n".join(head + body + tail)


# --- details -----------------------------------------------------------------------------


def print_details(run: DatasetRun, budgets: tuple[int, ...]) -> None:
    """Per-case misses of Sheriff (cases where the excerpt is not full)."""
    methods = [m for m in (SHERIFF, SHERIFF_PASS) if m in run.excerpts]
    for method in methods:
        for budget in budgets:
            misses = []
            for case, excerpt in zip(run.cases, run.excerpts[method][budget], strict=True):
                score = score_case(case.truth, excerpt, budget)
                if not score.full:
                    misses.append((case, excerpt, score))
            misses.sort(key=lambda m: (m[2].hit, m[2].recall))  # complete misses first
            print(
                f"\n### {run.name} {method} @{budget}: {len(misses)} of {len(run.cases)} not full"
            )
            for case, excerpt, score in misses:
                print_miss(case, excerpt, score.covered, score.needed)


def print_miss(case: Case, excerpt: frozenset[int], covered: int, needed: int) -> None:
    lines = case.fail.splitlines()
    truth = sorted(case.truth)
    missed = [n for n in truth if n not in excerpt]
    status = "MISS" if covered == 0 else "PARTIAL"
    print(f"- {status} {case.id}  covered {covered}/{needed}  log lines {len(lines)}")
    print(f"    truth:   {format_ranges(set_to_ranges(truth))}")
    print(f"    excerpt: {format_ranges(set_to_ranges(excerpt))}")
    print(f"    truth[{truth[0]}]: {line_text(lines, truth[0])}")
    if missed and missed[0] != truth[0]:
        print(f"    first missed truth[{missed[0]}]: {line_text(lines, missed[0])}")
    if excerpt:
        first = min(excerpt)
        print(f"    excerpt[{first}]: {line_text(lines, first)}")


# --- main --------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", action="append", choices=DATASET_NAMES, help="repeatable")
    parser.add_argument("--budget", action="append", type=int, help="repeatable")
    parser.add_argument(
        "--details", choices=DATASET_NAMES, help="list Sheriff's per-case misses on a dataset"
    )
    parser.add_argument("--no-logreduce", action="store_true", help="skip the logreduce tool")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--output", type=Path, help=f"report path (default {RESULTS})")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    names = tuple(args.dataset or ([args.details] if args.details else DATASET_NAMES))
    budgets = tuple(sorted(set(args.budget or BUDGETS)))
    if args.details and not args.budget:
        budgets = (50,)
    full_run = not (args.dataset or args.budget or args.details or args.no_logreduce)
    runs: dict[str, DatasetRun] = {}
    for name in names:
        run = DatasetRun(name, datasets.load(name))
        run_sheriff(run, budgets, args.jobs)
        if args.details:  # only Sheriff's misses are listed
            print_details(run, budgets)
            return 0
        run_baselines(run, budgets, with_logreduce=not args.no_logreduce)
        runs[name] = run
    command = "python " + " ".join(["bench/extraction.py", *(argv or sys.argv[1:])])
    report = build_report(runs, budgets, command.strip())
    print(report)
    output = args.output or (RESULTS if full_run else None)
    if output:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(report, encoding="utf-8")
        print(f"(written to {output})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
