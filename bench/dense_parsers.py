"""Worst-case benchmark: each parser on a log made of nothing but lines it acts on.

The scan confirms at most ``MAX_HIT_LINES`` (50,000) lines, so a log written to stall
Sheriff (or a broken fixture printing a failure per test) hands a parser up to that many
hits. A parser that compares every hit with every block it has claimed then takes
minutes. For each parser this builds, from real dev logs, a log of the lines its rules
confirmed there (each parser's lines interleaved as they came, a counter varying their
numbers so that no two repeat exactly), about 60,000 lines, and times ``sheriff triage``
on it in a fresh process; then one log of every parser's lines together, and two
hand-written mixes (``SYNTHETIC``).

    python bench/dense_parsers.py [--lines 60000] [--limit 120] [--parser NAME]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import datasets
from scoring import md_table, verdict

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results" / "dense_parsers.md"
TARGET_S = 15.0
EXAMPLES_PER_RULE = 3
ALL = "(every parser's lines together)"
_DIGITS = re.compile(rb"\d+")


def examples_by_parser() -> dict[str, list[bytes]]:
    """Raw lines each parser's rules confirmed in the dev logs, a few per rule, in the
    order they came (so related lines, such as an error and its goal block, stay close)."""
    from sheriff.core.parsers import ALL_PARSERS
    from sheriff.core.triage import new_scanner

    owner = {rule.id: parser.name for parser in ALL_PARSERS for rule in parser.rules}
    per_rule: dict[str, list[bytes]] = {}
    ordered: dict[str, list[bytes]] = {parser.name: [] for parser in ALL_PARSERS}
    logs = [case.fail for case in datasets.load(datasets.LOGCHUNKS)]
    logs += [case.fail for case in datasets.load(datasets.CIDIFF)]
    for log in logs:
        scanner = new_scanner()
        scanner.feed(log)
        scan = scanner.finish()
        for hit in scan.hits:
            seen = per_rule.setdefault(hit.rule.id, [])
            raw = scan.view.raw(hit.number)
            if raw is None or len(seen) >= EXAMPLES_PER_RULE or raw in seen:
                continue
            seen.append(raw)
            ordered[owner[hit.rule.id]].append(raw)
    return {name: lines for name, lines in ordered.items() if lines}


# Written by hand: mixes the dev logs hold too rarely to stress the code relating them
# (a panic to its test, a race report to the test it broke, a goal block to its cause).
SYNTHETIC = {
    "(go: failing tests, panics, races, leaks)": [
        b"--- FAIL: TestThing1 (0.00s)",
        b"    thing_test.go:10: boom",
        b"panic: runtime error: index out of range [1] [recovered]",
        b"",
        b"goroutine 7 [running]:",
        b"testing.tRunner.func1()",
        b"\t/usr/local/go/src/testing/testing.go:1000 +0x1",
        b"WARNING: DATA RACE",
        b"Read at 0x00c000123456 by goroutine 8:",
        b"==================",
        b"--- FAIL: TestRace1 (0.01s)",
        b"    testing.go:1319: race detected during execution of test",
        b"goleak: Errors on successful test run: found unexpected goroutines:",
    ],
    "(maven: compile errors, goal blocks, class-version errors)": [
        b"[ERROR] /src/main/java/a/Foo1.java:[1,2] cannot find symbol",
        b"[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.1:"
        b"compile (default-compile) on project p1: Compilation failure",
        b"java.lang.UnsupportedClassVersionError: Foo has been compiled by a more recent "
        b"version of the Java Runtime",
    ],
}


def dense_log(lines: Sequence[bytes], count: int) -> bytes:
    """``count`` lines cycling through ``lines``, each pass with its numbers changed."""
    out = []
    for index in range(count):
        line = lines[index % len(lines)]
        round_ = index // len(lines)
        out.append(_DIGITS.sub(lambda m, r=round_: b"%d" % (int(m.group()) + r), line))
    return b"\n".join(out) + b"\n"


def time_triage(data: bytes, limit: float) -> float | None:
    """Seconds of ``sheriff triage`` on ``data`` in a fresh process; None past ``limit``."""
    with tempfile.NamedTemporaryFile(suffix=".log") as log:
        log.write(data)
        log.flush()
        start = time.perf_counter()
        try:
            completed = subprocess.run(
                [sys.executable, "-m", "sheriff", "triage", log.name, "--format", "json"],
                stdout=subprocess.DEVNULL,
                timeout=limit,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return None
        if completed.returncode != 0:
            raise SystemExit(f"sheriff triage exited {completed.returncode}")
        return time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=60_000)
    parser.add_argument("--limit", type=float, default=120.0, help="seconds per parser")
    parser.add_argument("--parser", action="append", help="only these parsers")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    examples = examples_by_parser()
    examples[ALL] = [line for lines in examples.values() for line in lines]
    chosen = args.parser or [*sorted(set(examples) - {ALL}), ALL, *SYNTHETIC]
    examples.update(SYNTHETIC)
    rows, targets = [], []
    for name in chosen:
        seconds = time_triage(dense_log(examples[name], args.lines), args.limit)
        shown = f"{seconds:.1f}" if seconds is not None else f"> {args.limit:.0f} (stopped)"
        print(f"{name}: {shown} s ({len(examples[name])} distinct lines)", file=sys.stderr)
        rows.append([name, str(len(examples[name])), shown])
        targets.append(seconds is not None and seconds <= TARGET_S)
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    argv_text = " ".join(argv or sys.argv[1:])
    report = "\n".join(
        [
            "# Dense logs: every parser on nothing but lines it acts on\n",
            f"Date: {now}. Reproduce: `python bench/dense_parsers.py {argv_text}`".rstrip()
            + " (from the repository root).\n",
            f"Each log: {args.lines:,} lines cycling through the real lines the parser's "
            "rules confirmed in the LogChunks and cidiff dev logs (up to "
            f"{EXAMPLES_PER_RULE} per rule, in the order they came), their numbers changed "
            "on each pass. Wall time of `python -m sheriff triage LOG --format json` in a "
            "fresh process (start-up included).\n",
            md_table(["parser", "distinct lines", "seconds"], rows),
            "",
            "The last rows are hand-written mixes of lines that relate to each other "
            "(`SYNTHETIC`): the dev logs hold too few races or goal blocks to stress that.",
            "",
            "## Target\n",
            md_table(
                ["target", "value", "wanted", "result"],
                [
                    [
                        "parsers finishing",
                        f"{sum(targets)} of {len(targets)}",
                        f"all within {TARGET_S:.0f} s",
                        verdict(all(targets)),
                    ]
                ],
            ),
            "",
        ]
    )
    print(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
