"""Order findings so the first one is the primary cause of the failed job.

The cause is the clearest signal, and among equally clear signals the earliest one:
a compile error comes before the tests it breaks, the first failing test before the
summary that repeats it. Weak lines that restate a stronger finding are dropped.
"""

from __future__ import annotations

from collections.abc import Sequence

from sheriff.core.model import FailureType, Finding, Strength

_SUMMARY_KINDS = frozenset({"summary", "exit"})


def deduplicate(findings: Sequence[Finding]) -> list[Finding]:
    """Drop findings that repeat a stronger one on the same lines."""
    claimed: dict[int, Finding] = {}
    for finding in findings:
        for first, last in finding.ranges or ((finding.anchor, finding.anchor),):
            for number in range(first, last + 1):
                current = claimed.get(number)
                if current is None or _outranks(finding, current):
                    claimed[number] = finding
    kept: list[Finding] = []
    for finding in findings:
        owner = claimed.get(finding.anchor)
        not_outranked = owner is None or finding.strength >= owner.strength
        if owner is finding or (not_outranked and finding.strength > Strength.WEAK):
            kept.append(finding)
    return _drop_repeated_tests(kept)


def _outranks(candidate: Finding, current: Finding) -> bool:
    if candidate.strength != current.strength:
        return candidate.strength > current.strength
    return candidate.anchor == current.anchor and candidate.test is not None


def _drop_repeated_tests(findings: list[Finding]) -> list[Finding]:
    """Keep one finding per failing test: the most detailed, i.e. the widest."""
    best: dict[tuple[str, str | None, str], Finding] = {}
    for finding in findings:
        if finding.test is None:
            continue
        key = (finding.test.framework, finding.test.suite, finding.test.name)
        current = best.get(key)
        if current is None or _detail(finding) > _detail(current):
            best[key] = finding
    return [
        finding
        for finding in findings
        if finding.test is None
        or best[(finding.test.framework, finding.test.suite, finding.test.name)] is finding
    ]


def _detail(finding: Finding) -> tuple[int, int, int]:
    width = sum(last - first + 1 for first, last in finding.ranges)
    summary = 0 if finding.kind in _SUMMARY_KINDS else 1
    return (summary, int(finding.strength), width)


def rank(findings: Sequence[Finding]) -> list[Finding]:
    """Primary cause first, then the other findings by clarity and position."""
    unique = deduplicate(findings)
    if not unique:
        return []
    strongest = max(finding.strength for finding in unique)
    causes = [finding for finding in unique if finding.strength == strongest]
    primary = min(causes, key=_cause_order)
    rest = sorted(
        (finding for finding in unique if finding is not primary),
        key=lambda finding: (-int(finding.strength), _cause_order(finding)),
    )
    return [primary, *rest]


def _cause_order(finding: Finding) -> tuple[int, int]:
    """Details before summaries, known types before unknown, then earliest first."""
    summary = 1 if finding.kind in _SUMMARY_KINDS else 0
    unknown = 1 if finding.failure_type is FailureType.UNKNOWN else 0
    return (summary + unknown, finding.anchor)
