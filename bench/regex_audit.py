"""Regex audit: does any pattern of Sheriff's core take more than linear time on a line?

Logs, issue text and comments are untrusted, and Python's ``re`` backtracks: a pattern
such as ``\\s*>?\\s*\\d*\\s*\\|`` takes cubic time on a line of spaces, so one crafted
line could hold a triage for minutes. Stage 1 (RE2, Hyperscan) is linear by
construction; this audit covers the ``re`` patterns of stage 2 and everything else in
``sheriff.core``.

For every compiled pattern found in a ``sheriff.core`` module (module globals, the
containers they hold, every rule's line pattern, and the patterns compiled inline that a
triage of a sample of dev logs uses) the audit takes real lines the
pattern matches, from the dev logs and the tool fixtures, and inflates them: at the match's
and its groups' edges it inserts a run of the character found there, or of a space, a
letter, a digit, a dot, a slash, a tab or a colon; each variant is also tried cut short
after the run, so the match fails and the engine backtracks. A pattern with no matching
line gets runs with common prefixes. Each variant is searched at two run lengths; a
pattern whose time grows more than ``GROWTH_LIMIT`` times when the run grows
``SCALE`` times (linear: ``SCALE``; quadratic: ``SCALE**2``) is reported.

    python bench/regex_audit.py [--lines 80000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import pickle
import pkgutil
import random
import re
import select
import signal
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import datasets
from scoring import md_table, verdict

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
RESULTS = BENCH / "results" / "regex_audit.md"
FIXTURES = REPO / "tests" / "fixtures" / "tools"

SHORT_RUN = 150
SCALE = 4
GROWTH_LIMIT = 9.0  # between linear (4) and quadratic (16), with room for timer noise
MIN_SLOW_SECONDS = 0.0005  # below this at the long run, growth is timer noise
PATTERN_SECONDS = 60.0  # a pattern still running after this backtracks exponentially
SAMPLES_PER_PATTERN = 4
RUN_CHARACTERS = " a1./\t:-"
GENERIC_PREFIXES = ("", "error: ", "FAILED ", "  at ", "[ERROR] ", "1) ", "E   ")


@dataclass(frozen=True, slots=True)
class Finding:
    name: str
    pattern: str
    growth: float
    seconds: float
    variant: str


def sheriff_patterns() -> dict[str, re.Pattern[str]]:
    """Every compiled ``str`` pattern reachable from a ``sheriff.core`` module, by name."""
    sys.path.insert(0, str(REPO / "src"))
    import sheriff.core
    from sheriff.core.parsers import rule_set

    found: dict[tuple[str, int], tuple[str, re.Pattern[str]]] = {}
    for info in pkgutil.walk_packages(sheriff.core.__path__, "sheriff.core."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            for path, pattern in _patterns_in(value, f"{info.name}.{name}", depth=2):
                found.setdefault((pattern.pattern, pattern.flags), (path, pattern))
    for rule in rule_set().rules:
        if isinstance(rule.line, re.Pattern):
            key = (rule.line.pattern, rule.line.flags)
            found.setdefault(key, (f"rule {rule.id}", rule.line))
    for pattern in inline_patterns():
        key = (pattern.pattern, pattern.flags)
        found.setdefault(key, (f"inline {pattern.pattern[:40]!r}", pattern))
    return {path: pattern for path, pattern in found.values() if isinstance(pattern.pattern, str)}


def inline_patterns() -> list[re.Pattern[str]]:
    """Patterns compiled where they are used (``re.sub(r"...", ...)``), as ``re``'s own
    cache holds them after triaging and rendering a sample of the dev logs."""
    from sheriff.core.render_json import report_to_json
    from sheriff.core.render_markdown import render_markdown
    from sheriff.core.triage import triage_bytes

    re.purge()
    cases = datasets.load(datasets.LOGCHUNKS)[::4] + datasets.load(datasets.CIDIFF)
    for case in cases:
        report = triage_bytes(case.fail, passing=case.passing)
        report_to_json(report)
        render_markdown(report)
    cached = vars(re)["_cache"].values()
    return [p for p in cached if isinstance(p, re.Pattern) and isinstance(p.pattern, str)]


def _patterns_in(value: object, path: str, depth: int) -> Iterator[tuple[str, re.Pattern[str]]]:
    if isinstance(value, re.Pattern):
        yield path, value
    elif depth > 0 and isinstance(value, (tuple, list, frozenset, set)):
        for index, item in enumerate(value):
            yield from _patterns_in(item, f"{path}[{index}]", depth - 1)
    elif depth > 0 and isinstance(value, dict):
        for key, item in value.items():
            yield from _patterns_in(item, f"{path}[{key!r}]", depth - 1)


def corpus_lines(limit: int) -> list[str]:
    """Distinct cleaned lines of the dev logs and the tool fixtures: every line on which a
    rule's trigger fires, then others at random, ``limit`` in all."""
    from sheriff.core.logview import line_text
    from sheriff.core.parsers import rule_set

    raw: set[bytes] = set()
    logs = [case.fail for case in datasets.load(datasets.LOGCHUNKS)]
    logs += [case.fail for case in datasets.load(datasets.CIDIFF)]
    logs += [path.read_bytes() for path in sorted(FIXTURES.rglob("*.log"))]
    for log in logs:
        raw.update(log.splitlines())
    lines = sorted({line_text(line) for line in raw})
    random.Random(6).shuffle(lines)
    rules = rule_set()
    triggered = [line for line in lines if rules.fired(line.encode())]
    others = [line for line in lines if not rules.fired(line.encode())]
    return (triggered + others)[:limit]


def samples(pattern: re.Pattern[str], lines: list[str]) -> list[tuple[str, re.Match[str]]]:
    found = []
    for line in lines:
        match = pattern.search(line)
        if match is not None and match.end() > match.start():
            found.append((line, match))
            if len(found) == SAMPLES_PER_PATTERN:
                break
    return found


def variants(line: str, match: re.Match[str]) -> Iterator[tuple[str, str, str]]:
    """(description, template with one ``{run}``, run character) for each inflation of a
    matching line."""
    points = {match.start(), match.end()}
    for group in range(1, (match.re.groups or 0) + 1):
        if match.start(group) >= 0:
            points.update((match.start(group), match.end(group)))
    for point in sorted(points):
        local = line[point : point + 1] or line[point - 1 : point]
        for char in dict.fromkeys(local + RUN_CHARACTERS):
            head = line[:point].replace("{", "{{").replace("}", "}}")
            tail = line[point:].replace("{", "{{").replace("}", "}}")
            yield f"{char!r}×n at {point}", head + "{run}" + tail, char
            yield f"{char!r}×n at {point}, line cut after", head + "{run}\x00", char


def generic_variants() -> Iterator[tuple[str, str, str]]:
    for prefix in GENERIC_PREFIXES:
        for char in RUN_CHARACTERS + "xE[(":
            yield f"{prefix!r}+{char!r}×n", prefix + "{run}", char
            yield f"{prefix!r}+{char!r}×n+': x'", prefix + "{run}: x", char


def cost(pattern: re.Pattern[str], text: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        pattern.search(text)
        for _ in pattern.finditer(text):
            pass
        best = min(best, time.perf_counter() - started)
    return best


def audit(
    name: str, pattern: re.Pattern[str], found: list[tuple[str, re.Match[str]]]
) -> Finding | None:
    templates = [v for line, match in found for v in variants(line, match)]
    templates += list(generic_variants())
    worst: Finding | None = None
    for description, template, char in templates:
        short = template.format(run=char * SHORT_RUN)
        long = template.format(run=char * SHORT_RUN * SCALE)
        seconds_short = cost(pattern, short)
        if seconds_short * SCALE * SCALE < MIN_SLOW_SECONDS:
            continue
        seconds_long = cost(pattern, long)
        growth = seconds_long / max(seconds_short, 1e-7)
        slow = growth > GROWTH_LIMIT and seconds_long > MIN_SLOW_SECONDS
        if slow and (worst is None or seconds_long > worst.seconds):
            worst = Finding(name, pattern.pattern, growth, seconds_long, description)
    return worst


def audit_in_child(
    name: str, pattern: re.Pattern[str], found: list[tuple[str, re.Match[str]]]
) -> Finding | None:
    """``audit`` in a forked process: a pattern that backtracks exponentially never
    returns, and a running ``re`` match cannot be interrupted, so the child is killed
    after ``PATTERN_SECONDS`` and the pattern reported as such."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        with os.fdopen(write_end, "wb") as stream:
            stream.write(pickle.dumps(audit(name, pattern, found)))
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as stream:
        ready, _, _ = select.select([stream], [], [], PATTERN_SECONDS)
        if not ready:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            variant = f"still running after {PATTERN_SECONDS:.0f} s: exponential backtracking"
            return Finding(name, pattern.pattern, float("inf"), PATTERN_SECONDS, variant)
        result: Finding | None = pickle.loads(stream.read())
    os.waitpid(pid, 0)
    return result


def report(findings: list[Finding], audited: int, with_samples: int, elapsed: float) -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    rows = [
        [
            f"`{f.name}`",
            f"{f.growth:.1f}",
            f"{f.seconds * 1000:.1f}",
            f.variant.replace("|", "\\|"),
            f"`{f.pattern[:90].replace('|', chr(92) + '|')}`",
        ]
        for f in sorted(findings, key=lambda f: -f.seconds)
    ]
    lines = [
        "# Regex audit: linear time on every line",
        "",
        f"Date: {now}. Reproduce: `python bench/regex_audit.py` (from the repository root).",
        "",
        f"{audited} compiled patterns of `sheriff.core` ({with_samples} with matching dev-log "
        f"lines to inflate); runs of {SHORT_RUN} and {SHORT_RUN * SCALE} characters. "
        f"Linear growth is {SCALE}×, quadratic {SCALE * SCALE}×; a pattern is reported above "
        f"{GROWTH_LIMIT:.0f}× when the long run takes over {MIN_SLOW_SECONDS * 1000:.1f} ms. "
        f"Audit time {elapsed:.0f} s.",
        "",
    ]
    if rows:
        lines += [
            md_table(["pattern", "growth", "ms at long run", "worst input", "source"], rows),
            "",
        ]
    else:
        lines += ["No pattern grows faster than linearly.", ""]
    target = [
        ["patterns growing faster than linearly", str(len(findings)), "0", verdict(not findings)]
    ]
    lines += ["## Target", "", md_table(["target", "value", "wanted", "result"], target), ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=80_000, help="corpus lines to search")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    started = time.perf_counter()
    patterns = sheriff_patterns()
    lines = corpus_lines(args.lines)
    findings = []
    with_samples = 0
    for name, pattern in sorted(patterns.items()):
        found = samples(pattern, lines)
        with_samples += bool(found)
        finding = audit_in_child(name, pattern, found)
        if finding is not None:
            findings.append(finding)
            milliseconds = finding.seconds * 1000
            print(f"{finding.growth:5.1f}× {milliseconds:7.1f} ms  {name}  [{finding.variant}]")
    text = report(findings, len(patterns), with_samples, time.perf_counter() - started)
    args.output.write_text(text)
    print(
        f"{len(findings)} of {len(patterns)} patterns grow faster than linearly; see {args.output}"
    )


if __name__ == "__main__":
    main()
