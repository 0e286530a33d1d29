"""What the app gathers about a pull request's failed jobs: plain values, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sheriff.core.model import Failure, Strength


@dataclass(frozen=True, slots=True)
class TrunkFailure:
    """The same failure (same fingerprint) on the default branch, recently."""

    run_id: int
    head_sha: str
    seen_at: datetime
    url: str | None = None


@dataclass(frozen=True, slots=True)
class CauseFacts:
    """One cause of a failed job (a failing test, or the job's primary finding) with what
    the store knows of its fingerprint: the flakiness engine's word and the default
    branch's recent failures."""

    failure: Failure
    p_flaky: float | None = None
    flaky_verdict: str | None = None  # the case's verdict ([T3]): flaky, regression, ...
    trunk: tuple[TrunkFailure, ...] = ()  # default-branch failures that did not pass again
    trunk_flaky: tuple[TrunkFailure, ...] = ()  # ... that passed on the same commit too

    @property
    def fingerprint(self) -> str:
        return self.failure.fingerprint

    @property
    def weak(self) -> bool:
        return self.failure.finding.strength is Strength.WEAK


@dataclass(frozen=True, slots=True)
class JobFacts:
    """One failed job of the pull request's head, and what triage found in its log."""

    run_id: int
    attempt: int
    workflow: str
    job_id: int
    name: str
    conclusion: str | None
    url: str | None = None
    log_problem: str | None = None  # why the log could not be read (expired, error)
    causes: tuple[CauseFacts, ...] = ()
    failed_step: str | None = None
    excerpt: tuple[tuple[int, str], ...] = ()  # the triage excerpt (redacted on output)

    @property
    def title(self) -> str:
        return f"{self.workflow} / {self.name}" if self.workflow != self.name else self.name
