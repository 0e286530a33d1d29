"""Baseline excerpt pickers that Sheriff is compared against.

Each picker returns the set of 1-based line numbers it would show, at most ``budget``.
The conventions are described (and the published numbers they reproduce) in README.md.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

GREP_RE = re.compile(rb"error|fail|exception|fatal|traceback|panic", re.IGNORECASE)
GREP_CONTEXT = 2

_ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]")
_TIMESTAMP = re.compile(
    rb"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?"
    rb"|\b\d\d:\d\d:\d\d(?:[.,]\d+)?\b"
)
_DIGITS = re.compile(rb"\d+")
_SPACE = re.compile(rb"\s+")

LOGREDUCE_VERSION = "0.6.1"


def tail(lines: Sequence[bytes], budget: int) -> frozenset[int]:
    """The last ``budget`` lines."""
    n = len(lines)
    return frozenset(range(max(1, n - budget + 1), n + 1))


def grep_matches(lines: Sequence[bytes]) -> list[int]:
    """1-based numbers of the lines matching GREP_RE, bottom-up."""
    return [i + 1 for i in range(len(lines) - 1, -1, -1) if GREP_RE.search(lines[i])]


def grep(
    lines: Sequence[bytes], budget: int, matches: Sequence[int] | None = None
) -> frozenset[int]:
    """Matching lines bottom-up, each with ±GREP_CONTEXT lines, until the budget is full.

    Windows that overlap what is already chosen only cost their new lines. When a window
    does not fit, its lines nearest to the match are taken first and the scan stops.
    """
    n = len(lines)
    chosen: set[int] = set()
    for match in grep_matches(lines) if matches is None else matches:
        window = range(max(1, match - GREP_CONTEXT), min(n, match + GREP_CONTEXT) + 1)
        for line in sorted(window, key=lambda x: (abs(x - match), x)):
            if len(chosen) >= budget:
                return frozenset(chosen)
            chosen.add(line)
        if len(chosen) >= budget:
            break
    return frozenset(chosen)


def normalise_for_diff(line: bytes) -> bytes:
    """ANSI codes and timestamps removed, digits folded to 0, all whitespace dropped."""
    line = _TIMESTAMP.sub(b"", _ANSI.sub(b"", line))
    return _SPACE.sub(b"", _DIGITS.sub(b"0", line))


def diff_candidates(fail_lines: Sequence[bytes], pass_lines: Sequence[bytes]) -> list[int]:
    """Failing-log lines whose normalised text never occurs in the passing log, bottom-up.

    Lines that normalise to nothing (blank, timestamp only) are skipped.
    """
    seen = {normalise_for_diff(line) for line in pass_lines}
    out = []
    for i in range(len(fail_lines) - 1, -1, -1):
        key = normalise_for_diff(fail_lines[i])
        if key and key not in seen:
            out.append(i + 1)
    return out


def diff(candidates: Sequence[int], budget: int) -> frozenset[int]:
    """The bottom-most ``budget`` lines absent from the passing log."""
    return frozenset(candidates[:budget])


# --- logreduce 0.6.1 ---------------------------------------------------------------------


def logreduce_command() -> list[str] | None:
    exe = Path(sys.executable).with_name("logreduce")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("logreduce")
    return [found] if found else None


def run_logreduce(good: Path, fail: Path, cache_dir: Path) -> dict[str, Any] | None:
    """``logreduce diff GOOD FAIL --json OUT``, cached by the content of both files."""
    digest = hashlib.sha256()
    for path in (good, fail):
        digest.update(path.read_bytes())
    out = cache_dir / f"{fail.parent.name}-{digest.hexdigest()[:16]}-{LOGREDUCE_VERSION}.json"
    if not out.exists():
        command = logreduce_command()
        if command is None:
            return None
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = out.with_suffix(".tmp")
        subprocess.run(
            [*command, "diff", str(good), str(fail), "--json", str(tmp)],
            check=True,
            capture_output=True,
            timeout=900,
        )
        tmp.replace(out)
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return report


def _newline_line_map(data: bytes) -> list[range]:
    """For each ``\\n``-terminated line (logreduce's unit), our line numbers it spans.

    logreduce reads files in binary mode and splits on ``\\n`` only, so a line with bare
    ``\\r`` characters is several lines in our numbering.
    """
    spans = []
    first = 1
    parts = data.split(b"\n")
    if parts and parts[-1] == b"":
        parts.pop()
    for part in parts:
        count = max(1, len(part.splitlines()))
        spans.append(range(first, first + count))
        first += count
    return spans


def logreduce_order(report: dict[str, Any], fail: bytes) -> list[int]:
    """Our line numbers in logreduce's priority: its anomalies, then its context lines.

    Within each group lines keep logreduce's own (file) order. Anomalies are the entries
    with a distance above 0; the entries with distance 0 are the context it adds.
    """
    spans = _newline_line_map(fail)
    scores: list[tuple[int, float]] = []
    for info in report.get("files", {}).values():
        scores.extend((int(pos), float(dist)) for pos, dist in info["scores"])
    anomalies = [pos for pos, dist in scores if dist > 0]
    context = [pos for pos, dist in scores if dist <= 0]
    ordered: list[int] = []
    seen: set[int] = set()
    for pos in anomalies + context:
        if pos in seen or pos >= len(spans):
            continue
        seen.add(pos)
        ordered.extend(spans[pos])
    return ordered


def take(ordered: Sequence[int], budget: int) -> frozenset[int]:
    """The first ``budget`` distinct lines of ``ordered``."""
    chosen: list[int] = []
    seen: set[int] = set()
    for line in ordered:
        if len(chosen) >= budget:
            break
        if line not in seen:
            seen.add(line)
            chosen.append(line)
    return frozenset(chosen)
