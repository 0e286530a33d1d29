"""Use case: triage one or more CI logs, streamed, optionally against a passing run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sheriff.app.log_ports import LogReader, PartScanner
from sheriff.core.diffing import PassingBaseline
from sheriff.core.excerpt import DEFAULT_BUDGET
from sheriff.core.lines import split_lines
from sheriff.core.model import TriageReport
from sheriff.core.rules import TriggerMatcher
from sheriff.core.triage import analyse, new_scanner


@dataclass(frozen=True, slots=True)
class TriageRequest:
    sources: Sequence[str]
    budget: int = DEFAULT_BUDGET
    passing_log: str | None = None
    repo: str | None = None
    platform: str | None = None


def triage_logs(
    request: TriageRequest,
    reader: LogReader,
    parts: PartScanner | None = None,
    matcher: TriggerMatcher | None = None,
) -> list[TriageReport]:
    """One report per source, in input order; big files are split across cores.

    ``matcher`` replaces the RE2 reference engine of stage 1 (same hits, faster).
    """
    baseline = None
    if request.passing_log is not None:
        baseline = PassingBaseline(split_lines(reader.chunks(request.passing_log)))
    return [
        _triage_one(source, request, reader=reader, parts=parts, baseline=baseline, matcher=matcher)
        for source in request.sources
    ]


def _triage_one(
    source: str,
    request: TriageRequest,
    *,
    reader: LogReader,
    parts: PartScanner | None,
    baseline: PassingBaseline | None,
    matcher: TriggerMatcher | None,
) -> TriageReport:
    scanned = parts.scan(source, baseline) if parts is not None else None
    if scanned is None:
        scanner = new_scanner(baseline, matcher)
        for chunk in reader.chunks(source):
            scanner.feed(chunk)
        scan, findings = scanner.finish(), None
    else:
        scan, findings = scanned.scan, scanned.findings
    return analyse(
        scan,
        findings=findings,
        source=source,
        budget=request.budget,
        repo=request.repo,
        platform=request.platform,
    )
