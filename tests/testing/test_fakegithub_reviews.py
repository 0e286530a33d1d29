"""Reviews, review comments and replies; issue events say who labelled what."""

from __future__ import annotations

import httpx
import pytest

from sheriff.testing.fakegithub import FakeGitHub
from sheriff.testing.fakegithub.api_errors import ApiError
from tests.testing.conftest import REPO, client_for
from tests.testing.test_fakegithub_pulls import fix_branch

OWNER, NAME = REPO.split("/")


@pytest.fixture
def number(git_fake: FakeGitHub) -> int:
    fix_branch(git_fake)
    return git_fake.open_pull_as(REPO, "sheriff[bot]", "sheriff/fix-1a2b3c4d", title="Fix")


def test_reviews_carry_their_commit_and_time(git_fake: FakeGitHub, number: int):
    first_head = git_fake.pull(REPO, number).head_sha
    git_fake.review_as(REPO, number, "maintainer-alice", "CHANGES_REQUESTED", "skip is too broad")
    pushed = git_fake.commit(REPO, {"NOTE": "n\n"}, branch="sheriff/fix-1a2b3c4d")
    git_fake.review_as(REPO, number, "maintainer-alice", "APPROVED")
    gh = client_for(git_fake)
    reviews = gh.rest.pulls.list_reviews(OWNER, NAME, number).parsed_data
    assert [(item.state, item.commit_id, item.body) for item in reviews] == [
        ("CHANGES_REQUESTED", first_head, "skip is too broad"),
        ("APPROVED", pushed, ""),
    ]
    assert all(item.submitted_at for item in reviews)
    assert reviews[0].user is not None
    assert reviews[0].author_association == "MEMBER"


def test_reviews_through_the_api_with_githubs_refusals(git_fake: FakeGitHub, number: int):
    bob = client_for(git_fake, "t-bob")
    made = bob.rest.pulls.create_review(
        OWNER, NAME, number, event="COMMENT", body="looks fine"
    ).parsed_data
    assert (made.state, made.user.login if made.user else None) == ("COMMENTED", "contributor-bob")
    bot = httpx.post(
        f"{git_fake.url}/repos/{REPO}/pulls/{number}/reviews",
        headers={"Authorization": "token t-app"},
        json={"event": "APPROVE"},
    )
    assert bot.status_code == 422
    assert bot.json()["errors"] == ["Review Can not approve your own pull request"]
    with pytest.raises(ApiError) as no_body:
        git_fake.review_as(REPO, number, "maintainer-alice", "CHANGES_REQUESTED")
    assert no_body.value.status == 422


def test_review_comments_threads_and_replies(git_fake: FakeGitHub, number: int):
    top = git_fake.review_comment_as(
        REPO, number, "maintainer-alice", "Why skip?", path="tests/test_clock.py", line=6
    )
    gh = client_for(git_fake, "t-app")
    reply = gh.rest.pulls.create_reply_for_review_comment(
        OWNER, NAME, number, top.id, body="It fails 1 run in 30."
    ).parsed_data
    again = git_fake.review_comment_as(
        REPO, number, "maintainer-alice", "Then mark it flaky", reply_to=reply.id
    )
    listed = gh.rest.pulls.list_review_comments(OWNER, NAME, number).parsed_data
    assert [(item.id, item.in_reply_to_id or None) for item in listed] == [
        (top.id, None),
        (reply.id, top.id),
        (again.id, top.id),
    ]
    first = listed[0]
    assert (first.path, first.line, first.side) == ("tests/test_clock.py", 6, "RIGHT")
    assert first.commit_id == git_fake.pull(REPO, number).head_sha
    assert first.diff_hunk.startswith("@@ -1,5 +1,8 @@")
    assert first.diff_hunk.endswith("+@pytest.mark.skip(reason='flaky')")
    assert listed[1].user is not None
    assert (listed[1].user.login, listed[1].user.type) == ("sheriff[bot]", "Bot")
    reviews = gh.rest.pulls.list_reviews(OWNER, NAME, number).parsed_data
    assert [item.state for item in reviews] == ["COMMENTED"] * 3


def test_a_review_comment_must_sit_on_the_diff(
    git_fake: FakeGitHub, git_http: httpx.Client, number: int
):
    comments = f"/repos/{REPO}/pulls/{number}/comments"
    outside = git_http.post(comments, json={"body": "x", "path": "README.md", "line": 1})
    assert outside.status_code == 422
    assert outside.json()["errors"] == ["pull_request_review_thread.path could not be resolved"]
    far = git_http.post(comments, json={"body": "x", "path": "tests/test_clock.py", "line": 40})
    assert far.json()["errors"] == ["pull_request_review_thread.line must be part of the diff"]
    missing = git_http.post(f"{comments}/999/replies", json={"body": "x"})
    assert missing.status_code == 404
    made = git_http.post(comments, json={"body": "ok", "path": "tests/test_clock.py", "line": 1})
    assert made.status_code == 201
    threaded = git_http.post(comments, json={"body": "re", "in_reply_to": made.json()["id"]})
    assert threaded.json()["in_reply_to_id"] == made.json()["id"]


def test_events_say_who_labelled_and_githubkit_reads_them(git_fake: FakeGitHub):
    bot = client_for(git_fake)
    number = bot.rest.issues.create(OWNER, NAME, title="[flaky] test_now").parsed_data.number
    git_fake.act_on_issue(REPO, number, "contributor-bob", labels=["sheriff/ai-fix-approved"])
    alice = client_for(git_fake, "t-alice")
    alice.rest.issues.remove_label(OWNER, NAME, number, "sheriff/ai-fix-approved")
    alice.rest.issues.add_labels(OWNER, NAME, number, labels=["sheriff/ai-fix-approved"])
    events = alice.rest.issues.list_events(OWNER, NAME, number).parsed_data
    seen = [(event.event, event.actor.login, event.label.name) for event in events]
    assert seen == [
        ("labeled", "contributor-bob", "sheriff/ai-fix-approved"),
        ("unlabeled", "maintainer-alice", "sheriff/ai-fix-approved"),
        ("labeled", "maintainer-alice", "sheriff/ai-fix-approved"),
    ]


def test_created_and_closed_issues_record_events(git_http: httpx.Client):
    made = git_http.post(f"/repos/{REPO}/issues", json={"title": "t", "labels": ["bug"]}).json()
    path = f"/repos/{REPO}/issues/{made['number']}"
    git_http.patch(path, json={"state": "closed", "state_reason": "not_planned"})
    git_http.patch(path, json={"state": "open"})
    events = git_http.get(f"{path}/events").json()
    assert [(item["event"], item["actor"]["login"]) for item in events] == [
        ("labeled", "sheriff-bot"),
        ("closed", "sheriff-bot"),
        ("reopened", "sheriff-bot"),
    ]
    assert events[1]["state_reason"] == "not_planned"
    assert events[0]["label"] == {"name": "bug", "color": "ededed"}


def test_seeded_labels_are_events_of_the_issue_author(http: httpx.Client):
    events = http.get("/repos/pytorch/pytorch/issues/159870/events").json()
    labelled = {(item["event"], item["label"]["name"], item["actor"]["login"]) for item in events}
    assert labelled == {
        ("labeled", "module: flaky-tests", "maintainer-alice"),
        ("labeled", "triaged", "maintainer-alice"),
    }
