"""Use case: triage one or more CI logs, streamed, optionally against a passing run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sheriff.app.ports import LogReader
from sheriff.core.diffing import PassingBaseline
from sheriff.core.excerpt import DEFAULT_BUDGET
from sheriff.core.model import TriageReport
from sheriff.core.triage import analyse, new_scanner


@dataclass(frozen=True, slots=True)
class TriageRequest:
    sources: Sequence[str]
    budget: int = DEFAULT_BUDGET
    passing_log: str | None = None
    repo: str | None = None
    platform: str | None = None


def triage_logs(request: TriageRequest, reader: LogReader) -> list[TriageReport]:
    """One report per source, in input order."""
    baseline = None
    if request.passing_log is not None:
        baseline = PassingBaseline(reader.read_all(request.passing_log).splitlines())
    reports = []
    for source in request.sources:
        scanner = new_scanner(baseline)
        for chunk in reader.chunks(source):
            scanner.feed(chunk)
        reports.append(
            analyse(
                scanner.finish(),
                source=source,
                budget=request.budget,
                repo=request.repo,
                platform=request.platform,
            )
        )
    return reports
