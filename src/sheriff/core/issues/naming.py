"""Issue titles and Sheriff's label names.

A title is ``[tag] subject``: the subject is built only from what the fingerprint hashes
(test identity, or tool and masked signature), so it is stable for a fingerprint; the tag
says what Sheriff thinks (``flaky``, ``failing``, or the failure type, e.g. ``build``).
Labels are ``<prefix>managed``, ``<prefix><verdict>`` and ``<prefix><failure_type>``.
"""

from __future__ import annotations

import re

from sheriff.core.issues.facts import FailureCase
from sheriff.core.issues.policy import Verdict
from sheriff.core.model import FailureType
from sheriff.core.redact import redact

TITLE_LIMIT = 256  # GitHub's limit, in characters
SUBJECT_LIMIT = 200  # readable titles leave room for the tag
_TYPE_TAGS = {
    FailureType.BUILD: "build",
    FailureType.LINT: "lint",
    FailureType.TYPE_CHECK: "type-check",
    FailureType.DEPENDENCY: "dependency",
    FailureType.CONFIG: "config",
    FailureType.INFRASTRUCTURE: "infra",
}
TITLE_TAGS = ("flaky", "failing", *_TYPE_TAGS.values())
_SPACES = re.compile(r"\s+")


def title_tag(case: FailureCase, verdict: Verdict) -> str:
    if verdict is Verdict.FLAKY:
        return "flaky"
    return _TYPE_TAGS.get(case.failure_type, "failing")


def title_subject(case: FailureCase) -> str:
    """What fails, in one line: ``TestFoo (pkg/x)`` or ``tool: masked message``."""
    test = case.test
    if test is not None:
        subject = f"{test.name} ({test.suite})" if test.suite else test.name
    else:
        subject = f"{case.tool}: {case.signature}" if case.signature else case.tool
    return _one_line(redact(subject), SUBJECT_LIMIT)


def issue_title(case: FailureCase, verdict: Verdict) -> str:
    return _one_line(f"[{title_tag(case, verdict)}] {title_subject(case)}", TITLE_LIMIT)


def title_is_sheriffs(title: str, case: FailureCase) -> bool:
    """Whether ``title`` is one Sheriff would write for this case under some verdict, so it
    may be retitled; a title a person edited is never changed."""
    subject = title_subject(case)
    return any(title.strip() == _one_line(f"[{tag}] {subject}", TITLE_LIMIT) for tag in TITLE_TAGS)


def _one_line(text: str, limit: int) -> str:
    flat = _SPACES.sub(" ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def managed_label(prefix: str) -> str:
    return f"{prefix}managed"


def wanted_labels(prefix: str, verdict: Verdict, failure_type: FailureType) -> frozenset[str]:
    """The labels Sheriff wants on a case's issue."""
    return frozenset(
        {managed_label(prefix), f"{prefix}{verdict.value}", f"{prefix}{failure_type.value}"}
    )


def is_sheriff_label(prefix: str, label: str) -> bool:
    return label.casefold().startswith(prefix.casefold())
