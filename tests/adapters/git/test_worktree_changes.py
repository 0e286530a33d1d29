from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest

from sheriff.adapters.git import GitMirror
from sheriff.app.workspace import FileChange, fix_branch
from sheriff.errors import PushRejectedError, WorkspaceError
from tests.adapters.git.repos import Published, git, workspaces

PYTHON = shlex.quote(sys.executable)


def test_the_test_command_runs_in_the_worktree_and_reports_failure_then_success(
    mirror: GitMirror,
) -> None:
    with mirror.lease_worktree("main") as tree:
        failing = tree.run_tests("tests/test_pricing.py::test_total_applies_discount")
        assert not failing.passed
        assert failing.exit_code == 1
        assert "assert 11.0 == 10" in failing.output
        assert failing.argv[-1] == "tests/test_pricing.py::test_total_applies_discount"

        tree.edit_file("shop/pricing.py", " + 1\n", "\n")
        passing = tree.run_tests()

    assert passing.passed
    assert "2 passed" in passing.output
    assert "{test}" not in passing.argv


def test_a_command_that_runs_too_long_is_killed(tmp_path: Path, published: Published) -> None:
    command = f"{PYTHON} -c 'import time; print(\"started\", flush=True); time.sleep(60)'"
    mirror = workspaces(tmp_path / "sheriff", test_command=command).mirror("o/r", published.url)
    mirror.ensure()

    with mirror.lease_worktree("main") as tree:
        result = tree.run_tests(timeout=0.5)

    assert result.timed_out
    assert result.exit_code is None
    assert not result.passed
    assert "started" in result.output
    assert result.duration_seconds < 30


def test_the_test_command_gets_no_secrets(
    tmp_path: Path, published: Published, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHERIFF_GITHUB_TOKEN", "ghp_should_not_leak")
    monkeypatch.setenv("MY_SERVICE_API_KEY", "key_should_not_leak")
    monkeypatch.setenv("DB_PASSWORD", "pw_should_not_leak")
    monkeypatch.setenv("HARMLESS_SETTING", "kept")
    command = f"{PYTHON} -c 'import os; print(sorted(os.environ.items()))'"
    mirror = workspaces(tmp_path / "sheriff", test_command=command).mirror("o/r", published.url)
    mirror.ensure()

    with mirror.lease_worktree("main") as tree:
        result = tree.run_tests()

    assert result.passed
    assert "should_not_leak" not in result.output
    assert "HARMLESS_SETTING" in result.output
    assert "'PATH'" in result.output


def test_a_missing_program_is_a_failed_run_and_no_command_an_error(
    tmp_path: Path, published: Published
) -> None:
    mirror = workspaces(tmp_path / "a", test_command="no-such-program-xyz").mirror(
        "o/r", published.url
    )
    mirror.ensure()
    with mirror.lease_worktree("main") as tree:
        result = tree.run_tests()
    assert result.exit_code == 127
    assert "no-such-program-xyz" in result.output

    unset = workspaces(tmp_path / "b", test_command=None).mirror("o/r", published.url)
    unset.ensure()
    with unset.lease_worktree("main") as tree, pytest.raises(WorkspaceError, match="no test"):
        tree.run_tests()


def test_diff_stat_and_commit_as_the_bot(mirror: GitMirror) -> None:
    with mirror.lease_worktree("main") as tree:
        assert tree.diff_stat().files == ()
        assert tree.commit("Nothing") is None

        tree.edit_file("shop/pricing.py", " + 1\n", "\n")
        tree.write_file("shop/tax.py", "RATE = 0\nVAT = 20\n")
        stat = tree.diff_stat()
        sha = tree.commit("Fix the total")
        author = git(tree.root, "log", "-1", "--format=%an <%ae>|%cn|%s")
        parent = git(tree.root, "rev-parse", "HEAD^")
        base = tree.base_sha

    assert stat.files == (
        FileChange("shop/pricing.py", 1, 1),
        FileChange("shop/tax.py", 2, 0),
    )
    assert (stat.added, stat.deleted) == (3, 1)
    assert sha is not None
    assert parent == base
    assert author == "sheriff[bot] <sheriff@example.org>|sheriff[bot]|Fix the total"


def test_push_creates_the_fix_branch_on_the_remote(mirror: GitMirror, published: Published) -> None:
    branch = fix_branch("0123456789abcdef")
    with mirror.lease_worktree("main") as tree:
        tree.edit_file("shop/pricing.py", " + 1\n", "\n")
        sha = tree.commit("Fix the total")
        tree.push(branch)
        tree.push(branch)  # pushing the same commit again changes nothing

    assert branch == "sheriff/fix-01234567"
    assert git(published.bare, "rev-parse", f"refs/heads/{branch}") == sha
    mirror.ensure()
    assert mirror.head(branch) == sha


def test_a_push_that_is_not_a_fast_forward_is_rejected(
    mirror: GitMirror, published: Published
) -> None:
    branch = fix_branch("feedfacecafebeef")
    with mirror.lease_worktree("main") as tree:
        tree.write_file("NOTE.md", "first attempt\n")
        tree.commit("First attempt")
        tree.push(branch)
    with mirror.lease_worktree("main") as tree:
        tree.write_file("NOTE.md", "second attempt\n")
        tree.commit("Second attempt")
        with pytest.raises(PushRejectedError, match="refused the push") as raised:
            tree.push(branch)

    assert "rejected" in raised.value.stderr
    assert "fetch the mirror" in raised.value.hint


def test_an_invalid_branch_name_is_refused(mirror: GitMirror) -> None:
    with mirror.lease_worktree("main") as tree, pytest.raises(WorkspaceError):
        tree.push("bad..name")


def test_no_git_hooks_run_for_sheriff(
    mirror: GitMirror, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    marker = tmp_path / "hook-ran"
    for name in ("post-checkout", "pre-commit", "post-commit", "pre-push"):
        hook = hooks / name
        hook.write_text(f"#!/bin/sh\necho {name} >> {marker}\n")
        hook.chmod(0o755)
    config = tmp_path / "gitconfig"
    config.write_text(f"[core]\n\thooksPath = {hooks}\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    git(tmp_path, "init", "-q", "probe")  # a maintainer's git runs them

    git(tmp_path / "probe", "commit", "-q", "--allow-empty", "-m", "probe")
    assert marker.read_text() == "pre-commit\npost-commit\n"
    marker.unlink()

    with mirror.lease_worktree("main") as tree:
        tree.write_file("NOTE.md", "hooks?\n")
        tree.commit("No hooks")
        tree.push(fix_branch("abcdef0123456789"))

    assert not marker.exists()
