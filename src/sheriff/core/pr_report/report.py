"""The pull request's failure report as one value: the judged jobs and the analyses of
the new failures. Rendering (``render``) and the check run (``checks``) read it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sheriff.core.pr_report.analysis import FailureAnalysis, NewFailure
from sheriff.core.pr_report.verdicts import PRECEDENCE, JobJudgement, JobVerdict

REPORT_KEY = "pr-report"  # the hidden key of the one managed comment per pull request
DETERMINISTIC = "deterministic"


@dataclass(frozen=True, slots=True)
class AnalysedFailure:
    subject: NewFailure
    analysis: FailureAnalysis
    source: str  # the model's name, or "deterministic"
    note: str = ""  # why a model's analysis was replaced by the deterministic one


@dataclass(frozen=True, slots=True)
class FailureReport:
    repo: str
    number: int
    head_sha: str
    jobs: tuple[JobJudgement, ...]
    analyses: tuple[AnalysedFailure, ...] = ()
    unanalysed: int = 0  # new failures left without a deep analysis (over the cap)
    jobs_left_out: int = 0  # failed jobs not read (over the cap)
    changed_paths: tuple[str, ...] = ()  # the pull request's files (read when a job is NEW)

    def counts(self) -> dict[JobVerdict, int]:
        found = Counter(item.verdict for item in self.jobs)
        return {verdict: found[verdict] for verdict in PRECEDENCE if found[verdict]}

    @property
    def has_new(self) -> bool:
        return any(item.verdict is JobVerdict.NEW for item in self.jobs)

    def tally(self) -> str:
        """``1 new · 2 flaky``, or ``no failed jobs``."""
        counts = self.counts()
        if not counts:
            return "no failed jobs"
        return " · ".join(f"{count} {verdict.label.lower()}" for verdict, count in counts.items())
