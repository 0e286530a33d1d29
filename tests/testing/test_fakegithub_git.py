"""Repositories backed by real bare git repositories: clone URL, contents, branches, refs,
commits and comparisons."""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path

import httpx
import pytest
from githubkit.exception import RequestFailed

from sheriff.testing.fakegithub import FakeGitHub
from tests.testing.conftest import PROJECT, REPO, client_for

OWNER, NAME = REPO.split("/")


def git(*args: str, cwd: Path | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


def test_the_clone_url_is_a_file_url_that_git_clones(git_fake: FakeGitHub, tmp_path: Path):
    gh = client_for(git_fake)
    repository = gh.rest.repos.get(OWNER, NAME).parsed_data
    assert repository.clone_url.startswith("file://")
    assert repository.default_branch == "main"
    git("clone", "--quiet", repository.clone_url, str(tmp_path / "work"))
    assert (tmp_path / "work" / "app" / "clock.py").read_text() == PROJECT["app/clock.py"]
    assert git("log", "--format=%an %s", cwd=tmp_path / "work").strip() == (
        "octocat Initial commit"
    )


def test_a_push_to_the_clone_url_shows_in_the_api(git_fake: FakeGitHub, tmp_path: Path):
    url = git_fake.git(REPO).url
    work = tmp_path / "work"
    git("clone", "--quiet", url, str(work))
    (work / "fix.txt").write_text("fixed\n")
    git("-c", "user.name=Sheriff", "-c", "user.email=s@example.com", "add", "fix.txt", cwd=work)
    git(
        "-c",
        "user.name=Sheriff",
        "-c",
        "user.email=s@example.com",
        "commit",
        "-qm",
        "Fix",
        cwd=work,
    )
    git("push", "--quiet", "origin", "HEAD:refs/heads/sheriff/fix-1", cwd=work)
    sha = git("rev-parse", "HEAD", cwd=work).strip()
    gh = client_for(git_fake)
    assert gh.rest.repos.get_branch(OWNER, NAME, "sheriff/fix-1").parsed_data.commit.sha == sha
    assert gh.rest.git.get_ref(OWNER, NAME, "heads/sheriff/fix-1").parsed_data.object_.sha == sha
    commit = gh.rest.repos.get_commit(OWNER, NAME, sha).parsed_data
    assert commit.commit.message == "Fix"
    assert [entry.filename for entry in commit.files or []] == ["fix.txt"]
    assert commit.author is None  # not a GitHub noreply address


def test_contents_come_from_git_at_any_ref(git_fake: FakeGitHub, git_http: httpx.Client):
    path = f"/repos/{REPO}/contents/app/clock.py"
    raw = {"Accept": "application/vnd.github.raw+json"}
    assert git_http.get(path, headers=raw).text == PROJECT["app/clock.py"]
    first = git_fake.git(REPO).branch_sha("main")
    git_fake.put_file(REPO, "app/clock.py", "def now():\n    return 1\n")
    assert git_http.get(path, headers=raw).text == "def now():\n    return 1\n"
    old = git_http.get(path, params={"ref": first}).json()
    assert base64.b64decode(old["content"]).decode() == PROJECT["app/clock.py"]
    assert old["sha"] == git_fake.git(REPO).resolve_blob(str(first), "app/clock.py")
    assert git_http.get(f"/repos/{REPO}/contents/app").status_code == 404  # a directory
    log = git_fake.git(REPO).run("log", "--format=%s", "main")
    assert log.splitlines() == ["Update app/clock.py", "Initial commit"]


def test_branch_ref_and_commit_payloads(git_fake: FakeGitHub):
    gh = client_for(git_fake)
    head = git_fake.commit(REPO, {"app/clock.py": None, "NOTES": "n\n"}, message="Tidy")
    branch = gh.rest.repos.get_branch(OWNER, NAME, "main").parsed_data
    assert (branch.name, branch.commit.sha, branch.protected) == ("main", head, False)
    assert [item.name for item in gh.rest.repos.list_branches(OWNER, NAME).parsed_data] == ["main"]
    commit = gh.rest.repos.get_commit(OWNER, NAME, "main").parsed_data
    assert commit.sha == head
    assert commit.author is not None
    assert commit.author.login == "octocat"
    changes = {entry.filename: (entry.status, entry.deletions) for entry in commit.files or []}
    assert changes == {"NOTES": ("added", 0), "app/clock.py": ("removed", 5)}
    assert commit.stats is not None
    assert commit.stats.total == 6
    with pytest.raises(RequestFailed) as missing:
        gh.rest.repos.get_branch(OWNER, NAME, "nope")
    assert missing.value.response.status_code == 404
    with pytest.raises(RequestFailed) as unknown:
        gh.rest.repos.get_commit(OWNER, NAME, "nope")
    assert unknown.value.response.status_code == 422


def test_refs_are_created_moved_and_deleted_with_githubs_422s(git_fake: FakeGitHub):
    gh = client_for(git_fake)
    main = git_fake.git(REPO).branch_sha("main")
    assert main is not None
    made = gh.rest.git.create_ref(OWNER, NAME, ref="refs/heads/topic", sha=main).parsed_data
    assert (made.ref, made.object_.sha) == ("refs/heads/topic", main)
    with pytest.raises(RequestFailed) as exists:
        gh.rest.git.create_ref(OWNER, NAME, ref="refs/heads/topic", sha=main)
    assert exists.value.response.json()["message"] == "Reference already exists"
    ahead = git_fake.commit(REPO, {"x": "1"}, branch="topic")
    with pytest.raises(RequestFailed) as backwards:
        gh.rest.git.update_ref(OWNER, NAME, "heads/topic", sha=main)
    assert backwards.value.response.json()["message"] == "Update is not a fast forward"
    forward = gh.rest.git.update_ref(OWNER, NAME, "heads/main", sha=ahead).parsed_data
    assert forward.object_.sha == ahead
    forced = gh.rest.git.update_ref(OWNER, NAME, "heads/topic", sha=main, force=True)
    assert forced.parsed_data.object_.sha == main
    gh.rest.git.delete_ref(OWNER, NAME, "heads/topic")
    assert git_fake.git(REPO).branches() == {"main": ahead}
    with pytest.raises(RequestFailed) as gone:
        gh.rest.git.delete_ref(OWNER, NAME, "heads/topic")
    assert (gone.value.response.status_code, gone.value.response.json()["message"]) == (
        422,
        "Reference does not exist",
    )


def test_compare_counts_commits_each_side(git_fake: FakeGitHub):
    git_fake.create_branch(REPO, "topic")
    git_fake.commit(REPO, {"a.txt": "a\n"}, branch="topic", message="A")
    git_fake.commit(REPO, {"b.txt": "b\n"}, branch="topic", message="B")
    gh = client_for(git_fake)
    ahead = gh.rest.repos.compare_commits(OWNER, NAME, "main...topic").parsed_data
    assert (ahead.status, ahead.ahead_by, ahead.behind_by) == ("ahead", 2, 0)
    assert [commit.commit.message for commit in ahead.commits] == ["A", "B"]
    assert [entry.filename for entry in ahead.files or []] == ["a.txt", "b.txt"]
    git_fake.commit(REPO, {"c.txt": "c\n"}, message="C")
    diverged = gh.rest.repos.compare_commits(OWNER, NAME, "main...topic").parsed_data
    assert (diverged.status, diverged.ahead_by, diverged.behind_by) == ("diverged", 2, 1)
    same = gh.rest.repos.compare_commits(OWNER, NAME, "main...main").parsed_data
    assert (same.status, same.total_commits) == ("identical", 0)


def test_attach_an_existing_bare_repository(tmp_path: Path):
    bare = tmp_path / "existing.git"
    git("init", "--quiet", "--bare", "--initial-branch=trunk", str(bare))
    with FakeGitHub.running() as fake:
        fake.attach_git("acme/lib", bare)
        answer = httpx.get(f"{fake.url}/repos/acme/lib").json()
        assert answer["default_branch"] == "trunk"
        assert answer["clone_url"] == bare.resolve().as_uri()


def test_repositories_made_without_a_path_are_removed_when_the_fake_stops():
    with FakeGitHub.running() as fake:
        where = fake.create_git_repo(REPO, PROJECT).path
        assert (where / "HEAD").is_file()
    assert not where.exists()
