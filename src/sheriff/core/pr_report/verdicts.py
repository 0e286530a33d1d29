"""The verdict on a pull request's failed job, as Dr. CI gives it.

Each cause gets a verdict, strongest evidence first:

- INFRA: triage says infrastructure (runner lost, network, disk), or the flakiness engine
  judged the fingerprint ``infra``;
- BROKEN TRUNK when the engine judged it ``broken_trunk``;
- FLAKY: the engine judged it flaky, P(flaky) reaches the threshold, or it failed and
  passed on the same default-branch commit (never for build, lint, type, dependency or
  config failures, which a re-run cannot fix);
- BROKEN TRUNK: the same fingerprint failed on the default branch recently (and did not
  pass there on a re-run): not this pull request's doing;
- UNKNOWN: only weak signals (an exit code, a generic "error" line) or an unknown type;
- NEW: anything else: a clear failure that only this pull request shows.

A job is NEW when any cause is NEW (the author has something to look at), else BROKEN
TRUNK, FLAKY, INFRA, UNKNOWN in that order. A job whose log could not be read, or in
which triage found nothing, is UNKNOWN.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sheriff.core.model import DETERMINISTIC_TYPES, FailureType
from sheriff.core.pr_report.facts import CauseFacts, JobFacts


class JobVerdict(StrEnum):
    NEW = "new"
    BROKEN_TRUNK = "broken_trunk"
    FLAKY = "flaky"
    INFRA = "infra"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").upper()

    @property
    def icon(self) -> str:
        return _ICONS[self]


_ICONS = {
    JobVerdict.NEW: "🆕",
    JobVerdict.BROKEN_TRUNK: "🚧",
    JobVerdict.FLAKY: "❄️",
    JobVerdict.INFRA: "🛠️",
    JobVerdict.UNKNOWN: "❔",
}
PRECEDENCE = (
    JobVerdict.NEW,
    JobVerdict.BROKEN_TRUNK,
    JobVerdict.FLAKY,
    JobVerdict.INFRA,
    JobVerdict.UNKNOWN,
)


@dataclass(frozen=True, slots=True)
class CauseJudgement:
    cause: CauseFacts
    verdict: JobVerdict
    reason: str


@dataclass(frozen=True, slots=True)
class JobJudgement:
    job: JobFacts
    verdict: JobVerdict
    reason: str
    causes: tuple[CauseJudgement, ...] = ()

    @property
    def deciding(self) -> CauseJudgement | None:
        """The first cause that carries the job's verdict (what the report shows)."""
        return next((item for item in self.causes if item.verdict is self.verdict), None)

    @property
    def p_flaky(self) -> float | None:
        deciding = self.deciding
        return deciding.cause.p_flaky if deciding is not None else None

    def with_verdict(self, verdict: JobVerdict) -> tuple[CauseJudgement, ...]:
        return tuple(item for item in self.causes if item.verdict is verdict)


def judge_cause(cause: CauseFacts, threshold: float) -> CauseJudgement:
    judged = _by_engine(cause) or _as_flaky(cause, threshold) or _as_broken_trunk(cause)
    if judged is not None:
        return judged
    if cause.weak or cause.failure.finding.failure_type is FailureType.UNKNOWN:
        return CauseJudgement(cause, JobVerdict.UNKNOWN, "only weak signals in the log")
    return CauseJudgement(cause, JobVerdict.NEW, "not seen on the default branch, not flaky")


def _by_engine(cause: CauseFacts) -> CauseJudgement | None:
    verdict = cause.flaky_verdict
    if cause.failure.finding.failure_type is FailureType.INFRASTRUCTURE or verdict == "infra":
        return CauseJudgement(cause, JobVerdict.INFRA, "triage found an infrastructure failure")
    if verdict == "broken_trunk":
        return CauseJudgement(cause, JobVerdict.BROKEN_TRUNK, "the flakiness engine: broken trunk")
    return None


def _as_flaky(cause: CauseFacts, threshold: float) -> CauseJudgement | None:
    if cause.failure.finding.failure_type in DETERMINISTIC_TYPES:
        return None
    if _looks_flaky(cause, threshold):
        return CauseJudgement(cause, JobVerdict.FLAKY, _flaky_reason(cause))
    if cause.trunk_flaky:
        sha = cause.trunk_flaky[-1].head_sha[:7]
        reason = f"failed and passed on the same default-branch commit `{sha}`"
        return CauseJudgement(cause, JobVerdict.FLAKY, reason)
    return None


def _as_broken_trunk(cause: CauseFacts) -> CauseJudgement | None:
    if not cause.trunk:
        return None
    latest = max(cause.trunk, key=lambda item: item.seen_at)
    reason = (
        f"failed the same way on the default branch {len(cause.trunk)} time(s) "
        f"recently (last at `{latest.head_sha[:7]}`)"
    )
    return CauseJudgement(cause, JobVerdict.BROKEN_TRUNK, reason)


def _looks_flaky(cause: CauseFacts, threshold: float) -> bool:
    return cause.flaky_verdict == "flaky" or (
        cause.p_flaky is not None and cause.p_flaky >= threshold
    )


def _flaky_reason(cause: CauseFacts) -> str:
    shown = f"P(flaky) {cause.p_flaky:.2f}" if cause.p_flaky is not None else "judged flaky"
    return f"flaky by its history ({shown})"


def judge_job(job: JobFacts, threshold: float) -> JobJudgement:
    if job.log_problem is not None:
        return JobJudgement(job, JobVerdict.UNKNOWN, f"log unavailable: {job.log_problem}")
    if not job.causes:
        return JobJudgement(job, JobVerdict.UNKNOWN, "triage found no failure in the log")
    causes = tuple(judge_cause(cause, threshold) for cause in job.causes)
    verdict = next(item for item in PRECEDENCE if any(c.verdict is item for c in causes))
    deciding = next(item for item in causes if item.verdict is verdict)
    return JobJudgement(job, verdict, deciding.reason, causes)
