"""Use case: triage one or more CI logs, streamed, optionally against a passing run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sheriff.app.ports import LogReader, PartScanner
from sheriff.core.diffing import PassingBaseline
from sheriff.core.excerpt import DEFAULT_BUDGET
from sheriff.core.model import TriageReport
from sheriff.core.parts import merge_parts
from sheriff.core.triage import analyse, new_scanner, report_from


@dataclass(frozen=True, slots=True)
class TriageRequest:
    sources: Sequence[str]
    budget: int = DEFAULT_BUDGET
    passing_log: str | None = None
    repo: str | None = None
    platform: str | None = None


def triage_logs(
    request: TriageRequest, reader: LogReader, parts: PartScanner | None = None
) -> list[TriageReport]:
    """One report per source, in input order; big files are split across cores."""
    baseline = None
    if request.passing_log is not None:
        baseline = PassingBaseline(reader.read_all(request.passing_log).splitlines())
    return [_triage_one(source, request, reader, parts, baseline) for source in request.sources]


def _triage_one(
    source: str,
    request: TriageRequest,
    reader: LogReader,
    parts: PartScanner | None,
    baseline: PassingBaseline | None,
) -> TriageReport:
    options = {
        "source": source,
        "budget": request.budget,
        "repo": request.repo,
        "platform": request.platform,
    }
    results = parts.scan(source, baseline) if parts is not None else None
    if results is not None:
        merged = merge_parts(results)
        return report_from(merged.view, merged.findings, merged.novel, **options)  # type: ignore[arg-type]
    scanner = new_scanner(baseline)
    for chunk in reader.chunks(source):
        scanner.feed(chunk)
    return analyse(scanner.finish(), **options)  # type: ignore[arg-type]
