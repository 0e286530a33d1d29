"""Scan a large log file on several cores: processes share the parts of the file.

Only regular, uncompressed files are split (their byte ranges can be read
independently). Cuts fall just after a line break and never inside ``\\r\\n``; each part
also reads a margin before and after its own range so blocks crossing a cut parse whole.

Failures are not spread evenly through a log, so the file is cut into more parts than
there are processes, smaller and smaller towards the end, and every process (the parent
included) claims the next unscanned part whenever it finishes one: the processes finish
close together however dense the log is. Where the file is cut depends on its size and
the number of processes only, never on timing, so a report does not vary between runs.

Workers are plain forks (they inherit the compiled rules and the job) that hand their
results back through a pipe: a process pool's import, threads and queues cost ~50 ms of a
100 MB run here, for nothing this needs.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import BinaryIO, NoReturn

from sheriff.core.diffing import PassingBaseline
from sheriff.core.encoding import SNIFF_BYTES, wide_codec
from sheriff.core.lines import first_break
from sheriff.core.parsers import rule_set
from sheriff.core.parts import PartResult, part_result
from sheriff.core.rules import TriggerMatcher
from sheriff.core.scan import MAX_HIT_LINES
from sheriff.core.triage import find_failures, new_scanner
from sheriff.errors import TriageWorkerError

MIN_SPLIT_BYTES = 24 << 20
SPLIT_FLOOR_BYTES = 64 << 10
"""Never split less, whatever ``min_bytes`` asks: the first part must hold more than the
``SNIFF_BYTES`` that tell the log's encoding, or its line count would still be open."""
MIN_PART_BYTES = 2 << 20
MAX_PARTS = 255  # one byte per part in the claims pipe
MARGIN_BYTES = 256 << 10
READ_BYTES = 8 << 20
LOOK_BYTES = 1 << 20  # how far a cut may move to reach a line start
PEEK_BYTES = 4 << 10
MIN_PART_HIT_LINES = 1_000  # a part's share of scan.MAX_HIT_LINES, at least


@dataclass(frozen=True, slots=True)
class PartJob:
    """One file to scan in parts: what every process needs to scan any of them."""

    path: str
    ranges: tuple[tuple[int, int], ...]
    size: int
    baseline: PassingBaseline | None
    matcher: TriggerMatcher | None


class ProcessPartScanner:
    """Splits big plain files across worker processes; declines everything else."""

    def __init__(
        self,
        workers: int | None = None,
        min_bytes: int = MIN_SPLIT_BYTES,
        matcher: TriggerMatcher | None = None,
    ) -> None:
        self._workers = workers or min(os.cpu_count() or 1, 4)
        self._min_bytes = min_bytes
        self._matcher = matcher

    def scan(self, name: str, baseline: PassingBaseline | None) -> list[PartResult] | None:
        """Part results in file order, or None when the source should be read as a stream."""
        path = Path(name)
        if self._workers < 2 or name == "-" or not path.is_file():
            return None
        size = path.stat().st_size
        if size < max(self._min_bytes, SPLIT_FLOOR_BYTES) or not _is_plain(path):
            return None
        cuts = _cut_points(path, size, _part_ends(size, self._workers))
        if len(cuts) < 3:
            return None
        job = PartJob(str(path), tuple(pairwise(cuts)), size, baseline, self._matcher)
        rule_set()  # compile once here, so forked workers inherit it
        return _rescan_below_the_limit(job, _scan_shared(job, self._workers))


def _rescan_below_the_limit(job: PartJob, parts: list[PartResult]) -> list[PartResult]:
    """Parts that left lines for their share of ``MAX_HIT_LINES``, scanned again whole
    when the log as a whole is within the limit. Failures crowd together (a test
    summary at the end), so a small part may exceed its share of a log that one stream
    would read whole; then the split report is the streamed one, as below the limit it
    always is. Past the limit, each part keeps to its share."""
    if not any(part.skipped for part in parts):
        return parts
    if sum(part.hit_lines + part.skipped for part in parts) > MAX_HIT_LINES:
        return parts
    return [
        _scan_range(job, start, end, allowance=MAX_HIT_LINES) if part.skipped else part
        for part, (start, end) in zip(parts, job.ranges, strict=True)
    ]


def _part_ends(size: int, workers: int) -> list[int]:
    """Where parts should end: each part is an even share of what is left for
    ``2 * workers`` claims, so parts shrink as the file is used up (guided scheduling)
    and the last ones claimed are small: processes finish close together."""
    floor = max(min(MIN_PART_BYTES, size // (2 * workers)), 1)
    ends: list[int] = []
    position = 0
    while len(ends) < MAX_PARTS - 1:
        remaining = size - position
        part = max(remaining // (2 * workers), floor)
        if remaining - part < floor // 2:
            break
        position += part
        ends.append(position)
    return [*ends, size]


@dataclass(frozen=True, slots=True)
class _Worker:
    """A forked worker process and the read end of the pipe it reports through."""

    pid: int
    results: int


def _scan_shared(job: PartJob, workers: int) -> list[PartResult]:
    """Scan every part of ``job`` in this process and ``workers - 1`` forked ones.

    Parts are claimed by reading one byte (the part's index) from a pipe filled
    beforehand: a read is atomic, so each part is scanned exactly once, by whichever
    process is free first. Forked workers inherit the pipe.
    """
    claims, fill = os.pipe()
    forked: list[_Worker] = []
    try:
        os.write(fill, bytes(range(len(job.ranges))))
        os.set_blocking(claims, False)
        forked = [_fork_worker(job, claims) for _ in range(workers - 1)]
        done = list(claimed_parts(job, claims))
        while forked:
            done.extend(_collect(forked.pop(0)))
    finally:
        os.close(claims)
        os.close(fill)
        for worker in forked:  # only left when this process failed: stop the others
            _stop(worker)
    return [part for _, part in sorted(done, key=lambda item: item[0])]


def _fork_worker(job: PartJob, claims: int) -> _Worker:
    results, report = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(results)
        _work_and_exit(job, claims, report)
    os.close(report)
    return _Worker(pid, results)


def _work_and_exit(job: PartJob, claims: int, report: int) -> NoReturn:
    """Worker process: scan parts, write ``("parts", …)`` or ``("error", exception)`` to
    the pipe and exit at once (``os._exit``: the parent's clean-up is not the worker's)."""
    status = 1
    try:
        try:
            packed = pickle.dumps(("parts", scan_claimed_parts(job, claims)))
        except Exception as error:  # noqa: BLE001 (re-raised by the parent, see _collect)
            packed = _packed_error(error)
        with os.fdopen(report, "wb") as stream:
            stream.write(packed)
        status = 0
    finally:
        os._exit(status)


def _packed_error(error: Exception) -> bytes:
    """The worker's exception, pickled; as a TriageWorkerError naming it if it cannot be."""
    try:
        return pickle.dumps(("error", error))
    except (pickle.PicklingError, TypeError, AttributeError):
        return pickle.dumps(("error", TriageWorkerError(f"{type(error).__name__}: {error}")))


def _collect(worker: _Worker) -> list[tuple[int, PartResult]]:
    """A worker's parts, with their indices; its exception is raised here."""
    with os.fdopen(worker.results, "rb") as stream:
        report = stream.read()
    _, status = os.waitpid(worker.pid, 0)
    if not report:
        raise TriageWorkerError(
            f"a worker process triaging part of the log died "
            f"(exit status {os.waitstatus_to_exitcode(status)})",
            hint="run the command again; if it dies again, check the machine's free memory",
        )
    kind, payload = pickle.loads(report)  # noqa: S301 (bytes from our own worker)
    if kind == "error" and isinstance(payload, Exception):
        payload.add_note("(raised in a worker process triaging part of the log)")
        raise payload
    return [(index, _unpacked(packed)) for index, packed in payload]


def _stop(worker: _Worker) -> None:
    os.close(worker.results)
    with contextlib.suppress(ProcessLookupError):
        os.kill(worker.pid, signal.SIGKILL)
    os.waitpid(worker.pid, 0)


def scan_claimed_parts(job: PartJob, claims: int) -> list[tuple[int, bytes]]:
    """Worker: scan parts until none is left unclaimed; each result pickled as soon as it
    is ready (with its part's index), so that little is left to pickle at the end."""
    return [
        (index, pickle.dumps(part, pickle.HIGHEST_PROTOCOL))
        for index, part in claimed_parts(job, claims)
    ]


def _unpacked(packed: bytes) -> PartResult:
    """A part result pickled by one of our own forked workers."""
    part: PartResult = pickle.loads(packed)  # noqa: S301 (bytes from our own worker)
    return part


def claimed_parts(job: PartJob, claims: int) -> Iterator[tuple[int, PartResult]]:
    """Scan parts until none is left unclaimed; each result with its part's index."""
    while claimed := _claim(claims):
        index = claimed[0]
        start, end = job.ranges[index]
        yield index, _scan_range(job, start, end)


def _scan_range(job: PartJob, start: int, end: int, allowance: int | None = None) -> PartResult:
    return scan_part(job.path, start, end, job.size, job.baseline, job.matcher, allowance)


def _claim(claims: int) -> bytes:
    """The next unclaimed part's index as one byte, or nothing when all are claimed."""
    try:
        return os.read(claims, 1)
    except BlockingIOError:
        return b""


def _is_plain(path: Path) -> bool:
    """Not compressed, and in an encoding whose line breaks are single bytes (a UTF-16
    file cut after a ``\n`` byte would leave its ``\0`` to the next part)."""
    with path.open("rb") as stream:
        head = stream.read(SNIFF_BYTES)
    packed = head[:2] == b"\x1f\x8b" or zipfile.is_zipfile(path)
    return not packed and wide_codec(head) is None


def _cut_points(path: Path, size: int, ends: list[int]) -> list[int]:
    """Byte offsets just after a line break, at or after each wanted end of a part."""
    cuts = [0]
    with path.open("rb") as stream:
        for wanted in ends[:-1]:
            cut = _next_line_start(stream, wanted, size)
            if cut > cuts[-1] and cut < size:
                cuts.append(cut)
    cuts.append(size)
    return cuts


def _next_line_start(stream: BinaryIO, offset: int, size: int) -> int:
    """The first offset at or after ``offset`` that starts a line (``size`` when no line
    break comes within ``LOOK_BYTES``). Most lines are short: a small read decides, unless
    it ends on a ``\\r`` that may begin a ``\\r\\n``."""
    start = max(offset - 1, 0)
    stream.seek(start)
    data = stream.read(PEEK_BYTES)
    found = _first_break_end(data)
    if found is None or (found == len(data) and data.endswith(b"\r")):
        stream.seek(start)
        found = _first_break_end(stream.read(LOOK_BYTES))
    return size if found is None else start + found


def _first_break_end(data: bytes) -> int | None:
    """Where the first line break in ``data`` ends; a ``\\r`` ending ``data`` counts."""
    found = first_break(data)
    if found < 0:
        return None
    return found + (2 if data[found : found + 2] == b"\r\n" else 1)


def _hit_line_share(part_bytes: int, size: int) -> int:
    """How many hit lines a part may confirm: twice its share of ``MAX_HIT_LINES`` by
    bytes (failures are not spread evenly through a log), so a split log confirms
    between one and two times the limit."""
    return max(2 * MAX_HIT_LINES * part_bytes // size, MIN_PART_HIT_LINES)


def scan_part(  # noqa: PLR0917 (a worker's task: positional by nature)
    path: str,
    start: int,
    end: int,
    size: int,
    baseline: PassingBaseline | None,
    matcher: TriggerMatcher | None = None,
    allowance: int | None = None,
) -> PartResult:
    """Worker: scan ``[start, end)`` plus margins and keep what the range owns, confirming
    at most ``allowance`` hit lines in it (by default the part's share)."""
    with open(path, "rb") as stream:
        window_start = 0 if start == 0 else _next_line_start(stream, start - MARGIN_BYTES, size)
        window_start = min(window_start, start)
        window_end = size if end == size else _next_line_start(stream, end + MARGIN_BYTES, size)
        if window_end - end > MARGIN_BYTES + LOOK_BYTES:  # no line starts near: read no
            window_end = end  # margin rather than a giant line, or the rest of the file
        stream.seek(window_start)
        scanner = new_scanner(baseline, matcher, from_start=window_start == 0)
        scanner.feed(stream.read(start - window_start))
        lines_before = scanner.lines_read
        scanner.allow_hit_lines(allowance or _hit_line_share(end - start, size))
        remaining = end - start
        while remaining > 0:
            chunk = stream.read(min(READ_BYTES, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            scanner.feed(chunk)
        owned_lines = scanner.lines_read - lines_before
        scanner.feed(stream.read(window_end - end))
    scan = scanner.finish()
    return part_result(scan, find_failures(scan), lines_before, owned_lines, end - start)
