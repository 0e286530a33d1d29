"""A real bare git repository behind a fake repository, driven through ``git`` plumbing.

No working tree is ever checked out: files are committed with a throw-away index
(``hash-object``, ``update-index``, ``write-tree``, ``commit-tree``), merges are computed
with ``merge-tree --write-tree`` (git 2.38 or later) and refs move with ``update-ref``
and the value they are expected to have, as GitHub's own git back end does. Clients
clone, fetch and push through the repository's ``file://`` URL.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sheriff.errors import SheriffError

ZERO_SHA = "0" * 40
NOREPLY_DOMAIN = "users.noreply.github.com"
_ISOLATED = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_TERMINAL_PROMPT": "0",
    "LC_ALL": "C",
}


class BareGitError(SheriffError):
    """A git command the fake ran failed (a broken repository, or a bug in the fake)."""


@dataclass(frozen=True)
class Signature:
    """Who wrote or committed a commit, and when (aware UTC)."""

    name: str
    email: str
    when: datetime

    @classmethod
    def of_login(cls, login: str, when: datetime) -> Signature:
        """A GitHub user's noreply identity, which ``login_of_email`` reads back."""
        return cls(login, f"{login}@{NOREPLY_DOMAIN}", when)

    def env(self, role: str) -> dict[str, str]:
        """``GIT_AUTHOR_*`` or ``GIT_COMMITTER_*`` for ``role`` AUTHOR / COMMITTER."""
        return {
            f"GIT_{role}_NAME": self.name,
            f"GIT_{role}_EMAIL": self.email,
            f"GIT_{role}_DATE": f"{int(self.when.timestamp())} +0000",
        }


def login_of_email(email: str) -> str | None:
    """The login in a noreply address (``42+octocat@`` or ``octocat@``), if it is one."""
    local, _, domain = email.partition("@")
    return local.split("+", 1)[-1] if domain == NOREPLY_DOMAIN and local else None


class BareRepository:
    """Refs, files, commits and merges of one bare repository on disk."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def create(
        cls,
        path: Path,
        branch: str,
        files: Mapping[str, bytes],
        *,
        author: Signature,
        message: str = "Initial commit",
    ) -> BareRepository:
        """A new bare repository whose ``branch`` holds one commit of ``files``."""
        path.mkdir(parents=True, exist_ok=True)
        _git(None, "init", "--quiet", "--bare", f"--initial-branch={branch}", str(path))
        repository = cls(path)
        repository.commit_files(branch, files, message, author=author)
        return repository

    @classmethod
    def open(cls, path: Path) -> BareRepository:
        """An existing repository (bare or not); BareGitError when ``path`` is none."""
        repository = cls(path)
        repository.run("rev-parse", "--git-dir")
        return repository

    @property
    def url(self) -> str:
        return self.path.resolve().as_uri()

    def run(
        self, *args: str, stdin: bytes | None = None, env: Mapping[str, str] | None = None
    ) -> str:
        """Run ``git`` in the repository; its output, or BareGitError on failure."""
        return _git(self.path, *args, stdin=stdin, env=env).stdout.decode(errors="replace")

    def attempt(self, *args: str, env: Mapping[str, str] | None = None) -> str | None:
        """Run ``git``; None instead of an error when it exits non-zero."""
        done = _run(self.path, args, None, env)
        return done.stdout.decode(errors="replace") if done.returncode == 0 else None

    # -- refs -------------------------------------------------------------------------------
    def resolve(self, ref: str) -> str | None:
        """The commit ``ref`` (a branch, tag or sha) names, if any."""
        if not ref or ref.startswith("-"):
            return None
        found = self.attempt("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
        return found.strip() if found else None

    def branch_sha(self, branch: str) -> str | None:
        return self.resolve(f"refs/heads/{branch}") if branch else None

    def branches(self) -> dict[str, str]:
        """Branch name → head sha."""
        listed = self.run("for-each-ref", "--format=%(objectname) %(refname)", "refs/heads")
        pairs = (line.split(" ", 1) for line in listed.splitlines() if line)
        return {ref.removeprefix("refs/heads/"): sha for sha, ref in pairs}

    def move_branch(self, branch: str, new: str, expected: str | None) -> bool:
        """Point ``branch`` at ``new`` if it still is at ``expected`` (None: must not exist)."""
        old = expected or ZERO_SHA
        return self.attempt("update-ref", f"refs/heads/{branch}", new, old) is not None

    def delete_branch(self, branch: str) -> bool:
        sha = self.branch_sha(branch)
        if sha is None:
            return False
        return self.attempt("update-ref", "-d", f"refs/heads/{branch}", sha) is not None

    def is_ancestor(self, older: str, newer: str) -> bool:
        return self.attempt("merge-base", "--is-ancestor", older, newer) is not None

    def merge_base(self, one: str, other: str) -> str | None:
        found = self.attempt("merge-base", one, other)
        return found.strip() if found else None

    # -- files and commits ---------------------------------------------------------------------
    def read_file(self, ref: str, path: str) -> bytes | None:
        """The bytes of the file at ``path`` in ``ref``; None when it is not a file there."""
        sha = self.resolve(ref)
        if sha is None or self.attempt("cat-file", "-e", f"{sha}:{path}") is None:
            return None
        if self.run("cat-file", "-t", f"{sha}:{path}").strip() != "blob":
            return None
        return _git(self.path, "cat-file", "blob", f"{sha}:{path}").stdout

    def resolve_blob(self, ref: str, path: str) -> str | None:
        """The blob sha of the file at ``path`` in ``ref``."""
        found = self.attempt("rev-parse", "--verify", "--quiet", f"{ref}:{path}")
        return found.strip() if found else None

    def commit_files(
        self,
        branch: str,
        files: Mapping[str, bytes | None],
        message: str,
        *,
        author: Signature,
        committer: Signature | None = None,
    ) -> str:
        """Commit ``files`` (None deletes one) on top of ``branch``, creating it if needed."""
        parent = self.branch_sha(branch)
        tree = self._tree_with(parent, files)
        sha = self.write_commit(tree, [parent] if parent else [], message, author, committer)
        if not self.move_branch(branch, sha, parent):
            raise BareGitError(f"branch {branch} moved while committing to it")
        return sha

    def write_commit(
        self,
        tree: str,
        parents: list[str],
        message: str,
        author: Signature,
        committer: Signature | None = None,
    ) -> str:
        env = {**author.env("AUTHOR"), **(committer or author).env("COMMITTER")}
        linked = [arg for parent in parents for arg in ("-p", parent)]
        return self.run("commit-tree", tree, *linked, stdin=message.encode(), env=env).strip()

    def merged_tree(self, base: str, head: str) -> str | None:
        """The tree of merging ``head`` into ``base``; None when they conflict."""
        done = _run(self.path, ("merge-tree", "--write-tree", "--no-messages", base, head))
        if done.returncode == 1:
            return None
        if done.returncode != 0:
            raise _failure(("merge-tree", base, head), done)
        return done.stdout.decode().split("\n", 1)[0].strip()

    def _tree_with(self, parent: str | None, files: Mapping[str, bytes | None]) -> str:
        with tempfile.TemporaryDirectory(prefix="fakegithub-index-") as scratch:
            env = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
            if parent:
                self.run("read-tree", parent, env=env)
            entries = [self._index_entry(path.strip("/"), data) for path, data in files.items()]
            self.run("update-index", "--index-info", stdin="".join(entries).encode(), env=env)
            return self.run("write-tree", env=env).strip()

    def _index_entry(self, path: str, data: bytes | None) -> str:
        """An ``update-index --index-info`` line: the file's blob, or mode 0 to remove it."""
        if data is None:
            return f"0 {ZERO_SHA}\t{path}\n"
        blob = self.run("hash-object", "-w", "--stdin", stdin=data).strip()
        return f"100644 {blob}\t{path}\n"


def _git(
    cwd: Path | None,
    *args: str,
    stdin: bytes | None = None,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    done = _run(cwd, args, stdin, env)
    if done.returncode != 0:
        raise _failure(args, done)
    return done


def _run(
    cwd: Path | None,
    args: tuple[str, ...],
    stdin: bytes | None = None,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    command = ["git", *(["-C", str(cwd)] if cwd is not None else []), *args]
    return subprocess.run(  # a fixed git command line, no shell
        command,
        input=stdin,
        capture_output=True,
        env={**_outside_environment(), **_ISOLATED, **(env or {})},
        check=False,
    )


def _outside_environment() -> dict[str, str]:
    """The process environment without the caller's own ``GIT_*`` settings (a hook's
    ``GIT_DIR`` or ``GIT_INDEX_FILE`` would point git at another repository)."""
    return {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}


def _failure(args: tuple[str, ...], done: subprocess.CompletedProcess[bytes]) -> BareGitError:
    detail = done.stderr.decode(errors="replace").strip()
    return BareGitError(
        f"git {' '.join(args[:3])} failed ({done.returncode}): {detail}",
        hint="check that git (2.38 or later) is installed and the repository is intact",
    )
