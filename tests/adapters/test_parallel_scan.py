"""Splitting a big file across processes must not change what Sheriff says."""

import os
import time
from collections.abc import Callable, Collection, Iterable
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sheriff.adapters.log_parts import (
    LOOK_BYTES,
    MARGIN_BYTES,
    MAX_MARGIN_BYTES,
    MIN_PART_HIT_LINES,
    NovelTally,
    _margin_end,
    _margin_start,
    cut_points,
    hit_line_share,
    scan_part,
)
from sheriff.adapters.logfiles import FileLogReader
from sheriff.adapters.parallel_scan import ProcessPartScanner
from sheriff.app.triage_logs import TriageRequest, triage_logs
from sheriff.core import parts as parts_module
from sheriff.core import scan as scan_module
from sheriff.core.diffing import PassingBaseline
from sheriff.core.parsers import rule_set
from sheriff.core.parts import merge_parts
from sheriff.core.render_json import report_to_json
from sheriff.core.scan import (
    MAX_HIT_LINES,
    MAX_NOVEL_LINES,
    TAIL_LINES,
    ScanResult,
    context_lines,
)
from sheriff.core.triage import find_failures, new_scanner
from sheriff.errors import InputError, TriageWorkerError
from tests.conftest import read_shared

LOGS = [
    "logchunks/logs/Go/avelino@awesome-go/failed/552235410.log.gz",
    "cidiff-breakages/breakages/commonslang_2089/fail.log",
    "logchunks/logs/Python/scikit-learn@scikit-learn/failed/562395304.log.gz",
]


MIXED = [
    "logchunks/logs/Shell/jwilder@nginx-proxy/failed/534527355.log.gz",  # pytest
    "logchunks/logs/Lua/martanne@vis/failed/234575042.log.gz",  # gcc, make
    "logchunks/logs/Swift/Alamofire@Alamofire/failed/552510229.log.gz",  # swiftc
    "logchunks/logs/TypeScript/angular@angular/failed/476567056.log.gz",  # karma, yarn
    "logchunks/logs/Java/square@retrofit/failed/403602199.log.gz",  # junit, Maven
    "cidiff-breakages/breakages/spooncontrolflow_805/fail.log",  # Maven goals
    "cidiff-breakages/breakages/cocospoon_1754/fail.log",  # javac
    "cidiff-breakages/breakages/commonslang_2089/fail.log",  # surefire
    "cidiff-breakages/breakages/metamutator_1765/fail.log",  # javac, BUILD SUCCESS
]


def _joined(names: Iterable[str], breaks: bytes | None = None) -> bytes:
    """Whole logs one after the other (each ending its last line), as a CI job running
    several builds prints them; with ``breaks``, every line break made that."""
    logs = [read_shared(name) for name in names]
    joined = b"".join(log if log.endswith(b"\n") else log + b"\n" for log in logs)
    if breaks is None:
        return joined
    return b"".join(line + breaks for line in joined.splitlines())


@pytest.fixture
def big_log(tmp_path: Path) -> Path:
    path = tmp_path / "big.log"
    path.write_bytes(b"".join(read_shared(name) for name in LOGS * 3))
    return path


@pytest.fixture
def mixed_log(tmp_path: Path) -> Path:
    # Parsers relate far-apart lines: a Maven goal block is added to a compile error
    # thousands of lines up, a later BUILD SUCCESS makes earlier errors weaker, pytest
    # names a test's file from a header far above. Findings made per part differed
    # from the stream's here (a cut fell between such lines).
    path = tmp_path / "mixed.log"
    path.write_bytes(_joined(MIXED[index] for index in (3, 8, 2, 5, 7, 1, 0, 7, 4, 8, 3, 3)))
    return path


@pytest.mark.parametrize("workers", [2, 3])
@pytest.mark.parametrize("log", ["big_log", "mixed_log"])
def test_parts_give_the_same_report_as_one_stream(
    log: str, workers: int, request: pytest.FixtureRequest
) -> None:
    path: Path = request.getfixturevalue(log)
    triage = TriageRequest([str(path)], budget=60)
    reader = FileLogReader(chunk_bytes=64 << 10)
    streamed = triage_logs(triage, reader)[0]
    parallel = ProcessPartScanner(workers=workers, min_bytes=1)
    assert parallel.scan(str(path), None) is not None
    split = triage_logs(triage, reader, parallel)[0]
    assert report_to_json(split) == report_to_json(streamed)


def _streamed(path: Path, baseline: PassingBaseline | None) -> ScanResult:
    scanner = new_scanner(baseline)
    for chunk in FileLogReader(chunk_bytes=64 << 10).chunks(str(path)):
        scanner.feed(chunk)
    return scanner.finish()


def _split(
    path: Path, wanted_ends: list[float], margin: int, baseline: PassingBaseline | None
) -> ScanResult:
    """``path`` scanned in parts cut near ``wanted_ends`` (fractions of its size), one
    after the other: with a passing log, each part knows all the novel lines before it."""
    size = path.stat().st_size
    cuts = cut_points(path, size, [*sorted(int(size * end) for end in wanted_ends), size])
    tally = NovelTally(len(cuts) - 1) if baseline is not None else None
    parts = [
        scan_part(
            str(path), start, end, size, baseline, margin_bytes=margin, tally=tally, index=index
        )
        for index, (start, end) in enumerate(pairwise(cuts))
    ]
    return merge_parts(parts, rule_set())


def _hits(scan: ScanResult) -> list[tuple[int, str, str, tuple[int, int] | None]]:
    return [(h.number, h.rule.id, h.text, h.match and h.match.span()) for h in scan.hits]


def _kept(scan: ScanResult) -> list[tuple[int, list[bytes]]]:
    return [(region.first, region.lines) for region in scan.view.regions]


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    order=st.lists(st.integers(0, len(MIXED) - 1), min_size=2, max_size=8),
    breaks=st.sampled_from([None, b"\r\n", b"\r"]),
    wanted_ends=st.lists(st.floats(0.01, 0.99), min_size=1, max_size=6),
    margin=st.sampled_from([1 << 10, 16 << 10, 256 << 10]),
    passing=st.booleans(),
    novel_limit=st.sampled_from([MAX_NOVEL_LINES, 3000, 200]),
)
@example(  # the first part reaches the limit; the later parts' margins do not
    order=list(range(len(MIXED))),
    breaks=None,
    wanted_ends=[0.33, 0.66],
    margin=1 << 10,
    passing=True,
    novel_limit=3000,
)
def test_a_log_cut_anywhere_scans_and_parses_as_one_stream(
    tmp_path_factory: pytest.TempPathFactory,
    order: list[int],
    breaks: bytes | None,
    wanted_ends: list[float],
    margin: int,
    passing: bool,
    novel_limit: int,
) -> None:
    # Margins as small as 1 KiB still read scan.context_lines lines: the parts' scans
    # join into the streamed one, line for line, and the parsers find the same failures.
    # Past MAX_NOVEL_LINES (made small here: a passing log of another job makes most
    # lines novel) the stream keeps the first ones; so does the merge of the parts.
    with pytest.MonkeyPatch.context() as limits:
        limits.setattr(scan_module, "MAX_NOVEL_LINES", novel_limit)
        limits.setattr(parts_module, "MAX_NOVEL_LINES", novel_limit)
        path = tmp_path_factory.mktemp("cut") / "mixed.log"
        path.write_bytes(_joined((MIXED[index] for index in order), breaks))
        baseline = None
        if passing:
            good = read_shared("cidiff-breakages/breakages/commonslang_2089/pass.log")
            baseline = PassingBaseline(good.splitlines())
        split = _split(path, wanted_ends, margin, baseline)
        streamed = _streamed(path, baseline)
        assert _hits(split) == _hits(streamed)
        assert _kept(split) == _kept(streamed)
        assert split.view.total_lines == streamed.view.total_lines
        assert split.novel == streamed.novel
        assert find_failures(split) == find_failures(streamed)


def test_parts_after_the_first_novel_lines_do_not_look_for_more(tmp_path: Path) -> None:
    # A passing log of another job: most lines are novel, and one stream keeps the first
    # MAX_NOVEL_LINES. A part whose earlier parts found that many looks at no more lines
    # (a 100 MB log took 15 s split, 5 s streamed), and the report stays the stream's.
    path = tmp_path / "mixed.log"
    path.write_bytes(_joined(MIXED))
    good = read_shared("cidiff-breakages/breakages/commonslang_2089/pass.log")
    baseline = PassingBaseline(good.splitlines())
    with pytest.MonkeyPatch.context() as limits:
        limits.setattr(scan_module, "MAX_NOVEL_LINES", 3000)
        limits.setattr(parts_module, "MAX_NOVEL_LINES", 3000)
        size = path.stat().st_size
        cuts = cut_points(path, size, [size // 2, size])
        tally = NovelTally(2)
        first, second = (
            scan_part(str(path), start, end, size, baseline, tally=tally, index=index)
            for index, (start, end) in enumerate(pairwise(cuts))
        )
        assert first.novel is not None
        assert len(first.novel) == 3000
        assert second.novel == ()
        assert merge_parts([first, second], rule_set()).novel == _streamed(path, baseline).novel


def test_small_compressed_or_piped_inputs_are_not_split(tmp_path: Path, big_log: Path) -> None:
    scanner = ProcessPartScanner(workers=2)
    assert scanner.scan(str(big_log), None) is None  # below the size threshold
    assert ProcessPartScanner(workers=2, min_bytes=1).scan("-", None) is None
    packed = tmp_path / "big.log.gz"
    packed.write_bytes(b"\x1f\x8b" + b"\0" * 100)
    assert ProcessPartScanner(workers=2, min_bytes=1).scan(str(packed), None) is None


class _BreaksInWorkers:
    """Stage 1 that works in the process that made it and breaks in forked workers.

    The parent waits a little before its first scan, so a worker surely claims a part.
    """

    def __init__(self, breaks: Callable[[], None]) -> None:
        self._rules = rule_set()
        self._parent = os.getpid()
        self._breaks = breaks
        self._waited = False

    def candidate_offsets(self, buffer: bytes) -> Iterable[int]:
        if os.getpid() != self._parent:
            self._breaks()
        elif not self._waited:
            self._waited = True
            time.sleep(0.3)
        return self._rules.candidate_offsets(buffer)

    def noisy_offsets(self, text: bytes) -> Iterable[int]:
        return self._rules.noisy_offsets(text)

    def fired(self, raw: bytes) -> Collection[int]:
        return self._rules.fired(raw)


def _unreadable() -> None:
    raise InputError("cannot read the log", hint="check the file")


def test_an_error_in_a_worker_reaches_the_caller(big_log: Path) -> None:
    scanner = ProcessPartScanner(workers=2, min_bytes=1, matcher=_BreaksInWorkers(_unreadable))
    with pytest.raises(InputError, match="cannot read the log") as raised:
        scanner.scan(str(big_log), None)
    assert "raised in a worker process" in " ".join(raised.value.__notes__)


def test_a_worker_that_dies_is_reported_with_its_exit_status(big_log: Path) -> None:
    scanner = ProcessPartScanner(
        workers=2, min_bytes=1, matcher=_BreaksInWorkers(lambda: os._exit(3))
    )
    with pytest.raises(TriageWorkerError, match=r"died \(exit status 3\)"):
        scanner.scan(str(big_log), None)


def _children() -> set[str]:
    pid = os.getpid()
    return set(Path(f"/proc/{pid}/task/{pid}/children").read_text().split())


def test_a_failure_in_the_caller_stops_and_reaps_its_workers(big_log: Path) -> None:
    class BreaksInCaller(_BreaksInWorkers):
        def candidate_offsets(self, buffer: bytes) -> Iterable[int]:
            if os.getpid() == self._parent:
                _unreadable()
            time.sleep(5)  # a worker still busy when the caller fails
            return self._rules.candidate_offsets(buffer)

    before = _children()
    scanner = ProcessPartScanner(workers=2, min_bytes=1, matcher=BreaksInCaller(_unreadable))
    started = time.monotonic()
    with pytest.raises(InputError):
        scanner.scan(str(big_log), None)
    assert time.monotonic() - started < 4  # the busy worker was not waited for
    assert _children() == before


def test_a_part_reads_no_margin_into_a_giant_line(tmp_path: Path) -> None:
    # The margin after a part ends at a line start; when none comes for a long way, the
    # part reads no margin instead of the giant line (or the rest of the file) at once.
    owned = b"".join(b"step %d ok\n" % n for n in range(2000)) + b"FAILED a.py::test_b - E\n"
    giant = b"x" * (MAX_MARGIN_BYTES + 2 * LOOK_BYTES) + b"\n"
    path = tmp_path / "giant.log"
    path.write_bytes(owned + giant + b"after\n")
    size = path.stat().st_size
    with path.open("rb") as stream:
        assert _margin_end(stream, len(owned), size, MARGIN_BYTES, 600) == len(owned)
    part = scan_part(str(path), 0, len(owned), size, None)
    assert part.lines_owned == 2001
    assert {hit.number for hit in part.hits} == {2001}


def test_margins_hold_enough_lines_of_a_log_of_long_lines(tmp_path: Path) -> None:
    # 256 KiB of 1 KiB lines is 256 lines, but a hit may keep 600 lines after it: the
    # margins widen until they hold the lines a scan needs to be in a stream's state.
    lines = [b"%05d " % n + b"y" * 1018 + b"\n" for n in range(4000)]
    data = b"".join(lines)
    path = tmp_path / "long.log"
    path.write_bytes(data)
    start = end = len(data) // 2
    reach = context_lines(rule_set())
    with path.open("rb") as stream:
        before = _margin_start(stream, start, len(data), MARGIN_BYTES, reach)
        after = _margin_end(stream, end, len(data), MARGIN_BYTES, reach)
    assert 0 < before < start < after < len(data)
    assert data[before - 1 : before] == data[after - 1 : after] == b"\n"
    assert data[before:start].count(b"\n") >= reach
    assert data[end:after].count(b"\n") >= reach
    assert start - before < 4 * reach * len(lines[0])  # widened, not the whole log


def test_a_utf16_log_is_read_whole_as_its_text(tmp_path: Path, big_log: Path) -> None:
    # Cut after a "\n" byte, a UTF-16 file would leave the "\0" of that "\n\0" to the
    # next part: such a file is streamed by one process, decoded as it goes.
    wide = tmp_path / "powershell.log"
    wide.write_bytes(big_log.read_bytes().decode("utf-8", "replace").encode("utf-16"))
    parallel = ProcessPartScanner(workers=2, min_bytes=1)
    assert parallel.scan(str(wide), None) is None
    reader = FileLogReader(chunk_bytes=64 << 10)
    request = TriageRequest([str(big_log), str(wide)], budget=60)
    narrow_report, wide_report = (report_to_json(r) for r in triage_logs(request, reader, parallel))
    assert narrow_report["failures"]
    assert {**wide_report, "source": "-"} == {**narrow_report, "source": "-"}


def test_parts_share_the_limit_on_examined_lines(tmp_path: Path) -> None:
    # Each part may confirm twice its share of MAX_HIT_LINES (by its bytes), not the
    # whole limit each: a split log examines between one and two times the limit.
    count = MAX_HIT_LINES + 40_000
    dense = tmp_path / "dense.log"
    dense.write_bytes(
        b"".join(
            b"FAILED tests/test_m.py::test_case_%d - AssertionError\n" % n for n in range(count)
        )
    )
    request = TriageRequest([str(dense)], budget=50)
    parallel = ProcessPartScanner(workers=2, min_bytes=1)
    parts = parallel.parts(str(dense), None)
    assert parts is not None
    split = triage_logs(request, FileLogReader(), parallel)[0]
    streamed = triage_logs(request, FileLogReader())[0]
    assert streamed.skipped_lines == count - MAX_HIT_LINES - TAIL_LINES
    slack = len(parts) * (MIN_PART_HIT_LINES + TAIL_LINES)
    examined = count - split.skipped_lines
    assert MAX_HIT_LINES <= examined <= 2 * MAX_HIT_LINES + slack
    assert split.failures[0].finding == streamed.failures[0].finding


def test_a_file_too_small_to_tell_its_encoding_in_its_first_part_is_not_split(
    tmp_path: Path,
) -> None:
    # The first 4 KiB decide the encoding; a first part shorter than that would end
    # with its lines still held back, and the parts' line numbers would be wrong.
    small = tmp_path / "small.log"
    small.write_bytes(
        b"".join(b"step %d ok\n" % n for n in range(500))
        + b"FAILED tests/a.py::test_b - AssertionError\n"
    )
    parallel = ProcessPartScanner(workers=2, min_bytes=1)
    assert parallel.scan(str(small), None) is None
    report = triage_logs(TriageRequest([str(small)]), FileLogReader(), parallel)[0]
    assert [failure.finding.anchor for failure in report.failures] == [501]


def test_failures_crowded_into_one_part_of_a_log_below_the_limit_are_all_read(
    tmp_path: Path,
) -> None:
    # A big suite's summary: 15,000 failures in the last megabyte of a 25 MB log. The
    # small last parts exceed their share of MAX_HIT_LINES, but the log does not: they
    # are read again whole, and the split report is the streamed one.
    log = tmp_path / "suite.log"
    stamp = b"2026-07-30T12:54:28.4686428Z "
    with log.open("wb") as out:
        for n in range(300_000):
            out.write(stamp + b"tests/test_m%d.py::test_thing_%d PASSED [ 10%%]\n" % (n % 300, n))
        out.write(b"=========================== short test summary info ====================\n")
        for n in range(15_000):
            out.write(b"FAILED tests/test_k%d.py::TestX::test_case_%d - RuntimeError\n" % (n, n))
    request = TriageRequest([str(log)], budget=50)
    parallel = ProcessPartScanner(workers=2, min_bytes=1)
    parts = parallel.parts(str(log), None)
    assert parts is not None
    assert any(
        hit_line_share(part.bytes_owned, log.stat().st_size) < part.hit_lines for part in parts
    )
    split = triage_logs(request, FileLogReader(), parallel)[0]
    streamed = triage_logs(request, FileLogReader())[0]
    assert streamed.skipped_lines == 0
    assert report_to_json(split) == report_to_json(streamed)
