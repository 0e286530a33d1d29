"""A leased git worktree: the Workspace port over a directory and the ``git`` CLI.

Reads and edits go through ``confined_path`` so nothing outside the worktree is touched;
searches use ``git grep`` (tracked and new files); changes, commits and pushes are in
``changes.py``.
"""

from __future__ import annotations

from pathlib import Path

from sheriff.adapters.git import changes
from sheriff.adapters.git.confinement import confined_path, relative_name
from sheriff.adapters.git.options import GitOptions, command_argv
from sheriff.adapters.git.processes import run_command, run_git
from sheriff.adapters.git.test_definitions import definition_patterns, parse_grep, rank_definitions
from sheriff.app.workspace import CommandResult, DiffStat, Snippet, SourceLocation
from sheriff.errors import WorkspaceEditError, WorkspaceError, WorkspacePathError

MAX_FILE_BYTES = 4 << 20
_EDIT_HINT = "read the file again and copy the exact text, with enough lines to be unique"


class GitWorktree:
    def __init__(self, root: Path, base_sha: str, *, options: GitOptions, push_url: str) -> None:
        self.root = root
        self._base_sha = base_sha
        self._options = options
        self._push_url = push_url

    @property
    def base_sha(self) -> str:
        return self._base_sha

    def read_file(self, path: str, start: int = 1, end: int | None = None) -> Snippet:
        lines = self._read_text(path).splitlines()
        return snippet_of(lines, str(relative_name(path)), self._base_sha, start, end)

    def search(self, text: str, *, limit: int = 50) -> list[SourceLocation]:
        if not text:
            return []
        found = self._grep(["-F", "-e", text])
        return found[:limit]

    def find_test(self, name: str) -> list[SourceLocation]:
        patterns = definition_patterns(name)
        if not patterns:
            return []
        options = ["-E"] + [item for pattern in patterns for item in ("-e", pattern)]
        return rank_definitions(self._grep(options))

    def list_files(self, under: str = "") -> list[str]:
        where = str(relative_name(under)) if under else "."
        output = self._git(
            "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", where
        )
        names = output.decode("utf-8", "replace").split("\0")
        return sorted({name for name in names if name and (self.root / name).is_file()})

    def write_file(self, path: str, text: str) -> None:
        target = confined_path(self.root, path)
        if target.is_dir():
            raise WorkspacePathError(f"{path!r} is a directory", hint="name a file")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def edit_file(self, path: str, old: str, new: str) -> None:
        if not old:
            if confined_path(self.root, path).exists():
                raise WorkspaceEditError(
                    f"{path} exists already", hint="give the text to replace in it"
                )
            self.write_file(path, new)
            return
        text = self._read_text(path)
        count = text.count(old)
        if count != 1:
            where = "not found" if count == 0 else f"found {count} times"
            raise WorkspaceEditError(f"the text to replace was {where} in {path}", hint=_EDIT_HINT)
        self.write_file(path, text.replace(old, new, 1))

    def run_tests(self, test: str | None = None, *, timeout: float | None = None) -> CommandResult:
        command = self._options.test_command
        if command is None:
            raise WorkspaceError(
                "no test command is configured",
                hint="set test_command (SHERIFF_TEST_COMMAND), e.g. 'python -m pytest -q {test}'",
            )
        limit = self._options.test_timeout
        if timeout is not None:
            limit = max(0.1, min(limit, timeout))
        return run_command(command_argv(command, test), cwd=self.root, timeout=limit)

    def diff_stat(self) -> DiffStat:
        return changes.diff_stat(self.root, self._base_sha, self._options)

    def commit(self, message: str) -> str | None:
        return changes.commit(self.root, message, self._options)

    def push(self, branch: str) -> None:
        changes.push(self.root, branch, self._push_url, self._options)

    def _read_text(self, path: str) -> str:
        target = confined_path(self.root, path)
        if not target.is_file():
            raise WorkspacePathError(f"no file {path!r} in the worktree", hint="list the files")
        if target.stat().st_size > MAX_FILE_BYTES:
            raise WorkspaceEditError(
                f"{path} is too big to read or edit", hint="pick a smaller file"
            )
        return target.read_text(encoding="utf-8", errors="replace")

    def _grep(self, options: list[str]) -> list[SourceLocation]:
        output = self._git(
            "grep", "-n", "-I", "-z", "--untracked", "--no-color", *options, "--", ".", ok=(0, 1)
        )
        return parse_grep(output)

    def _git(self, *args: str, ok: tuple[int, ...] = (0,)) -> bytes:
        timeout = self._options.git_timeout
        return run_git(args, cwd=self.root, timeout=timeout, ok_codes=ok).stdout


def snippet_of(lines: list[str], path: str, sha: str, start: int, end: int | None) -> Snippet:
    """Lines ``start``..``end`` (1-based, inclusive, clipped to the file)."""
    first = max(1, start)
    last = min(len(lines), end if end is not None else len(lines))
    text = "\n".join(lines[first - 1 : last]) if last >= first else ""
    return Snippet(path, sha, first, max(last, first - 1), text, len(lines))
