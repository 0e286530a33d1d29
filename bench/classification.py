"""Classification benchmark: failure type and failing-test names.

Feeds every failing log of /work/shared/data/failure-types.jsonl (428 rows) to Sheriff,
without a passing log, and compares ``classifications[0].failure_type`` with the label;
checks that the labelled failing tests are among Sheriff's failures; and maps Sheriff's
type/sub_type to the coarse categories of the pytorch fixtures. Writes
bench/results/classification.md.

    python bench/classification.py
    python bench/classification.py --details
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing
import os
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import datasets
import engine
from scoring import (
    ClassScore,
    accuracy,
    confusion_table,
    fmt,
    macro_f1,
    md_table,
    normalise_test,
    per_class_scores,
    test_matches,
    verdict,
)

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results" / "classification.md"
BUDGET = 50  # the excerpt budget does not matter for classification

TARGET_ACCURACY = 0.90
TARGET_MACRO_F1 = 0.85
TARGET_TESTS = 0.90

# Sheriff failure type -> coarse category of the pytorch fixtures. A primary sub_type of
# "timeout" or "cancelled" (also "canceled") overrides the type.
COARSE_BY_TYPE = {
    "test_failure": "test",
    "e2e_failure": "test",
    "build_failure": "build",
    "lint_failure": "lint",
    "type_check_failure": "lint",
    "dependency_failure": "dependency",
    "config_failure": "config",
    "infrastructure_failure": "infra",
    "unknown": "unknown",
}
COARSE_BY_SUB_TYPE = {"timeout": "timeout", "cancelled": "cancelled", "canceled": "cancelled"}


def coarse_category(failure_type: str, sub_type: str) -> str:
    return COARSE_BY_SUB_TYPE.get(sub_type, COARSE_BY_TYPE.get(failure_type, failure_type))


@dataclass(frozen=True)
class Prediction:
    failure_type: str
    sub_type: str
    tests: tuple[tuple[str | None, str], ...]
    error: str | None = None


_WORKER_LOGS: list[bytes] = []


def _predict(index: int) -> Prediction:
    triage = engine.load()
    try:
        report = triage(_WORKER_LOGS[index], budget=BUDGET)
    except Exception as exc:  # one crash must not stop the benchmark
        return Prediction("unknown", "", (), f"{type(exc).__name__}: {exc}")
    failure_type, sub_type = engine.primary_type(report)
    return Prediction(failure_type, sub_type, tuple(engine.failing_tests(report)))


def predict_all(logs: list[bytes], jobs: int) -> list[Prediction]:
    global _WORKER_LOGS  # noqa: PLW0603
    _WORKER_LOGS = logs
    if jobs <= 1:
        return [_predict(i) for i in range(len(logs))]
    context = multiprocessing.get_context("fork")  # workers inherit the logs
    with ProcessPoolExecutor(jobs, mp_context=context) as pool:
        return list(pool.map(_predict, range(len(logs)), chunksize=4))


# --- failing tests -----------------------------------------------------------------------


def found(label: str, tests: Sequence[tuple[str | None, str]]) -> bool:
    return any(test_matches(label, suite, name) for suite, name in tests)


@dataclass(frozen=True)
class TestRecovery:
    rows: int
    rows_recovered: int
    labels: int
    labels_found: int

    @property
    def row_rate(self) -> float:
        return self.rows_recovered / self.rows if self.rows else float("nan")

    @property
    def label_recall(self) -> float:
        return self.labels_found / self.labels if self.labels else float("nan")


def test_recovery(rows: Sequence[datasets.TypedRow], preds: Sequence[Prediction]) -> TestRecovery:
    n_rows = n_ok = n_labels = n_found = 0
    for row, pred in zip(rows, preds, strict=True):
        if not row.tests:
            continue
        hits = [found(label, pred.tests) for label in row.tests]
        n_rows += 1
        n_ok += all(hits)
        n_labels += len(hits)
        n_found += sum(hits)
    return TestRecovery(n_rows, n_ok, n_labels, n_found)


# --- report ------------------------------------------------------------------------------


def class_table(scores: Sequence[ClassScore]) -> str:
    rows = [
        [s.label, str(s.support), str(s.predicted), fmt(s.precision), fmt(s.recall), fmt(s.f1)]
        for s in scores
    ]
    return md_table(["class", "support", "predicted", "precision", "recall", "F1"], rows)


def classification_block(title: str, gold: list[str], pred: list[str]) -> tuple[str, float, float]:
    scores = per_class_scores(gold, pred)
    acc, mf1 = accuracy(gold, pred), macro_f1(scores)
    text = "\n".join(
        [
            f"## {title}\n",
            f"{len(gold)} rows. Accuracy **{fmt(acc, 3)}**, macro-F1 **{fmt(mf1, 3)}** "
            f"(over the {len(scores)} classes present in the labels).\n",
            class_table(scores),
            "\nConfusion matrix (rows = label, columns = Sheriff):\n",
            confusion_table(gold, pred),
            "",
        ]
    )
    return text, acc, mf1


MAPPING_NOTE = (
    "Mapping to the coarse categories: a primary sub_type `timeout` → timeout, `cancelled` "
    "(or `canceled`) → cancelled, whatever the type; otherwise test_failure and e2e_failure "
    "→ test, build_failure → build, lint_failure and type_check_failure → lint, "
    "dependency_failure → dependency, config_failure → config, infrastructure_failure → "
    "infra, unknown → unknown (always wrong)."
)

MATCH_NOTE = (
    "A labelled test counts as found if it matches the (suite, name) of any of Sheriff's "
    "failures, after stripping and collapsing whitespace: the label equals the name; or equals "
    "suite + separator + name (separators `::` `.` `#` `/` ` > ` `>` `:` space `\\` `|`), or "
    "`name(suite)` / `name (suite)`; or one of label and name ends with the other right "
    "after a separator."
)


def accuracy_rows(
    name: str, gold: list[str], pred: list[str], acc: float, mf1: float
) -> list[list[str]]:
    """The accuracy and macro-F1 target rows of one labelled set."""
    right = sum(g == p for g, p in zip(gold, pred, strict=True))
    return [
        [
            f"{name} accuracy",
            f"{fmt(acc, 3)} ({right}/{len(gold)})",
            f">= {TARGET_ACCURACY}",
            verdict(acc >= TARGET_ACCURACY),
        ],
        [f"{name} macro-F1", fmt(mf1, 3), f">= {TARGET_MACRO_F1}", verdict(mf1 >= TARGET_MACRO_F1)],
    ]


def build_report(
    rows: list[datasets.TypedRow],
    preds: list[Prediction],
    fixtures: list[datasets.Case],
    fixture_preds: list[Prediction],
    command: str,
) -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    gold = [r.failure_type for r in rows]
    pred = [p.failure_type for p in preds]
    main_block, acc, mf1 = classification_block("Failure type (failure-types.jsonl)", gold, pred)
    recovery = test_recovery(rows, preds)
    coarse_gold = [str(c.meta["coarse_category"]) for c in fixtures]
    coarse_pred = [coarse_category(p.failure_type, p.sub_type) for p in fixture_preds]
    coarse_block, coarse_acc, coarse_mf1 = classification_block(
        "pytorch fixtures: coarse category", coarse_gold, coarse_pred
    )
    tests_block = "\n".join(
        [
            "## Failing tests recovered\n",
            f"Rows with labelled tests: {recovery.rows}. Rows where every labelled test is "
            f"found: {recovery.rows_recovered} (**{fmt(recovery.row_rate, 3)}**). "
            f"Identifiers found: {recovery.labels_found}/{recovery.labels} "
            f"(recall **{fmt(recovery.label_recall, 3)}**).\n",
            MATCH_NOTE,
            "",
        ]
    )
    target_rows = [
        *accuracy_rows("failure-type", gold, pred, acc, mf1),
        [
            "tests recovered (rows)",
            fmt(recovery.row_rate, 3),
            f">= {TARGET_TESTS}",
            verdict(recovery.row_rate >= TARGET_TESTS),
        ],
        *accuracy_rows("pytorch coarse", coarse_gold, coarse_pred, coarse_acc, coarse_mf1),
    ]
    errors = [
        f"- {r.dataset}/{r.id}: {p.error}" for r, p in zip(rows, preds, strict=True) if p.error
    ]
    parts = [
        "# Sheriff classification benchmark\n",
        f"Date: {now}. Reproduce: `{command}` (from the repository root).\n",
        "Each failing log is triaged whole, without a passing log; the prediction is "
        "`classification.classifications[0]`.\n",
        "## Targets\n",
        md_table(["target", "value", "wanted", "result"], target_rows),
        "",
        main_block,
        tests_block,
        coarse_block,
        MAPPING_NOTE + "\n",
    ]
    if errors:
        parts.append("## Errors\n\n" + "\n".join(errors) + "\n")
    return "\n".join(parts)


# --- details -----------------------------------------------------------------------------


def print_details(
    rows: list[datasets.TypedRow],
    preds: list[Prediction],
    fixtures: list[datasets.Case],
    fixture_preds: list[Prediction],
) -> None:
    wrong = [(r, p) for r, p in zip(rows, preds, strict=True) if r.failure_type != p.failure_type]
    print(f"\n### Misclassified: {len(wrong)} of {len(rows)}")
    for row, pred in wrong:
        chunk = normalise_test(row.text)[:120]
        print(f"- {row.dataset}/{row.id}")
        label = f"{row.failure_type}/{row.sub_type}"
        print(f"    label {label}  predicted {pred.failure_type}/{pred.sub_type}")
        print(f"    chunk: {chunk}")
        if pred.error:
            print(f"    error: {pred.error}")
    print("\n### Missed tests")
    for row, pred in zip(rows, preds, strict=True):
        missing = [label for label in row.tests if not found(label, pred.tests)]
        if missing:
            names = [f"{s}::{n}" if s else n for s, n in pred.tests[:5]]
            more = f" (+{len(pred.tests) - 5})" if len(pred.tests) > 5 else ""
            print(f"- {row.dataset}/{row.id}: missing {len(missing)}/{len(row.tests)}")
            print(f"    labels missing: {missing[:5]}")
            print(f"    sheriff tests:  {names}{more}")
    print("\n### pytorch fixtures, coarse category misses")
    for case, pred in zip(fixtures, fixture_preds, strict=True):
        got = coarse_category(pred.failure_type, pred.sub_type)
        if got != case.meta["coarse_category"]:
            print(
                f"- {case.id}: label {case.meta['coarse_category']}  predicted {got} "
                f"({pred.failure_type}/{pred.sub_type})"
            )


# --- main --------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--details", action="store_true", help="list misclassified rows and missed tests"
    )
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    rows = list(datasets.load_failure_types())
    fixtures = datasets.load(datasets.PYTORCH)
    preds = predict_all([r.log for r in rows] + [c.fail for c in fixtures], args.jobs)
    preds, fixture_preds = preds[: len(rows)], preds[len(rows) :]
    if args.details:
        print_details(rows, preds, fixtures, fixture_preds)
        return 0
    command = " ".join(["python bench/classification.py", *(argv or sys.argv[1:])])
    report = build_report(rows, preds, fixtures, fixture_preds, command)
    print(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report, encoding="utf-8")
    print(f"(written to {args.output})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
