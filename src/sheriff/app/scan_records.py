"""What the scan stores about a failure: its case's seed and its occurrence record, with
secrets redacted from every text."""

from __future__ import annotations

from dataclasses import replace

from sheriff.app.ports import CaseSeed, OccurrenceRecord
from sheriff.core.model import Failure, TriageReport
from sheriff.core.redact import redact


def case_seed(repo: str, failure: Failure) -> CaseSeed:
    finding = failure.finding
    return CaseSeed(
        repo=repo,
        fingerprint=failure.fingerprint,
        failure_type=finding.failure_type,
        sub_type=finding.sub_type,
        signature=failure.signature,
        test=finding.test,
    )


def occurrence_record(triaged: TriageReport, failure: Failure) -> OccurrenceRecord:
    """The failure with its classification and excerpt, secrets redacted."""
    original = failure.id.rsplit("-", 1)[-1]  # distinct_failures may have prefixed it
    classification = next(
        (item for item in triaged.classification.classifications if item.failure_id == original),
        None,
    )
    ranges = failure.finding.ranges
    text = "\n".join(
        line
        for number, line in triaged.excerpt_text
        if any(first <= number <= last for first, last in ranges)
    )
    finding = replace(failure.finding, message=redact(failure.finding.message))
    return OccurrenceRecord(
        failure=replace(failure, finding=finding),
        classification=classification,
        excerpt_ranges=ranges,
        excerpt_text=redact(text),
    )
