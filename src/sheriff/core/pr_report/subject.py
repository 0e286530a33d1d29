"""What a deep analysis is about: a NEW job's new causes, the changes they point at, and
how bad they are."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sheriff.core.pr_report.analysis import NewFailure
from sheriff.core.pr_report.correlate import ChangeLink, FailureSubject, correlate
from sheriff.core.pr_report.diff import ChangedFile
from sheriff.core.pr_report.severity import severity_of, worst
from sheriff.core.pr_report.verdicts import JobJudgement, JobVerdict


def new_failure_of(
    repo: str,
    judged: JobJudgement,
    files: Sequence[ChangedFile],
    jobs_failing: Mapping[str, int],
) -> NewFailure:
    """``jobs_failing``: how many of the report's jobs each fingerprint failed in."""
    causes = tuple(item.cause for item in judged.with_verdict(JobVerdict.NEW))
    levels = []
    best: dict[str, ChangeLink] = {}
    for cause in causes:
        finding = cause.failure.finding
        subject = FailureSubject(finding.test, finding.locations, finding.message)
        links = correlate(subject, files, repo)
        levels.append(severity_of(cause.failure, links, jobs_failing.get(cause.fingerprint, 1)))
        for link in links:
            if link.path not in best or best[link.path].kind < link.kind:
                best[link.path] = link
    ordered = tuple(sorted(best.values(), key=lambda item: (-item.kind, item.path)))
    return NewFailure(repo, judged.job, causes, ordered, worst(levels), tuple(files))
