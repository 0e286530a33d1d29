"""The Test Anything Protocol: ``not ok`` lines with their YAML or ``#`` diagnostics,
and prove's summary (Perl, tape, node-tap, bats and other TAP producers)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sheriff.core.lazy_regex import lazy_compile
from sheriff.core.logview import LogView
from sheriff.core.model import FailureType, Finding, Location, Strength, TestIdentity
from sheriff.core.parsers.base import Parser, find_locations, rule
from sheriff.core.parsers.misc_family import LineAbove, block_end, capped, joined
from sheriff.core.scan import Hit

_NOT_OK = lazy_compile(
    r"^(?P<indent>\s*)not ok(?: (?P<number>\d+))?(?:\s*-)?(?P<desc>.*?)"
    r"(?:(?<!\s)\s+#\s*(?P<directive>TODO|SKIP|skip|todo)\b.*)?$"
)
_RESULT = lazy_compile(
    r"^(?:\s*)?(?:(?P<other>\S+\.t)\s+\(Wstat: \d+.*Failed: \d+\)|Result: FAIL$"
    r"|# Looks like you failed \d+ tests? of \d+)"
)
_PERL_AT = lazy_compile(r"at (?P<path>\S+?) line (?P<line>\d+)\.?")
_FILE = lazy_compile(r"^(?P<file>\S+\.t)\s\.+(?:\s|$)")
_FILE_REACH = 300  # lines above a test's result where its file's header may be
_NEXT_RESULT = lazy_compile(r"^\s*(?:not )?ok\b|^\s*\d+\.\.\d+\s*$")
_TIMEOUT = lazy_compile(r"(?i)timed? ?out|timeout")
_EXCEPTION = lazy_compile(r"(?i)\bdied\b|exception|error:|uncaught|stack:")

# Test::More's diagnostics on stderr, which non-verbose ``prove`` still shows.
_DIAG = lazy_compile(r"^(?P<indent>\s*)#\s+Failed test (?:'(?P<name>.*)'|(?P<at>at .*))$")

RULES = (
    rule("tap.diag", r"#[ \t]+Failed test ", _DIAG.pattern, before=3, after=10),
    rule("tap.not_ok", r"not ok\b", _NOT_OK.pattern, before=5, after=40),
    rule(
        "tap.result",
        r"Result: FAIL|\(Wstat: \d+|# Looks like you failed",
        _RESULT.pattern,
        before=3,
        after=3,
    ),
)


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip())


def _diagnostics_end(view: LogView, hit: Hit, indent: int) -> int:
    """The end of the YAML block or ``#`` comments that follow a ``not ok`` line."""

    def keep(text: str) -> bool:
        if _NEXT_RESULT.match(text) and _indent(text) <= indent:
            return False
        if text.lstrip().startswith("# Subtest"):
            return False
        return _indent(text) > indent or text.lstrip().startswith("#")

    return block_end(view, hit.number, keep, limit=60, blanks=0)


def _locations(view: LogView, first: int, last: int) -> tuple[Location, ...]:
    found: list[Location] = []
    for _, text in view.span(first, last):
        perl = _PERL_AT.search(text)
        if perl and text.lstrip().startswith("#"):
            found.append(Location(perl.group("path"), int(perl.group("line"))))
        elif re.search(r"^\s*(?:at|stack|#)", text):
            found.extend(find_locations(text))
    own = [loc for loc in found if "node_modules" not in loc.path]
    return tuple(dict.fromkeys(own))[:5]


def _sub_type(text: str) -> str:
    operator = re.search(r"(?m)^operator: *(?P<op>\w+)", text)
    if operator:
        return "exception" if operator.group("op") in {"error", "fail", "throws"} else "assertion"
    if _TIMEOUT.search(text):
        return "timeout"
    if _EXCEPTION.search(text):
        return "exception"
    return "assertion"


def _not_ok(view: LogView, hit: Hit, files: LineAbove) -> Finding | None:
    assert hit.match is not None
    if hit.match.group("directive"):
        return None
    indent = len(hit.match.group("indent"))
    end = _diagnostics_end(view, hit, indent)
    desc = hit.match.group("desc").strip() or f"test {hit.match.group('number') or '?'}"
    suite = files.find(hit.number)
    details = joined(view, hit.number + 1, end, limit=1000)
    return Finding(
        tool="tap",
        failure_type=FailureType.TEST,
        sub_type=_sub_type(details),
        message=(hit.text.strip() + ("\n" + details if details else ""))[:500],
        anchor=hit.number,
        ranges=(capped(hit.number, end),),
        test=TestIdentity("tap", suite[1].group("file") if suite else None, desc),
        locations=_locations(view, hit.number + 1, end),
        kind="test",
    )


def _diagnostic(view: LogView, hit: Hit, files: LineAbove) -> Finding:
    assert hit.match is not None
    indent = len(hit.match.group("indent"))

    def keep(text: str) -> bool:
        stripped = text.lstrip()
        return stripped.startswith("#") and not _DIAG.match(text) and _indent(text) >= indent

    end = block_end(view, hit.number, keep, limit=20, blanks=0)
    details = joined(view, hit.number + 1, end, limit=1000)
    name = hit.match.group("name") or hit.match.group("at")
    suite = files.find(hit.number)
    return Finding(
        tool="tap",
        failure_type=FailureType.TEST,
        sub_type=_sub_type(details),
        message=(hit.text.strip() + ("\n" + details if details else ""))[:500],
        anchor=hit.number,
        ranges=(capped(hit.number, end),),
        test=TestIdentity("tap", suite[1].group("file") if suite else None, name),
        locations=_locations(view, hit.number, end),
        kind="test",
    )


def _parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    findings: list[Finding] = []
    not_ok_lines = {hit.number for hit in hits if hit.rule.id == "tap.not_ok"}
    files = LineAbove(view, _FILE, limit=_FILE_REACH)  # the file each test is in
    for hit in hits:
        if hit.rule.id == "tap.not_ok":
            found = _not_ok(view, hit, files)
            if found is not None:
                findings.append(found)
        elif hit.rule.id == "tap.diag":
            if not not_ok_lines & set(range(hit.number - 3, hit.number)):
                findings.append(_diagnostic(view, hit, files))
        else:
            findings.append(
                Finding(
                    tool="tap",
                    failure_type=FailureType.TEST,
                    sub_type="tap",
                    message=hit.text.strip()[:500],
                    anchor=hit.number,
                    ranges=((hit.number, hit.number),),
                    strength=Strength.PARTIAL,
                    kind="summary",
                )
            )
    return findings


PARSER = Parser(name="tap", rules=RULES, parse=_parse)
