"""Retries on 5xx and network errors, rate limits waited out or reported; nothing sleeps
for real (the recorded sleep stands in)."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta

import pytest

from sheriff.adapters.github import (
    GitHubForge,
    GitHubSettings,
    Retrier,
    RetryPolicy,
    TokenCredentials,
    WaitNotice,
)
from sheriff.app.forge import RunQuery
from sheriff.errors import GitHubUnavailableError, RateLimitedError
from sheriff.testing.fakegithub import FakeGitHub
from tests.adapters.github.conftest import PYTORCH, MakeForge, RecordedSleep

RUNS_PATH = r"/actions/runs$"
RUNS = "actions/list-workflow-runs-for-repo"


def test_502_and_503_are_retried_with_growing_jittered_delays(
    fake: FakeGitHub, make_forge: MakeForge, sleep: RecordedSleep
):
    fake.fail_next(RUNS_PATH, status=502, count=1)
    fake.fail_next(RUNS_PATH, status=503, count=2)
    listing = make_forge().list_workflow_runs(RunQuery())
    assert listing.items
    assert fake.request_count(RUNS, status=502) == 1
    assert fake.request_count(RUNS, status=503) == 2
    assert fake.request_count(RUNS, status=200) == 1
    assert sleep.pauses == [0.75, 1.5, 3.0]  # 1, 2, 4 s, jittered to 75%


def test_5xx_that_never_ends_gives_up_after_the_bounded_retries(
    fake: FakeGitHub, make_forge: MakeForge, sleep: RecordedSleep
):
    fake.fail_next(RUNS_PATH, status=503, count=None)
    with pytest.raises(GitHubUnavailableError) as raised:
        make_forge().list_workflow_runs(RunQuery())
    assert fake.request_count(RUNS) == 6  # 1 + 5 retries
    assert len(sleep.pauses) == 5
    assert "503" in str(raised.value)
    assert raised.value.hint


def test_creating_an_issue_is_not_repeated_after_a_5xx(
    fake: FakeGitHub, make_forge: MakeForge, sleep: RecordedSleep
):
    """GitHub may have created it anyway: a retry could file a duplicate."""
    fake.fail_next(r"/issues$", status=502, method="POST")
    with pytest.raises(GitHubUnavailableError):
        make_forge().create_issue("[flaky] test_x", "body")
    assert fake.request_count("issues/create") == 1
    assert sleep.pauses == []


def test_a_secondary_rate_limit_waits_as_retry_after_says(
    fake: FakeGitHub, make_forge: MakeForge, sleep: RecordedSleep
):
    fake.fail_next(RUNS_PATH, status=403, retry_after=7)
    fake.fail_next(r"/issues$", status=429, retry_after=3, method="POST")
    forge = make_forge()
    assert forge.list_workflow_runs(RunQuery()).items
    assert forge.create_issue("[flaky] test_x", "body").number > 0  # refused, so safe to resend
    assert sleep.pauses == [7.0, 3.0]


def test_a_secondary_limit_longer_than_the_patience_is_reported(
    fake: FakeGitHub, make_forge: MakeForge, sleep: RecordedSleep
):
    fake.fail_next(RUNS_PATH, status=403, retry_after=3600)
    with pytest.raises(RateLimitedError) as raised:
        make_forge().list_workflow_runs(RunQuery())
    assert raised.value.secondary
    assert sleep.pauses == []
    assert "secondary rate limit" in str(raised.value)


def test_a_spent_primary_budget_far_from_reset_is_a_clear_error(
    fake: FakeGitHub, make_forge: MakeForge, sleep: RecordedSleep
):
    fake.set_rate_limit(0)
    with pytest.raises(RateLimitedError) as raised:
        make_forge().list_workflow_runs(RunQuery())
    error = raised.value
    assert not error.secondary
    assert error.resource == "core"
    assert error.reset_at is not None
    assert error.reset_at > datetime.now(UTC) + timedelta(minutes=50)
    assert f"{error.reset_at:%H:%M}" in error.message
    assert "wait" in error.hint
    assert sleep.pauses == []
    assert fake.request_count(RUNS) == 1


def test_a_spent_primary_budget_is_waited_out_when_the_reset_is_near(
    fake: FakeGitHub, make_forge: MakeForge, sleep: RecordedSleep
):
    fake.set_rate_limit(0)
    sleep.hook = lambda seconds: fake.set_rate_limit(5000)  # the window resets meanwhile
    patient = RetryPolicy(max_rate_limit_wait=2 * 3600)
    assert make_forge(policy=patient).list_workflow_runs(RunQuery()).items
    (pause,) = sleep.pauses
    assert 3000 < pause <= 3601  # until x-ratelimit-reset, plus a second


def test_network_errors_are_retried_then_reported(sleep: RecordedSleep):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    notices: list[WaitNotice] = []
    retrier = Retrier(
        RetryPolicy(max_retries=3), sleep=sleep, jitter=lambda: 0.0, on_wait=notices.append
    )
    settings = GitHubSettings(
        PYTORCH, api_url=f"http://127.0.0.1:{port}", read_credentials=TokenCredentials("t")
    )
    with GitHubForge(settings, retrier=retrier) as forge, pytest.raises(GitHubUnavailableError):
        forge.get_repository()
    assert sleep.pauses == [0.5, 1.0, 2.0]
    assert [notice.retry for notice in notices] == [1, 2, 3]
    assert notices[0].reason == "network error (ConnectError)"
