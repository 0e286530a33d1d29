"""Read CI logs from disk or stdin, streamed in bounded chunks.

Accepts plain files, ``-`` for standard input, gzip files and GitHub Actions log
archives (a ``.zip`` of per-job and per-step text files). For an archive, lines are
numbered over its text members concatenated in archive order; when a job has both a
whole-job file and per-step files, the per-step files are used.
"""

from __future__ import annotations

import errno
import gzip
import io
import os
import stat
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

_GZIP_MAGIC = b"\x1f\x8b"
_ZIP_MAGIC = b"PK\x03\x04"


class FileLogReader:
    """Streams the bytes of a log named by a path (or ``-``)."""

    def __init__(self, chunk_bytes: int = CHUNK_BYTES) -> None:
        self._chunk_bytes = chunk_bytes

    def chunks(self, name: str) -> Iterator[bytes]:
        """The log's bytes in order; raises InputError with a reason when unreadable."""
        try:
            if name == "-":
                yield from _stream_chunks(name, sys.stdin.buffer, self._chunk_bytes)
                return
            path = Path(name)
            _check_readable(path)
            if not _is_regular(name):  # a pipe or a device: read once, in order
                with path.open("rb") as stream:
                    yield from _stream_chunks(name, stream, self._chunk_bytes)
            elif zipfile.is_zipfile(path):
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
    works while Sheriff starts up; a file already cached costs nothing. Only regular files
    are opened (a pipe has nothing to read ahead, and opening one meddles with its
    writer); those that cannot be opened are left for ``chunks`` to report."""
    advise = getattr(os, "posix_fadvise", None)  # Linux and most Unixes, not macOS
    if advise is None:
        return
    for name in names:
        if name == "-" or not _is_regular(name):
            continue
        try:
            handle = os.open(name, os.O_RDONLY)
        except OSError:
            continue
        try:
            advise(handle, 0, 0, os.POSIX_FADV_WILLNEED)
        finally:
            os.close(handle)


def check_inputs(names: Sequence[str]) -> None:
    """Raise ``InputError`` for the first log that cannot be read, before any is read:
    a missing third file should not cost the triage of the first two, nor hide their
    reports after it. Standard input (``-``) can be read once only."""
    if list(names).count("-") > 1:
        raise InputError(
            "standard input (-) is given more than once and can be read only once",
            hint="give - for one log and save the others to files",
        )
    for name in names:
        if name != "-":
            _check_readable(Path(name))
            _check_permission(name)


def _check_permission(name: str) -> None:
    """A regular file is opened and closed (what reading needs); a pipe or device is not
    opened, only its permission asked (opening a pipe would wait for, or end, its writer)."""
    try:
        if _is_regular(name):
            os.close(os.open(name, os.O_RDONLY))
        elif not os.access(name, os.R_OK):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
    except OSError as error:
        raise InputError(
            f"cannot open {name}: {error.strerror or error}", hint="check the file's permissions"
        ) from error


def _is_regular(name: str) -> bool:
    try:
        return stat.S_ISREG(os.stat(name).st_mode)
    except OSError:
        return False


def _check_readable(path: Path) -> None:
    if not path.exists():
        raise InputError(f"no such file: {path}", hint="check the path")
    if path.is_dir():
        raise InputError(f"{path} is a directory", hint="give the log file itself")


def _is_gzip(path: Path) -> bool:
    with path.open("rb") as stream:
        return stream.read(2) == _GZIP_MAGIC


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


def _read_stream(stream: _Readable, size: int) -> Iterator[bytes]:
    while chunk := stream.read(size):
        yield chunk


def _stream_chunks(name: str, stream: _Readable, size: int) -> Iterator[bytes]:
    """A log read once, in order (standard input, a pipe): gzip is told by its first
    bytes and inflated as it comes; a zip archive needs a file (its index is at its end)."""
    head = _read_head(stream, len(_ZIP_MAGIC))
    rest = _Replayed(head, stream)
    if head.startswith(_GZIP_MAGIC):
        with gzip.GzipFile(fileobj=rest, mode="rb") as inflated:
            yield from _read_stream(inflated, size)
    elif head.startswith(_ZIP_MAGIC):
        source = "standard input" if name == "-" else name
        raise InputError(
            f"{source} is a zip archive, which cannot be read as a stream",
            hint="save the archive to a file and give its path",
        )
    else:
        yield from _read_stream(rest, size)


def _read_head(stream: _Readable, size: int) -> bytes:
    """The first ``size`` bytes (fewer at the end): a pipe may give them in pieces."""
    head = b""
    while len(head) < size and (piece := stream.read(size - len(head))):
        head += piece
    return head


class _Replayed:
    """A stream whose first bytes were read to tell its format, and are read again."""

    def __init__(self, head: bytes, rest: _Readable) -> None:
        self._head = head
        self._rest = rest

    def read(self, size: int = -1, /) -> bytes:
        if not self._head:
            return self._rest.read(size)
        if size < 0:
            data, self._head = self._head + self._rest.read(), b""
        else:
            data, self._head = self._head[:size], self._head[size:]
        return data

    def seek(self, offset: int, /) -> int:
        raise io.UnsupportedOperation("a log read as a stream cannot seek")


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
