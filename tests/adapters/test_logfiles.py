import gzip
import io
import sys
import zipfile
from pathlib import Path

import pytest

from sheriff.adapters.logfiles import FileLogReader
from sheriff.errors import InputError


def test_reads_plain_and_gzip_files_in_chunks(tmp_path: Path) -> None:
    data = b"line\r\n" * 5000
    plain = tmp_path / "a.log"
    plain.write_bytes(data)
    packed = tmp_path / "a.log.gz"
    packed.write_bytes(gzip.compress(data))
    reader = FileLogReader(chunk_bytes=4096)
    assert len(list(reader.chunks(str(plain)))) > 1
    assert reader.read_all(str(plain)) == data
    assert reader.read_all(str(packed)) == data


def test_actions_archive_prefers_step_files_and_orders_naturally(tmp_path: Path) -> None:
    archive = tmp_path / "logs.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("0_build.txt", "whole job log\n")
        out.writestr("build/10_Post.txt", "post\n")
        out.writestr("build/2_Run tests.txt", "--- FAIL: TestX")
        out.writestr("build/1_Set up job.txt", "setup\n")
        out.writestr("1_lint.txt", "lint job\n")
    assert FileLogReader().read_all(str(archive)) == (b"setup\n--- FAIL: TestX\npost\nlint job\n")


def test_reads_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"from stdin\n")))
    assert FileLogReader().read_all("-") == b"from stdin\n"


@pytest.mark.parametrize("name", ["missing.log", "."])
def test_unreadable_inputs_raise_input_error(tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError) as raised:
        FileLogReader().read_all(str(tmp_path / name))
    assert raised.value.exit_code == 2


def test_truncated_gzip_is_an_input_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.log.gz"
    broken.write_bytes(gzip.compress(b"x" * 10000)[:30])
    with pytest.raises(InputError, match="cannot read"):
        FileLogReader().read_all(str(broken))
