"""A log of a great many failure lines: the scan confirms a bounded number of them.

A million failing tests (a broken fixture, or a log written to stall Sheriff) took 40 s
and 2 GB before the limit; the report names at most 200 failures anyway. Past the limit
only the last lines are examined, and the report says how many lines it left.
"""

import json

from sheriff.core.render_json import report_to_json
from sheriff.core.render_markdown import render_markdown, render_text
from sheriff.core.scan import TAIL_LINES, ScanResult
from sheriff.core.triage import analyse, new_scanner, triage_bytes

EXIT = b"##[error]Process completed with exit code 1."


def _failed(count: int) -> bytes:
    return b"".join(
        b"FAILED tests/test_m%d.py::test_case_%d - AssertionError: boom\n" % (n % 7, n)
        for n in range(count)
    )


def _scan(data: bytes, allowed: int) -> ScanResult:
    scanner = new_scanner()
    scanner.allow_hit_lines(allowed)
    for start in range(0, len(data), 1 << 16):
        scanner.feed(data[start : start + (1 << 16)])
    return scanner.finish()


def test_past_the_limit_only_the_last_lines_are_examined_and_the_rest_counted() -> None:
    scan = _scan(_failed(2000) + EXIT + b"\n", allowed=100)
    numbers = sorted({hit.number for hit in scan.hits})
    assert numbers[:100] == list(range(1, 101))
    assert 2001 in numbers  # the exit line, in the tail
    tail_start = 2001 - TAIL_LINES + 1
    assert numbers[100:] == list(range(tail_start, 2002))
    assert list(scan.skipped) == list(range(101, tail_start))


def test_the_report_says_how_many_lines_it_left() -> None:
    report = analyse(_scan(_failed(2000) + EXIT + b"\n", allowed=100))
    skipped = 2000 - 100 - (TAIL_LINES - 1)
    assert report.skipped_lines == skipped
    assert report_to_json(report)["skipped_lines"] == skipped
    assert f"{skipped:,} more lines that look like failures were not examined" in (
        render_markdown(report)
    )
    assert f"{skipped:,} more lines" in render_text(report)
    assert report.failures[0].finding.test is not None


def test_a_log_within_the_limit_examines_every_line_and_says_nothing() -> None:
    report = triage_bytes(_failed(300) + EXIT + b"\n")
    assert report.skipped_lines == 0
    assert json.loads(json.dumps(report_to_json(report)))["skipped_lines"] == 0
    assert "not examined" not in render_markdown(report)
    assert len({failure.finding.test for failure in report.failures}) == min(300, 200)


def test_past_the_limit_a_failure_of_another_kind_in_the_last_lines_is_found() -> None:
    # The linker's line has no word the noisy search looks for: only examining the
    # tail's candidates finds it.
    linker = b"main.c:(.text+0x1b): undefined reference to `compute_total'"
    scan = _scan(_failed(2000) + linker + b"\n", allowed=100)
    assert any(hit.number == 2001 and hit.rule.id == "native.linker" for hit in scan.hits)
    report = analyse(scan)
    assert any(failure.finding.sub_type == "linker" for failure in report.failures)
