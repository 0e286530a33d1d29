"""Gradle builds: failing tests, failed tasks and the "What went wrong" block."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Strength, TestIdentity
from sheriff.core.parsers.base import find_locations, method_name, rule
from sheriff.core.parsers.jvm_frames import (
    exception_sub_type,
    message_end,
    qualified_class,
    trace_locations,
)
from sheriff.core.parsers.misc_family import (
    Family,
    block_end,
    capped,
    is_network_error,
    joined,
    next_nonblank,
)
from sheriff.core.scan import Hit

_TEST = lazy_compile(
    r"^(?:[^\t]*\t[^\t]*\t\S+ )?(?P<suite>(?:[a-z_$][\w$]*\.)*[A-Z_$][\w$]*(?: > [^>]+?)*?)"
    r" > (?P<name>[^>]+?) FAILED$"
)
_TASK = lazy_compile(r"^(?:> Task )?:(?P<task>[\w:\-]+) FAILED$")
_WRONG = lazy_compile(r"^\* What went wrong:")
_WRONG_END = lazy_compile(r"^\* (?:Try|Exception is|Get more help):|^BUILD FAILED")

# (pattern, failure type, sub type, strength, kind), first match wins.
_WRONG_KINDS: tuple[tuple[re.Pattern[str], FailureType, str, Strength, str], ...] = (
    (
        lazy_compile(r"There were failing tests|test failures|Test(?:s)? failed"),
        FailureType.TEST,
        "gradle",
        Strength.PARTIAL,
        "summary",
    ),
    (
        lazy_compile(
            r"Unsupported class file major version|class file has wrong version"
            r"|UnsupportedClassVersionError|compiled by a more recent version"
        ),
        FailureType.BUILD,
        "class_version",
        Strength.CLEAR,
        "error",
    ),
    (
        lazy_compile(r"(?i)compilation (?:failed|error)|Compilation failed"),
        FailureType.BUILD,
        "compile",
        Strength.PARTIAL,
        "summary",
    ),
    (
        lazy_compile(
            r"Could not resolve all|Could not resolve [\w.\-]+:|Could not find [\w.\-]+:"
            r"[\w.\-]+|Could not download|Could not (?:GET|HEAD) '|Could not get resource"
        ),
        FailureType.DEPENDENCY,
        "gradle",
        Strength.CLEAR,
        "error",
    ),
    (
        lazy_compile(
            r"Unable to create Root Module|cannot initialize module|Unable to parse "
            r"configuration stream"
        ),
        FailureType.CONFIG,
        "checkstyle",
        Strength.CLEAR,
        "error",
    ),
    (
        lazy_compile(
            r"(?i)checkstyle|spotless|ktlint|detekt|Lint found errors|pmd|spotbugs"
            r"|format violations"
        ),
        FailureType.LINT,
        "gradle",
        Strength.CLEAR,
        "error",
    ),
    (
        lazy_compile(
            r"A problem occurred (?:evaluating|configuring)|Could not find method"
            r"|Plugin \[id: .*\] was not found|Could not get unknown property|Task '.*' "
            r"not found|does not contain a Gradle build|Could not determine java version"
            r"|Unsupported Gradle|requires Java|Could not create service"
        ),
        FailureType.CONFIG,
        "gradle",
        Strength.CLEAR,
        "error",
    ),
)
_LINT_TASK = lazy_compile(r"(?i)checkstyle|lint|spotless|detekt|ktlint|pmd|spotbugs|format")

RULES = (
    rule("jvm.gradle.test", r"[\w$)\]] > .+ FAILED", _TEST.pattern, before=3, after=60),
    rule("jvm.gradle.task", r":[\w\-]+ FAILED", _TASK.pattern, before=3, after=3),
    rule("jvm.gradle.wrong", r"\* What went wrong:", _WRONG.pattern, before=3, after=40),
)


def _parse_test(view: LogView, hit: Hit) -> Finding:
    assert hit.match is not None
    suite, name = hit.match.group("suite"), hit.match.group("name")
    end = block_end(view, hit.number, lambda text: text[:1] in {" ", "\t"}, limit=200)
    start = next_nonblank(view, hit.number)
    first = start[0] if start and start[0] <= end else hit.number
    message = joined(view, first, message_end(view, first)) if first > hit.number else ""
    cls, nested = _split_suite(suite)
    cls = qualified_class(view, first, end, cls)
    suite = cls + nested
    locations = trace_locations(view, first, end, prefer=cls)
    return Finding(
        tool="gradle",
        failure_type=FailureType.TEST,
        sub_type=exception_sub_type(message),
        message=message or f"{suite} > {name} FAILED",
        anchor=hit.number,
        ranges=(capped(hit.number, end),),
        test=TestIdentity("junit", suite, method_name(name)),
        locations=locations or tuple(find_locations(message))[:3],
        has_stack_trace=end > first,
        kind="test",
    )


def _split_suite(suite: str) -> tuple[str, str]:
    """The test class and the nested classes after it (``" > Inner"``), if any."""
    cls, separator, nested = suite.partition(" > ")
    return cls, separator + nested


def _parse_task(hit: Hit) -> Finding:
    assert hit.match is not None
    task = hit.match.group("task")
    leaf = task.rsplit(":", 1)[-1]
    if "test" in leaf.lower() and "compile" not in leaf.lower():
        failure_type = FailureType.TEST
    elif _LINT_TASK.search(leaf):
        failure_type = FailureType.LINT
    else:
        failure_type = FailureType.BUILD
    return Finding(
        tool="gradle",
        failure_type=failure_type,
        sub_type="gradle",
        message=f"Task :{task} FAILED",
        anchor=hit.number,
        ranges=((hit.number, hit.number),),
        strength=Strength.PARTIAL,
        kind="summary",
    )


def _parse_wrong(view: LogView, hit: Hit) -> Finding | None:
    end = block_end(view, hit.number, lambda text: not _WRONG_END.search(text), limit=40)
    anchor = next(
        (
            n
            for n, text in view.span(hit.number + 1, end)
            if text.strip() and not _TASK.search(text.strip())
        ),
        None,
    )
    if anchor is None:
        return None
    text = joined(view, anchor, end, limit=4000)
    failure_type, sub_type, strength, kind = FailureType.BUILD, "gradle", Strength.PARTIAL, "error"
    for pattern, kind_type, kind_sub, kind_strength, kind_kind in _WRONG_KINDS:
        if pattern.search(text):
            failure_type, sub_type, strength, kind = kind_type, kind_sub, kind_strength, kind_kind
            break
    if failure_type is FailureType.DEPENDENCY and is_network_error(text):
        failure_type, sub_type = FailureType.INFRASTRUCTURE, "network"
    return Finding(
        tool="gradle",
        failure_type=failure_type,
        sub_type=sub_type,
        message=text[:500],
        anchor=anchor,
        ranges=(capped(hit.number, end),),
        strength=strength,
        kind=kind,
    )


def parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    findings: list[Finding] = []
    for hit in hits:
        kind = hit.rule.id.rsplit(".", 1)[1]
        if kind == "test":
            findings.append(_parse_test(view, hit))
        elif kind == "task":
            findings.append(_parse_task(hit))
        elif (found := _parse_wrong(view, hit)) is not None:
            findings.append(found)
    return findings


FAMILY = Family("gradle", RULES, parse)
