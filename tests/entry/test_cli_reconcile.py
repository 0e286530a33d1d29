"""``sheriff scan`` (which reconciles after it), ``sheriff reconcile`` and ``sheriff case
show`` end to end: the real CLI, the GitHub adapter, a SQLite store, real git mirrors and
the fake GitHub with a real repository holding a flaky test."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sheriff.entry.cli import app
from sheriff.testing.fakegithub import FakeGitHub
from sheriff.testing.flaky_project import seed_flaky_repository, shop_test_command
from tests.app.lifecycle_world import flaky_log

REPO = "acme/shop"
HOURS_AGO = timedelta(hours=3)  # CI ran before Sheriff looks
runner = CliRunner()


@pytest.fixture
def fake(tmp_path: Path) -> Iterator[FakeGitHub]:
    with FakeGitHub.running(tokens={"good-token": "sheriff-bot"}) as server:
        seed_flaky_repository(server, REPO, flaky_log(), tmp_path, at=datetime.now(UTC) - HOURS_AGO)
        server.set_permission(REPO, "ada", "admin")
        yield server


def _env(fake: FakeGitHub, tmp_path: Path) -> dict[str, str]:
    return {
        "SHERIFF_GITHUB_API_URL": fake.url,
        "SHERIFF_GITHUB_TOKEN": "good-token",
        "SHERIFF_DB_URL": f"sqlite:///{tmp_path / 'sheriff.db'}",
        "SHERIFF_DATA_DIR": str(tmp_path / "data"),
        "SHERIFF_TEST_COMMAND": shop_test_command(),
        "SHERIFF_VERIFY_RUNS": "1",
    }


def test_scan_reconciles_then_reconcile_opens_the_approved_fix(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    env = _env(fake, tmp_path)
    scanned = runner.invoke(app, ["scan", "--repo", REPO], env=env)
    assert scanned.exit_code == 0, scanned.output
    assert "did analysis on #1: post" in scanned.stdout
    fake.comment_as(REPO, 1, "ada", "/ai-fix")

    planned = runner.invoke(app, ["reconcile", "--repo", REPO, "--dry-run"], env=env)
    assert planned.exit_code == 0, planned.output
    assert "would WAITING_FOR_SIGNAL -> APPROVED_TO_FIX" in planned.stdout
    assert "would start a quarantine fix" in planned.stdout
    assert fake.pulls(REPO) == []

    done = runner.invoke(app, ["reconcile", "--repo", REPO, "--once"], env=env)
    assert done.exit_code == 0, done.output
    assert "(WAITING_FOR_SIGNAL -> PR_OPEN)" in done.stdout
    assert [pull.number for pull in fake.pulls(REPO)] == [2]

    again = runner.invoke(app, ["reconcile", "--repo", REPO], env=env)
    assert again.stdout == f"{REPO}: 0 case(s) with something to do\n"

    branch = fake.pulls(REPO)[0].head_ref
    fingerprint_prefix = branch.removeprefix("sheriff/fix-")
    shown = runner.invoke(app, ["case", "show", fingerprint_prefix, "--repo", REPO], env=env)
    assert shown.exit_code == 0, shown.output
    assert "state:      PR_OPEN" in shown.stdout
    assert "fix:        pull request #2" in shown.stdout
    assert "WAITING_FOR_SIGNAL -> APPROVED_TO_FIX @ada (admin) approved a fix" in shown.stdout


def test_bad_input_is_one_line_and_exit_2(fake: FakeGitHub, tmp_path: Path) -> None:
    env = _env(fake, tmp_path)
    cases = [
        (["reconcile", "--repo", "not-a-repo"], "is not OWNER/NAME"),
        (["reconcile", "--repo", REPO, "--once", "--interval", "1h"], "exclude each other"),
        (["case", "show", "0123456789abcdef", "--repo", REPO], "no case has fingerprint"),
        (["case", "show", "abc"], "too short"),
    ]
    for arguments, message in cases:
        result = runner.invoke(app, arguments, env=env)
        assert result.exit_code == 2, (arguments, result.output)
        assert message in result.stderr
        assert result.stderr.count("\n") == 1
