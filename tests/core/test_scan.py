import pickle
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sheriff.core.diffing import PassingBaseline
from sheriff.core.encoding import wide_codec
from sheriff.core.logview import Region
from sheriff.core.scan import LogScanner, Rule, RuleSet, scan_bytes

FAIL_RULE = Rule("t.fail", "FAIL", re.compile(r"FAIL: (?P<name>\w+)"), before=2, after=2)


START_RULE = Rule("t.start", "(?m:^)FAIL: ", re.compile(r"^FAIL: (?P<name>\w+)"))


def _numbers(data: bytes, chunk: int | None = None, rule: Rule = FAIL_RULE) -> list[int]:
    scanner = LogScanner(RuleSet([rule]))
    if chunk is None:
        scanner.feed(data)
    else:
        for start in range(0, len(data), chunk):
            scanner.feed(data[start : start + chunk])
    return [hit.number for hit in scanner.finish().hits]


def test_line_numbers_count_crlf_cr_and_lf_breaks() -> None:
    data = b"a\r\nb\rc\nFAIL: x\r\nd\rFAIL: y\n"
    assert _numbers(data) == [4, 6]
    assert data.splitlines()[3] == b"FAIL: x"


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 7, 64])
def test_chunk_boundaries_do_not_change_line_numbers(chunk: int) -> None:
    data = b"ok\r\nFAIL: a\r\n\r\nx\rFAIL: b\nFAIL: c"
    assert _numbers(data, chunk) == _numbers(data) == [2, 5, 6]


@pytest.mark.parametrize("chunk", [None, 1, 3, 64])
def test_a_line_after_a_bare_cr_starts_a_line_for_anchored_triggers(chunk: int | None) -> None:
    data = b"progress 50%\rFAIL: a\rprogress\r\nFAIL: b\n\rFAIL: c\r\n"
    assert _numbers(data, chunk, START_RULE) == [2, 4, 6]


def _view_lines(data: bytes, chunk: int | None, rule: Rule = FAIL_RULE) -> set[int]:
    scanner = LogScanner(RuleSet([rule]))
    for start in range(0, len(data), chunk or len(data)):
        scanner.feed(data[start : start + (chunk or len(data))])
    view = scanner.finish().view
    return {n for region in view.regions for n in range(region.first, region.last + 1)}


@pytest.mark.parametrize("chunk", [1, 16, None])
def test_the_head_is_kept_however_small_the_first_chunks(chunk: int | None) -> None:
    # lines long enough that the bytes held back to tell the encoding end before line 40
    data = b"".join(b"line %d %s\n" % (n, b"." * 300) for n in range(1, 1001))
    assert _view_lines(data, chunk) == set(range(1, 41)) | set(range(701, 1001))


@pytest.mark.parametrize("chunk", [7, 100, None])
def test_a_hit_sees_all_the_lines_it_asks_for_before_it_across_chunks(chunk: int | None) -> None:
    wide = Rule("t.wide", "FAIL", re.compile(r"FAIL: (?P<name>\w+)"), before=400)
    lines = [b"line %d" % n for n in range(1, 1101)]
    lines[999] = b"FAIL: late"  # line 1000; the tail is 801-1100
    kept = _view_lines(b"\n".join(lines), chunk, wide)
    assert kept == set(range(1, 41)) | set(range(600, 1101))


@pytest.mark.parametrize("chunk", [1, 5, None])
def test_the_neighbours_of_a_novel_line_are_kept_across_chunks(chunk: int | None) -> None:
    passing = b"".join(b"step %d\n" % n for n in range(1, 1001))
    lines = [b"step %d" % n for n in range(1, 1001)]
    lines[499] = b"segfault in step 500"  # the one line the passing run never printed
    data = b"\n".join(lines) + b"\n"
    scanner = LogScanner(RuleSet([FAIL_RULE]), PassingBaseline(passing.splitlines()))
    for start in range(0, len(data), chunk or len(data)):
        scanner.feed(data[start : start + (chunk or len(data))])
    result = scanner.finish()
    assert result.novel == [500]
    kept = {n for region in result.view.regions for n in range(region.first, region.last + 1)}
    assert kept == set(range(1, 41)) | set(range(498, 503)) | set(range(701, 1001))


def test_precise_pattern_filters_trigger_only_lines() -> None:
    result = scan_bytes(b"FAILED to notice\nFAIL: real\n", RuleSet([FAIL_RULE]))
    assert [(hit.number, hit.match.group("name")) for hit in result.hits if hit.match] == [
        (2, "real")
    ]


def test_view_keeps_context_head_and_tail_only() -> None:
    lines = [f"line {n}".encode() for n in range(1, 2001)]
    lines[999] = b"FAIL: middle"
    result = scan_bytes(b"\n".join(lines), RuleSet([FAIL_RULE]))
    view = result.view
    assert view.total_lines == 2000
    assert view.text(1000) == "FAIL: middle"
    assert view.text(998) == "line 998"
    assert view.text(1002) == "line 1002"
    assert view.text(990) is None
    assert view.text(2000) == "line 2000"
    assert view.text(1) == "line 1"


@pytest.mark.parametrize("name", ["same", "long" * 400])  # short lines are memoised
def test_a_repeated_line_is_a_hit_at_each_of_its_own_numbers(name: str) -> None:
    same = f"FAIL: {name}"
    data = f"{same}\nok\n{same}\nFAIL: other\n{same}\n".encode()
    hits = scan_bytes(data, RuleSet([FAIL_RULE])).hits
    assert [(hit.number, hit.text) for hit in hits] == [
        (1, same),
        (3, same),
        (4, "FAIL: other"),
        (5, same),
    ]
    assert all(hit.match is not None and hit.match.group("name") for hit in hits)


def test_empty_rule_set_finds_nothing() -> None:
    result = scan_bytes(b"FAIL: x\n", RuleSet([]))
    assert result.hits == []
    assert result.view.total_lines == 1


@settings(max_examples=200)
@given(st.binary(max_size=400), st.integers(min_value=1, max_value=50))
def test_any_bytes_any_chunking_counts_lines_like_splitlines(data: bytes, chunk: int) -> None:
    scanner = LogScanner(RuleSet([FAIL_RULE]))
    for start in range(0, len(data), chunk):
        scanner.feed(data[start : start + chunk])
    result = scanner.finish()
    codec = wide_codec(data)  # a UTF-16 log is counted in its text (b"\xfe\xff" is a BOM)
    expected = (data if codec is None else data.decode(codec, "replace").encode()).splitlines()
    assert result.view.total_lines == len(expected)
    for hit in result.hits:
        assert b"FAIL" in expected[hit.number - 1]


@pytest.mark.parametrize("lines", [[b"FAIL: x", b"", b"\xff\xfe odd bytes", b""], [b""], []])
def test_a_region_survives_pickling_as_it_was(lines: list[bytes]) -> None:
    region = Region(7, list(lines))
    copy = pickle.loads(pickle.dumps(region))
    assert (copy.first, copy.lines) == (7, lines)


def test_a_scan_of_a_log_middle_keeps_no_head_or_tail() -> None:
    # A part of a split log is fed from and to the middle of the log: its first lines
    # are not the log's head, its last lines not the tail (summaries, exit lines).
    lines = b"".join(b"step %d ok\n" % n for n in range(1000))
    rules = RuleSet([Rule("t.fail", "FAILED")])
    whole = LogScanner(rules)
    whole.feed(lines)
    assert [(r.first, r.last) for r in whole.finish().view.regions] == [(1, 40), (701, 1000)]
    middle = LogScanner(rules, from_start=False, to_end=False)
    middle.feed(lines)
    assert middle.finish().view.regions == []
