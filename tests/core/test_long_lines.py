"""Long and hostile lines: a log is untrusted input, and one line must not stall a triage.

Stage 2's ``re`` patterns backtrack. Before lines were cut (``line_text``), a log holding
one 60 MB line with "error:" in it ran for over ten minutes, and the msbuild pattern took
minutes on a line of 8,000 spaces (cubic backtracking). bench/regex_audit.py measures how
every pattern's time grows with the line; these tests check that such lines are read
correctly and that the failures around them are still found.
"""

import json
import tracemalloc

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheriff.core.lines import LONG_LINE_BYTES
from sheriff.core.logview import (
    LINE_HEAD_BYTES,
    LINE_TAIL_BYTES,
    MAX_LINE_BYTES,
    abridge,
    line_text,
)
from sheriff.core.model import FailureType
from sheriff.core.parsers import rule_set
from sheriff.core.redact import redact
from sheriff.core.render_json import report_to_json
from sheriff.core.scan import LogScanner
from sheriff.core.triage import triage_bytes
from tests.conftest import read_shared

# The longest text a cut line can have: head, tail and the note between them.
CUT_LINE_CHARS = LINE_HEAD_BYTES + LINE_TAIL_BYTES + 40


def test_a_line_up_to_the_limit_is_read_whole() -> None:
    raw = b"a" * (MAX_LINE_BYTES - 1) + b"z"
    assert line_text(raw) == raw.decode()


def test_a_longer_line_is_read_as_its_head_and_tail_with_a_note_of_the_cut() -> None:
    raw = b"HEAD" + b"x" * 300_000 + b"TAIL"
    text = line_text(raw)
    assert text.startswith("HEAD")
    assert text.endswith("TAIL")
    assert f" {len(raw) - LINE_HEAD_BYTES - LINE_TAIL_BYTES} bytes cut " in text
    assert len(text) <= CUT_LINE_CHARS


def test_a_one_megabyte_line_is_triaged_and_reported() -> None:
    # Redacting the report's text took quadratic time on such a line: hours for 1 MB.
    report = triage_bytes(b"x" * 1_000_000 + b" error: boom " + b"y" * 1000 + b"\n")
    assert report.lines == 1
    assert all(len(text) <= CUT_LINE_CHARS for _, text in report.excerpt_text)
    rendered = json.dumps(report_to_json(report))
    assert "bytes cut" in rendered
    assert len(rendered) < 3 * CUT_LINE_CHARS


def test_a_real_log_with_a_150_kb_line_shows_it_cut() -> None:
    # pytorch prints the shard's test list on one line; the dirty checkout comes later.
    log = read_shared("pytorch-log-classifier-fixtures/dirty_checkout.txt")
    assert max(len(line) for line in log.splitlines()) > 100_000
    report = triage_bytes(log)
    assert report.failures
    assert all(len(text) <= CUT_LINE_CHARS for _, text in report.excerpt_text)


def test_a_failure_at_the_end_of_a_long_line_is_found() -> None:
    # Progress dots with no line break after them, then the linker's verdict.
    line = b"." * 50_000 + b"clang: error: linker command failed with exit code 1"
    report = triage_bytes(b"$ make\n" + line + b"\nmake: *** [app] Error 1\n")
    primary = report.failures[0].finding
    assert primary.failure_type is FailureType.BUILD
    assert primary.anchor == 2
    shown = dict(report.excerpt_text)[2]
    assert shown.endswith("clang: error: linker command failed with exit code 1")


# Lines that made a pattern backtrack (the msbuild one for minutes, the others for a
# fraction of a second each, quadratically in the line's length).
HOSTILE_LINES = [
    # msbuild: the words before ": error" were any run of letters and spaces (cubic)
    b" " * 8000 + b"error CS1234: x",
    # playwright header with a title and a rule of dashes
    b"  1) a.spec.ts:1:1 \xe2\x80\xba t" + b" " * 8000 + b"x",
    # TAP, jest titles and PHP fatal errors: lazy text before a run of spaces
    b"not ok 1 - t" + b" " * 8000 + b"x",
    b"  \xe2\x97\x8f t" + b" " * 8000 + b"\x00",
    b"PHP Fatal error: " + b" " * 8000 + b"x",
    # paths: a long token that is not a path, scanned again from each of its characters
    b"error: " + b"a\\" * 4000 + b"x",
    b"error: " + b"x" * 8000 + b".c",
    b"[  FAILED  ] a, where " + b"\t" * 8000 + b"x",
]


@pytest.mark.parametrize("line", HOSTILE_LINES, ids=lambda line: repr(line[:24]))
def test_a_hostile_line_before_a_real_failure_leaves_the_failure_found(line: bytes) -> None:
    log = line + b"\nMSBUILD : error MSB1009: Project file does not exist.\n"
    report = triage_bytes(log)
    messages = [failure.finding.message for failure in report.failures]
    assert any("MSB1009" in message for message in messages)


def test_redaction_of_a_long_token_is_linear_and_still_redacts() -> None:
    text = "a-" * 20_000 + " api_key=abcdef123456 " + "h" * 20_000 + "://u:hunter22@host"
    redacted = redact(text)
    assert "abcdef123456" not in redacted
    assert "hunter22" not in redacted


# Bytes that matter to abridging: line content, multi-byte UTF-8, and what the cleaner
# strips (escape codes) at the edges of the cut.
_LINE_BYTES = st.binary(min_size=0, max_size=64).map(
    lambda b: b.replace(b"\n", b"").replace(b"\r", b"")
)


@given(_LINE_BYTES, st.integers(0, 3 * MAX_LINE_BYTES), _LINE_BYTES)
def test_abridging_is_idempotent_and_reads_the_same(head: bytes, size: int, tail: bytes) -> None:
    raw = head + b"\xe2\x80\xa6" * (size // 3) + b"\x1b[31mq" + tail
    once = abridge(raw)
    assert len(once) <= MAX_LINE_BYTES
    assert abridge(once) == once
    assert line_text(once) == line_text(raw)


@given(st.integers(0, 50_000), st.integers(0, 50_000))
def test_a_line_abridged_while_streaming_equals_one_abridged_whole(middle: int, gap: int) -> None:
    # The scanner drops a long line's middle as it arrives and counts what it dropped.
    raw = b"h" * LINE_HEAD_BYTES + bytes(range(256)) * (middle // 256 + 1) + b"t" * 3000
    dropped = min(gap, len(raw) - LINE_HEAD_BYTES - LINE_TAIL_BYTES)
    kept = raw[:LINE_HEAD_BYTES] + raw[LINE_HEAD_BYTES + dropped :]
    assert abridge(kept, dropped) == abridge(raw)


def _scan_in_chunks(data: bytes, chunk: int) -> list[tuple[int, str]]:
    scanner = LogScanner(rule_set())
    for start in range(0, len(data), chunk):
        scanner.feed(data[start : start + chunk])
    result = scanner.finish()
    return [(hit.number, hit.text) for hit in result.hits]


@pytest.mark.parametrize("end", [b"\n", b"\r\n", b"\r", b""])
def test_a_line_longer_than_the_carry_limit_reads_the_same_in_any_chunking(end: bytes) -> None:
    line = b"error: head " + b"-" * (3 * LONG_LINE_BYTES) + b" FAILED tail"
    data = b"$ build\n" + line + end + b"npm ERR! code ELIFECYCLE\n"[: 40 if end else 0]
    whole = _scan_in_chunks(data, len(data))
    assert whole
    assert (2, line_text(line)) in whole
    for chunk in (4096, 100_000, LONG_LINE_BYTES + 1):
        assert _scan_in_chunks(data, chunk) == whole


def test_memory_stays_bounded_by_the_chunk_on_a_line_of_any_length() -> None:
    # A 64 MB line held whole took over twice its size; now what is kept is the chunk,
    # the line's head and a few KB of its latest bytes.
    chunk = b"." * (256 << 10)
    scanner = LogScanner(rule_set())
    tracemalloc.start()
    try:
        scanner.feed(b"$ make\n")
        for _ in range(256):
            scanner.feed(chunk)
        scanner.feed(b"clang: error: linker command failed with exit code 1\n")
        result = scanner.finish()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3 * LONG_LINE_BYTES + 4 * len(chunk)
    assert any(hit.number == 2 and hit.rule.id.endswith("linker") for hit in result.hits)
    text = result.view.text(2) or ""
    assert text.endswith("clang: error: linker command failed with exit code 1")
    cut = 256 * len(chunk) + 52 - LINE_HEAD_BYTES - LINE_TAIL_BYTES
    assert f" {cut} bytes cut " in text
