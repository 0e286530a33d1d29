"""Throughput benchmark: the whole ``sheriff triage`` process on a ~100 MB log.

Builds bench/.cache/big.log from real dev logs (LogChunks + cidiff failing logs, repeated
until 100 MB), runs ``sheriff triage … --format json`` and ``python -m sheriff triage …``
three times each, beside ``grep -cE`` on the same file; then times ``sheriff triage`` on
the dev log of median size (start-up's share), and writes bench/results/throughput.md.

    python bench/throughput.py [--runs 3] [--size-mb 100]
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import datasets
from scoring import md_table, verdict

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
CACHE = BENCH / ".cache"
BIG_LOG = CACHE / "big.log"
TYPICAL_LOG = CACHE / "typical.log"
RESULTS = BENCH / "results" / "throughput.md"
GNU_TIME = Path("/usr/bin/time")
GREP_PATTERN = "error|fail|exception|fatal|traceback|panic"

TARGET_MB_S = 150.0
TARGET_RSS_MB = 300.0


# --- the input ---------------------------------------------------------------------------


def source_logs() -> list[bytes]:
    logs = [case.fail for case in datasets.load(datasets.LOGCHUNKS)]
    logs += [case.fail for case in datasets.load(datasets.CIDIFF)]
    return logs


def build_big_log(path: Path, size: int) -> None:
    """Concatenate the dev logs (each ending in a newline), repeated until ``size`` bytes."""
    if path.exists() and path.stat().st_size >= size:
        return
    logs = source_logs()
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with path.open("wb") as out:
        while written < size:
            for log in logs:
                chunk = log if log.endswith((b"\n", b"\r")) else log + b"\n"
                out.write(chunk)
                written += len(chunk)
                if written >= size:
                    break


def build_typical_log(path: Path) -> int:
    """The dev log of median size (LogChunks and cidiff failing logs), for the latency of
    one ordinary triage, where start-up is most of the time. Returns its size."""
    logs = sorted(source_logs(), key=len)
    typical = logs[len(logs) // 2]
    if not path.exists() or path.read_bytes() != typical:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(typical)
    return len(typical)


# --- measuring one process ---------------------------------------------------------------


def _memory_kb(pid: int) -> int:
    """Proportional set size of a process (shared pages split between their users), or its
    RSS where smaps_rollup is unavailable."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        match = re.search(r"^Pss:\s+(\d+)", rollup, re.MULTILINE)
    except OSError:
        match = None
    if match is None:
        status = Path(f"/proc/{pid}/status").read_text()
        match = re.search(r"^VmRSS:\s+(\d+)", status, re.MULTILINE)
    return int(match.group(1)) if match else 0


def _tree_memory_kb(root: int) -> int:
    """Summed PSS of ``root`` and all its descendants, from /proc (Linux)."""
    total, stack, seen = 0, [root], set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            total += _memory_kb(pid)
            for task in Path(f"/proc/{pid}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


class TreeSampler(threading.Thread):
    """Samples the summed PSS of a process tree every ``interval`` seconds."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kb = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak_kb = max(self.peak_kb, _tree_memory_kb(self.pid))
            self.done.wait(self.interval)


@dataclass(frozen=True)
class Measure:
    seconds: float
    max_rss_mb: float  # largest single process (wait4 / GNU time)
    tree_pss_mb: float  # sampled sum of PSS over the process tree
    returncode: int


def measure(command: Sequence[str], *, to_file: bool = False, sample: bool = False) -> Measure:
    """Run ``command``; wall time and peak memory.

    stdout goes to /dev/null, or to a temporary file if ``to_file`` (GNU grep notices
    /dev/null and stops at the first match). With ``sample`` the process tree's PSS is
    read from /proc every 20 ms (0 otherwise): reading smaps_rollup walks the measured
    processes' page tables, which slows them, so timed runs do not sample.
    """
    with (
        tempfile.NamedTemporaryFile("r", suffix=".time") as report,
        tempfile.TemporaryFile() as sink,
    ):
        wrapped = list(command)
        if GNU_TIME.exists():
            wrapped = [str(GNU_TIME), "-v", "-o", report.name, *command]
        start = time.perf_counter()
        stdout = sink if to_file else subprocess.DEVNULL
        proc = subprocess.Popen(wrapped, stdout=stdout, cwd=REPO)
        sampler = TreeSampler(proc.pid)
        if sample:
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        if sample:
            sampler.done.set()
            sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        max_kb = float(usage.ru_maxrss)
        if GNU_TIME.exists():
            match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report.read())
            max_kb = float(match.group(1)) if match else max_kb
    return Measure(seconds, max_kb / 1024, sampler.peak_kb / 1024, proc.returncode)


# --- report ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    label: str
    command: str
    runs: list[Measure]
    """Timed runs (no memory sampling)."""
    sampled: Measure
    """One more run, sampling the process tree's memory."""

    @property
    def best(self) -> float:
        return min(m.seconds for m in self.runs)

    @property
    def median(self) -> float:
        return statistics.median(m.seconds for m in self.runs)

    @property
    def peak_rss_mb(self) -> float:
        return max(*(m.max_rss_mb for m in self.runs), self.sampled.tree_pss_mb)

    @property
    def ok(self) -> bool:
        runs = [*self.runs, self.sampled]
        return all(m.returncode in (0, 1) for m in runs)  # 1: failures found / no match


def machine_info() -> list[tuple[str, str]]:
    model = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        match = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        model = match.group(1).strip() if match else model
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return [
        ("nproc", str(usable)),
        ("CPU", model),
        ("python", sys.version.split()[0]),
        ("platform", platform.platform()),
        ("peak RSS source", "GNU time -v" if GNU_TIME.exists() else "wait4 ru_maxrss"),
        ("python speed (`sum(range(10**7))`, best of 5)", f"{python_calibration_ms():.0f} ms"),
    ]


def python_calibration_ms() -> float:
    """A fixed pure-Python loop: this shared VM's speed drifts by half or more between
    days, and the grep row alone does not show how fast Python runs."""
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        sum(range(10**7))
        timings.append(time.perf_counter() - start)
    return min(timings) * 1000


def compile_sheriff() -> Path:
    """Byte-compile the sheriff package the commands import, as an install does: where
    PYTHONDONTWRITEBYTECODE is set nothing else writes its .pyc files, and every run would
    compile it from source (0.1-0.2 s)."""
    import sheriff

    package = Path(sheriff.__file__).parent
    compileall.compile_dir(package, quiet=1)
    return package


@dataclass(frozen=True)
class Latency:
    """Wall times of ``sheriff triage`` on one typical log."""

    size: int
    runs: list[Measure]


def latency_section(latency: Latency) -> list[str]:
    times = [m.seconds for m in latency.runs]
    row = [
        f"`sheriff triage bench/.cache/typical.log --format json` ({latency.size / 1e3:.0f} kB)",
        f"{min(times):.2f}",
        f"{statistics.median(times):.2f}",
        ",".join(str(m.returncode) for m in latency.runs),
    ]
    return [
        "## One typical log\n",
        "The dev log of median size, triaged alone: start-up (imports, the command line) "
        "is most of this time. No target is set for it; it is here so that changes to "
        f"start-up show. {len(times)} runs, after the runs above.\n",
        md_table(["command", "best s", "median s", "exit codes"], [row]),
        "",
    ]


def build_report(
    results: list[Result], size: int, command: str, package: Path, latency: Latency
) -> str:
    mb = size / 1e6
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    rows = [
        [
            r.label,
            f"{r.best:.2f}",
            f"{r.median:.2f}",
            f"{mb / r.best:.0f}",
            f"{mb / r.median:.0f}",
            f"{max(m.max_rss_mb for m in r.runs):.0f}",
            f"{r.sampled.tree_pss_mb:.0f}",
            ",".join(str(m.returncode) for m in r.runs),
        ]
        for r in results
    ]
    headers = ["command", "best s", "median s", "best MB/s", "median MB/s"]
    headers += ["max RSS MB (1 process)", "peak PSS MB (process tree)", "exit codes"]
    sheriff = results[0]
    targets = [
        [
            f"`{sheriff.label}` median throughput",
            f"{mb / sheriff.median:.0f} MB/s",
            f">= {TARGET_MB_S:.0f} MB/s",
            verdict(mb / sheriff.median >= TARGET_MB_S and sheriff.ok),
        ],
        [
            f"`{sheriff.label}` peak RSS",
            f"{sheriff.peak_rss_mb:.0f} MB",
            f"< {TARGET_RSS_MB:.0f} MB",
            verdict(sheriff.peak_rss_mb < TARGET_RSS_MB),
        ],
    ]
    commands = "\n".join(f"- {r.label}: `{r.command}`" for r in results)
    return "\n".join(
        [
            "# Sheriff throughput benchmark\n",
            f"Date: {now}. Reproduce: `{command}` (from the repository root).\n",
            f"Input: `bench/.cache/big.log`, {size:,} bytes ({mb:.0f} MB), dev logs of "
            "LogChunks and cidiff concatenated and repeated. MB = 10^6 bytes. Wall time of "
            "the whole process, output to /dev/null, page cache warm; "
            f"{len(sheriff.runs)} timed runs each, plus one run that samples memory. "
            f"Byte-code present: `{package}` compiled with compileall first, as an "
            "install does.\n",
            md_table(["", ""], machine_info()),
            "",
            md_table(headers, rows),
            "",
            "Peak memory for the target is the larger of the two memory columns. The "
            "first is the largest resident set of any single process (GNU time / wait4); "
            "the second is sampled every 20 ms from /proc, in a separate run (sampling "
            "slows the measured processes, so timed runs do not sample), and sums the "
            "proportional set size (shared pages split between processes) of the whole "
            "process tree, worker processes included. grep writes to a temporary file "
            "rather than /dev/null, where GNU grep stops at the first match. Runs of the "
            "commands are interleaved.\n",
            "## Targets\n",
            md_table(["target", "value", "wanted", "result"], targets),
            "",
            "## Commands\n",
            commands,
            "",
            *latency_section(latency),
        ]
    )


def _shown(command: Sequence[str]) -> str:
    head = Path(command[0]).name
    if head.startswith("python"):
        head = "python"
    quoted = [f"'{c}'" if "|" in c else c for c in command[1:]]
    return " ".join([head, *quoted])


def sheriff_command() -> list[str]:
    exe = Path(sys.executable).with_name("sheriff")
    return [str(exe)] if exe.exists() else [shutil.which("sheriff") or "sheriff"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--size-mb", type=float, default=100.0)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    size = int(args.size_mb * 1e6)
    build_big_log(BIG_LOG, size)
    size = BIG_LOG.stat().st_size
    path = str(BIG_LOG.relative_to(REPO))
    BIG_LOG.read_bytes()  # warm the page cache
    package = compile_sheriff()
    triage = ["triage", path, "--format", "json"]
    commands = [
        ("sheriff triage", [*sheriff_command(), *triage]),
        ("python -m sheriff triage", [sys.executable, "-m", "sheriff", *triage]),
        ("grep -cE", ["grep", "-cE", GREP_PATTERN, path]),
    ]
    runs: dict[str, list[Measure]] = {label: [] for label, _ in commands}
    for _ in range(args.runs):  # interleaved, so a slow moment does not hit one command
        for label, command in commands:
            runs[label].append(measure(command, to_file=label.startswith("grep")))
            print(f"{label}: {runs[label][-1].seconds:.2f} s", file=sys.stderr)
    results = [
        Result(
            label,
            _shown(command) + (" > FILE" if label.startswith("grep") else " > /dev/null"),
            runs[label],
            measure(command, to_file=label.startswith("grep"), sample=True),
        )
        for label, command in commands
    ]
    typical_size = build_typical_log(TYPICAL_LOG)
    typical = [*sheriff_command(), "triage", str(TYPICAL_LOG.relative_to(REPO)), "--format"]
    latency = Latency(typical_size, [measure([*typical, "json"]) for _ in range(args.runs * 2)])
    argv_text = " ".join(argv or sys.argv[1:])
    reproduce = f"python bench/throughput.py {argv_text}".strip()
    report = build_report(results, size, reproduce, package, latency)
    print(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
