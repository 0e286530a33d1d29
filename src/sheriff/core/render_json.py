"""The ``sheriff.triage/v1`` JSON document: a stable interface other tools depend on.

Fields are only ever added within v1; a change that removes or renames one needs v2.
Every text that comes from the log is redacted.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sheriff.core.classify import level_of
from sheriff.core.model import (
    Classification,
    ClassificationReport,
    Failure,
    TriageReport,
)
from sheriff.core.redact import redact

SCHEMA = "sheriff.triage/v1"

JsonObject = dict[str, Any]


def report_to_json(report: TriageReport) -> JsonObject:
    return {
        "schema": SCHEMA,
        "source": report.source,
        "lines": report.lines,
        "excerpt": {
            "ranges": [list(pair) for pair in report.excerpt.ranges],
            "budget": report.excerpt.budget,
            "text": [
                {"line": number, "text": redact(text)} for number, text in report.excerpt_text
            ],
        },
        "failures": [_failure(failure) for failure in report.failures],
        "classification": classification_to_json(report.classification),
        "skipped_lines": report.skipped_lines,
    }


def _failure(failure: Failure) -> JsonObject:
    finding = failure.finding
    test = finding.test
    return {
        "id": failure.id,
        "test": (
            {"framework": test.framework, "suite": test.suite, "name": test.name} if test else None
        ),
        "kind": finding.kind,
        "tool": finding.tool,
        "failure_type": finding.failure_type.value,
        "sub_type": finding.sub_type,
        "strength": finding.strength.name.lower(),
        "message": redact(finding.message),
        "locations": [{"path": loc.path, "line": loc.line} for loc in finding.locations],
        "anchor": finding.anchor,
        "ranges": [list(pair) for pair in finding.ranges],
        "signature": redact(failure.signature),
        "fingerprint": failure.fingerprint,
    }


def classification_to_json(report: ClassificationReport) -> JsonObject:
    items = report.classifications
    levels = Counter(level_of(item.confidence) for item in items)
    return {
        "classifications": [_classification(item) for item in items],
        "summary": {
            "total_failures": len(items),
            "auto_fixable": sum(1 for item in items if item.auto_fixable),
            "manual_required": sum(1 for item in items if not item.auto_fixable),
            "by_type": dict(Counter(item.failure_type.value for item in items)),
            "by_stack": dict(Counter(item.stack for item in items)),
            "by_confidence": {
                "high": levels["high"],
                "medium": levels["medium"],
                "low": levels["low"],
                "skip": levels["skip"],
            },
            "overall_confidence": report.overall_confidence,
        },
        "recommendation": {
            "action": report.recommendation.action,
            "workflows": list(report.recommendation.workflows),
            "reason": report.recommendation.reason,
            "estimated_complexity": report.recommendation.estimated_complexity,
        },
    }


def _classification(item: Classification) -> JsonObject:
    return {
        "failure_id": item.failure_id,
        "step_name": item.step_name,
        "failure_type": item.failure_type.value,
        "sub_type": item.sub_type,
        "stack": item.stack,
        "secondary_stack": item.secondary_stack,
        "confidence": item.confidence,
        "confidence_level": level_of(item.confidence),
        "auto_fixable": item.auto_fixable,
        "fix_approach": item.fix_approach,
        "related_workflow": item.related_workflow,
        "evidence": list(item.evidence),
        "affected_files": [
            {"path": file.path, "line": file.line, "role": file.role}
            for file in item.affected_files
        ],
        "error_details": {
            "primary_error": redact(item.primary_error),
            "error_count": item.error_count,
            "error_category": item.error_category,
        },
        "blocks_auto_fix": item.blocks_auto_fix,
        "requires_user_decision": item.requires_user_decision,
    }
