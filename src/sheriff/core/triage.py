"""Turn a scanned log into a triage report: findings, failures, excerpt, classification."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sheriff.core.classify import classify
from sheriff.core.diffing import PassingBaseline
from sheriff.core.excerpt import DEFAULT_BUDGET, choose_excerpt
from sheriff.core.fingerprint import fingerprint_of, signature_of
from sheriff.core.logview import LogView
from sheriff.core.model import Failure, Finding, TriageReport
from sheriff.core.noise import step_marker
from sheriff.core.parsers import ALL_PARSERS, rule_set, run_parsers
from sheriff.core.rank import rank
from sheriff.core.rules import TriggerMatcher
from sheriff.core.scan import LogScanner, ScanResult

MAX_FAILURES = 200


def new_scanner(
    passing: PassingBaseline | None = None,
    matcher: TriggerMatcher | None = None,
    *,
    from_start: bool = True,
    to_end: bool = True,
) -> LogScanner:
    """A scanner with every known rule, ready to be fed chunks (RE2 unless ``matcher``);
    ``from_start`` and ``to_end`` are False for a part of a file that begins or ends
    inside it."""
    return LogScanner(rule_set(ALL_PARSERS), passing, matcher, from_start=from_start, to_end=to_end)


@dataclass(frozen=True, slots=True)
class ScannedLog:
    """A scanned log and what its parsers found in it (``find_failures``)."""

    scan: ScanResult
    findings: list[Finding]


def analyse(
    scan: ScanResult,
    *,
    findings: Sequence[Finding] | None = None,
    source: str = "-",
    budget: int = DEFAULT_BUDGET,
    repo: str | None = None,
    platform: str | None = None,
) -> TriageReport:
    """Everything Sheriff can say about a scanned log: its findings (``findings``, when
    the parsers ran already) ranked, the excerpt chosen, classified and fingerprinted."""
    view = scan.view
    found = find_failures(scan) if findings is None else findings
    ranked = rank([_within_log(finding, view.total_lines) for finding in found])
    ranked = ranked[:MAX_FAILURES]
    failures = tuple(_identify(ranked, repo, platform))
    excerpt = choose_excerpt(view, ranked, budget, scan.novel)
    step = _step_of(view, ranked[0].anchor) if ranked else None
    classification = classify(failures, step)
    excerpt_text = tuple(
        (number, view.text(number) or "")
        for first, last in excerpt.ranges
        for number in range(first, last + 1)
    )
    skipped = len(scan.skipped)
    return TriageReport(
        source, view.total_lines, excerpt, failures, classification, excerpt_text, skipped
    )


def find_failures(scan: ScanResult) -> list[Finding]:
    """Every finding of every parser, in log order."""
    return run_parsers(scan, ALL_PARSERS)


def _within_log(finding: Finding, total_lines: int) -> Finding:
    """``finding`` with its anchor and ranges inside ``[1, total_lines]``, and no empty
    range: parsers reach a fixed number of lines past a header or before a message,
    which a short or cut log may not have (every line number Sheriff reports is a line
    of the log)."""
    if total_lines < 1:
        return finding
    anchor = min(max(finding.anchor, 1), total_lines)
    ranges = tuple(
        (max(first, 1), min(last, total_lines))
        for first, last in finding.ranges
        if first <= last and first <= total_lines and last >= 1
    )
    if anchor == finding.anchor and ranges == finding.ranges:
        return finding
    return replace(finding, anchor=anchor, ranges=ranges or ((anchor, anchor),))


def _identify(findings: Sequence[Finding], repo: str | None, platform: str | None) -> list[Failure]:
    failures = []
    for index, finding in enumerate(findings, start=1):
        signature = signature_of(finding)
        fingerprint = fingerprint_of(finding, signature, repo=repo, platform=platform)
        failures.append(Failure(f"F{index:03d}", finding, signature, fingerprint))
    return failures


def _step_of(view: LogView, anchor: int) -> str | None:
    """The name of the last step opened before the anchor, if the kept lines show it."""
    for number in range(anchor, max(anchor - 5000, 0), -1):
        raw = view.raw(number)
        if raw is None:
            continue
        marker = step_marker(raw.decode("utf-8", "replace"))
        if marker is not None and marker.opens:
            return marker.name
    return None


def triage_bytes(
    data: bytes,
    *,
    source: str = "-",
    budget: int = DEFAULT_BUDGET,
    passing: bytes | None = None,
    repo: str | None = None,
    platform: str | None = None,
) -> TriageReport:
    """Triage a whole in-memory log (optionally against a passing run of the same job)."""
    baseline = PassingBaseline(passing.splitlines()) if passing is not None else None
    scanner = new_scanner(baseline)
    scanner.feed(data)
    return analyse(scanner.finish(), source=source, budget=budget, repo=repo, platform=platform)
