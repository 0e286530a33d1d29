"""Maven builds: compiler errors, class-version clashes, checkstyle and failed goals.

Maven reports a failure twice: first where it happens (the compiler's errors, a stack
trace, a resolution error), then in the closing "Failed to execute goal" block. The
first report is the finding; the goal block is added to its ranges. A goal block with no
earlier cause becomes a finding of its own.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.line_spans import LineSpans
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, LineRange, Location, Strength
from sheriff.core.parsers.base import rule
from sheriff.core.parsers.jvm_deps import DEPENDENCY_RULES, dependency_findings
from sheriff.core.parsers.jvm_frames import TRACE_LINE, message_end, trace_locations
from sheriff.core.parsers.jvm_goal import classify_goal, error_block
from sheriff.core.parsers.misc_family import (
    Family,
    block_end,
    capped,
    clusters,
    joined,
    line_at,
    previous_line,
)
from sheriff.core.scan import Hit

_SOURCE = r"(?<![^\s:\[\]])(?P<path>(?:[A-Za-z]:)?[^\s:\[\]]*[\w$]\.(?P<ext>java|kt|groovy|scala))"
_MAVEN_ERROR = lazy_compile(
    r"^(?:\[ERROR\]\s+" + _SOURCE + r":\[(?P<line>\d+),\d+\]\s+(?:error:\s+)?"
    r"|" + _SOURCE.replace("?P<", "?P<bare_") + r":\[(?P<bare_line>\d+),\d+\]\s+error:\s+)"
    r"(?P<msg>.*)"
)
_JAVAC_ERROR = lazy_compile(_SOURCE + r":(?P<line>\d+): error: (?P<msg>.*)")
_KOTLIN_ERROR = lazy_compile(
    r"^e: (?:file://)?(?P<path>\S+\.kts?)(?::(?P<line>\d+):\d+|: \((?P<line2>\d+), \d+\):)"
    r"\s+(?P<msg>.*)"
)
_CHECKSTYLE_LINE = lazy_compile(
    r"^(?:\[ant:checkstyle\]\s+)?\[ERROR\]\s+"
    + _SOURCE
    + r":(?P<line>\d+)(?::\d+)?: (?P<msg>.*) \[\w+\]$"
)
_CHECKSTYLE_CATEGORY = lazy_compile(r"^\([\w.]+\) \w+")
_CLASS_VERSION = lazy_compile(
    r"UnsupportedClassVersionError|class file has wrong version"
    r"|compiled by a more recent version of the Java|Unsupported class file major version"
)
_WRITE_FAILED = lazy_compile(r"error while writing \S+: ")
_NO_SPACE = lazy_compile(r"No space left on device|Disk quota exceeded")
_GOAL = lazy_compile(r"(?:^|\] )Failed to execute goal (?P<rest>.*)")
_COMPILATION_HEADER = lazy_compile(r"COMPILATION ERROR|Compilation failure")
_CONTINUATION = lazy_compile(
    r"^(?:\s|\[ERROR\]\s{2,}|\[ERROR\]\s*(?:symbol|location|required|found|reason):)"
)

RULES = (
    rule("jvm.maven.compile", r"\.(?:java|kt|groovy|scala):\[\d+,\d+\]", _MAVEN_ERROR.pattern),
    rule("jvm.maven.javac", r"\.java:\d+: error: ", _JAVAC_ERROR.pattern, after=20),
    rule("jvm.maven.kotlin", r"e: (?:file://)?\S+\.kts?[:(]", _KOTLIN_ERROR.pattern, after=20),
    rule("jvm.maven.checkstyle", r"\.java:\d+(?::\d+)?: .* \[[A-Z]\w+\]", _CHECKSTYLE_LINE.pattern),
    rule("jvm.maven.version", _CLASS_VERSION.pattern, _CLASS_VERSION.pattern, before=5),
    rule("jvm.maven.goal", r"Failed to execute goal", _GOAL.pattern, before=5, after=60),
    *DEPENDENCY_RULES,
)


def _error_parts(hit: Hit) -> tuple[str, int, str] | None:
    match = hit.match
    if match is None:
        return None
    groups = match.groupdict()
    path = groups.get("path") or groups.get("bare_path") or ""
    line = groups.get("line") or groups.get("line2") or groups.get("bare_line") or "0"
    return path, int(line), match.group("msg")


def _confirmed(view: LogView, group: list[Hit], goal_spans: LineSpans) -> bool:
    """Maven-style errors count when Maven's COMPILATION ERROR header or a goal block frames
    them; other tools (code generators, example compilers) print the same shape."""
    first = group[0]
    if first.rule.id != "jvm.maven.compile" or first.number in goal_spans:
        return True
    return previous_line(view, first.number, _COMPILATION_HEADER, limit=4) is not None


def _compile_finding(view: LogView, group: list[Hit], confirmed: bool) -> Finding:
    first, last = group[0], group[-1]
    end = block_end(view, last.number, lambda text: bool(_CONTINUATION.match(text)), limit=25)
    parts = [p for hit in group if (p := _error_parts(hit)) is not None]
    path, line, msg = parts[0]
    detail_end = message_end(view, first.number, 4)
    later = [hit.number for hit in group if hit.number > first.number]
    if later:  # the next error is not this one's detail
        detail_end = min(detail_end, later[0] - 1)
    detail = joined(view, first.number + 1, detail_end, limit=300)
    span_text = joined(view, first.number, end, limit=4000)
    failure_type, sub_type = _compile_error_type(msg, span_text)
    ext = path.rsplit(".", 1)[-1]
    return Finding(
        tool={"java": "javac", "kt": "kotlinc", "scala": "scalac"}.get(ext, "groovyc"),
        failure_type=failure_type,
        sub_type=sub_type,
        message=f"{path}:{line}: {msg}\n{detail}".strip()[:500],
        anchor=first.number,
        ranges=(capped(first.number, end),),
        locations=tuple(dict.fromkeys(Location(p, n) for p, n, _ in parts))[:8],
        strength=Strength.CLEAR if confirmed else Strength.PARTIAL,
    )


def _compile_error_type(msg: str, span_text: str) -> tuple[FailureType, str]:
    """A compiler error, unless the compiler could not write its output: javac's "error
    while writing Foo: could not create parent directories" (or "No space left on
    device") is the machine failing, not the code."""
    if _WRITE_FAILED.match(msg):
        full = _NO_SPACE.search(f"{msg}\n{span_text}") is not None
        return FailureType.INFRASTRUCTURE, "disk_full" if full else "resource"
    if _CLASS_VERSION.search(span_text):
        return FailureType.BUILD, "class_version"
    return FailureType.BUILD, "compile"


def _checkstyle_finding(group: list[Hit]) -> Finding:
    parts = [p for hit in group if (p := _error_parts(hit)) is not None]
    path, line, msg = parts[0]
    return Finding(
        tool="checkstyle",
        failure_type=FailureType.LINT,
        sub_type="checkstyle",
        message=f"{path}:{line}: {msg}"[:500],
        anchor=group[0].number,
        ranges=(capped(group[0].number, group[-1].number),),
        locations=tuple(dict.fromkeys(Location(p, n) for p, n, _ in parts))[:8],
    )


def _is_checkstyle(hit: Hit) -> bool:
    if hit.rule.id == "jvm.maven.checkstyle":
        return True
    parts = _error_parts(hit)
    return parts is not None and bool(_CHECKSTYLE_CATEGORY.match(parts[2]))


def _version_finding(view: LogView, hit: Hit) -> Finding:
    before = line_at(view, hit.number - 1) or ""
    start = hit.number - 1 if re.search(r"(?i)error|exception", before) else hit.number
    end = block_end(view, hit.number, lambda text: bool(TRACE_LINE.search(text)), limit=200)
    return Finding(
        tool="maven" if "[WARNING]" in before or "[ERROR]" in before else "java",
        failure_type=FailureType.BUILD,
        sub_type="class_version",
        message=hit.text.strip()[:500],
        anchor=hit.number,
        ranges=(capped(start, end),),
        locations=trace_locations(view, hit.number, end),
        has_stack_trace=end > hit.number,
    )


def _causes(view: LogView, hits: Sequence[Hit], goal_spans: list[LineRange]) -> list[Finding]:
    """Compile errors, checkstyle violations and class-version clashes, in log order."""
    in_goals = LineSpans(goal_spans)
    compiles = [
        h
        for h in hits
        if h.rule.id in {"jvm.maven.compile", "jvm.maven.javac", "jvm.maven.kotlin"}
        and not _is_checkstyle(h)
    ]
    styles = [
        h
        for h in hits
        if h.rule.id in {"jvm.maven.compile", "jvm.maven.checkstyle"} and _is_checkstyle(h)
    ]
    outside = [hit for hit in compiles if hit.number not in in_goals]
    findings = [
        _compile_finding(view, group, _confirmed(view, group, in_goals))
        for group in clusters(outside or compiles, 12)
    ]
    findings.extend(_checkstyle_finding(group) for group in clusters(styles, gap=6))
    covered = LineSpans([*(r for f in findings for r in f.ranges), *goal_spans])
    for hit in hits:
        if hit.rule.id == "jvm.maven.version" and hit.number not in covered:
            findings.append(_version_finding(view, hit))
            for first, last in findings[-1].ranges:
                covered.add(first, last)
    return findings


_RELATED_TYPES = (
    frozenset({FailureType.DEPENDENCY, FailureType.INFRASTRUCTURE}),
    frozenset({FailureType.BUILD}),
    frozenset({FailureType.LINT, FailureType.CONFIG}),
)


class _GoalTargets:
    """Attaches each goal block (in log order) to the last earlier finding that explains
    it, or keeps it as a finding of its own.

    A cause explains a goal of a related failure type (``_RELATED_TYPES``); an
    unclassified plugin failure (BUILD, ``maven``) is explained by any cause, a failed
    test goal by none. "Last" means the latest goal block kept on its own, else the
    cause with the latest anchor before the goal's. Indexes by type answer that without
    walking every finding for every goal (a log of thousands of goal blocks).
    """

    def __init__(self, causes: list[Finding]) -> None:
        self.findings = causes  # sorted by anchor
        self._anchors = [cause.anchor for cause in causes]
        self._by_group = {
            group: [i for i, cause in enumerate(causes) if cause.failure_type in group]
            for group in _RELATED_TYPES
        }
        self._kept: list[int] = []  # goal blocks kept on their own, by position
        self._kept_by_group: dict[frozenset[FailureType], list[int]] = {
            group: [] for group in _RELATED_TYPES
        }

    def place(self, goal: Finding) -> None:
        index = self._target(goal)
        if index is not None:
            cause = self.findings[index]
            self.findings[index] = replace(cause, ranges=(*cause.ranges, *goal.ranges))
            return
        self.findings.append(goal)
        self._kept.append(len(self.findings) - 1)
        group = _group_of(goal)
        if group is not None:
            self._kept_by_group[group].append(len(self.findings) - 1)

    def _target(self, goal: Finding) -> int | None:
        if goal.failure_type is FailureType.TEST:
            return None
        earlier = bisect_left(self._anchors, goal.anchor)  # causes before the goal
        if goal.sub_type == "maven" and goal.failure_type is FailureType.BUILD:
            # an unclassified plugin failure: the earlier cause says what it was
            return self._kept[-1] if self._kept else (earlier - 1 if earlier else None)
        group = _group_of(goal)
        if group is None:
            return None
        if self._kept_by_group[group]:
            return self._kept_by_group[group][-1]
        related = self._by_group[group]
        count = bisect_left(related, earlier)
        return related[count - 1] if count else None


def _group_of(finding: Finding) -> frozenset[FailureType] | None:
    return next((group for group in _RELATED_TYPES if finding.failure_type in group), None)


def parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    goals = [hit for hit in hits if hit.rule.id == "jvm.maven.goal"]
    goal_spans = [error_block(view, hit.number) for hit in goals]
    findings = _causes(view, hits, goal_spans)
    findings.extend(
        dependency_findings(view, [h for h in hits if h.rule.id.startswith("jvm.maven.dep")])
    )
    findings.sort(key=lambda finding: finding.anchor)
    targets = _GoalTargets(findings)
    for hit, span in zip(goals, goal_spans, strict=True):
        targets.place(classify_goal(hit, span, joined(view, span[0], span[1], limit=4000)))
    return targets.findings


FAMILY = Family("maven", RULES, parse)
