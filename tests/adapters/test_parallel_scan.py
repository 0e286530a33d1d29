"""Splitting a big file across processes must not change what Sheriff says."""

from pathlib import Path

import pytest

from sheriff.adapters.logfiles import FileLogReader
from sheriff.adapters.parallel_scan import ProcessPartScanner
from sheriff.app.triage_logs import TriageRequest, triage_logs
from sheriff.core.render_json import report_to_json
from tests.conftest import read_shared

LOGS = [
    "logchunks/logs/Go/avelino@awesome-go/failed/552235410.log.gz",
    "cidiff-breakages/breakages/commonslang_2089/fail.log",
    "logchunks/logs/Python/scikit-learn@scikit-learn/failed/562395304.log.gz",
]


@pytest.fixture
def big_log(tmp_path: Path) -> Path:
    path = tmp_path / "big.log"
    path.write_bytes(b"".join(read_shared(name) for name in LOGS * 3))
    return path


@pytest.mark.parametrize("workers", [2, 3])
def test_parts_give_the_same_report_as_one_stream(big_log: Path, workers: int) -> None:
    request = TriageRequest([str(big_log)], budget=60)
    reader = FileLogReader(chunk_bytes=64 << 10)
    streamed = triage_logs(request, reader)[0]
    parallel = ProcessPartScanner(workers=workers, min_bytes=1)
    assert parallel.scan(str(big_log), None) is not None
    split = triage_logs(request, reader, parallel)[0]
    assert report_to_json(split) == report_to_json(streamed)


def test_small_compressed_or_piped_inputs_are_not_split(tmp_path: Path, big_log: Path) -> None:
    scanner = ProcessPartScanner(workers=2)
    assert scanner.scan(str(big_log), None) is None  # below the size threshold
    assert ProcessPartScanner(workers=2, min_bytes=1).scan("-", None) is None
    packed = tmp_path / "big.log.gz"
    packed.write_bytes(b"\x1f\x8b" + b"\0" * 100)
    assert ProcessPartScanner(workers=2, min_bytes=1).scan(str(packed), None) is None
