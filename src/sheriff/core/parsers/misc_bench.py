"""Performance gates: a benchmark check that failed the job because a measurement regressed.

pytest-benchmark's ``--benchmark-compare-fail`` ("Performance has regressed"), asv
continuous ("PERFORMANCE DECREASED."), github-action-benchmark ("Performance alert!", a
warning unless the job fails on alerts, hence a partial finding) and home-grown gates
such as pytorch's ("REGRESSION: benchmark ('x', 'instruction_count') failed, actual
result … higher than expected") all say the same thing: a test of speed or size failed.
The benchmark named on the line (or, for pytest-benchmark, on the lines under it) is the
failing test.
"""

from __future__ import annotations

from collections.abc import Sequence

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Strength, TestIdentity
from sheriff.core.parsers.base import rule
from sheriff.core.parsers.misc_family import Family
from sheriff.core.scan import Hit

_REGRESSED = lazy_compile(
    r"^REGRESSION:? (?P<subject>.+?) (?:failed|regressed)\b"
    r"|^\s*Performance has regressed[.:]?\s*$|^\s*PERFORMANCE DECREASED\b"
    r"|\bPerformance alert!"
)
# pytest-benchmark names each benchmark that failed its check under the summary line.
_CHECK = lazy_compile(
    r"^\s*(?P<name>\S+)(?: \([^)]*\))? - Field '(?P<field>\w+)' has failed "
    r"(?P<check>\w+RegressionCheck)"
)
# The benchmark's own name: a quoted first element ("benchmark ('name', 'metric')") or
# the word after "benchmark".
_BENCHMARK = lazy_compile(r"""benchmark:? (?:\(\s*)?['"]?(?P<name>[\w.\-/:\[\]]+)""")
_CHECKS_FOLLOW = 3
"""Lines after a summary line where pytest-benchmark's per-benchmark lines start."""

RULES = (
    rule(
        "misc.bench.regressed",
        r"REGRESSION:? [^\r\n]+ (?:failed|regressed)|Performance has regressed"
        r"|PERFORMANCE DECREASED|Performance alert!",
        _REGRESSED.pattern,
        before=10,
        after=10,
    ),
    rule(
        "misc.bench.check",
        r"has failed \w*RegressionCheck",
        _CHECK.pattern,
        before=3,
        after=3,
    ),
)


def _finding(hit: Hit, test: TestIdentity | None) -> Finding:
    alert = "Performance alert!" in hit.text
    return Finding(
        tool="benchmark",
        failure_type=FailureType.TEST,
        sub_type="performance",
        message=hit.text.strip()[:500],
        anchor=hit.number,
        ranges=((hit.number, hit.number),),
        strength=Strength.PARTIAL if alert else Strength.CLEAR,
        test=test,
        kind="test" if test else "error",
    )


def _regressed(hit: Hit) -> Finding:
    assert hit.match is not None
    named = _BENCHMARK.search(hit.match.group("subject") or "")
    return _finding(hit, TestIdentity("benchmark", None, named.group("name")) if named else None)


def _check(hit: Hit) -> Finding:
    assert hit.match is not None
    return _finding(hit, TestIdentity("pytest-benchmark", None, hit.match.group("name")))


def parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    """A finding per benchmark named as failing; a summary line stands for its failure
    only when no such names follow it."""
    del view  # each line says it all
    checks = [hit.number for hit in hits if hit.rule.id.endswith(".check")]
    findings: list[Finding] = []
    for hit in hits:
        if hit.rule.id.endswith(".check"):
            findings.append(_check(hit))
        elif not any(0 < number - hit.number <= _CHECKS_FOLLOW for number in checks):
            findings.append(_regressed(hit))
    return findings


FAMILY = Family("bench", RULES, parse)
