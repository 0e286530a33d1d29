"""Zip archives served for run logs and artifacts.

A run's log archive holds one ``<n>_<job name>.txt`` per job (its whole log), numbered
in job order as GitHub does; names are made safe for a zip member the same way (``/`` and
``:`` dropped). Jobs whose logs expired are left out.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

from sheriff.testing.fakegithub.records import ArtifactRecord, JobRecord


def run_logs_zip(jobs: Iterable[JobRecord]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number, job in enumerate(jobs, start=1):
            if job.logs_expired:
                continue
            archive.writestr(f"{number}_{_member_name(job.name)}.txt", job.log_bytes())
    return buffer.getvalue()


def artifact_zip(artifact: ArtifactRecord) -> bytes:
    """The artifact's files: a single file, or a folder's files under their relative names."""
    if artifact.content is not None:
        return artifact.content
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, name in _artifact_files(artifact.path):
            archive.write(path, name)
    artifact.content = buffer.getvalue()
    return artifact.content


def _artifact_files(root: Path | None) -> list[tuple[Path, str]]:
    if root is None:
        return []
    if root.is_file():
        return [(root, root.name)]
    return [
        (path, path.relative_to(root).as_posix())
        for path in sorted(root.rglob("*"))
        if path.is_file()
    ]


def _member_name(name: str) -> str:
    return "".join(char for char in name if char not in '/:\\*?"<>|')
