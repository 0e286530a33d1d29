"""Issues, labels and comments in the write repository, with the write credentials."""

from __future__ import annotations

from sheriff.adapters.github import TokenCredentials
from sheriff.app.forge import IssueChange, Permission
from sheriff.testing.fakegithub import FakeGitHub
from tests.adapters.github.conftest import CIDIFF, PYTORCH, WRITE_TOKEN, MakeForge

FORK = "sheriff-trial/pytorch"
HUMAN_ISSUE = 159_870


def test_issues_go_to_the_write_repo_with_the_write_token(fake: FakeGitHub, make_forge: MakeForge):
    fake.add_repo(FORK)
    forge = make_forge(PYTORCH, write_repo=FORK, write_credentials=TokenCredentials(WRITE_TOKEN))
    assert forge.get_repository().full_name == PYTORCH  # CI is read upstream
    issue = forge.create_issue("[flaky] test_x (pkg)", "managed body", ["sheriff/flaky"])
    assert [item.number for item in fake.issues(FORK)] == [issue.number]
    assert issue.labels == ("sheriff/flaky",)
    assert fake.issue(FORK, issue.number).user == "writer-bot"
    logins = {(entry.method, entry.operation): entry.login for entry in fake.requests}
    assert logins[("GET", "repos/get")] == "reader-bot"
    assert logins[("POST", "issues/create")] == "writer-bot"
    assert forge.authenticated_login() == "writer-bot"


def test_write_credentials_fall_back_to_the_read_ones(fake: FakeGitHub, make_forge: MakeForge):
    forge = make_forge(CIDIFF)
    forge.create_issue("[flaky] test_y", "body")
    assert {entry.login for entry in fake.requests} == {"reader-bot"}


def test_an_issue_round_trip(fake: FakeGitHub, make_forge: MakeForge):
    forge = make_forge(CIDIFF)
    issue = forge.create_issue("[flaky] LogDifferTest.testX", "body v1", ["sheriff/flaky"])
    assert forge.add_labels(issue.number, ["sheriff/tracked"]) == (
        "sheriff/flaky",
        "sheriff/tracked",
    )
    assert forge.remove_label(issue.number, "sheriff/tracked") == ("sheriff/flaky",)
    assert forge.remove_label(issue.number, "absent") == ("sheriff/flaky",)
    closed = forge.update_issue(
        issue.number, IssueChange(body="body v2", state="closed", state_reason="completed")
    )
    assert (closed.body, closed.state, closed.state_reason) == ("body v2", "closed", "completed")
    assert closed.title == issue.title
    reopened = forge.update_issue(issue.number, IssueChange(state="open"))
    assert reopened.state == "open"
    fetched = forge.get_issue(issue.number)
    assert fetched is not None
    assert fetched.labels == ("sheriff/flaky",)
    assert forge.get_issue(99_999) is None


def test_comments_are_listed_created_and_updated(fake: FakeGitHub, make_forge: MakeForge):
    forge = make_forge()
    (human,) = forge.list_comments(HUMAN_ISSUE).items
    assert human.author == "triager-bob"
    mine = forge.create_comment(HUMAN_ISSUE, "<!-- sheriff:analysis -->\nv1")
    edited = forge.update_comment(mine.comment_id, "<!-- sheriff:analysis -->\nv2")
    assert edited.comment_id == mine.comment_id
    assert [c.body for c in fake.comments(PYTORCH, HUMAN_ISSUE)][-1].endswith("v2")
    assert len(forge.list_comments(HUMAN_ISSUE).items) == 2


def test_search_finds_a_human_filed_issue_by_test_name(make_forge: MakeForge):
    forge = make_forge()
    found = forge.search_issues(["test_cauchy_kstest_cpu_bfloat16"], state="open")
    assert [issue.number for issue in found] == [HUMAN_ISSUE]
    assert forge.search_issues(["test_cauchy_kstest_cpu_bfloat16"], state="closed") == []
    assert forge.search_issues(['nothing "like" this']) == []


def test_listing_by_label_leaves_pull_requests_out(fake: FakeGitHub, make_forge: MakeForge):
    forge = make_forge()
    forge.create_issue("[flaky] a", "x", ["sheriff/flaky"])
    forge.create_issue("[broken] b", "x", ["sheriff/broken"])
    labelled = forge.list_issues(labels=["sheriff/flaky"], state="open")
    assert [issue.title for issue in labelled.items] == ["[flaky] a"]
    everything = forge.list_issues(state="all")
    assert not any(issue.is_pull_request for issue in everything.items)
    assert fake.issues(PYTORCH, pulls=True) != fake.issues(PYTORCH)  # there were some to drop


def test_permissions_of_people(fake: FakeGitHub, make_forge: MakeForge):
    forge = make_forge()
    fake.set_permission(PYTORCH, "maintainer-carl", "maintain")
    assert forge.permission_of("maintainer-alice") is Permission.ADMIN
    assert forge.permission_of("maintainer-carl") is Permission.MAINTAIN
    assert forge.permission_of("triager-bob") is Permission.TRIAGE
    assert Permission.MAINTAIN.at_least(Permission.WRITE)
    assert not Permission.TRIAGE.at_least(Permission.WRITE)


def test_rerunning_failed_jobs_uses_the_write_token(fake: FakeGitHub, make_forge: MakeForge):
    forge = make_forge(CIDIFF, write_credentials=TokenCredentials(WRITE_TOKEN))
    forge.rerun_failed_jobs(1_500_000_111)
    assert len(fake.run(CIDIFF, 1_500_000_111).attempts) == 2
    (entry,) = [e for e in fake.requests if e.operation == "actions/re-run-workflow-failed-jobs"]
    assert entry.login == "writer-bot"
