import gzip
import io
import os
import sys
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sheriff.adapters.logfiles import FileLogReader, check_inputs, prefetch
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


LOG = b"collecting ...\nFAILED tests/test_api.py::test_login - assert 401 == 200\n" * 300


class _Trickle(io.RawIOBase):
    """A pipe's reads: a few bytes at a time."""

    def __init__(self, data: bytes, piece: int) -> None:
        self._data = data
        self._piece = piece

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: "memoryview | bytearray") -> int:  # type: ignore[override]
        taken = self._data[: min(self._piece, len(buffer))]
        buffer[: len(taken)] = taken
        self._data = self._data[len(taken) :]
        return len(taken)


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes, piece: int = 1 << 20) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(_Trickle(data, piece))))


@pytest.mark.parametrize("piece", [1, 3, 1 << 20])
def test_stdin_inflates_gzip_however_it_is_cut(monkeypatch: pytest.MonkeyPatch, piece: int) -> None:
    _stdin(monkeypatch, gzip.compress(LOG), piece)
    assert FileLogReader(chunk_bytes=4096).read_all("-") == LOG


@pytest.mark.parametrize("piece", [1, 1 << 20])
def test_stdin_too_short_to_tell_its_format_is_read_as_it_is(
    monkeypatch: pytest.MonkeyPatch, piece: int
) -> None:
    _stdin(monkeypatch, b"\x1f", piece)
    assert FileLogReader().read_all("-") == b"\x1f"


def test_a_zip_archive_on_stdin_asks_for_a_file(monkeypatch: pytest.MonkeyPatch) -> None:
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as out:
        out.writestr("0_build.txt", "log\n")
    _stdin(monkeypatch, packed.getvalue())
    with pytest.raises(InputError, match="zip archive") as raised:
        FileLogReader().read_all("-")
    assert "save the archive to a file" in raised.value.hint


@contextmanager
def _named_pipe(path: Path, data: bytes) -> Iterator[threading.Thread]:
    """A FIFO whose writer opens it at once (before any reader) and writes ``data``."""
    os.mkfifo(path)
    writer = threading.Thread(target=path.write_bytes, args=(data,), daemon=True)
    writer.start()
    yield writer
    writer.join(timeout=10)
    assert not writer.is_alive(), "the writer still waits for a reader"


@pytest.mark.parametrize("data", [LOG, gzip.compress(LOG)], ids=["plain", "gzip"])
def test_a_named_pipe_is_read_once_after_the_checks(tmp_path: Path, data: bytes) -> None:
    """Probing a pipe (for zip or gzip, for read-ahead, for permission) would take bytes
    from it or end its writer's pipe: it is opened once, to read it."""
    fifo = tmp_path / "job.log"
    read: list[bytes] = []

    def check_and_read() -> None:
        check_inputs([str(fifo)])
        prefetch([str(fifo)])
        read.append(FileLogReader(chunk_bytes=4096).read_all(str(fifo)))

    with _named_pipe(fifo, data):
        reader = threading.Thread(target=check_and_read, daemon=True)
        reader.start()
        reader.join(timeout=20)  # a probe that took the writer's bytes would wait forever
        assert not reader.is_alive(), "reading the pipe did not finish"
    assert read == [LOG]


def test_inputs_are_checked_together_before_any_is_read(tmp_path: Path) -> None:
    present = tmp_path / "a.log"
    present.write_bytes(LOG)
    check_inputs([str(present), "-"])
    with pytest.raises(InputError, match="no such file"):
        check_inputs([str(present), str(tmp_path / "b.log")])
    with pytest.raises(InputError, match="directory"):
        check_inputs([str(tmp_path)])
    with pytest.raises(InputError, match="read only once"):
        check_inputs(["-", str(present), "-"])
