"""Pull requests on a git-backed repository: open, list, read, edit, merge for real."""

from __future__ import annotations

import httpx
import pytest
from githubkit.exception import RequestFailed
from githubkit.utils import UNSET

from sheriff.testing.fakegithub import FakeGitHub
from sheriff.testing.fakegithub.api_errors import ApiError
from tests.testing.conftest import REPO, client_for

OWNER, NAME = REPO.split("/")
QUARANTINED = (
    "import pytest\n\nfrom app.clock import now\n\n\n@pytest.mark.skip(reason='flaky')\n"
    "def test_now_is_positive():\n    assert now() > 0\n"
)


def fix_branch(fake: FakeGitHub, branch: str = "sheriff/fix-1a2b3c4d") -> str:
    """A branch one commit ahead of main: the quarantine patch; its head sha."""
    fake.create_branch(REPO, branch)
    return fake.commit(
        REPO, {"tests/test_clock.py": QUARANTINED}, branch=branch, message="Quarantine"
    )


def test_open_a_draft_pull_request_and_read_it_back(git_fake: FakeGitHub):
    head = fix_branch(git_fake)
    gh = client_for(git_fake)
    made = gh.rest.pulls.create(
        OWNER,
        NAME,
        title="Quarantine test_now",
        head="sheriff/fix-1a2b3c4d",
        base="main",
        body="Fixes #1",
        draft=True,
    ).parsed_data
    assert (made.number, made.state, made.draft, made.merged) == (1, "open", True, False)
    assert (made.head.ref, made.head.sha, made.base.ref) == ("sheriff/fix-1a2b3c4d", head, "main")
    assert made.base.sha == git_fake.git(REPO).branch_sha("main")
    assert made.user is not None
    assert (made.user.login, made.user.type) == ("sheriff-bot", "User")
    assert (made.mergeable, made.mergeable_state) == (True, "draft")
    assert (made.commits, made.changed_files, made.additions, made.deletions) == (1, 1, 3, 0)
    assert made.head.repo is not None
    assert made.head.repo.clone_url == git_fake.git(REPO).url
    as_issue = gh.rest.issues.get(OWNER, NAME, made.number).parsed_data
    assert as_issue.pull_request is not UNSET
    assert as_issue.pull_request is not None
    assert as_issue.pull_request.merged_at is None
    files = gh.rest.pulls.list_files(OWNER, NAME, made.number).parsed_data
    assert [(entry.filename, entry.status) for entry in files] == [
        ("tests/test_clock.py", "modified")
    ]
    assert files[0].patch is not UNSET
    assert "+@pytest.mark.skip(reason='flaky')" in str(files[0].patch)
    commits = gh.rest.pulls.list_commits(OWNER, NAME, made.number).parsed_data
    assert [commit.sha for commit in commits] == [head]


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"head": "nope"}, {"resource": "PullRequest", "field": "head", "code": "invalid"}),
        ({"base": "nope"}, {"resource": "PullRequest", "field": "base", "code": "invalid"}),
        (
            {"head": "other:sheriff/fix-1a2b3c4d"},
            {"resource": "PullRequest", "field": "head", "code": "invalid"},
        ),
        (
            {"head": "main"},
            {
                "resource": "PullRequest",
                "code": "custom",
                "message": "No commits between main and main",
            },
        ),
        ({"title": ""}, {"resource": "PullRequest", "field": "title", "code": "missing_field"}),
    ],
)
def test_opening_is_refused_like_github(
    git_fake: FakeGitHub, git_http: httpx.Client, fields: dict[str, str], error: dict[str, str]
):
    fix_branch(git_fake)
    body = {"title": "Fix", "head": "sheriff/fix-1a2b3c4d", "base": "main", **fields}
    answer = git_http.post(f"/repos/{REPO}/pulls", json=body)
    assert answer.status_code == 422
    assert answer.json()["errors"] == [error]


def test_a_second_pull_request_for_the_same_branches_is_refused(
    git_fake: FakeGitHub, git_http: httpx.Client
):
    fix_branch(git_fake)
    body = {"title": "Fix", "head": "sheriff/fix-1a2b3c4d", "base": "main"}
    assert git_http.post(f"/repos/{REPO}/pulls", json=body).status_code == 201
    again = git_http.post(f"/repos/{REPO}/pulls", json=body)
    assert again.status_code == 422
    assert again.json()["errors"][0]["message"] == (
        "A pull request already exists for acme:sheriff/fix-1a2b3c4d."
    )


def test_list_filters_and_pages(git_fake: FakeGitHub, git_http: httpx.Client):
    for index in range(3):
        fix_branch(git_fake, f"fix-{index}")
        git_fake.open_pull_as(REPO, "contributor-bob", f"fix-{index}", title=f"Fix {index}")
    git_fake.act_on_issue(REPO, 2, "maintainer-alice", state="closed")
    gh = client_for(git_fake)
    assert [pull.number for pull in gh.rest.pulls.list(OWNER, NAME).parsed_data] == [3, 1]
    closed = gh.rest.pulls.list(OWNER, NAME, state="closed").parsed_data
    assert [pull.number for pull in closed] == [2]
    by_head = gh.rest.pulls.list(OWNER, NAME, state="all", head="acme:fix-1").parsed_data
    assert [pull.number for pull in by_head] == [2]
    assert gh.rest.pulls.list(OWNER, NAME, base="develop").parsed_data == []
    first = git_http.get(f"/repos/{REPO}/pulls", params={"state": "all", "per_page": 2})
    assert [pull["number"] for pull in first.json()] == [3, 2]
    second = git_http.get(first.links["next"]["url"])
    assert [pull["number"] for pull in second.json()] == [1]
    assert "next" not in second.links


def test_a_push_to_the_head_branch_moves_the_pull_request(git_fake: FakeGitHub):
    fix_branch(git_fake)
    number = git_fake.open_pull_as(REPO, "sheriff-bot", "sheriff/fix-1a2b3c4d")
    gh = client_for(git_fake)
    before = gh.rest.pulls.get(OWNER, NAME, number).parsed_data
    pushed = git_fake.commit(REPO, {"CHANGES": "x\n"}, branch="sheriff/fix-1a2b3c4d")
    after = gh.rest.pulls.get(OWNER, NAME, number).parsed_data
    assert after.head.sha == pushed != before.head.sha
    assert after.commits == 2
    assert after.updated_at >= before.updated_at


def test_update_closes_and_reopens(git_fake: FakeGitHub):
    fix_branch(git_fake)
    number = git_fake.open_pull_as(REPO, "sheriff-bot", "sheriff/fix-1a2b3c4d")
    gh = client_for(git_fake)
    closed = gh.rest.pulls.update(OWNER, NAME, number, state="closed", title="New").parsed_data
    assert (closed.state, closed.title, closed.merged, closed.mergeable) == (
        "closed",
        "New",
        False,
        None,
    )
    assert closed.closed_at is not None
    reopened = gh.rest.pulls.update(OWNER, NAME, number, state="open").parsed_data
    assert reopened.state == "open"
    events = git_fake.events(REPO, number)
    assert [(event.event, event.state_reason) for event in events] == [
        ("closed", None),  # pull requests have no state reason
        ("reopened", None),
    ]
    assert git_fake.issue(REPO, number).state_reason is None


def test_a_merge_lands_in_the_bare_repository(git_fake: FakeGitHub):
    head = fix_branch(git_fake)
    number = git_fake.open_pull_as(REPO, "sheriff-bot", "sheriff/fix-1a2b3c4d", title="Fix")
    alice = client_for(git_fake, "t-alice")
    result = alice.rest.pulls.merge(OWNER, NAME, number, sha=head).parsed_data
    assert (result.merged, result.message) == (True, "Pull Request successfully merged")
    bare = git_fake.git(REPO)
    assert bare.branch_sha("main") == result.sha
    parents = bare.run("log", "-1", "--format=%P", "main").split()
    assert parents[1] == head
    log = bare.run("log", "--format=%an|%cn|%s", "main").splitlines()
    assert log[0] == "maintainer-alice|GitHub|Merge pull request #1 from acme/sheriff/fix-1a2b3c4d"
    assert bare.read_file("main", "tests/test_clock.py") == QUARANTINED.encode()
    answer = alice.rest.pulls.get(OWNER, NAME, number)
    merged = answer.parsed_data
    assert (merged.state, merged.merged) == ("closed", True)
    assert answer.json()["merge_commit_sha"] == result.sha
    assert merged.merged_by is not None
    assert merged.merged_by.login == "maintainer-alice"
    assert [
        item.filename for item in alice.rest.pulls.list_files(OWNER, NAME, number).parsed_data
    ] == ["tests/test_clock.py"]
    assert alice.rest.pulls.check_if_merged(OWNER, NAME, number).status_code == 204
    assert [event.event for event in git_fake.events(REPO, number)] == ["merged", "closed"]


def test_squash_and_rebase_merges(git_fake: FakeGitHub):
    fix_branch(git_fake, "squashed")
    git_fake.commit(REPO, {"b.txt": "b\n"}, branch="squashed", message="Second")
    first = git_fake.open_pull_as(REPO, "sheriff-bot", "squashed", title="Squash me")
    squashed = git_fake.merge_as(REPO, first, "maintainer-alice", method="squash")
    bare = git_fake.git(REPO)
    assert bare.run("log", "-1", "--format=%P", squashed).split() != []
    assert len(bare.run("log", "-1", "--format=%P", squashed).split()) == 1
    assert bare.run("log", "-1", "--format=%B", squashed).startswith(
        "Squash me (#1)\n\n* Quarantine\n\n* Second"
    )
    git_fake.create_branch(REPO, "rebased")
    tip = git_fake.commit(REPO, {"c.txt": "c\n"}, branch="rebased", message="Third")
    second = git_fake.open_pull_as(REPO, "sheriff-bot", "rebased")
    rebased = git_fake.merge_as(REPO, second, "maintainer-alice", method="rebase")
    assert rebased != tip
    assert bare.run("log", "-1", "--format=%s|%P", rebased).strip() == f"Third|{squashed}"


def test_merge_refusals_405_and_409(git_fake: FakeGitHub, git_http: httpx.Client):
    head = fix_branch(git_fake)
    number = git_fake.open_pull_as(REPO, "sheriff-bot", "sheriff/fix-1a2b3c4d", draft=True)
    merge = f"/repos/{REPO}/pulls/{number}/merge"
    draft = git_http.put(merge, json={})
    assert (draft.status_code, draft.json()["message"]) == (405, "Pull Request is still a draft")
    git_fake.set_draft(REPO, number, False)
    moved = git_http.put(merge, json={"sha": "0" * 40})
    assert moved.status_code == 409
    assert moved.json()["message"] == "Head branch was modified. Review and try the merge again."
    git_fake.commit(REPO, {"tests/test_clock.py": "def test_other():\n    pass\n"})
    conflicted = git_http.get(f"/repos/{REPO}/pulls/{number}").json()
    assert (conflicted["mergeable"], conflicted["mergeable_state"]) == (False, "dirty")
    refused = git_http.put(merge, json={"sha": head})
    assert (refused.status_code, refused.json()["message"]) == (
        405,
        "Pull Request is not mergeable",
    )
    assert git_http.put(merge, json={"merge_method": "octopus"}).status_code == 422
    with pytest.raises(ApiError) as helper:
        git_fake.merge_as(REPO, number, "maintainer-alice")
    assert helper.value.status == 405


def test_deleting_the_head_branch_closes_the_pull_request(git_fake: FakeGitHub):
    fix_branch(git_fake)
    number = git_fake.open_pull_as(REPO, "sheriff-bot", "sheriff/fix-1a2b3c4d")
    gh = client_for(git_fake, "t-alice")
    gh.rest.git.delete_ref(OWNER, NAME, "heads/sheriff/fix-1a2b3c4d")
    closed = gh.rest.pulls.get(OWNER, NAME, number).parsed_data
    assert (closed.state, closed.merged) == ("closed", False)
    events = [(event.event, event.actor) for event in git_fake.events(REPO, number)]
    assert events == [("head_ref_deleted", "maintainer-alice"), ("closed", "maintainer-alice")]
    with pytest.raises(RequestFailed) as reopen:
        gh.rest.pulls.update(OWNER, NAME, number, state="open")
    assert reopen.value.response.status_code == 422


def test_the_pull_request_is_an_issue_for_labels_and_comments(git_fake: FakeGitHub):
    fix_branch(git_fake)
    number = git_fake.open_pull_as(REPO, "sheriff-bot", "sheriff/fix-1a2b3c4d")
    alice = client_for(git_fake, "t-alice")
    alice.rest.issues.add_labels(OWNER, NAME, number, labels=["sheriff/fix"])
    alice.rest.issues.create_comment(OWNER, NAME, number, body="/ai-fix again")
    pull = alice.rest.pulls.get(OWNER, NAME, number).parsed_data
    assert [label.name for label in pull.labels] == ["sheriff/fix"]
    assert pull.comments == 1
    listed = alice.rest.issues.list_for_repo(OWNER, NAME, state="all").parsed_data
    assert [(item.number, item.pull_request is not UNSET) for item in listed] == [(1, True)]
    assert pull.html_url.endswith("/acme/app/pull/1")
