"""Read CI logs from disk or stdin, streamed in bounded chunks.

Accepts plain files, ``-`` for standard input, gzip files and GitHub Actions log
archives (a ``.zip`` of per-job and per-step text files). For an archive, lines are
numbered over its text members concatenated in archive order; when a job has both a
whole-job file and per-step files, the per-step files are used.
"""

from __future__ import annotations

import gzip
import os
import sys
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath
from typing import Protocol

from sheriff.errors import InputError

CHUNK_BYTES = 16 << 20
MAX_ARCHIVE_MEMBERS = 5_000
MAX_ARCHIVE_BYTES = 4 << 30


class FileLogReader:
    """Streams the bytes of a log named by a path (or ``-``)."""

    def __init__(self, chunk_bytes: int = CHUNK_BYTES) -> None:
        self._chunk_bytes = chunk_bytes

    def chunks(self, name: str) -> Iterator[bytes]:
        """The log's bytes in order; raises InputError with a reason when unreadable."""
        if name == "-":
            yield from _read_stream(sys.stdin.buffer, self._chunk_bytes)
            return
        path = Path(name)
        _check_readable(path)
        try:
            if zipfile.is_zipfile(path):
                yield from _archive_chunks(path, self._chunk_bytes)
            elif _is_gzip(path):
                with gzip.open(path, "rb") as stream:
                    yield from _read_stream(stream, self._chunk_bytes)
            else:
                with path.open("rb") as stream:
                    yield from _read_stream(stream, self._chunk_bytes)
        except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as error:
            raise InputError(
                f"cannot read {name}: {error}", hint="check the file is a complete log"
            ) from error

    def read_all(self, name: str) -> bytes:
        return b"".join(self.chunks(name))


def prefetch(names: Sequence[str]) -> None:
    """Ask the kernel to start reading these files into its cache now, so that the disk
    works while Sheriff starts up; a file already cached costs nothing. Files that cannot
    be opened are left for ``chunks`` to report."""
    advise = getattr(os, "posix_fadvise", None)  # Linux and most Unixes, not macOS
    if advise is None:
        return
    for name in names:
        if name == "-":
            continue
        try:
            handle = os.open(name, os.O_RDONLY)
        except OSError:
            continue
        try:
            advise(handle, 0, 0, os.POSIX_FADV_WILLNEED)
        except OSError:  # not a regular file: nothing to read ahead
            pass
        finally:
            os.close(handle)


def _check_readable(path: Path) -> None:
    if not path.exists():
        raise InputError(f"no such file: {path}", hint="check the path")
    if path.is_dir():
        raise InputError(f"{path} is a directory", hint="give the log file itself")


def _is_gzip(path: Path) -> bool:
    with path.open("rb") as stream:
        return stream.read(2) == b"\x1f\x8b"


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def _read_stream(stream: _Readable, size: int) -> Iterator[bytes]:
    while chunk := stream.read(size):
        yield chunk


def _archive_chunks(path: Path, size: int) -> Iterator[bytes]:
    with zipfile.ZipFile(path) as archive:
        members = _log_members(archive)
        total = 0
        for member in members:
            total += member.file_size
            if total > MAX_ARCHIVE_BYTES:
                raise InputError(
                    f"{path} expands to more than {MAX_ARCHIVE_BYTES >> 30} GiB",
                    hint="extract the job log you need and triage it alone",
                )
            with archive.open(member) as stream:
                last = b"\n"
                for chunk in _read_stream(stream, size):
                    last = chunk[-1:]
                    yield chunk
                if last not in {b"\n", b"\r"}:
                    yield b"\n"


def _log_members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    members = [info for info in archive.infolist() if not info.is_dir()]
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise InputError(
            f"archive has {len(members)} files, more than {MAX_ARCHIVE_MEMBERS}",
            hint="is this really a CI log archive?",
        )
    job_order = {
        _job_name(info.filename): _index(info.filename)
        for info in members
        if "/" not in info.filename
    }
    folders = {PurePosixPath(info.filename).parts[0] for info in members if "/" in info.filename}
    chosen = [
        info for info in members if "/" in info.filename or _job_name(info.filename) not in folders
    ]
    return sorted(chosen, key=lambda info: _archive_order(info.filename, job_order))


def _job_name(filename: str) -> str:
    """``3_build (ubuntu).txt`` is the whole log of the job whose folder is ``build (ubuntu)``."""
    stem = PurePosixPath(filename).stem
    prefix, _, rest = stem.partition("_")
    return rest if prefix.isdigit() else stem


def _index(name: str) -> int:
    prefix = PurePosixPath(name).name.partition("_")[0]
    return int(prefix) if prefix.isdigit() else 1 << 30


def _archive_order(filename: str, job_order: dict[str, int]) -> tuple[int, str, int, str]:
    """Jobs in their numbered order, then steps in theirs (``10_`` after ``2_``)."""
    parts = PurePosixPath(filename).parts
    if len(parts) == 1:
        return (_index(filename), _job_name(filename), -1, "")
    job = parts[0]
    return (job_order.get(job, 1 << 30), job, _index(parts[-1]), filename)
