"""The repository's code as the assistant reads it: the mirror, opened on first use, and a
read-only source for the model's tools at one commit.

``reader`` leases a worktree for the answer (all four read-only tools work on it; the
worktree is removed afterwards and nothing in it is committed or pushed). When every
worktree slot is busy it falls back to reading the mirror at the commit directly, where
read_file and find_test work and search and list_files say they are unavailable.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from sheriff.app.assistant_records import MirrorOpener
from sheriff.app.forge import Forge
from sheriff.app.workspace import Snippet, SourceLocation, SourceMirror, SourceReader
from sheriff.errors import WorkspaceBusyError, WorkspaceError, WorkspacePathError


class RepositoryCode:
    def __init__(self, forge: Forge, opener: MirrorOpener | None) -> None:
        self._forge = forge
        self._opener = opener
        self._mirror: SourceMirror | None = None
        self._fetched = False
        self.note = "" if opener else "no local mirror of the repository is configured"

    def mirror(self, *, refresh: bool = False) -> SourceMirror | None:
        """The fetched mirror, or None (``note`` says why) when code cannot be read."""
        if self._opener is None or (self.note and self._mirror is None):
            return None
        try:
            if self._mirror is None:
                clone_url = self._forge.get_repository().clone_url
                if not clone_url:
                    self.note = f"GitHub gave no clone URL for {self._forge.write_repo}"
                    return None
                self._mirror = self._opener(self._forge.write_repo, clone_url)
            if refresh or not self._fetched:
                self._mirror.ensure()
                self._fetched = True
        except WorkspaceError as error:
            self.note = f"the repository could not be fetched: {error.message}"
            self._mirror = None
            return None
        return self._mirror

    @contextmanager
    def reader(self, sha: str | None) -> Iterator[SourceReader | None]:
        """Read-only code at ``sha`` for the block, or None when there is none."""
        mirror = self.mirror()
        if mirror is None or sha is None:
            yield None
            return
        with ExitStack() as stack:
            source: SourceReader | None
            try:
                source = stack.enter_context(mirror.lease_worktree(sha))
            except WorkspaceBusyError:
                source = MirrorReader(mirror, sha)
            except WorkspaceError as error:
                self.note = f"no worktree for {sha[:12]}: {error.message}"
                source = None
            yield source


class MirrorReader:
    """A ``SourceReader`` over the mirror at one commit, without a worktree."""

    def __init__(self, mirror: SourceMirror, sha: str) -> None:
        self._mirror = mirror
        self._sha = sha

    def read_file(self, path: str, start: int = 1, end: int | None = None) -> Snippet:
        snippet = self._mirror.read_at(self._sha, path, start, end)
        if snippet is None:
            raise WorkspacePathError(
                f"no file {path} at {self._sha[:12]}", hint="check the path with find_test"
            )
        return snippet

    def search(self, text: str, *, limit: int = 50) -> list[SourceLocation]:
        raise WorkspaceError(_BUSY, hint="use read_file or find_test")

    def find_test(self, name: str) -> list[SourceLocation]:
        return self._mirror.find_test_at(self._sha, name)

    def list_files(self, under: str = "") -> list[str]:
        raise WorkspaceError(_BUSY, hint="use read_file or find_test")


_BUSY = "search and list_files are unavailable now (every worktree is busy)"
