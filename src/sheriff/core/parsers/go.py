"""Go: ``go test`` (text, -v and -json), gotestsum, gocheck, Ginkgo, panics, races,
timeouts, compile and vet errors, golangci-lint/staticcheck, gofmt and module failures.

The readers live in ``go_tests``, ``go_crash``, ``go_json``, ``go_ginkgo``, ``go_build``
and ``go_verdict``; this module declares the lines they want and hands each its hits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sheriff.core.logview import LogView
from sheriff.core.model import Finding
from sheriff.core.parsers.base import Parser, rule
from sheriff.core.parsers.go_build import (
    GOFMT_LINE,
    GOFMT_LIST_LINE,
    GOFMT_LIST_TRIGGER,
    SOURCE_LINE,
    gofmt_findings,
    gofmt_list_findings,
    source_findings,
)
from sheriff.core.parsers.go_crash import PANIC_LINE, merge_crashes
from sheriff.core.parsers.go_ginkgo import (
    BLOCK_LINE,
    BLOCK_TRIGGER,
    SUMMARY_START,
    SUMMARY_TRIGGER,
    ginkgo_findings,
)
from sheriff.core.parsers.go_ginkgo import SUMMARY_LINE as GINKGO_SUMMARY_LINE
from sheriff.core.parsers.go_json import EVENT_LINE, json_findings
from sheriff.core.parsers.go_tests import (
    FAIL_HEADER,
    GOCHECK_HEADER,
    GOTESTSUM_HEADER,
    SUMMARY_LINE,
    summary_findings,
    test_findings,
    with_packages,
)
from sheriff.core.parsers.go_verdict import MODULE_LINE
from sheriff.core.scan import Hit

PARSER_RULES = (
    rule("go.fail", r"--- FAIL: ", FAIL_HEADER, before=150, after=80),
    rule("go.gotestsum", r"=== FAIL: ", GOTESTSUM_HEADER, before=5, after=60),
    rule("go.gocheck", r"(?:FAIL|PANIC): [^ ]+_test\.go:[0-9]+: ", GOCHECK_HEADER, after=40),
    rule(
        "go.summary",
        r"FAIL\t|FAIL +[^ ]+ +(?:[0-9.]+m?s|\[)|FAIL [^ ]+\.(?:Test|Example|Benchmark|Fuzz)",
        SUMMARY_LINE,
        before=8,
        after=3,
    ),
    rule("go.panic", r"panic: |fatal error: ", PANIC_LINE, before=10, after=200),
    rule("go.race", r"WARNING: DATA RACE", before=5, after=120),
    rule("go.leak", r"found unexpected goroutines", r"found unexpected goroutines", after=20),
    rule("go.json", r"\"Action\": ?\"(?:fail|build-fail)\"", EVENT_LINE, before=400, after=3),
    rule("go.source", r"\.go:[0-9]+:", SOURCE_LINE, before=40, after=12),
    rule(
        "go.module",
        r"@v[0-9][^ :]*: |missing go\.sum entry|no required module provides|go: updates to go\."
        r"|inconsistent vendoring|checksum mismatch|SECURITY ERROR|cannot find module providing"
        r"|errors parsing go\.mod|cannot find main module|go\.mod file not found"
        r"|is not in GOROOT|is not in std|requires go >= |go: module [^ ]+: git "
        r"|cannot find package \"|unrecognized import path",
        MODULE_LINE,
        before=5,
        after=12,
    ),
    rule("go.gofmt", r"diff [^ ]+\.go", GOFMT_LINE, after=200),
    rule("go.ginkgo", BLOCK_TRIGGER, BLOCK_LINE, before=3, after=120),
    rule("go.ginkgo_summary", SUMMARY_TRIGGER, GINKGO_SUMMARY_LINE, before=2, after=3),
    rule("go.ginkgo_start", SUMMARY_START, None, before=2, after=3),
    rule("go.gofmt_list", GOFMT_LIST_TRIGGER, GOFMT_LIST_LINE, before=2, after=40),
)


def _parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    by_rule: dict[str, list[Hit]] = defaultdict(list)
    for hit in hits:
        by_rule[hit.rule.id].append(hit)
    tests = test_findings(
        view,
        by_rule["go.fail"],
        by_rule["go.gotestsum"],
        by_rule["go.gocheck"],
        by_rule["go.summary"],
    )
    crashes = merge_crashes(
        view, tests, by_rule["go.panic"], by_rule["go.race"], by_rule["go.leak"]
    )
    findings = with_packages(crashes, by_rule["go.summary"])
    specs = ginkgo_findings(
        view, by_rule["go.ginkgo"], by_rule["go.ginkgo_summary"], by_rule["go.ginkgo_start"]
    )
    if specs:  # the go test wrapper of a Ginkgo suite only repeats its verdict
        findings = [f for f in findings if not f.message.startswith("--- FAIL:")]
    findings.extend(specs)
    findings.extend(summary_findings(view, by_rule["go.summary"]))
    findings.extend(json_findings(view, by_rule["go.json"]))
    findings.extend(source_findings(view, by_rule["go.source"], by_rule["go.module"]))
    findings.extend(gofmt_findings(view, by_rule["go.gofmt"]))
    findings.extend(gofmt_list_findings(view, by_rule["go.gofmt_list"]))
    return findings


PARSER = Parser(name="go", rules=PARSER_RULES, parse=_parse)
