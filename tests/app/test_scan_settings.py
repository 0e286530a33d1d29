"""Scan settings: environment, flags and the repository's ``.github/sheriff.yml``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sheriff.app.ports import CaseState
from sheriff.config import load_settings
from sheriff.core.model import FailureType
from sheriff.entry.scan_command import Loop, parse_interval, render_report
from sheriff.errors import (
    ConfigError,
    GitHubUnavailableError,
    InputError,
    SheriffError,
    StoreUnavailableError,
)
from tests.app.scan_world import (
    FLAKY_SEED_RUNS,
    TEST_NAME,
    World,
    attempt_line,
    github_forge,
    running_world,
    write_seed,
)


def test_github_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHERIFF_GITHUB_API_URL", "http://127.0.0.1:9/api/v3")
    monkeypatch.setenv("SHERIFF_GITHUB_TOKEN", "read-secret")
    monkeypatch.setenv("SHERIFF_GITHUB_WRITE_TOKEN", "write-secret")
    monkeypatch.setenv("SHERIFF_DB_URL", "sqlite:///x.db")
    settings = load_settings()
    assert settings.github_api_url == "http://127.0.0.1:9/api/v3"
    assert settings.github_token is not None
    assert settings.github_token.get_secret_value() == "read-secret"
    assert "write-secret" not in repr(settings)
    assert settings.db_url == "sqlite:///x.db"


def test_defaults_point_at_github() -> None:
    settings = load_settings()
    assert settings.github_api_url == "https://api.github.com"
    assert settings.repo_issue_kinds == "default"
    assert settings.label_prefix == "sheriff/"


def test_flags_override_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHERIFF_DB_URL", "sqlite:///env.db")
    assert load_settings(db_url="sqlite:///flag.db").db_url == "sqlite:///flag.db"


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("all", "all"),
        ("test,infra", frozenset({FailureType.TEST, FailureType.INFRASTRUCTURE})),
        ("Build", frozenset({FailureType.BUILD})),
    ],
)
def test_issue_kinds_are_read(text: str, kinds: object) -> None:
    assert load_settings(issue_kinds=text).repo_issue_kinds == kinds


@pytest.mark.parametrize("field", [{"issue_kinds": "flaky-ish"}, {"write_repo": "no-slash"}])
def test_invalid_settings_say_what_to_fix(field: dict[str, str]) -> None:
    with pytest.raises(ConfigError, match=next(iter(field))):
        load_settings(**field)


@pytest.mark.parametrize(
    ("text", "seconds"), [("72h", 259200), ("30m", 1800), ("2d", 172800), ("90", 90)]
)
def test_intervals(text: str, seconds: int) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["soon", "10s", "-1h"])
def test_bad_intervals(text: str) -> None:
    with pytest.raises(InputError):
        parse_interval(text)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    seed = write_seed(tmp_path / "seed", FLAKY_SEED_RUNS)
    yield from running_world(seed, tmp_path / "data", github_forge)


def _with_config(world: World, text: str) -> None:
    """Commit ``.github/sheriff.yml`` to the fake repository's default branch."""
    world.fake.put_file("acme/app", ".github/sheriff.yml", text)


def test_an_invalid_repo_config_is_reported_and_the_scan_goes_on(world: World) -> None:
    _with_config(world, "issue_kinds: [flaky-ish]\nlabel_prefix: bot/\nbranchez: [main]\n")
    report = world.scan()
    problems = [problem.describe() for problem in report.config_problems]
    assert any("issue_kinds" in text for text in problems)
    assert any("branchez" in text and "branches" in text for text in problems)
    assert report.runs_recorded == 2
    labels = {label for issue in world.fake.issues("acme/app") for label in issue.labels}
    assert "bot/managed" in labels  # the valid key was kept
    assert "issue_kinds" in render_report(report, dry_run=False)


def test_a_repo_can_turn_sheriff_off(world: World) -> None:
    _with_config(world, "enabled: false\n")
    report = world.scan()
    assert report.runs_recorded == 0
    assert world.writes() == []


def test_every_github_change_is_in_the_audit_log(world: World) -> None:
    world.scan()
    audited = [entry.event for entry in world.store.audit_log("acme/app")]
    creates = [event for event in audited if event.action == "issue.create"]
    posts = [item for item in world.fake.requests if item.operation == "issues/create"]
    assert len(creates) == len(posts) > 0
    assert all(event.details["issue_repo"] == "acme/app" for event in creates)
    opened = {event.fingerprint for event in audited if event.action == "case.issue_open"}
    assert opened == {event.fingerprint for event in creates}
    for fingerprint in opened:
        case = world.store.get_case("acme/app", fingerprint or "")
        assert case is not None
        assert case.state is CaseState.ISSUE_OPEN


def test_junit_artifacts_are_triaged_when_configured(tmp_path: Path) -> None:
    run = attempt_line(301)
    run["artifacts"] = [{"name": "test-results", "path": "artifacts/test-results"}]
    seed = write_seed(tmp_path / "seed", [run])
    for world in running_world(seed, tmp_path / "data", github_forge):
        _with_config(world, "artifact_globs: [test-*]\nissue_kinds: all\n")
        report = world.scan()
        tests = {item.case.test.name for item in report.issues if item.case.test}
        assert {"tenPercentCoupon", "unknownCouponIsIgnored"} <= tests
        assert TEST_NAME in tests  # the log's own failure is still there
        assert not list((tmp_path / "data" / "artifacts").rglob("*.xml"))  # cleaned up


@pytest.mark.parametrize(
    "outage",
    [
        GitHubUnavailableError("GitHub answered 502", hint="try later"),
        StoreUnavailableError("cannot use the database: server closed the connection"),
    ],
    ids=["github", "database"],
)
def test_an_interval_loop_survives_an_outage(outage: SheriffError) -> None:
    calls: list[str] = []
    pauses: list[float] = []

    def scan_once() -> None:
        calls.append("scan")
        if len(calls) == 1:
            raise outage

    def sleep(seconds: float) -> None:
        pauses.append(seconds)
        if len(pauses) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        Loop(3600, sleep).run(scan_once)
    assert calls == ["scan", "scan"]
    assert pauses == [3600, 3600]


def test_a_single_scan_does_not_sleep() -> None:
    calls: list[str] = []
    Loop(None, lambda _seconds: pytest.fail("slept")).run(lambda: calls.append("scan"))
    assert calls == ["scan"]
