"""Artifact archives: download under a size cap, then unzip only the wanted members with
caps on entry count and unpacked size (a zip bomb declares small sizes and lies), and no
member path that could escape the target folder."""

from __future__ import annotations

import fnmatch
import re
import shutil
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from sheriff.adapters.github.downloads import DownloadTooLarge, stream_to_file
from sheriff.adapters.github.session import GitHubSession
from sheriff.app.forge import Artifact, ArtifactFiles, ArtifactLimits, ArtifactStatus

COPY_CHUNK = 1024 * 1024
UNREADABLE_ZIP = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,  # an unsupported compression method
    RuntimeError,  # an encrypted member
    zlib.error,
    EOFError,
)


class UnsafeArchive(Exception):  # noqa: N818 - an outcome, turned into ArtifactStatus
    def __init__(self, status: ArtifactStatus, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def download_artifact_files(
    session: GitHubSession,
    url: str,
    artifact: Artifact,
    destination: Path,
    limits: ArtifactLimits,
) -> ArtifactFiles:
    """Unpack the members of ``artifact`` matching ``limits.member_glob`` under
    ``destination``; expired, oversized and unreadable artifacts are statuses."""
    if artifact.expired:
        return ArtifactFiles(artifact, ArtifactStatus.EXPIRED, detail="marked expired")
    if artifact.size_in_bytes > limits.max_zip_bytes:
        return _too_large(artifact, f"{artifact.size_in_bytes} bytes zipped")
    folder = destination / f"{artifact.artifact_id}-{_safe_name(artifact.name)}"
    archive = destination / f".{artifact.artifact_id}.zip"
    try:
        download = stream_to_file(session, url, archive, COPY_CHUNK, limits.max_zip_bytes)
        if download.path is None:
            return ArtifactFiles(artifact, ArtifactStatus.EXPIRED, detail=download.detail)
        paths = unpack_members(archive, folder, limits)
    except DownloadTooLarge as error:
        return _too_large(artifact, str(error))
    except UnsafeArchive as problem:
        return ArtifactFiles(artifact, problem.status, detail=problem.detail)
    finally:
        archive.unlink(missing_ok=True)
    return ArtifactFiles(artifact, ArtifactStatus.FETCHED, paths=tuple(paths))


def _too_large(artifact: Artifact, detail: str) -> ArtifactFiles:
    return ArtifactFiles(artifact, ArtifactStatus.TOO_LARGE, detail=detail)


def unpack_members(archive: Path, folder: Path, limits: ArtifactLimits) -> list[Path]:
    """The wanted members of ``archive`` written under ``folder``; on UnsafeArchive
    nothing is left behind."""
    try:
        return _unpack(archive, folder, limits)
    except UNREADABLE_ZIP as error:
        shutil.rmtree(folder, ignore_errors=True)
        raise UnsafeArchive(ArtifactStatus.INVALID, f"not a readable zip: {error}") from error
    except UnsafeArchive:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _unpack(archive: Path, folder: Path, limits: ArtifactLimits) -> list[Path]:
    with zipfile.ZipFile(archive) as bundle:
        budget = limits.max_unzipped_bytes
        paths: list[Path] = []
        for member in _wanted_members(bundle, limits):
            target = folder / _safe_member_path(member.filename)
            budget -= _extract(bundle, member, target, budget)
            paths.append(target)
        return paths


def _wanted_members(bundle: zipfile.ZipFile, limits: ArtifactLimits) -> list[zipfile.ZipInfo]:
    entries = bundle.infolist()
    if len(entries) > limits.max_entries:
        raise UnsafeArchive(
            ArtifactStatus.TOO_LARGE, f"{len(entries)} entries (cap {limits.max_entries})"
        )
    wanted = [
        entry
        for entry in entries
        if not entry.is_dir()
        and fnmatch.fnmatchcase(PurePosixPath(entry.filename).name, limits.member_glob)
    ]
    declared = sum(entry.file_size for entry in wanted)
    if declared > limits.max_unzipped_bytes:
        raise UnsafeArchive(ArtifactStatus.TOO_LARGE, f"{declared} bytes unzipped")
    return wanted


def _safe_member_path(name: str) -> Path:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or not path.parts or ":" in path.parts[0]:
        raise UnsafeArchive(ArtifactStatus.INVALID, f"unsafe member path {name!r}")
    return Path(*path.parts)


def _extract(bundle: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path, budget: int) -> int:
    """Copy one member, counting real bytes against ``budget``; returns the bytes written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with bundle.open(member) as source, target.open("wb") as sink:
        while piece := source.read(COPY_CHUNK):
            written += len(piece)
            if written > budget:
                raise UnsafeArchive(ArtifactStatus.TOO_LARGE, "unpacks past the size cap")
            sink.write(piece)
    return written


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "artifact"
