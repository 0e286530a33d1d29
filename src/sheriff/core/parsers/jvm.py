"""JVM builds and tests: Maven, Gradle, sbt, JUnit, ScalaTest and Java stack traces.

Each tool lives in its own ``jvm_*`` module as a family of rules; this module combines
them into the ``jvm`` parser and adds uncaught Java exceptions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Strength
from sheriff.core.parsers import jvm_gradle, jvm_junit, jvm_maven, jvm_sbt
from sheriff.core.parsers.base import Parser, rule
from sheriff.core.parsers.jvm_frames import TRACE_LINE, trace_locations
from sheriff.core.parsers.misc_family import Family, block_end, capped, combine
from sheriff.core.scan import Hit

_UNCAUGHT = lazy_compile(
    r"Exception in thread \"(?P<thread>[^\"]+)\" (?P<exception>[\w$.]+)(?::\s*(?P<msg>.*))?"
)


def _parse_uncaught(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    findings = []
    for hit in hits:
        assert hit.match is not None
        end = block_end(view, hit.number, lambda text: bool(TRACE_LINE.search(text)), limit=200)
        findings.append(
            Finding(
                tool="java",
                failure_type=FailureType.UNKNOWN,
                sub_type="exception",
                message=hit.text[hit.match.start() :].strip()[:500],
                anchor=hit.number,
                ranges=(capped(hit.number, end, 25),),
                strength=Strength.PARTIAL,
                locations=trace_locations(view, hit.number, end),
                has_stack_trace=end > hit.number,
            )
        )
    return findings


_UNCAUGHT_FAMILY = Family(
    "java",
    (rule("jvm.java.uncaught", r"Exception in thread \"", _UNCAUGHT.pattern, before=3),),
    _parse_uncaught,
)

_SUCCESS_FAMILY = Family(
    "success",
    (
        rule(
            "jvm.success.maven",
            r"BUILD SUCCESS",
            r"^(?:\[INFO\] )?BUILD SUCCESS$",
            before=0,
            after=0,
        ),
    ),
    lambda view, hits: [],
)
_MAVEN_TOOLS = frozenset({"maven", "javac", "junit", "checkstyle"})

_COMBINED = combine(
    "jvm",
    (
        jvm_junit.FAMILY,
        jvm_maven.FAMILY,
        jvm_gradle.FAMILY,
        jvm_sbt.FAMILY,
        _UNCAUGHT_FAMILY,
        _SUCCESS_FAMILY,
    ),
)


def _parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    """Findings of Maven runs that a later "BUILD SUCCESS" shows did not fail the job
    (nested or retried builds) are kept, but no longer count as clear causes."""
    findings = _COMBINED.parse(view, hits)
    successes = [hit.number for hit in hits if hit.rule.id == "jvm.success.maven"]
    if not successes:
        return findings
    last = max(successes)
    return [
        replace(finding, strength=Strength.PARTIAL)
        if finding.tool in _MAVEN_TOOLS
        and finding.anchor < last
        and finding.strength > Strength.PARTIAL
        else finding
        for finding in findings
    ]


PARSER = Parser(name="jvm", rules=_COMBINED.rules, parse=_parse)
