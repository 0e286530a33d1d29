"""Order findings so the first one is the primary cause of the failed job.

The cause is the clearest signal inside the command that failed, and among equally
good signals the earliest: a compile error comes before the tests it breaks, the first
failing test before the summary that repeats it. A failing command is the span from the
command's echo (``$ cmd``, ``##[group]Run``, a Jenkins ``sh`` step) to the line saying it
exited non-zero; signals outside every failing command are usually noise from steps that
went on to succeed. Weak lines that restate a stronger finding are dropped.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.model import FailureType, Finding, LineRange, Strength

STRUCTURE_KINDS = frozenset({"command"})
_NAMED_COMMAND = lazy_compile(r'The command "(?P<command>.+)" (?:failed and )?exited with')
_SUMMARY_KINDS = frozenset({"summary", "exit"})
_STRENGTH_SCORE = {Strength.CLEAR: 100, Strength.PARTIAL: 60, Strength.WEAK: 20}
_INSIDE_FAILING_COMMAND = 40
_OUTSIDE_FAILING_COMMAND = -20
_SUMMARY_PENALTY = 15
_UNKNOWN_PENALTY = 10

_ClaimRank = tuple[bool, int, bool, bool]


def deduplicate(findings: Sequence[Finding]) -> list[Finding]:
    """Drop findings that repeat or belong to a better one on the same lines.

    A line belongs to the best finding whose block covers it: a failing test's block
    first, then the clearer signal, then a known failure type. A finding whose anchor
    belongs to a failing test is part of that test's output (a KeyError or a network
    error printed by the test); otherwise it stays unless it is weak or outranked.
    """
    owners: dict[int, Finding] = {}
    owner_claims: dict[int, _ClaimRank] = {}
    for finding in findings:
        claim = _claim_rank(finding)
        for first, last in finding.ranges or ((finding.anchor, finding.anchor),):
            for number in range(first, last + 1):
                current = owner_claims.get(number)
                if current is None or claim > current:
                    owner_claims[number] = claim
                    owners[number] = finding
    return _drop_repeated_tests([f for f in findings if _survives(f, owners.get(f.anchor))])


def _survives(finding: Finding, owner: Finding | None) -> bool:
    if owner is None or owner is finding:
        return True
    if finding.test is None and owner.test is not None:
        return False
    if finding.strength is Strength.WEAK:
        return False
    return _claim_rank(finding) >= _claim_rank(owner)


def _claim_rank(finding: Finding) -> _ClaimRank:
    """Tests first, then clearer, then a known type, then a tool's own report over a
    CI-level line (a network error printed inside a link checker's report is its)."""
    known = finding.failure_type is not FailureType.UNKNOWN
    tool_specific = finding.tool != "ci"
    return (finding.test is not None, int(finding.strength), known, tool_specific)


def _drop_repeated_tests(findings: list[Finding]) -> list[Finding]:
    """Keep one finding per failing test: the most detailed one."""
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


def failing_commands(findings: Sequence[Finding]) -> list[LineRange]:
    """Spans from a command's start to the line saying it exited non-zero.

    A command starts at the last command echo before its exit line, or, when the exit
    line names the command (Travis: ``The command "./ci/test.sh" exited with 1.``), at
    the last echo of that command: scripts echo their own inner commands (yarn's
    ``$ ng e2e``), and those are not where the failing command began.
    """
    commands = sorted((f.anchor, f.message) for f in findings if f.kind in STRUCTURE_KINDS)
    starts = [anchor for anchor, _ in commands]
    spans: list[LineRange] = []
    for end, message in sorted((f.anchor, f.message) for f in findings if f.kind == "exit"):
        index = bisect_left(starts, end) - 1
        named = _NAMED_COMMAND.search(message)
        if named is not None:
            index = _echo_of(f"$ {named.group('command').strip()}", commands, index, spans)
        spans.append((starts[index] if index >= 0 else 1, end))
    return spans


def _echo_of(echo: str, commands: list[tuple[int, str]], index: int, spans: list[LineRange]) -> int:
    """The index of the last ``echo`` in ``commands[: index + 1]`` after the previous
    failing command ended; ``index`` itself when there is none."""
    after = spans[-1][1] if spans else 0
    for candidate in range(index, -1, -1):
        anchor, text = commands[candidate]
        if anchor <= after:
            break
        if text == echo:
            return candidate
    return index


def _score(finding: Finding, spans: Sequence[LineRange], ends: Sequence[int]) -> int:
    score = _STRENGTH_SCORE[finding.strength]
    if finding.kind in _SUMMARY_KINDS:
        score -= _SUMMARY_PENALTY
    if finding.failure_type is FailureType.UNKNOWN:
        score -= _UNKNOWN_PENALTY
    if spans:
        inside = _inside(finding.anchor, spans, ends)
        score += _INSIDE_FAILING_COMMAND if inside else _OUTSIDE_FAILING_COMMAND
    return score


def _inside(line: int, spans: Sequence[LineRange], ends: Sequence[int]) -> bool:
    """Whether a line falls in one of the spans (sorted by their ``ends``)."""
    index = bisect_left(ends, line)
    return index < len(spans) and spans[index][0] <= line


def rank(findings: Sequence[Finding]) -> list[Finding]:
    """Primary cause first, then the other findings, best first; structure lines dropped."""
    spans = failing_commands(findings)
    ends = [end for _, end in spans]
    unique = deduplicate([f for f in findings if f.kind not in STRUCTURE_KINDS])
    return sorted(unique, key=lambda finding: (-_score(finding, spans, ends), finding.anchor))
