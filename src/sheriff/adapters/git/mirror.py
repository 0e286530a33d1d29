"""A local mirror of one repository (``git clone --mirror``) and worktrees leased from it.

The mirror is fetched with ``--prune``, so it holds exactly the remote's refs. Worktrees
are detached at a commit (never a local branch, which a mirror fetch would overwrite or
prune) and pushed with an explicit ``HEAD:refs/heads/<branch>``. A new mirror is cloned
into a temporary directory and renamed into place, so a clone cut short leaves nothing
half-made; concurrent ``ensure`` calls queue on a lock file.
"""

from __future__ import annotations

import fcntl
import re
import shutil
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from sheriff.adapters.git.confinement import relative_name
from sheriff.adapters.git.options import GitOptions
from sheriff.adapters.git.processes import run_git
from sheriff.adapters.git.slots import WorktreeSlots
from sheriff.adapters.git.test_definitions import definition_patterns, parse_grep, rank_definitions
from sheriff.adapters.git.worktree import MAX_FILE_BYTES, GitWorktree, snippet_of
from sheriff.app.workspace import Snippet, SourceLocation
from sheriff.errors import GitCommandError, GitRefNotFoundError, WorkspaceError

_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


class GitMirror:
    def __init__(
        self,
        path: Path,
        clone_url: str,
        *,
        slots: WorktreeSlots,
        options: GitOptions,
        push_url: str | None = None,
    ) -> None:
        self.path = path
        self.clone_url = clone_url
        self.push_url = push_url or clone_url
        self._slots = slots
        self._options = options

    def ensure(self) -> None:
        """Clone the mirror, or fetch it (pruning deleted refs) when it exists."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _locked(self.path.with_name(self.path.name + ".lock")):
            if (self.path / "HEAD").is_file():
                self._git("fetch", "--prune", "--quiet", "origin")
                with self._administering_worktrees():
                    self._git("worktree", "prune")
            else:
                self._clone()

    def head(self, branch: str) -> str:
        """The commit ``branch`` points at in the mirror."""
        sha = self._resolve(f"refs/heads/{branch}")
        if sha is None:
            raise GitRefNotFoundError(
                f"no branch {branch!r} in the mirror of {self.clone_url}",
                hint="check the branch name, or fetch the mirror again",
            )
        return sha

    def read_at(
        self, sha: str, path: str, start: int = 1, end: int | None = None
    ) -> Snippet | None:
        """Lines of ``path`` at commit ``sha``; None when the file does not exist there."""
        commit = self._commit(sha)
        name = str(relative_name(path))
        entry = self._git("ls-tree", "-l", "-z", commit, "--", name).decode("utf-8", "replace")
        meta, _, listed = entry.partition("\t")
        fields = meta.split()  # mode, type, object, size
        if listed.rstrip("\0") != name or len(fields) != 4 or fields[1] != "blob":
            return None  # no such file at that commit (or a directory, a submodule)
        if int(fields[3]) > MAX_FILE_BYTES:
            raise WorkspaceError(f"{name} at {commit[:12]} is too big to read", hint="skip it")
        lines = self._git("cat-file", "blob", fields[2]).decode("utf-8", "replace").splitlines()
        return snippet_of(lines, name, commit, start, end)

    def find_test_at(self, sha: str, name: str) -> list[SourceLocation]:
        """Where the test called ``name`` is defined at commit ``sha`` (test files first)."""
        commit = self._commit(sha)
        patterns = definition_patterns(name)
        if not patterns:
            return []
        options = [item for pattern in patterns for item in ("-e", pattern)]
        output = run_git(
            ["grep", "-n", "-I", "-z", "-E", "--no-color", *options, commit, "--"],
            cwd=self.path,
            timeout=self._options.git_timeout,
            ok_codes=(0, 1),
        ).stdout
        return rank_definitions(parse_grep(output, prefix=f"{commit}:"))

    def contains(self, sha: str, ancestor: str) -> bool:
        """Whether commit ``sha`` has ``ancestor`` in its history (or is it)."""
        commit, older = self._commit(sha), self._commit(ancestor)
        result = run_git(
            ["merge-base", "--is-ancestor", older, commit],
            cwd=self.path,
            timeout=self._options.git_timeout,
            ok_codes=(0, 1),
        )
        return result.code == 0

    @contextmanager
    def lease_worktree(self, ref: str) -> Iterator[GitWorktree]:
        """A worktree at ``ref`` (branch or commit) for the block; always removed after it."""
        sha = self._commit(ref)
        with self._slots.take() as place:
            with self._administering_worktrees():
                self._clear(place)
                self._git("worktree", "add", "--detach", "--force", str(place), sha)
            try:
                yield GitWorktree(place, sha, options=self._options, push_url=self.push_url)
            finally:
                with self._administering_worktrees():
                    self._remove(place)

    def _administering_worktrees(self) -> AbstractContextManager[None]:
        """One add, prune or remove at a time per mirror (threads and processes alike):
        ``git worktree prune`` deletes the records of a worktree that another ``add`` is
        still writing ("failed to read worktrees/slot-0/commondir")."""
        return _locked(self.path.with_name(self.path.name + ".worktrees.lock"))

    def _clone(self) -> None:
        if self.path.exists():
            raise WorkspaceError(
                f"{self.path} exists but is not a git mirror",
                hint="move it away or point workspace_dir somewhere else",
            )
        partial = self.path.with_name(self.path.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        run_git(
            ["clone", "--mirror", "--quiet", "--", self.clone_url, str(partial)],
            cwd=self.path.parent,
            timeout=self._options.git_timeout,
        )
        partial.rename(self.path)

    def _commit(self, ref: str) -> str:
        if _SHA.fullmatch(ref):
            sha = self._resolve(ref)
        else:
            sha = self._resolve(f"refs/heads/{ref}") or self._resolve(ref)
        if sha is None:
            raise GitRefNotFoundError(
                f"{ref!r} is not a commit in the mirror of {self.clone_url}",
                hint="fetch the mirror again; the commit may be gone after a force-push",
            )
        return sha

    def _resolve(self, ref: str) -> str | None:
        output = run_git(
            ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"],
            cwd=self.path,
            timeout=self._options.git_timeout,
            ok_codes=(0, 1, 128),
        )
        text = output.stdout.decode().strip()
        return text if output.code == 0 and text else None

    def _clear(self, place: Path) -> None:
        """Remove what a lease that died left in ``place``, and forget stale worktrees."""
        if place.exists():
            shutil.rmtree(place)
        self._git("worktree", "prune")

    def _remove(self, place: Path) -> None:
        try:
            self._git("worktree", "remove", "--force", "--force", str(place))
        except GitCommandError:
            shutil.rmtree(place, ignore_errors=True)
            self._git("worktree", "prune")

    def _git(self, *args: str) -> bytes:
        return run_git(args, cwd=self.path, timeout=self._options.git_timeout).stdout


@contextmanager
def _locked(lock_file: Path) -> Iterator[None]:
    with lock_file.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
