"""Hyperscan is only an accelerator: on every dev log it must find exactly what RE2 finds."""

from __future__ import annotations

import gzip
import pickle
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheriff.adapters.hyperscan_matcher import HyperscanMatcher, load_matcher
from sheriff.adapters.logfiles import FileLogReader
from sheriff.adapters.parallel_scan import ProcessPartScanner
from sheriff.app.triage_logs import TriageRequest, triage_logs
from sheriff.core.parsers import rule_set
from sheriff.core.render_json import report_to_json
from sheriff.core.scan import scan_bytes
from tests.conftest import SHARED_DATA, read_shared

pytest.importorskip("hyperscan", reason="the hyperscan wheel exists for x86-64 Linux/macOS only")


@pytest.fixture(scope="module")
def matcher(tmp_path_factory: pytest.TempPathFactory) -> HyperscanMatcher:
    cache = tmp_path_factory.mktemp("cache")
    built = load_matcher(rule_set(), cache, compile_if_missing=True)
    assert built is not None
    return built


def _dev_logs() -> list[Path]:
    patterns = [
        "logchunks/logs/**/*.log*",
        "cidiff-breakages/breakages/*/*.log",
        "logreduce-tests/*/*",
    ]
    found = [path for pattern in patterns for path in sorted(SHARED_DATA.glob(pattern))]
    return [path for path in found if path.is_file() and not path.name.endswith((".md", ".jsonl"))]


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def _hits(data: bytes, found_by: HyperscanMatcher | None) -> list[tuple[int, str, str]]:
    scanner_result = scan_bytes(data, rule_set(), matcher=found_by)
    return [(hit.number, hit.rule.id, hit.text) for hit in scanner_result.hits]


def test_every_dev_log_gives_the_same_hits_on_both_engines(matcher: HyperscanMatcher) -> None:
    logs = _dev_logs()
    assert len(logs) > 200  # the whole dev set, not a sample
    differing = [
        path.name for path in logs if _hits(_read(path), None) != _hits(_read(path), matcher)
    ]
    assert differing == []


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from(
            [
                b"--- FAIL: TestX (0.1s)",
                b"error: boom",
                b"FAILED tests/a.py::t",
                b"\r",
                b"\n",
                b"\r\n",
                b"x" * 50,
                b"\x1b[31mERROR\x1b[0m",
                b"panic: nil",
                b"not ok 3 - y",
                b"\x0b",
                b"\x0c",
                b"\t",
                b"\xff",
            ]
        ),
        max_size=40,
    )
)
def test_arbitrary_line_soup_gives_the_same_hits(
    matcher: HyperscanMatcher, parts: list[bytes]
) -> None:
    data = b"".join(parts)
    assert _hits(data, matcher) == _hits(data, None)


def test_matcher_survives_pickling_for_worker_processes(matcher: HyperscanMatcher) -> None:
    line = b"--- FAIL: TestSomething (0.01s)"
    copy = pickle.loads(pickle.dumps(matcher))
    assert set(copy.fired(line)) == set(matcher.fired(line)) != set()


def test_split_scan_with_hyperscan_matches_the_re2_stream(
    matcher: HyperscanMatcher, tmp_path: Path
) -> None:
    names = [
        "logchunks/logs/Go/avelino@awesome-go/failed/552235410.log.gz",
        "cidiff-breakages/breakages/commonslang_2089/fail.log",
    ]
    big = tmp_path / "big.log"
    big.write_bytes(b"".join(read_shared(name) for name in names * 3))
    request = TriageRequest([str(big)], budget=60)
    reader = FileLogReader(chunk_bytes=64 << 10)
    reference = triage_logs(request, reader)[0]
    parts = ProcessPartScanner(workers=2, min_bytes=1, matcher=matcher)
    accelerated = triage_logs(request, reader, parts, matcher)[0]
    assert report_to_json(accelerated) == report_to_json(reference)


def test_cached_databases_are_loaded_without_compiling(tmp_path: Path) -> None:
    assert load_matcher(rule_set(), tmp_path, compile_if_missing=False) is None  # cold cache
    assert load_matcher(rule_set(), tmp_path, compile_if_missing=True) is not None
    assert len(list(tmp_path.glob("stage1-*.hsdb"))) == 3
    warm = load_matcher(rule_set(), tmp_path, compile_if_missing=False)
    assert warm is not None
    assert set(warm.fired(b"FAILED tests/test_a.py::test_b - assert 1 == 2")) != set()


def test_a_corrupt_cache_is_recompiled(tmp_path: Path) -> None:
    assert load_matcher(rule_set(), tmp_path, compile_if_missing=True) is not None
    for path in tmp_path.glob("stage1-*.hsdb"):
        path.write_bytes(b"not a database")
    assert load_matcher(rule_set(), tmp_path, compile_if_missing=False) is None
    assert load_matcher(rule_set(), tmp_path, compile_if_missing=True) is not None


def _non_ascii_inside_brackets(pattern: str) -> bool:
    """True when a ``[...]`` class holds a non-ASCII character.

    RE2 reads such a class as a set of code points, Hyperscan as a set of bytes, so the
    two engines would disagree; write an alternation (``(?:‘|')``) instead.
    """
    inside = escaped = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[" and not inside:
            inside = True
        elif char == "]" and inside:
            inside = False
        elif inside and not char.isascii():
            return True
    return False


def test_no_trigger_puts_a_non_ascii_character_in_a_class() -> None:
    offending = [trigger for trigger in rule_set().triggers if _non_ascii_inside_brackets(trigger)]
    assert offending == []
    assert _non_ascii_inside_brackets("Running [‘'][^’']+")  # the check itself can fail
