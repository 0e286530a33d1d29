"""The deep analysis of a pull request's new failures: a model's, validated, or the
deterministic one.

The model only reads: it gets the failure, the links Sheriff found and the diff as text,
and answers with a ``FailureAnalysis`` (validated by the adapter, then again here against
the files it was shown). A model that fails, or whose answer names files it was never
shown, is written to the audit log and the deterministic analysis is posted instead: a
report never waits on a model. A validated answer is kept in the audit log under a key of
the head and the failures, so a retried or repeated report reuses it instead of paying
again. Every call's tokens and price go to the cost ledger, a failed call's too.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources

from sheriff.app.llm import LLM, LlmUsage
from sheriff.app.ports import AuditEvent, CostRecord, JournalStore
from sheriff.core.pr_report import (
    DETERMINISTIC,
    AnalysedFailure,
    FailureAnalysis,
    NewFailure,
    analysis_request,
    deterministic_analysis,
    validate_analysis,
)
from sheriff.errors import LLMError

ACTOR = "sheriff-pr-report"
ANALYSED = "pr_report.analysis"
PURPOSE = "pr_analysis"


def prompt_instructions() -> str:
    """The versioned instructions shipped in ``sheriff/prompts``."""
    path = resources.files("sheriff").joinpath("prompts/pr_failure_analysis.md")
    return path.read_text("utf-8")


@dataclass(frozen=True, slots=True)
class AnalysisSource:
    repo: str
    journal: JournalStore
    llm: LLM | None
    number: int
    title: str
    head_sha: str
    dry_run: bool = False
    instructions: str = ""


def analyse(source: AnalysisSource, subject: NewFailure) -> AnalysedFailure:
    llm = source.llm
    if llm is None or source.dry_run:
        note = "Dry run: no model was asked." if llm is not None else ""
        return AnalysedFailure(subject, deterministic_analysis(subject), DETERMINISTIC, note)
    key = _cache_key(source, subject)
    cached = _cached(source, subject, key)
    if cached is not None:
        return AnalysedFailure(subject, cached, llm.model_name)
    prompt = analysis_request(
        subject, source.instructions or prompt_instructions(), number=source.number,
        title=source.title, head_sha=source.head_sha,
    )  # fmt: skip
    try:
        answered = llm.analyse(prompt.user, FailureAnalysis, instructions=prompt.system)
    except LLMError as error:
        spent = LlmUsage(error.model or llm.model_name, 0, error.input_tokens,
                         error.output_tokens, error.usd)  # fmt: skip
        _record_cost(source, subject, spent)
        return _fallback(source, subject, llm.model_name, error.message, error.hint)
    _record_cost(source, subject, answered.usage)
    checked = validate_analysis(answered.output, subject)
    if isinstance(checked, list):
        problems = "; ".join(checked[:5])
        return _fallback(source, subject, llm.model_name, f"invalid answer: {problems}", "")
    details: dict[str, object] = {
        "job": subject.job.job_id,
        "analysis": checked.model_dump(mode="json"),
    }
    _audit(source, subject, ANALYSED, f"analysis by {llm.model_name}", details, key=key)
    return AnalysedFailure(subject, checked, llm.model_name)


def _fallback(
    source: AnalysisSource, subject: NewFailure, model: str, error: str, hint: str
) -> AnalysedFailure:
    cause = f"the pull request analysis by {model} failed; the deterministic analysis is posted"
    details: dict[str, object] = {
        "purpose": PURPOSE,
        "job": subject.job.job_id,
        "error": error,
        "hint": hint,
    }
    _audit(source, subject, "llm.failed", cause, details)
    note = f"{model} gave no usable analysis ({error[:300]}); this one is deterministic."
    return AnalysedFailure(subject, deterministic_analysis(subject), DETERMINISTIC, note)


def _cache_key(source: AnalysisSource, subject: NewFailure) -> str:
    fingerprints = "+".join(sorted(cause.fingerprint for cause in subject.causes))
    digest = hashlib.sha256(f"{fingerprints}|{subject.job.name}".encode()).hexdigest()[:20]
    return f"{ANALYSED}:{source.repo}#{source.number}:{source.head_sha[:12]}:{digest}"


def _cached(source: AnalysisSource, subject: NewFailure, key: str) -> FailureAnalysis | None:
    entries = source.journal.audit_log(
        source.repo, subject.causes[0].fingerprint, limit=50, action=ANALYSED
    )
    for entry in reversed(entries):
        if entry.event.key == key and isinstance(entry.event.details.get("analysis"), dict):
            found = validate_analysis(entry.event.details["analysis"], subject)
            return found if isinstance(found, FailureAnalysis) else None
    return None


def _record_cost(source: AnalysisSource, subject: NewFailure, usage: LlmUsage) -> None:
    source.journal.record_cost(
        CostRecord(
            PURPOSE,
            usage.model,
            usage.input_tokens,
            usage.output_tokens,
            usage.usd,
            repo=source.repo,
            fingerprint=subject.causes[0].fingerprint,
        )
    )


def _audit(
    source: AnalysisSource,
    subject: NewFailure,
    action: str,
    cause: str,
    details: dict[str, object],
    *,
    key: str | None = None,
) -> None:
    source.journal.append_audit(
        AuditEvent(
            ACTOR,
            action,
            cause,
            repo=source.repo,
            fingerprint=subject.causes[0].fingerprint,
            details={"pull_request": source.number, "head_sha": source.head_sha, **details},
            key=key,
        )
    )
