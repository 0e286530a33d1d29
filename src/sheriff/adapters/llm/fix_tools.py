"""The fix agent's allow-list: five tools over a Workspace, and nothing else.

read_file, search, list_files, edit_file (replace exact text) and run_tests. Every answer
is redacted before the model sees it and kept short (the model pays for every token). A
problem the model can correct (a wrong path, text not found) comes back as an answer
starting with ``error:`` instead of ending the run.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic_ai import Tool

from sheriff.adapters.llm.fix_progress import FixProgress
from sheriff.app.workspace import CommandResult, Snippet, Workspace
from sheriff.core.redact import redact
from sheriff.errors import WorkspaceError

READ_LINES = 400
SEARCH_HITS = 50
LISTED_FILES = 500
RUN_OUTPUT_CHARS = 12_000


class FixTools:
    def __init__(self, workspace: Workspace, progress: FixProgress, test: str | None) -> None:
        self._workspace = workspace
        self._progress = progress
        self._test = test

    def tools(self) -> list[Tool[None]]:
        functions = (self.read_file, self.search, self.list_files, self.edit_file, self.run_tests)
        return [Tool(function, sequential=True, max_retries=3) for function in functions]

    def read_file(self, path: str, start_line: int = 1, end_line: int | None = None) -> str:
        """Read lines of a file, each prefixed with its number; at most 400 lines per call.

        Args:
            path: path relative to the repository root, e.g. "src/app/cart.py"
            start_line: first line to read (1-based)
            end_line: last line to read (default: start_line + 399)
        """
        last = min(end_line or start_line + READ_LINES - 1, start_line + READ_LINES - 1)
        return self._answer(
            lambda: numbered_snippet(self._workspace.read_file(path, start_line, last))
        )

    def search(self, text: str) -> str:
        """Find the lines of the repository's files that contain ``text`` (literally).

        Args:
            text: the exact text to look for, e.g. a function or test name
        """

        def found() -> str:
            hits = self._workspace.search(text, limit=SEARCH_HITS + 1)
            lines = [f"{hit.path}:{hit.line}: {hit.text}" for hit in hits[:SEARCH_HITS]]
            more = ["(more matches not shown; search for something narrower)"]
            return "\n".join(lines + (more if len(hits) > SEARCH_HITS else [])) or "no match"

        return self._answer(found)

    def list_files(self, directory: str = "") -> str:
        """List the repository's files, optionally only those under a directory.

        Args:
            directory: a directory relative to the repository root; empty for all files
        """

        def listed() -> str:
            names = self._workspace.list_files(directory)
            extra = len(names) - LISTED_FILES
            tail = [f"... and {extra} more; list a subdirectory"] if extra > 0 else []
            return "\n".join(names[:LISTED_FILES] + tail) or "no files"

        return self._answer(listed)

    def edit_file(self, path: str, old_text: str, new_text: str) -> str:
        """Replace the one occurrence of old_text in a file with new_text.

        Copy old_text exactly from read_file's output, without the line numbers, with
        enough lines to be unique. An empty old_text creates a new file holding new_text.

        Args:
            path: path relative to the repository root
            old_text: the exact text to replace (empty: create the file)
            new_text: the text to put in its place
        """

        def edited() -> str:
            self._workspace.edit_file(path, old_text, new_text)
            self._progress.record_edit(path)
            return f"edited {path}"

        return self._answer(edited)

    def run_tests(self) -> str:
        """Run the project's tests for the failing test; returns the result and the output's end."""
        timeout = self._progress.remaining_seconds()
        try:
            result = self._workspace.run_tests(self._test, timeout=timeout)
        except WorkspaceError as error:
            return redact(f"error: {error}")
        self._progress.record_run(result)
        return redact(describe_run(result))

    def _answer(self, work: Callable[[], str]) -> str:
        self._progress.remaining_seconds()
        try:
            return redact(work())
        except WorkspaceError as error:
            return redact(f"error: {error}")


def describe_run(result: CommandResult) -> str:
    if result.timed_out:
        verdict = f"TIMED OUT after {result.duration_seconds:g}s"
    else:
        verdict = "PASSED" if result.passed else f"FAILED (exit code {result.exit_code})"
    output = result.output[-RUN_OUTPUT_CHARS:]
    cut = "[earlier output cut]\n" if result.truncated or len(result.output) > len(output) else ""
    return f"{' '.join(result.argv)}\n{verdict}\n{cut}{output}"


def numbered_snippet(snippet: Snippet) -> str:
    if not snippet.text:
        return f"{snippet.path} has {snippet.lines_in_file} lines; none in the asked range"
    lines = snippet.text.split("\n")
    body = "\n".join(f"{snippet.start + index:>5}  {line}" for index, line in enumerate(lines))
    more = snippet.lines_in_file - snippet.end
    return body + (f"\n({more} more lines)" if more > 0 else "")
