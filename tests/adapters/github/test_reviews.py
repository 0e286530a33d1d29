"""Reviews, review comments, replies, issue events and check runs through the Forge."""

from __future__ import annotations

import httpx
import pytest

from sheriff.adapters.github import GitHubForge, TokenCredentials
from sheriff.app.forge_pulls import CheckRunReport
from sheriff.errors import GitHubPermissionError
from sheriff.testing.fakegithub import FakeGitHub
from tests.adapters.github.conftest import (
    FIX_BRANCH,
    GIT_REPO,
    WRITE_TOKEN,
    MakeForge,
    open_draft,
)

REPO, BRANCH = GIT_REPO, FIX_BRANCH
APP_TOKEN = "app-token"


def test_reviews_and_review_comments_with_their_authors(fake: FakeGitHub, git_forge: GitHubForge):
    number = open_draft(git_forge)
    reviewed = fake.pull(REPO, number).head_sha
    fake.review_as(REPO, number, "maintainer-alice", "CHANGES_REQUESTED", "Skip is too broad")
    top = fake.review_comment_as(
        REPO,
        number,
        "maintainer-alice",
        "Mark it flaky instead",
        path="tests/test_clock.py",
        line=6,
    )
    fake.review_comment_as(REPO, number, "renovate[bot]", "bump", reply_to=top.id)
    (review, *_) = git_forge.list_reviews(number)
    assert (review.state, review.author, review.author_is_bot, review.commit_id) == (
        "CHANGES_REQUESTED",
        "maintainer-alice",
        False,
        reviewed,
    )
    assert review.body == "Skip is too broad"
    assert review.submitted_at is not None
    comments = git_forge.list_review_comments(number)
    assert [(c.author, c.author_is_bot, c.in_reply_to) for c in comments] == [
        ("maintainer-alice", False, None),
        ("renovate[bot]", True, top.id),
    ]
    assert (comments[0].path, comments[0].line, comments[0].commit_id) == (
        "tests/test_clock.py",
        6,
        reviewed,
    )
    answer = git_forge.reply_to_review_comment(
        number, comments[1].comment_id, "Done in the next push"
    )
    assert (answer.in_reply_to, answer.thread_id, answer.author) == (top.id, top.id, "writer-bot")
    assert [c.comment_id for c in git_forge.list_review_comments(number)][-1] == answer.comment_id


def test_issue_events_say_who_labelled_across_pages(fake: FakeGitHub, git_forge: GitHubForge):
    issue = git_forge.create_issue("[flaky] test_now", "body", ["sheriff/flaky"])
    for _ in range(55):
        fake.act_on_issue(REPO, issue.number, "maintainer-alice", labels=[])
        fake.act_on_issue(REPO, issue.number, "maintainer-alice", labels=["sheriff/flaky"])
    fake.act_on_issue(REPO, issue.number, "sheriff[bot]", labels=["sheriff/flaky", "approved"])
    events = git_forge.list_issue_events(issue.number)
    assert len(events) == 112
    assert fake.request_count("issues/list-events") == 2  # 100 a page
    assert (events[0].event, events[0].actor, events[0].label) == (
        "labeled",
        "writer-bot",
        "sheriff/flaky",
    )
    last = events[-1]
    assert (last.event, last.actor, last.actor_is_bot, last.label) == (
        "labeled",
        "sheriff[bot]",
        True,
        "approved",
    )
    assert len({event.event_id for event in events}) == 112


def test_comment_authors_that_are_bots_are_marked(fake: FakeGitHub, git_forge: GitHubForge):
    issue = git_forge.create_issue("[flaky] test_now", "body")
    fake.comment_as(REPO, issue.number, "dependabot[bot]", "noise")
    fake.comment_as(REPO, issue.number, "maintainer-alice", "/ai-fix")
    comments = git_forge.list_comments(issue.number).items
    assert [(c.author, c.author_is_bot) for c in comments] == [
        ("dependabot[bot]", True),
        ("maintainer-alice", False),
    ]


def test_check_runs_of_a_pull_request_head(
    fake: FakeGitHub, git_forge: GitHubForge, make_forge: MakeForge
):
    open_draft(git_forge)
    head = str(git_forge.branch_head(BRANCH))
    job = fake.complete_checks(REPO, head, "failure", name="test", log="FAILED test_now\n")
    (run,) = git_forge.list_check_runs(head)
    assert (run.check_run_id, run.name, run.status, run.conclusion, run.app) == (
        job,
        "test",
        "completed",
        "failure",
        "github-actions",
    )
    assert run.details_url is not None
    assert "/actions/runs/" in run.details_url
    assert [r.check_run_id for r in git_forge.list_check_runs(BRANCH)] == [job]
    fake.add_token(APP_TOKEN, "sheriff[bot]")
    app = make_forge(REPO, write_credentials=TokenCredentials(APP_TOKEN))
    started = app.create_check_run(CheckRunReport("sheriff/verify", head, status="in_progress"))
    assert (started.status, started.conclusion, started.app) == ("in_progress", None, "sheriff")
    finished = app.update_check_run(
        started.check_run_id,
        CheckRunReport(
            "sheriff/verify",
            head,
            conclusion="success",
            title="30/30 passed",
            summary="Ran the test 30 times.",
        ),
    )
    assert (finished.status, finished.conclusion, finished.title) == (
        "completed",
        "success",
        "30/30 passed",
    )
    assert {r.name for r in git_forge.list_check_runs(head)} == {"test", "sheriff/verify"}
    with pytest.raises(GitHubPermissionError, match="GitHub App"):
        git_forge.create_check_run(CheckRunReport("mine", head, conclusion="success"))


def test_combined_status(fake: FakeGitHub, git_forge: GitHubForge):
    head = git_forge.default_branch_head()
    assert (git_forge.combined_status(head).state, git_forge.combined_status(head).statuses) == (
        "pending",
        (),
    )
    legacy = {"state": "failure", "context": "ci/legacy", "target_url": "https://ci.example/1"}
    as_writer = {"Authorization": f"token {WRITE_TOKEN}"}
    httpx.post(
        f"{fake.url}/repos/{REPO}/statuses/{head}", json=legacy, headers=as_writer
    ).raise_for_status()
    status = git_forge.combined_status("main")
    assert (status.sha, status.state) == (head, "failure")
    (only,) = status.statuses
    assert (only.context, only.state, only.target_url, only.creator) == (
        "ci/legacy",
        "failure",
        "https://ci.example/1",
        "writer-bot",
    )
