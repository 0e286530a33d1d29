"""Rust: cargo test and nextest failures, rustc and clippy diagnostics, cargo dependency
and build-script errors, rustfmt diffs.

The readers live in ``rust_tests`` and ``rust_build``; this module declares the lines
they want and hands each its hits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sheriff.core.logview import LogView
from sheriff.core.model import Finding
from sheriff.core.parsers.base import Parser, rule
from sheriff.core.parsers.rust_build import (
    CARGO_LINE,
    CARGO_TRIGGER,
    CODE_LINE,
    RUSTFMT_LINE,
    SPAN_LINE,
    cargo_findings,
    diagnostic_findings,
    rustfmt_findings,
)
from sheriff.core.parsers.rust_tests import (
    NEXTEST_LINE,
    NEXTEST_SUMMARY,
    RESULT_LINE,
    SECTION_HEADER,
    STATUS_LINE,
    nextest_findings,
    result_findings,
    section_findings,
    status_findings,
)
from sheriff.core.scan import Hit

PARSER_RULES = (
    rule("rust.section", r"---- [^ ]+ stdout ----", SECTION_HEADER, before=5, after=80),
    rule("rust.status", r"\.\.\. FAILED", STATUS_LINE, before=3, after=3),
    rule("rust.result", r"test result: FAILED", RESULT_LINE, before=10, after=3),
    rule(
        "rust.nextest",
        r"(?:FAIL|SIG[A-Z]+|TIMEOUT|ABORT) +\[ *[0-9.]+m?s\]",
        NEXTEST_LINE,
        before=3,
        after=60,
    ),
    rule("rust.nextest_summary", r"Summary \[ *[0-9.]+m?s\]", NEXTEST_SUMMARY, before=3, after=40),
    rule("rust.code", r"error\[E[0-9]{4}\]", CODE_LINE, before=5, after=40),
    rule("rust.span", r"--> .*\.rs:[0-9]+:[0-9]+", SPAN_LINE, before=5, after=40),
    rule("rust.cargo", CARGO_TRIGGER, CARGO_LINE, before=5, after=40),
    rule("rust.rustfmt", r"Diff in [^ ]+\.rs", RUSTFMT_LINE, after=200),
)


def _parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    by_rule: dict[str, list[Hit]] = defaultdict(list)
    for hit in hits:
        by_rule[hit.rule.id].append(hit)
    nextest = nextest_findings(view, by_rule["rust.nextest"], by_rule["rust.nextest_summary"])
    inside = {
        n for finding in nextest for first, last in finding.ranges for n in range(first, last + 1)
    }
    findings = section_findings(view, _outside(by_rule["rust.section"], inside))
    findings.extend(status_findings(_outside(by_rule["rust.status"], inside)))
    findings.extend(result_findings(_outside(by_rule["rust.result"], inside)))
    findings.extend(nextest)
    findings.extend(diagnostic_findings(view, by_rule["rust.code"], by_rule["rust.span"]))
    findings.extend(cargo_findings(view, by_rule["rust.cargo"]))
    findings.extend(rustfmt_findings(view, by_rule["rust.rustfmt"]))
    return findings


def _outside(hits: list[Hit], lines: set[int]) -> list[Hit]:
    """Hits not inside nextest's captured output (which repeats libtest's lines)."""
    return [hit for hit in hits if hit.number not in lines]


PARSER = Parser(name="rust", rules=PARSER_RULES, parse=_parse)
