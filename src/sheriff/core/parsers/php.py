"""PHP: PHPUnit, the phpt runner (run-tests.php), PHP fatal/parse errors and Composer.

PHPUnit's numbered failures sit under a section heading ("There were 2 failures:") that
says whether they failed at all: risky, skipped and incomplete tests are listed the
same way. phpt failures are a diff block followed by a ``FAIL title [path.phpt]`` line.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Location, Strength, TestIdentity
from sheriff.core.parsers.base import Parser, find_locations, rule
from sheriff.core.parsers.misc_family import (
    block_end,
    capped,
    clusters,
    is_network_error,
    joined,
    line_at,
    previous_line,
)
from sheriff.core.scan import Hit

_SECTION = lazy_compile(
    r"^There (?:was|were) \d+ (?P<what>failure|error|warning|risky|skipped|incomplete|deprecation)"
)
_ITEM = lazy_compile(
    r"^(?P<index>\d+)\) (?P<cls>[\w\\]+)::(?P<method>\w+)"
    r"(?P<data> with data set (?:#\d+|\"[^\"]*\"))?(?: \(.*\))?$"
)
_ITEM_END = lazy_compile(
    r"^(?:\d+\) [\w\\]+::\w|FAILURES!|ERRORS!|WARNINGS!|--$|There (?:was|were) "
    r"\d+ |Tests: \d+|OK \()"
)
_SUMMARY = lazy_compile(r"^(?:FAILURES|ERRORS)!$")
_PHPT = lazy_compile(r"^FAIL (?P<title>.*?) ?\[(?P<path>[^\]\s]+\.phpt)\](?: .*)?$")
_DIFF = lazy_compile(r"^=+DIFF=+$")
_DONE = lazy_compile(r"^=+DONE=+$")
_FATAL = lazy_compile(
    r"(?:PHP )?(?P<kind>Fatal|Parse) error:\s++(?P<msg>.*?) in (?P<path>\S+?\.php)"
    r"(?: on line |:)(?P<line>\d+)"
)
_SEGFAULT = lazy_compile(r"Segmentation fault.*phpunit|phpunit.*Segmentation fault")
_COMPOSER = lazy_compile(r"Your requirements could not be resolved to an installable set")
_DIFF_LINE = lazy_compile(r"^\d{3}[+-] ")
_TEST_FILE = lazy_compile(r"Test\.php$|/tests?/|_test\.php$|\.phpt$")

RULES = (
    rule("php.section", r"There (?:was|were) \d+ ", _SECTION.pattern, before=3, after=120),
    rule("php.item", r"\d\) [\w\\]+::\w", _ITEM.pattern, before=3, after=40),
    rule("php.summary", r"FAILURES!|ERRORS!", _SUMMARY.pattern, before=3, after=3),
    rule("php.phpt", r"FAIL .*\.phpt\]", _PHPT.pattern, before=300, after=3),
    rule("php.fatal", r"(?:Fatal|Parse) error: ", _FATAL.pattern, before=3, after=6),
    rule("php.segfault", r"Segmentation fault", _SEGFAULT.pattern, before=3, after=3),
    rule("php.composer", _COMPOSER.pattern, _COMPOSER.pattern, before=3, after=30),
    rule("php.runtests", r"Illegal switch '", r"^Illegal switch '.+' specified!", after=3),
)


def _section_of(hit: Hit, sections: Sequence[Hit], section_lines: list[int]) -> str | None:
    """What the last section header above the hit announces (``section_lines``: the
    headers' line numbers, in order)."""
    before = bisect_left(section_lines, hit.number)
    if not before:
        return None
    match = sections[before - 1].match
    return match.group("what") if match else None


def _php_locations(view: LogView, first: int, last: int) -> tuple[Location, ...]:
    found = [loc for _, text in view.span(first, last) for loc in find_locations(text)]
    tests = [loc for loc in found if _TEST_FILE.search(loc.path)]
    own = [loc for loc in found if "/vendor/" not in loc.path and loc not in tests]
    return tuple(dict.fromkeys([*tests, *own]))[:5]


def _item(view: LogView, hit: Hit, section: str | None) -> Finding | None:
    if section not in {None, "failure", "error"}:
        return None
    assert hit.match is not None
    end = block_end(view, hit.number, lambda text: not _ITEM_END.match(text), limit=80)
    message = joined(view, hit.number + 1, min(end, hit.number + 8))
    name = hit.match.group("method") + (hit.match.group("data") or "")
    assertion = section == "failure" or "Failed asserting" in message
    return Finding(
        tool="phpunit",
        failure_type=FailureType.TEST,
        sub_type="assertion" if assertion else "exception",
        message=message or hit.text.strip(),
        anchor=hit.number,
        ranges=(capped(hit.number, end),),
        test=TestIdentity("phpunit", hit.match.group("cls"), name),
        locations=_php_locations(view, hit.number + 1, end),
        has_stack_trace=True,
        kind="test",
    )


def _phpt_sub_type(diff: str) -> str:
    if re.search(r"(?i)timed out", diff):
        return "timeout"
    if re.search(r"Segmentation fault|Termsig=|core dumped", diff):
        return "crash"
    if re.search(r"Address already in use|Connection refused", diff):
        return "network"
    return "assertion"


def _phpt(view: LogView, hit: Hit) -> Finding:
    assert hit.match is not None
    diff = previous_line(view, hit.number, _DIFF, limit=400)
    ranges = [(hit.number, hit.number)]
    text = ""
    if diff is not None:
        start = diff[0] + 1
        done = previous_line(view, hit.number, _DONE, limit=3)
        done_line = done[0] if done else hit.number
        ranges = [(done_line, hit.number)]
        if start < done_line:  # an empty diff has no lines of its own
            ranges.insert(0, capped(start, done_line - 1, 30))
            text = joined(view, start, done_line - 1, limit=4000)
    path = hit.match.group("path")
    return Finding(
        tool="phpt",
        failure_type=FailureType.TEST,
        sub_type=_phpt_sub_type(text),
        message=(hit.text.strip() + ("\n" + text if text else ""))[:500],
        anchor=hit.number,
        ranges=tuple(ranges),
        test=TestIdentity("phpt", None, path),
        locations=(Location(path),),
        kind="test",
    )


def _fatal(view: LogView, group: list[Hit]) -> Finding:
    first = group[0]
    assert first.match is not None
    path, line = first.match.group("path"), int(first.match.group("line"))
    in_test = bool(_TEST_FILE.search(path))
    parse_error = first.match.group("kind") == "Parse"
    if in_test:
        failure_type, strength = FailureType.TEST, Strength.CLEAR
    elif parse_error:
        failure_type, strength = FailureType.BUILD, Strength.CLEAR
    else:
        failure_type, strength = FailureType.UNKNOWN, Strength.PARTIAL
    return Finding(
        tool="php",
        failure_type=failure_type,
        sub_type="syntax" if parse_error else "exception",
        message=first.text[first.match.start() :].strip()[:500],
        anchor=first.number,
        ranges=(capped(first.number, group[-1].number),),
        strength=strength,
        locations=(Location(path, line),),
    )


def _composer(view: LogView, hit: Hit) -> Finding:
    end = block_end(view, hit.number, lambda text: text[:1] in {" ", "\t"}, limit=60)
    first_problem = next(
        (n for n, text in view.span(hit.number + 1, end) if text.lstrip().startswith("- ")),
        hit.number,
    )
    text = joined(view, hit.number, end, limit=4000)
    network = is_network_error(text)
    return Finding(
        tool="composer",
        failure_type=FailureType.INFRASTRUCTURE if network else FailureType.DEPENDENCY,
        sub_type="network" if network else "composer",
        message=(line_at(view, first_problem) or hit.text).strip()[:500],
        anchor=first_problem,
        ranges=(capped(hit.number, end),),
    )


def _single(hit: Hit, failure_type: FailureType, sub_type: str, tool: str) -> Finding:
    return Finding(
        tool=tool,
        failure_type=failure_type,
        sub_type=sub_type,
        message=hit.text.strip()[:500],
        anchor=hit.number,
        ranges=((hit.number, hit.number),),
        strength=Strength.PARTIAL if sub_type == "phpunit" else Strength.CLEAR,
        kind="summary" if sub_type == "phpunit" else "error",
    )


def _parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    sections = [hit for hit in hits if hit.rule.id == "php.section"]
    section_lines = [section.number for section in sections]
    findings: list[Finding] = []
    for hit in hits:
        kind = hit.rule.id.split(".", 1)[1]
        if kind == "item":
            found = _item(view, hit, _section_of(hit, sections, section_lines))
            findings.extend([found] if found else [])
        elif kind == "phpt":
            findings.append(_phpt(view, hit))
        elif kind == "summary":
            findings.append(_single(hit, FailureType.TEST, "phpunit", "phpunit"))
        elif kind == "segfault":
            findings.append(_single(hit, FailureType.TEST, "crash", "phpunit"))
        elif kind == "composer":
            findings.append(_composer(view, hit))
        elif kind == "runtests":
            findings.append(_single(hit, FailureType.CONFIG, "ci_script", "run-tests"))
    # phpt diffs quote the expected and actual output of PHP itself ("004+ Fatal error: ...").
    fatals = [hit for hit in hits if hit.rule.id == "php.fatal" and not _DIFF_LINE.match(hit.text)]
    findings.extend(_fatal(view, group) for group in clusters(fatals, gap=3))
    return findings


PARSER = Parser(name="php", rules=RULES, parse=_parse)
