"""Branches and pull requests through the Forge, against the fake and a real bare git
repository: round trips, a merge that lands, and GitHub's refusals as Sheriff errors."""

from __future__ import annotations

import pytest

from sheriff.adapters.github import GitHubForge
from sheriff.app.forge_pulls import MergeMethod, NewPullRequest, PullRequestChange
from sheriff.errors import (
    GitHubConflictError,
    GitHubNotMergeableError,
    GitHubUnavailableError,
    GitHubValidationError,
)
from sheriff.testing.fakegithub import FakeGitHub
from tests.adapters.github.conftest import FIX_BRANCH, GIT_REPO, PATCHED, open_draft

REPO, BRANCH = GIT_REPO, FIX_BRANCH


def test_repository_clone_url_and_branch_heads(fake: FakeGitHub, git_forge: GitHubForge):
    bare = fake.git(REPO)
    assert git_forge.get_repository().clone_url == bare.url
    assert git_forge.default_branch_head() == bare.branch_sha("main")
    assert git_forge.branch_head(BRANCH) == bare.branch_sha(BRANCH)
    assert git_forge.branch_head("sheriff/none") is None


def test_open_read_list_and_edit_a_pull_request(fake: FakeGitHub, git_forge: GitHubForge):
    made = git_forge.create_pull_request(
        NewPullRequest("Quarantine test_now", BRANCH, "main", "Fixes #1", draft=True)
    )
    assert (made.state, made.draft, made.merged, made.head_ref, made.base_ref) == (
        "open",
        True,
        False,
        BRANCH,
        "main",
    )
    assert made.head_sha == fake.git(REPO).branch_sha(BRANCH)
    assert (made.author, made.author_is_bot, made.mergeable_state) == ("writer-bot", False, "draft")
    assert made.html_url is not None
    assert made.html_url.endswith(f"/{REPO}/pull/{made.number}")
    assert git_forge.get_pull_request(made.number) == made
    assert git_forge.get_pull_request(999) is None
    assert [pull.number for pull in git_forge.list_pull_requests(head=BRANCH)] == [made.number]
    assert git_forge.list_pull_requests(head="other") == []
    assert git_forge.list_pull_requests(state="closed") == []
    files = git_forge.list_pull_request_files(made.number)
    assert [(item.filename, item.status, item.additions) for item in files] == [
        ("tests/test_clock.py", "modified", 3)
    ]
    assert files[0].patch is not None
    assert "+@pytest.mark.skip" in files[0].patch
    edited = git_forge.update_pull_request(
        made.number, PullRequestChange(body="Fixes #1\n\nVerified 30 times.", state="closed")
    )
    assert (edited.state, edited.body, edited.title) == (
        "closed",
        "Fixes #1\n\nVerified 30 times.",
        "Quarantine test_now",
    )
    assert [pull.number for pull in git_forge.list_pull_requests(state="closed")] == [made.number]


def test_a_merge_lands_in_the_bare_repository(fake: FakeGitHub, git_forge: GitHubForge):
    number = open_draft(git_forge)
    fake.set_draft(REPO, number, False, "maintainer-alice")
    head = git_forge.branch_head(BRANCH)
    merged_sha = git_forge.merge_pull_request(number, head_sha=head, method=MergeMethod.SQUASH)
    bare = fake.git(REPO)
    assert bare.branch_sha("main") == merged_sha
    assert bare.run("log", "--format=%s", "main").splitlines() == [
        f"Quarantine test_now (#{number})",
        "Initial commit",
    ]
    assert bare.read_file("main", "tests/test_clock.py") == PATCHED.encode()
    pull = git_forge.get_pull_request(number)
    assert pull is not None
    assert (pull.state, pull.merged, pull.merged_by, pull.merge_commit_sha) == (
        "closed",
        True,
        "writer-bot",
        merged_sha,
    )
    assert git_forge.delete_branch(BRANCH) is True
    assert git_forge.delete_branch(BRANCH) is False
    assert BRANCH not in bare.branches()


def test_githubs_refusals_become_sheriff_errors(fake: FakeGitHub, git_forge: GitHubForge):
    number = open_draft(git_forge)
    with pytest.raises(GitHubValidationError, match="already exists"):
        open_draft(git_forge)
    with pytest.raises(GitHubValidationError, match="head"):
        git_forge.create_pull_request(NewPullRequest("x", "no-such-branch", "main"))
    with pytest.raises(GitHubNotMergeableError, match="still a draft") as draft:
        git_forge.merge_pull_request(number)
    assert draft.value.hint
    fake.set_draft(REPO, number, False)
    with pytest.raises(GitHubConflictError, match="Head branch was modified"):
        git_forge.merge_pull_request(number, head_sha="0" * 40)
    fake.commit(REPO, {"tests/test_clock.py": "def test_now():\n    pass\n"})
    with pytest.raises(GitHubNotMergeableError, match="not mergeable"):
        git_forge.merge_pull_request(number)
    refreshed = git_forge.get_pull_request(number)
    assert refreshed is not None
    assert (refreshed.mergeable, refreshed.mergeable_state) == (False, "dirty")


def test_a_merge_is_not_retried_after_a_server_error(fake: FakeGitHub, git_forge: GitHubForge):
    number = open_draft(git_forge)
    fake.set_draft(REPO, number, False)
    fake.fail_next(r"/pulls/\d+/merge$", status=502, method="PUT")
    with pytest.raises(GitHubUnavailableError):
        git_forge.merge_pull_request(number)
    assert fake.request_count("pulls/merge") == 1
