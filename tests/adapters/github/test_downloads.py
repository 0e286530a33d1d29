"""Job logs streamed to disk, expired logs as values, artifacts unzipped under caps."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sheriff.adapters.github.artifacts import UnsafeArchive, unpack_members
from sheriff.app.forge import ArtifactLimits, ArtifactStatus
from sheriff.app.ports import LogStatus
from sheriff.testing.fakegithub import FakeGitHub, JobSeed, RunAttemptSeed
from tests.adapters.github.conftest import CIDIFF, PYTORCH, MakeForge

EXPIRED_JOB = 86_000_000_001  # seeded with logs_expired
PYTEST_JOB = 90_739_920_874
FLAKY_RUN = 1_500_000_200  # has a test-results artifact with a JUnit XML
BIG_JOB = 99_000_000_777


def test_a_log_is_streamed_to_disk_through_the_redirect(make_forge: MakeForge, tmp_path: Path):
    log = make_forge().download_job_log(PYTEST_JOB, tmp_path / "logs" / "job.txt")
    assert log.status is LogStatus.FETCHED
    assert log.path is not None
    text = Path(log.path).read_bytes()
    assert log.size == len(text) > 1000
    assert list((tmp_path / "logs").iterdir()) == [tmp_path / "logs" / "job.txt"]


def test_an_expired_log_is_a_value_not_an_error(
    fake: FakeGitHub, make_forge: MakeForge, tmp_path: Path
):
    forge = make_forge()
    seeded = forge.download_job_log(EXPIRED_JOB, tmp_path / "a.txt")
    fake.expire_logs(PYTORCH, PYTEST_JOB)
    expired_later = forge.download_job_log(PYTEST_JOB, tmp_path / "b.txt")
    fake.fail_next(r"/actions/jobs/\d+/logs$", status=404)
    missing = forge.download_job_log(90_693_594_831, tmp_path / "c.txt")
    for log in (seeded, expired_later, missing):
        assert log.status is LogStatus.EXPIRED
        assert log.path is None
    assert "410" in (seeded.detail or "")
    assert "404" in (missing.detail or "")
    assert list(tmp_path.iterdir()) == []


def test_a_log_download_survives_a_503(fake: FakeGitHub, make_forge: MakeForge, tmp_path: Path):
    fake.fail_next(r"/actions/jobs/\d+/logs$", status=503, count=2)
    log = make_forge().download_job_log(PYTEST_JOB, tmp_path / "job.txt")
    assert log.status is LogStatus.FETCHED


def test_a_log_download_that_keeps_failing_is_an_error_value(
    fake: FakeGitHub, make_forge: MakeForge, tmp_path: Path
):
    fake.fail_next(r"/actions/jobs/\d+/logs$", status=500, count=None)
    log = make_forge().download_job_log(PYTEST_JOB, tmp_path / "job.txt")
    assert log.status is LogStatus.ERROR
    assert "500" in (log.detail or "")


def a_run_with_a_big_log(fake: FakeGitHub, source: Path, size: int) -> None:
    line = b"2026-08-01T00:00:00.0000000Z " + b"x" * 90 + b"\n"
    source.write_bytes(line * (size // len(line)))
    job = JobSeed(BIG_JOB, "big", "failure", "Linux", source)
    fake.add_run_attempt(
        RunAttemptSeed(
            repo=PYTORCH,
            workflow="trunk",
            run_id=31_000_000_777,
            run_attempt=1,
            head_sha="e" * 40,
            head_branch="main",
            event="push",
            conclusion="failure",
            created_at=datetime(2026, 8, 1, tzinfo=UTC),
            pull_requests=(),
            jobs=(job,),
        )
    )


def test_a_big_log_streams_with_bounded_memory(
    fake: FakeGitHub, make_forge: MakeForge, tmp_path: Path
):
    source = tmp_path / "big.log"
    a_run_with_a_big_log(fake, source, 24 * 1024 * 1024)
    forge = make_forge(log_chunk_bytes=256 * 1024)
    forge.get_repository()  # the client exists before measuring
    tracemalloc.start()
    try:
        log = forge.download_job_log(BIG_JOB, tmp_path / "out.log")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert log.size == source.stat().st_size
    assert peak < 4 * 1024 * 1024, f"peak {peak} bytes for a {log.size}-byte log"


def test_junit_reports_come_out_of_matching_artifacts(make_forge: MakeForge, tmp_path: Path):
    forge = make_forge(CIDIFF)
    (artifact,) = forge.list_artifacts(FLAKY_RUN)
    assert artifact.name == "test-results"
    (files,) = forge.fetch_test_reports(FLAKY_RUN, "test-*", tmp_path)
    assert files.status is ArtifactStatus.FETCHED
    (report,) = files.paths
    assert report.name == "TEST-com.example.shop.CartTest.xml"
    assert b"<testsuite" in report.read_bytes()
    assert forge.fetch_test_reports(FLAKY_RUN, "coverage-*", tmp_path) == []


def test_artifact_caps_refuse_what_is_too_big(make_forge: MakeForge, tmp_path: Path):
    forge = make_forge(CIDIFF)
    (artifact,) = forge.list_artifacts(FLAKY_RUN)
    few_entries = forge.download_artifact_files(artifact, tmp_path, ArtifactLimits(max_entries=0))
    small_zip = forge.download_artifact_files(artifact, tmp_path, ArtifactLimits(max_zip_bytes=10))
    small_unzipped = forge.download_artifact_files(
        artifact, tmp_path, ArtifactLimits(max_unzipped_bytes=100)
    )
    for files in (few_entries, small_zip, small_unzipped):
        assert files.status is ArtifactStatus.TOO_LARGE
        assert files.paths == ()


def test_a_zip_bomb_that_lies_about_its_size_is_refused(tmp_path: Path):
    """zipfile reads no more than the declared size, so the lie shows as a bad CRC."""
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("report.xml", b"\0" * (8 * 1024 * 1024))
    patched = archive.read_bytes().replace(
        (8 * 1024 * 1024).to_bytes(4, "little"), (10).to_bytes(4, "little")
    )
    archive.write_bytes(patched)  # both headers now declare 10 bytes
    with pytest.raises(UnsafeArchive) as raised:
        unpack_members(archive, tmp_path / "out", ArtifactLimits(max_unzipped_bytes=1024 * 1024))
    assert raised.value.status is ArtifactStatus.INVALID
    assert not (tmp_path / "out" / "report.xml").exists()


def test_unsafe_member_paths_and_garbage_are_invalid(
    fake: FakeGitHub, make_forge: MakeForge, tmp_path: Path
):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr("../../escape.xml", b"<testsuite/>")
    forge = make_forge(CIDIFF)
    (artifact,) = forge.list_artifacts(FLAKY_RUN)
    fake.run(CIDIFF, FLAKY_RUN).artifacts[0].content = buffer.getvalue()
    escaping = forge.download_artifact_files(artifact, tmp_path / "a")
    fake.run(CIDIFF, FLAKY_RUN).artifacts[0].content = b"not a zip"
    garbage = forge.download_artifact_files(artifact, tmp_path / "b")
    assert (escaping.status, garbage.status) == (ArtifactStatus.INVALID, ArtifactStatus.INVALID)
    assert not (tmp_path / "escape.xml").exists()
    assert not list((tmp_path / "b").rglob("*.zip"))
