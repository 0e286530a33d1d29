"""Every parser Sheriff knows, and a way to run one on a log.

The order of ``ALL_PARSERS`` does not matter: findings are ranked afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from operator import attrgetter

from sheriff.core.logview import LogView
from sheriff.core.model import Finding
from sheriff.core.parsers import (
    deploy,
    dotnet,
    e2e,
    generic,
    go,
    infra,
    javascript,
    js_build,
    js_npm,
    js_tools,
    junit_xml,
    jvm,
    misc_tests,
    native,
    php,
    python_deps,
    python_tests,
    python_tools,
    ruby,
    rust,
    shell_tools,
    tap,
)
from sheriff.core.parsers.base import Parser
from sheriff.core.parsers.focus import focus_messages
from sheriff.core.scan import Hit, RuleSet, ScanResult, scan_bytes

ALL_PARSERS: tuple[Parser, ...] = (
    generic.PARSER,
    infra.PARSER,
    go.PARSER,
    rust.PARSER,
    native.PARSER,
    python_tests.PARSER,
    python_tools.PARSER,
    python_deps.PARSER,
    javascript.PARSER,
    js_tools.PARSER,
    js_build.PARSER,
    js_npm.PARSER,
    e2e.PARSER,
    jvm.PARSER,
    junit_xml.PARSER,
    dotnet.PARSER,
    deploy.PARSER,
    ruby.PARSER,
    php.PARSER,
    tap.PARSER,
    shell_tools.PARSER,
    misc_tests.PARSER,
)


@cache
def rule_set(parsers: tuple[Parser, ...] = ALL_PARSERS) -> RuleSet:
    """The compiled rules of these parsers (compiled once per process)."""
    return RuleSet([rule for parser in parsers for rule in parser.rules])


def run_parsers(scan: ScanResult, parsers: Sequence[Parser] = ALL_PARSERS) -> list[Finding]:
    """Hand every parser its own hits and collect the findings, in log order."""
    own = hits_by_parser(scan.hits)
    return in_log_order(
        parser_findings(scan.view, parser, own[parser.name])
        for parser in parsers
        if parser.name in own
    )


def hits_by_parser(hits: Iterable[Hit]) -> dict[str, list[Hit]]:
    """Each parser's hits (a rule's id starts with its parser's name), in log order."""
    by_parser: dict[str, list[Hit]] = {}
    for hit in hits:
        by_parser.setdefault(hit.rule.id.split(".", 1)[0], []).append(hit)
    return by_parser


def parser_findings(view: LogView, parser: Parser, hits: Sequence[Hit]) -> list[Finding]:
    """What one parser makes of its hits."""
    return list(focus_messages(parser.parse(view, hits), hits))


def in_log_order(per_parser: Iterable[list[Finding]]) -> list[Finding]:
    """Every parser's findings (given in the order of the parsers) in log order; findings
    on one line keep the parsers' order."""
    findings = [finding for found in per_parser for finding in found]
    findings.sort(key=attrgetter("anchor"))
    return findings


def parse_log(data: bytes, parsers: tuple[Parser, ...] = ALL_PARSERS) -> list[Finding]:
    """Scan and parse a whole in-memory log with the given parsers (handy in tests)."""
    return run_parsers(scan_bytes(data, rule_set(parsers)), parsers)
