"""JUnit/xUnit XML artifacts of a run, when ``artifact_globs`` names them: downloaded with
the forge's caps, triaged with the same engine as logs (it reads JUnit XML), and recorded
with the run's first failed job."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sheriff.app.forge import ArtifactStatus, Forge
from sheriff.app.ports import LogReader
from sheriff.app.triage_logs import TriageRequest, triage_logs
from sheriff.core.causes import causes_of
from sheriff.core.model import Failure, TriageReport


def junit_reports(
    forge: Forge,
    run_id: int,
    globs: tuple[str, ...],
    *,
    folder: Path,
    reader: LogReader,
    budget: int,
) -> tuple[list[TriageReport], list[Path]]:
    """The triage of every XML file in the run's matching artifacts, and the files (to
    delete once recorded). Expired or refused artifacts are skipped."""
    paths: list[Path] = []
    for glob in globs:
        destination = folder / f"{run_id}"
        destination.mkdir(parents=True, exist_ok=True)
        for fetched in forge.fetch_test_reports(run_id, glob, destination):
            if fetched.status is ArtifactStatus.FETCHED:
                paths.extend(fetched.paths)
    if not paths:
        return [], []
    request = TriageRequest([str(path) for path in paths], budget, repo=forge.read_repo)
    return triage_logs(request, reader), paths


def distinct_failures(reports: list[TriageReport]) -> list[tuple[TriageReport, Failure]]:
    """The causes (``core.causes``) of the reports with an id unique across them
    (``R2-F001``), and one per fingerprint (the first). Summary lines and weak error
    lines that only restate a cause get no case of their own."""
    chosen: dict[str, tuple[TriageReport, Failure]] = {}
    for index, report in enumerate(reports, start=1):
        for failure in causes_of(report):
            if failure.fingerprint in chosen:
                continue
            unique = failure if index == 1 else replace(failure, id=f"R{index}-{failure.id}")
            chosen[failure.fingerprint] = (report, unique)
    return list(chosen.values())
