"""What a Maven "Failed to execute goal" block says went wrong."""

from __future__ import annotations

import re

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, LineRange, Strength
from sheriff.core.parsers.misc_family import capped, is_network_error, line_at
from sheriff.core.scan import Hit

_GOAL_END = lazy_compile(r"\[Help 1\] http")

# (pattern on the goal block, failure type, sub type, strength, kind), first match wins.
_GOAL_KINDS: tuple[tuple[re.Pattern[str], FailureType, str, Strength, str], ...] = (
    (
        lazy_compile(r"No space left on device"),
        FailureType.INFRASTRUCTURE,
        "disk_full",
        Strength.CLEAR,
        "error",
    ),
    (
        lazy_compile(
            r"UnsupportedClassVersionError|class file has wrong version|compiled by a more "
            r"recent version|Unsupported class file major version"
        ),
        FailureType.BUILD,
        "class_version",
        Strength.CLEAR,
        "error",
    ),
    (
        lazy_compile(r"The forked VM terminated|VM crash or System\.exit|ExecutionException.*fork"),
        FailureType.TEST,
        "crash",
        Strength.CLEAR,
        "error",
    ),
    (
        lazy_compile(r"There (?:are|were) test failures|There was a timeout|test failures"),
        FailureType.TEST,
        "surefire",
        Strength.PARTIAL,
        "summary",
    ),
    (
        lazy_compile(
            r"Unable to create Root Module|Failed during checkstyle configuration"
            r"|cannot initialize module|Unable to process suppressions"
        ),
        FailureType.CONFIG,
        "checkstyle",
        Strength.CLEAR,
        "error",
    ),
    (lazy_compile(r"(?i)checkstyle"), FailureType.LINT, "checkstyle", Strength.CLEAR, "error"),
    (
        lazy_compile(r"PMD (?:Failure|violation)|pmd"),
        FailureType.LINT,
        "pmd",
        Strength.CLEAR,
        "error",
    ),
    (
        lazy_compile(r"(?i)spotbugs|findbugs|BugInstance"),
        FailureType.LINT,
        "spotbugs",
        Strength.CLEAR,
        "error",
    ),
    (
        lazy_compile(r"(?i)spotless|format violations|fmt-maven-plugin|not formatted"),
        FailureType.LINT,
        "format",
        Strength.CLEAR,
        "error",
    ),
    (
        lazy_compile(
            r"(?i)license header|missing header|license-maven-plugin|apache-rat|Too many "
            r"files with unapproved license"
        ),
        FailureType.LINT,
        "license",
        Strength.CLEAR,
        "error",
    ),
    (
        lazy_compile(
            r"Could not resolve dependencies|Could not find artifact|Could not transfer artifact"
            r"|Failed to collect dependencies|Non-resolvable parent POM|Failed to read artifact"
            r"|or one of its dependencies could not be resolved|DependencyResolutionException"
            r"|PluginResolutionException|Failed to retrieve plugin descriptor"
        ),
        FailureType.DEPENDENCY,
        "maven",
        Strength.CLEAR,
        "error",
    ),
    (
        lazy_compile(r"Compilation failure|CompilationFailureException"),
        FailureType.BUILD,
        "compile",
        Strength.CLEAR,
        "error",
    ),
    (
        lazy_compile(r"(?i)enforcer|Rule \d+: \S+ failed"),
        FailureType.CONFIG,
        "enforcer",
        Strength.CLEAR,
        "error",
    ),
    (
        lazy_compile(
            r"Unknown lifecycle phase|Unknown packaging|requires a project to execute|No goals "
            r"have been specified|Could not find the selected project|Non-parseable POM"
            r"|Malformed POM|The project .* has \d+ errors?|Invalid task"
        ),
        FailureType.CONFIG,
        "maven",
        Strength.CLEAR,
        "error",
    ),
    (lazy_compile(r"(?i)javadoc"), FailureType.BUILD, "javadoc", Strength.CLEAR, "error"),
)


def classify_goal(hit: Hit, span: LineRange, block: str) -> Finding:
    """A finding for one goal block, typed by what its message names."""
    failure_type, sub_type, strength, kind = FailureType.BUILD, "maven", Strength.PARTIAL, "error"
    for pattern, kind_type, kind_sub, kind_strength, kind_kind in _GOAL_KINDS:
        if pattern.search(block):
            failure_type, sub_type, strength, kind = kind_type, kind_sub, kind_strength, kind_kind
            break
    if failure_type is FailureType.DEPENDENCY and is_network_error(block):
        failure_type, sub_type = FailureType.INFRASTRUCTURE, "network"
    message = hit.text.strip()
    if message.startswith("[ERROR] "):
        message = message[len("[ERROR] ") :]
    return Finding(
        tool="maven",
        failure_type=failure_type,
        sub_type=sub_type,
        message=message[:500],
        anchor=hit.number,
        ranges=(span,),
        strength=strength,
        kind=kind,
    )


def error_block(view: LogView, number: int) -> LineRange:
    """Maven's "[ERROR]" block that starts at ``number``, up to its "[Help 1]" link."""
    last = number
    for line in range(number + 1, number + 60):
        text = line_at(view, line)
        if text is None or not text.startswith("[ERROR]"):
            break
        last = line
        if _GOAL_END.search(text):
            break
    return capped(number, last)
