"""The scan use case over real HTTP against the fake GitHub, seeded with real CI logs."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from sheriff.adapters.store import Store
from sheriff.app.ports import IssueLink, LogStatus
from sheriff.core.issues import IssueAction
from sheriff.errors import GitHubError
from tests.app.scan_world import (
    FLAKY_SEED_RUNS,
    FORGES,
    REPO,
    TEST_NAME,
    ForgeFactory,
    World,
    attempt_line,
    new_attempt,
    running_world,
    write_seed,
)

FLAKY_RUNS = FLAKY_SEED_RUNS


@pytest.fixture(params=sorted(FORGES))
def make_forge(request: pytest.FixtureRequest) -> ForgeFactory:
    """Sheriff's GitHub adapter, and a minimal httpx client as a second opinion."""
    return FORGES[request.param]


@pytest.fixture
def world(tmp_path: Path, make_forge: ForgeFactory) -> Iterator[World]:
    seed = write_seed(tmp_path / "seed", FLAKY_RUNS)
    yield from running_world(seed, tmp_path / "data", make_forge)


def test_two_scans_keep_one_issue_per_fingerprint_and_no_duplicate_comments(world: World) -> None:
    first = world.scan()
    assert first.runs_recorded == 2
    assert first.attempts_recorded == 3
    created = [item for item in first.issues if item.plan.action is IssueAction.CREATE]
    assert created, [item.description for item in first.issues]
    assert any(TEST_NAME in (item.plan.title or "") for item in created)
    world.fake.add_run_attempt(new_attempt(103))
    second = world.scan()
    assert second.runs_recorded == 1
    assert not [item for item in second.issues if item.plan.action is IssueAction.CREATE]
    third = world.scan()
    assert third.runs_recorded == 0
    by_fingerprint = world.issues_by_fingerprint()
    assert by_fingerprint
    assert all(len(numbers) == 1 for numbers in by_fingerprint.values()), by_fingerprint
    for numbers in by_fingerprint.values():
        bodies = Counter(comment.body for comment in world.fake.comments(REPO, numbers[0]))
        assert all(count == 1 for count in bodies.values())


def test_flaky_rerun_is_filed_with_the_flaky_verdict(world: World) -> None:
    report = world.scan()
    titles = [item.plan.title or "" for item in report.issues if item.plan.title]
    assert any(title.startswith("[flaky]") and TEST_NAME in title for title in titles)


def test_human_edit_and_human_label_survive_an_update(world: World) -> None:
    world.scan()
    number = _issue_about_the_test(world)
    issue = world.fake.issue(REPO, number)
    edited = (issue.body or "") + "\n\nA maintainer's note: seen on arm64 too."
    world.fake.act_on_issue(
        REPO, number, "maintainer-alice", body=edited, labels=[*issue.labels, "P1"]
    )
    world.fake.add_run_attempt(new_attempt(104))
    report = world.scan()
    assert any(item.plan.issue_number == number for item in report.issues)
    after = world.fake.issue(REPO, number)
    assert "A maintainer's note: seen on arm64 too." in (after.body or "")
    assert "P1" in after.labels
    assert after.body != edited  # the managed blocks were refreshed (new occurrence)


def test_a_human_filed_issue_for_the_same_test_is_reused(
    tmp_path: Path, make_forge: ForgeFactory
) -> None:
    human = {
        "repo": REPO,
        "number": 7,
        "title": f"ConsoleClientTest.{TEST_NAME} is flaky on main",
        "body": "It fails now and then.",
        "labels": ["bug"],
        "user": "maintainer-alice",
    }
    seed = write_seed(tmp_path / "seed", FLAKY_RUNS, [human])
    for world in running_world(seed, tmp_path / "data", make_forge):
        report = world.scan()
        attached = [item for item in report.issues if item.plan.action is IssueAction.ATTACH]
        assert [item.plan.issue_number for item in attached] == [7]
        titles = [issue.title for issue in world.fake.issues(REPO)]
        assert sum(TEST_NAME in title for title in titles) == 1
        assert world.fake.issue(REPO, 7).body == "It fails now and then."
        world.fake.add_run_attempt(new_attempt(105))
        world.scan()
        comments = world.fake.comments(REPO, 7)
        assert len(comments) == 1  # the managed comment, edited in place


@pytest.mark.parametrize(("reason", "reopened"), [("completed", True), ("not_planned", False)])
def test_a_recurrence_reopens_a_fixed_issue_but_not_one_closed_as_not_planned(
    world: World, reason: str, reopened: bool
) -> None:
    world.scan()
    number = _issue_about_the_test(world)
    world.fake.act_on_issue(REPO, number, "maintainer-alice", state="closed", state_reason=reason)
    after_closing = datetime.now(UTC) + timedelta(minutes=5)  # the fake closes it at "now"
    world.fake.add_run_attempt(new_attempt(106, created_at=after_closing))
    report = world.scan()
    state = world.fake.issue(REPO, number).state
    assert state == ("open" if reopened else "closed")
    actions = {item.plan.action for item in report.issues if item.plan.issue_number == number}
    assert actions == ({IssueAction.REOPEN} if reopened else {IssueAction.IGNORED})
    assert len(world.issues_by_fingerprint()) == len(set(world.issues_by_fingerprint()))


def test_server_errors_and_rate_limits_are_retried_and_expired_logs_recorded(
    tmp_path: Path, make_forge: ForgeFactory
) -> None:
    runs = [*FLAKY_RUNS, attempt_line(107, expired=True)]
    seed = write_seed(tmp_path / "seed", runs)
    for world in running_world(seed, tmp_path / "data", make_forge):
        world.fake.fail_next(r"/actions/jobs/\d+/logs$", status=503, count=2)
        world.fake.fail_next(r"/actions/runs$", status=502, count=1)
        world.fake.fail_next(r"/issues$", status=403, count=1, method="POST", retry_after=1)
        report = world.scan()
        assert report.runs_recorded == 3
        assert report.logs_expired == 1
        assert world.store.job_log_status(REPO, 1071) is LogStatus.EXPIRED
        assert world.issues_by_fingerprint()


class _StopAfterLinks:
    """A store that fails (like a killed process) on the ``allowed + 1``-th issue link."""

    def __init__(self, store: Store, allowed: int) -> None:
        self._store, self._allowed = store, allowed

    def link_issue(self, repo: str, fingerprint: str, link: IssueLink) -> None:
        if self._allowed == 0:
            raise KeyboardInterrupt
        self._allowed -= 1
        self._store.link_issue(repo, fingerprint, link)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


@pytest.mark.parametrize("allowed", [0, 1])
def test_a_scan_killed_before_storing_a_link_restarts_without_duplicates(
    world: World, allowed: int
) -> None:
    with pytest.raises(KeyboardInterrupt):
        world.scan(store=_StopAfterLinks(world.store, allowed))  # type: ignore[arg-type]
    world.scan()
    world.scan()
    assert all(len(numbers) == 1 for numbers in world.issues_by_fingerprint().values())
    fingerprints = list(world.issues_by_fingerprint())
    runs = {row.run_id for row in world.store.occurrences_of(REPO, fingerprints[0])}
    assert runs == {101, 102}


def test_a_scan_cut_off_by_github_restarts_without_losing_runs(world: World) -> None:
    world.fake.fail_next(r"/issues/\d+$", status=500, count=None, method="PATCH")
    with pytest.raises(GitHubError):
        world.scan()
    world.fake.clear_faults()
    world.fake.add_run_attempt(new_attempt(108))
    world.scan()
    by_fingerprint = world.issues_by_fingerprint()
    assert all(len(numbers) == 1 for numbers in by_fingerprint.values())
    test_fingerprint = _fingerprint_of_the_test(world)
    runs = {row.run_id for row in world.store.occurrences_of(REPO, test_fingerprint)}
    assert runs == {101, 102, 108}


def test_dry_run_writes_nothing_to_github(world: World) -> None:
    report = world.scan(dry_run=True)
    assert world.writes() == []
    planned = [item for item in report.issues if item.plan.action is IssueAction.CREATE]
    assert planned
    assert all("confidence" in item.description for item in planned)
    assert all(item.plan.fingerprint in item.description for item in planned)
    real = world.scan()  # the dry run left the cursor where it was
    created = [
        item.plan.fingerprint for item in real.issues if item.plan.action is IssueAction.CREATE
    ]
    assert len(created) == len(set(created))
    assert set(created) == {item.plan.fingerprint for item in planned}


def test_pull_request_runs_are_recorded_but_open_no_issue(
    tmp_path: Path, make_forge: ForgeFactory
) -> None:
    runs = [attempt_line(201, 1, branch="feature", event="pull_request"),
            attempt_line(202, 1, branch="feature", event="pull_request")]  # fmt: skip
    seed = write_seed(tmp_path / "seed", runs)
    for world in running_world(seed, tmp_path / "data", make_forge):
        report = world.scan()
        assert report.runs_recorded == 2
        assert world.writes() == []
        assert {item.plan.action for item in report.issues} == {IssueAction.NOT_FILED}


def test_issues_go_to_the_write_repository(tmp_path: Path, make_forge: ForgeFactory) -> None:
    seed = write_seed(tmp_path / "seed", FLAKY_RUNS)
    for world in running_world(seed, tmp_path / "data", make_forge):
        world.fake.add_repo("acme/app-trial")
        world.scan(write_repo="acme/app-trial")
        assert world.issues_by_fingerprint("acme/app-trial")
        assert world.issues_by_fingerprint(REPO) == {}


def _issue_about_the_test(world: World) -> int:
    return next(issue.number for issue in world.fake.issues(REPO) if TEST_NAME in issue.title)


def _fingerprint_of_the_test(world: World) -> str:
    number = _issue_about_the_test(world)
    return next(fp for fp, numbers in world.issues_by_fingerprint().items() if number in numbers)


@pytest.mark.parametrize("budget", [4, 6])
def test_a_spent_rate_limit_stops_the_scan_cleanly_and_the_next_one_catches_up(
    world: World, budget: int
) -> None:
    world.fake.set_rate_limit(budget)
    with pytest.raises(GitHubError):
        world.scan()
    world.fake.set_rate_limit(5000)
    world.scan()
    assert all(len(numbers) == 1 for numbers in world.issues_by_fingerprint().values())
    runs = {row.run_id for row in world.store.occurrences_of(REPO, _fingerprint_of_the_test(world))}
    assert runs == {101, 102}
