"""Downloads streamed to disk in bounded chunks: job logs and artifact archives.

The API answers both with a 302 to blob storage, which the client follows. A body is
written to a temporary file beside the target and renamed into place when complete, so a
half-written file is never mistaken for a whole one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import httpx

from sheriff.adapters.github.error_translation import message_of
from sheriff.adapters.github.session import GitHubSession
from sheriff.app.ports import JobLog, LogStatus
from sheriff.errors import GitHubUnavailableError

GONE_STATUSES = frozenset({404, 410})


class DownloadTooLarge(Exception):  # noqa: N818 - an outcome, caught within this package
    """The body grew past the caller's cap; nothing was kept."""


@dataclass(frozen=True, slots=True)
class Download:
    """A finished download: ``path`` is None when GitHub answered 404/410."""

    path: Path | None
    size: int
    status: int
    detail: str | None = None


def download_job_log(
    session: GitHubSession, url: str, destination: Path, chunk_bytes: int
) -> JobLog:
    """The job's log in ``destination``; expired (404/410) and failed downloads are values."""
    try:
        download = stream_to_file(session, url, destination, chunk_bytes)
    except GitHubUnavailableError as error:
        return JobLog(LogStatus.ERROR, detail=str(error))
    if download.path is None:
        return JobLog(LogStatus.EXPIRED, detail=download.detail)
    return JobLog(LogStatus.FETCHED, path=str(download.path), size=download.size)


def stream_to_file(
    session: GitHubSession,
    url: str,
    destination: Path,
    chunk_bytes: int,
    max_bytes: int | None = None,
) -> Download:
    """GET ``url`` into ``destination``; raises DownloadTooLarge past ``max_bytes``."""
    with session.stream(url, accept=GONE_STATUSES) as response:
        if response.status_code in GONE_STATUSES:
            detail = f"HTTP {response.status_code}: {message_of(response)}"
            return Download(None, 0, response.status_code, detail)
        with _file_written_atomically(destination) as handle:
            size = _copy_body(response, handle, chunk_bytes, max_bytes)
    return Download(destination, size, response.status_code)


def _copy_body(response: httpx.Response, handle: BinaryIO, chunk: int, cap: int | None) -> int:
    size = 0
    try:
        for piece in response.iter_bytes(chunk):
            size += len(piece)
            if cap is not None and size > cap:
                raise DownloadTooLarge(f"over {cap} bytes")
            handle.write(piece)
    except httpx.TransportError as error:
        raise GitHubUnavailableError(
            f"the download of {response.request.url} broke off after {size} bytes: {error}",
            hint="run again: the download starts over",
        ) from error
    return size


@contextmanager
def _file_written_atomically(destination: Path) -> Iterator[BinaryIO]:
    destination.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.")
    partial = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
        partial.replace(destination)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
