"""Scan a large log file on several cores: one process per part of the file.

Only regular, uncompressed files are split (their byte ranges can be read
independently). Cuts fall just after a line break and never inside ``\\r\\n``; each part
also reads a margin before and after its own range so blocks crossing a cut parse whole.
"""

from __future__ import annotations

import os
import zipfile
from concurrent.futures import ProcessPoolExecutor
from itertools import pairwise
from multiprocessing import get_context
from pathlib import Path
from typing import BinaryIO

from sheriff.core.diffing import PassingBaseline
from sheriff.core.parsers import rule_set
from sheriff.core.parts import PartResult, part_result
from sheriff.core.rules import TriggerMatcher
from sheriff.core.scan import count_breaks
from sheriff.core.triage import find_failures, new_scanner

MIN_SPLIT_BYTES = 24 << 20
MARGIN_BYTES = 256 << 10
READ_BYTES = 8 << 20


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
        if size < self._min_bytes or _is_packed(path):
            return None
        cuts = _cut_points(path, size, self._workers)
        (first_start, first_end), *rest = pairwise(cuts)
        if not rest:
            return None
        rule_set()  # compile once here, so forked workers inherit it
        # The parent scans the first part itself while workers scan the others: one
        # process per core, none idle.
        with ProcessPoolExecutor(len(rest), mp_context=get_context("fork")) as pool:
            futures = [
                pool.submit(scan_part, str(path), start, end, size, baseline, self._matcher)
                for start, end in rest
            ]
            first = scan_part(str(path), first_start, first_end, size, baseline, self._matcher)
            return [first, *(future.result() for future in futures)]


def _is_packed(path: Path) -> bool:
    with path.open("rb") as stream:
        magic = stream.read(4)
    return magic[:2] == b"\x1f\x8b" or zipfile.is_zipfile(path)


def _cut_points(path: Path, size: int, parts: int) -> list[int]:
    """Byte offsets just after a line break, splitting the file into ``parts`` ranges."""
    cuts = [0]
    with path.open("rb") as stream:
        for index in range(1, parts):
            cut = _next_line_start(stream, size * index // parts, size)
            if cut > cuts[-1] and cut < size:
                cuts.append(cut)
    cuts.append(size)
    return cuts


def _next_line_start(stream: BinaryIO, offset: int, size: int) -> int:
    """The first offset at or after ``offset`` that starts a line."""
    stream.seek(max(offset - 1, 0))
    data = stream.read(1 << 20)
    for index, byte in enumerate(data):
        if byte == 0x0A or (byte == 0x0D and data[index + 1 : index + 2] != b"\n"):
            return max(offset - 1, 0) + index + 1
    return size


def scan_part(  # noqa: PLR0917 (a pool task: positional by nature)
    path: str,
    start: int,
    end: int,
    size: int,
    baseline: PassingBaseline | None,
    matcher: TriggerMatcher | None = None,
) -> PartResult:
    """Worker: scan ``[start, end)`` plus margins and keep what the range owns."""
    with open(path, "rb") as stream:
        window_start = 0 if start == 0 else _next_line_start(stream, start - MARGIN_BYTES, size)
        window_start = min(window_start, start)
        window_end = size if end == size else _next_line_start(stream, end + MARGIN_BYTES, size)
        stream.seek(window_start)
        before = stream.read(start - window_start)
        scanner = new_scanner(baseline, matcher)
        scanner.feed(before)
        owned_lines = 0
        remaining = end - start
        last = b""
        while remaining > 0:
            chunk = stream.read(min(READ_BYTES, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            owned_lines += count_breaks(chunk, 0, len(chunk)) - _crlf_split(last, chunk)
            last = chunk
            scanner.feed(chunk)
        if end == size and last and last[-1:] not in {b"\n", b"\r"}:
            owned_lines += 1
        scanner.feed(stream.read(window_end - end))
    scan = scanner.finish()
    return part_result(
        scan, find_failures(scan), count_breaks(before, 0, len(before)), owned_lines, end - start
    )


def _crlf_split(previous: bytes, chunk: bytes) -> int:
    """1 when a ``\\r\\n`` straddles two chunks (counted twice otherwise)."""
    return 1 if previous.endswith(b"\r") and chunk.startswith(b"\n") else 0
