"""Scoring code shared by the benchmark scripts: excerpt metrics, classification metrics,
test-name matching, text clean-up for display and small markdown helpers."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

LineRange = tuple[int, int]

ANSI_RE = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07")


# --- line sets and ranges -----------------------------------------------------------------


def ranges_to_set(ranges: Iterable[Sequence[int]]) -> frozenset[int]:
    return frozenset(n for first, last in ranges for n in range(first, last + 1))


def set_to_ranges(lines: Iterable[int]) -> tuple[LineRange, ...]:
    out: list[LineRange] = []
    for n in sorted(set(lines)):
        if out and n == out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return tuple(out)


def format_ranges(ranges: Iterable[LineRange], limit: int = 12) -> str:
    parts = [f"{a}" if a == b else f"{a}-{b}" for a, b in ranges]
    if len(parts) > limit:
        parts = [*parts[:limit], f"... (+{len(parts) - limit})"]
    return ",".join(parts) or "-"


# --- excerpt metrics ---------------------------------------------------------------------


@dataclass(frozen=True)
class CaseScore:
    """How one excerpt covers one case's truth at one budget."""

    covered: int  # |truth ∩ excerpt|
    needed: int  # min(|truth|, budget)

    @property
    def hit(self) -> bool:
        return self.covered > 0

    @property
    def full(self) -> bool:
        return self.covered >= self.needed

    @property
    def recall(self) -> float:
        return self.covered / self.needed if self.needed else 1.0


def score_case(truth: frozenset[int], excerpt: frozenset[int], budget: int) -> CaseScore:
    return CaseScore(covered=len(truth & excerpt), needed=min(len(truth), budget))


@dataclass(frozen=True)
class Metrics:
    """Means over cases: hit rate, full-coverage rate and mean recall."""

    n: int
    hit: float
    full: float
    recall: float

    @classmethod
    def of(cls, scores: Sequence[CaseScore]) -> Metrics:
        n = len(scores)
        if n == 0:
            return cls(0, float("nan"), float("nan"), float("nan"))
        return cls(
            n=n,
            hit=sum(s.hit for s in scores) / n,
            full=sum(s.full for s in scores) / n,
            recall=sum(s.recall for s in scores) / n,
        )

    def get(self, name: str) -> float:
        return float(getattr(self, name))


METRIC_NAMES = ("hit", "full", "recall")


# --- classification metrics --------------------------------------------------------------


@dataclass(frozen=True)
class ClassScore:
    label: str
    support: int
    predicted: int
    precision: float
    recall: float
    f1: float


def per_class_scores(gold: Sequence[str], pred: Sequence[str]) -> list[ClassScore]:
    """Precision/recall/F1 for every class present in ``gold`` (sorted by support)."""
    support = Counter(gold)
    predicted = Counter(pred)
    correct = Counter(g for g, p in zip(gold, pred, strict=True) if g == p)
    out = []
    for label, n in sorted(support.items(), key=lambda kv: (-kv[1], kv[0])):
        precision = correct[label] / predicted[label] if predicted[label] else 0.0
        recall = correct[label] / n
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out.append(ClassScore(label, n, predicted[label], precision, recall, f1))
    return out


def accuracy(gold: Sequence[str], pred: Sequence[str]) -> float:
    if not gold:
        return float("nan")
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)


def macro_f1(scores: Sequence[ClassScore]) -> float:
    return sum(s.f1 for s in scores) / len(scores) if scores else float("nan")


def confusion_table(gold: Sequence[str], pred: Sequence[str]) -> str:
    """Markdown confusion matrix: rows = label, columns = prediction."""
    rows = sorted(set(gold), key=lambda x: (-gold.count(x), x))
    cols = rows + sorted(set(pred) - set(rows))
    pairs = Counter(zip(gold, pred, strict=True))
    body = [[g, *(str(pairs[g, p] or "·") for p in cols)] for g in rows]
    return md_table(["label \\ predicted", *cols], body)


# --- failing-test name matching ----------------------------------------------------------

TEST_SEPARATORS = ("::", ".", "#", "/", " > ", ">", ":", " ", "\\", "|")


def normalise_test(name: str) -> str:
    """Strip and collapse runs of whitespace to one space."""
    return " ".join(name.split())


def _ends_at_boundary(longer: str, shorter: str) -> bool:
    """``longer`` ends with ``shorter`` and a separator comes just before it."""
    if len(longer) <= len(shorter) or not longer.endswith(shorter):
        return False
    return longer[: -len(shorter)].endswith(TEST_SEPARATORS)


def test_matches(label: str, suite: str | None, name: str) -> bool:
    """Whether a labelled test identifier names the failure ``(suite, name)``.

    Both sides are normalised with :func:`normalise_test`. The label matches if

    1. it equals the name; or
    2. it equals ``suite + sep + name`` for a separator in ``TEST_SEPARATORS``, or
       ``name(suite)`` / ``name (suite)`` (Surefire, ExUnit); or
    3. one of label and name ends with the other, and the character(s) just before the
       shorter one form a separator (``pkg.Class.test_x`` vs ``test_x``,
       ``TestAlpha/Meetups`` vs ``Meetups``).
    """
    lab, nam = normalise_test(label), normalise_test(name)
    if not lab or not nam:
        return False
    if lab == nam:
        return True
    if suite:
        sui = normalise_test(suite)
        qualified = {f"{sui}{sep}{nam}" for sep in TEST_SEPARATORS}
        qualified |= {f"{nam}({sui})", f"{nam} ({sui})"}
        if lab in qualified:
            return True
    return _ends_at_boundary(lab, nam) or _ends_at_boundary(nam, lab)


# --- display helpers ---------------------------------------------------------------------


def clean_text(raw: bytes, limit: int = 160) -> str:
    """A log line for display: ANSI codes removed, decoded, stripped and truncated."""
    text = ANSI_RE.sub(b"", raw).decode("utf-8", "replace").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def line_text(lines: Sequence[bytes], number: int, limit: int = 160) -> str:
    if 1 <= number <= len(lines):
        return clean_text(lines[number - 1], limit)
    return "<out of range>"


def md_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    def esc(cell: str) -> str:
        return cell.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(esc(h) for h in headers) + " |"]
    lines.append("|" + "|".join("---" for _ in headers) + "|")
    lines.extend("| " + " | ".join(esc(c) for c in row) + " |" for row in rows)
    return "\n".join(lines)


def fmt(value: float, digits: int = 2) -> str:
    return "n/a" if value != value else f"{value:.{digits}f}"  # NaN check


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"
