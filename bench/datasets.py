"""Loaders for the shared evaluation data in /work/shared/data (read-only).

Each loader yields :class:`Case` values: the failing log as bytes, the passing log when the
dataset has one, and the ground-truth line numbers (1-based, over ``bytes.splitlines()``,
which splits on ``\\r\\n``, ``\\r`` and ``\\n`` exactly like the datasets' numbering).

The benchmark only *reads* ground truth; nothing here is imported by Sheriff itself.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA_ROOT = Path(os.environ.get("SHERIFF_EVAL_DATA", "/work/shared/data"))

LOGCHUNKS = "logchunks"
CIDIFF = "cidiff"
PYTORCH = "pytorch"
LOGREDUCE = "logreduce"
DATASET_NAMES = (LOGCHUNKS, CIDIFF, PYTORCH, LOGREDUCE)

MATCH_PREFIX = b"#=MATCH=# "
SOURCE_PREFIX = b"#=SOURCE=#"


@dataclass(frozen=True)
class Case:
    """One labelled log.

    ``truth`` is the headline ground truth. ``truth_alt`` is a second reading where the
    dataset has one (logreduce-tests: the union including optional anomalies).
    ``headline`` is False for cases reported separately (logreduce ``syslog-01``).
    ``fail_path``/``pass_path`` point at the files on disk, for tools that need paths
    (logreduce); ``fail_path`` is None when ``fail`` was rewritten (pytorch markers).
    """

    dataset: str
    id: str
    fail: bytes
    truth: frozenset[int]
    passing: bytes | None = None
    truth_alt: frozenset[int] | None = None
    headline: bool = True
    fail_path: Path | None = None
    pass_path: Path | None = None
    meta: dict[str, Any] = field(default_factory=dict)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def ranges_to_lines(ranges: list[list[int]] | list[tuple[int, int]]) -> frozenset[int]:
    return frozenset(n for first, last in ranges for n in range(first, last + 1))


# --- LogChunks ---------------------------------------------------------------------------


def logchunks_log(row: dict[str, Any]) -> bytes:
    return gzip.decompress((DATA_ROOT / "logchunks" / row["log"]).read_bytes())


def load_logchunks() -> Iterator[Case]:
    for row in read_jsonl(DATA_ROOT / "logchunks" / "labels.jsonl"):
        if row["chunk_start_line"] is None:
            continue
        truth = frozenset(range(row["chunk_start_line"], row["chunk_end_line"] + 1))
        yield Case(
            dataset=LOGCHUNKS,
            id=row["id"],
            fail=logchunks_log(row),
            truth=truth,
            meta={"repo": row["repo"], "language": row["language"], "chunk": row["chunk"]},
        )


# --- cidiff-breakages --------------------------------------------------------------------


def load_cidiff() -> Iterator[Case]:
    root = DATA_ROOT / "cidiff-breakages"
    for row in read_jsonl(root / "labels.jsonl"):
        fail_path = root / row["id"] / "fail.log"
        pass_path = root / row["id"] / "pass.log"
        yield Case(
            dataset=CIDIFF,
            id=row["id"],
            fail=fail_path.read_bytes(),
            passing=pass_path.read_bytes(),
            truth=ranges_to_lines(row["error_ranges"]),
            fail_path=fail_path,
            pass_path=pass_path,
            meta={"ci": row["ci"], "subset": row["subset"]},
        )


# --- pytorch log-classifier fixtures ------------------------------------------------------


def clean_pytorch_fixture(raw: bytes, match_line: int) -> tuple[bytes, int]:
    """Remove the in-band markers; return the cleaned log and the shifted match line."""
    lines = raw.splitlines()
    if lines and lines[0].startswith(SOURCE_PREFIX):
        lines = lines[1:]
        match_line -= 1
    cleaned = [
        line.removeprefix(MATCH_PREFIX).replace("‹".encode(), b"").replace("›".encode(), b"")
        for line in lines
    ]
    return b"\n".join(cleaned) + b"\n", match_line


def load_pytorch() -> Iterator[Case]:
    root = DATA_ROOT / "pytorch-log-classifier-fixtures"
    for row in read_jsonl(root / "labels.jsonl"):
        if row["match_line"] is None:
            continue
        log, match_line = clean_pytorch_fixture((root / row["log"]).read_bytes(), row["match_line"])
        yield Case(
            dataset=PYTORCH,
            id=row["fixture"].removesuffix(".txt"),
            fail=log,
            truth=frozenset({match_line}),
            meta={"coarse_category": row["coarse_category"], "captures": row["captures"]},
        )


# --- logreduce-tests ---------------------------------------------------------------------


def load_logreduce() -> Iterator[Case]:
    root = DATA_ROOT / "logreduce-tests"
    for row in read_jsonl(root / "labels.jsonl"):
        required = [a for a in row["anomalies"] if not a["optional"]]
        fail_path = root / row["fail"]
        pass_path = root / row["good"]
        yield Case(
            dataset=LOGREDUCE,
            id=row["id"],
            fail=fail_path.read_bytes(),
            passing=pass_path.read_bytes(),
            truth=frozenset(n for a in required for n in a["matching_lines"]),
            truth_alt=frozenset(n for a in row["anomalies"] for n in a["matching_lines"]),
            headline=row["id"] != "syslog-01",
            fail_path=fail_path,
            pass_path=pass_path,
            meta={
                "threshold": row["threshold"],
                "anomalies": [frozenset(a["matching_lines"]) for a in required],
            },
        )


LOADERS: dict[str, Callable[[], Iterator[Case]]] = {
    LOGCHUNKS: load_logchunks,
    CIDIFF: load_cidiff,
    PYTORCH: load_pytorch,
    LOGREDUCE: load_logreduce,
}


def load(name: str) -> list[Case]:
    return list(LOADERS[name]())


# --- failure-type labels -----------------------------------------------------------------


@dataclass(frozen=True)
class TypedRow:
    """A row of failure-types.jsonl joined with its failing log."""

    dataset: str
    id: str
    failure_type: str
    sub_type: str
    tests: tuple[str, ...]
    log: bytes
    text: str  # the labelled failure text (logchunks chunk / cidiff error lines)


def _cidiff_error_text(log: bytes, ranges: list[list[int]]) -> str:
    lines = log.splitlines()
    picked = [lines[n - 1] for n in sorted(ranges_to_lines(ranges)) if n <= len(lines)]
    return b"\n".join(picked).decode("utf-8", "replace")


def load_failure_types() -> Iterator[TypedRow]:
    chunks = {r["id"]: r for r in read_jsonl(DATA_ROOT / "logchunks" / "labels.jsonl")}
    cidiff_root = DATA_ROOT / "cidiff-breakages"
    cidiff = {r["id"]: r for r in read_jsonl(cidiff_root / "labels.jsonl")}
    for row in read_jsonl(DATA_ROOT / "failure-types.jsonl"):
        if row["dataset"] == LOGCHUNKS:
            source = chunks[row["id"]]
            log = logchunks_log(source)
            text = source["chunk"]
        else:
            log = (cidiff_root / row["id"] / "fail.log").read_bytes()
            text = _cidiff_error_text(log, cidiff[row["id"]]["error_ranges"])
        yield TypedRow(
            dataset=row["dataset"],
            id=row["id"],
            failure_type=row["failure_type"],
            sub_type=row["sub_type"],
            tests=tuple(row["tests"]),
            log=log,
            text=text,
        )


if __name__ == "__main__":
    for dataset_name in DATASET_NAMES:
        cases = load(dataset_name)
        sizes = sorted(len(c.truth) for c in cases)
        print(f"{dataset_name}: {len(cases)} cases, truth sizes median {sizes[len(sizes) // 2]}")
