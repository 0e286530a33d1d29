"""``sheriff scan`` and ``sheriff db upgrade`` end to end: the real CLI, the GitHub adapter,
a SQLite store and the fake GitHub seeded with real CI logs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sheriff.entry.cli import app
from sheriff.testing.fakegithub import FakeGitHub
from tests.app.scan_world import FLAKY_SEED_RUNS, REPO, TEST_NAME, write_seed

runner = CliRunner()


@pytest.fixture
def fake(tmp_path: Path) -> Iterator[FakeGitHub]:
    seed = write_seed(tmp_path / "seed", FLAKY_SEED_RUNS)
    with FakeGitHub.running(seed, tokens={"good-token": "sheriff-bot"}) as server:
        yield server


def _env(fake: FakeGitHub, tmp_path: Path, token: str = "good-token") -> dict[str, str]:
    return {
        "SHERIFF_GITHUB_API_URL": fake.url,
        "SHERIFF_GITHUB_TOKEN": token,
        "SHERIFF_DB_URL": f"sqlite:///{tmp_path / 'sheriff.db'}",
        "SHERIFF_DATA_DIR": str(tmp_path / "data"),
    }


def test_dry_run_prints_planned_issues_and_writes_nothing_to_github(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["scan", "--repo", REPO, "--dry-run"], env=_env(fake, tmp_path))
    assert result.exit_code == 0, result.output
    assert "would create" in result.stdout
    assert TEST_NAME in result.stdout
    assert "confidence" in result.stdout
    assert [item for item in fake.requests if item.method != "GET"] == []


def test_two_scans_open_each_issue_once(fake: FakeGitHub, tmp_path: Path) -> None:
    env = _env(fake, tmp_path)
    first = runner.invoke(app, ["scan", "--repo", REPO, "--once"], env=env)
    assert first.exit_code == 0, first.output
    opened = len(fake.issues(REPO))
    assert opened >= 1
    assert "create" in first.stdout
    second = runner.invoke(app, ["scan", "--repo", REPO], env=env)
    assert second.exit_code == 0, second.output
    assert len(fake.issues(REPO)) == opened
    assert f"{REPO}: 0 runs" in second.stdout


def test_issue_kinds_decides_what_is_filed(fake: FakeGitHub, tmp_path: Path) -> None:
    env = _env(fake, tmp_path)
    default = runner.invoke(app, ["scan", "--repo", REPO, "--dry-run"], env=env)
    env["SHERIFF_DB_URL"] = f"sqlite:///{tmp_path / 'other.db'}"
    builds_only = runner.invoke(
        app, ["scan", "--repo", REPO, "--dry-run", "--issue-kinds", "build_failure"], env=env
    )
    env["SHERIFF_DB_URL"] = f"sqlite:///{tmp_path / 'third.db'}"
    everything = runner.invoke(
        app, ["scan", "--repo", REPO, "--dry-run", "--issue-kinds", "all"], env=env
    )
    assert builds_only.exit_code == 0, builds_only.output
    assert default.stdout.count("would create") == 1  # the flaky test
    assert builds_only.stdout.count("would create") == 0  # no build failure here
    assert everything.stdout.count("would create") == 1


def test_a_rejected_token_is_one_line_with_what_to_do(tmp_path: Path) -> None:
    write_seed(tmp_path / "seed", FLAKY_SEED_RUNS)
    with FakeGitHub.running(tmp_path / "seed", require_auth=True) as strict:
        env = _env(strict, tmp_path, token="wrong")
        result = runner.invoke(app, ["scan", "--repo", REPO], env=env)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("sheriff: ")


@pytest.mark.parametrize(
    "arguments",
    [
        ["scan", "--repo", "not-a-repo"],
        ["scan", "--repo", REPO, "--interval", "soon"],
        ["scan", "--repo", REPO, "--once", "--interval", "1h"],
        ["scan", "--repo", REPO, "--issue-kinds", "nonsense"],
        ["scan", "--repo", REPO, "--write-repo", "nope"],
    ],
)
def test_invalid_flags_exit_2_with_one_line(arguments: list[str], tmp_path: Path) -> None:
    env = {"SHERIFF_DB_URL": f"sqlite:///{tmp_path / 'sheriff.db'}"}
    result = runner.invoke(app, arguments, env=env)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("sheriff: ")


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    result = runner.invoke(app, ["db", "upgrade", "--db", url])
    assert result.exit_code == 0, result.output
    assert "schema is current" in result.stdout
    again = runner.invoke(app, ["db", "upgrade", "--db", url])
    assert again.exit_code == 0, again.output


def test_an_unreachable_database_is_one_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'missing' / 'folder' / 'x.db'}"
    result = runner.invoke(app, ["db", "upgrade", "--db", url])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("sheriff: ")


def test_demo_scan_runs_offline_and_lists_the_issues_it_opened(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("SHERIFF_GITHUB_TOKEN", "SHERIFF_GITHUB_API_URL", "SHERIFF_DB_URL"):
        monkeypatch.delenv(name, raising=False)
    result = runner.invoke(app, ["demo", "--scan"])
    assert result.exit_code == 0, result.output
    assert "labri-progress/cidiff: 4 runs" in result.stdout
    assert (
        "[flaky] testClassicParsing (org.github.gumtreediff.cidiff.ConsoleClientTest)"
        in result.stdout
    )
