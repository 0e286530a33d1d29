"""The assistant's allow-list: four read-only tools over a ``SourceReader``, nothing else.

read_file, search, find_test and list_files (``sheriff.app.llm.READ_ONLY_TOOLS``). No tool
writes, runs a command or reaches the network. Every answer is redacted and kept short;
a problem the model can correct (a wrong path) comes back as an answer starting with
``error:`` instead of ending the run.
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic_ai import Tool

from sheriff.adapters.llm.fix_tools import LISTED_FILES, READ_LINES, SEARCH_HITS, numbered_snippet
from sheriff.app.llm import READ_ONLY_TOOLS
from sheriff.app.workspace import SourceLocation, SourceReader
from sheriff.core.redact import redact
from sheriff.errors import WorkspaceError


class ReadOnlyTools:
    def __init__(self, source: SourceReader) -> None:
        self._source = source

    def tools(self) -> list[Tool[None]]:
        functions = (self.read_file, self.search, self.find_test, self.list_files)
        tools: list[Tool[None]] = [
            Tool(function, sequential=True, max_retries=2) for function in functions
        ]
        assert tuple(tool.name for tool in tools) == READ_ONLY_TOOLS
        return tools

    def read_file(self, path: str, start_line: int = 1, end_line: int | None = None) -> str:
        """Read lines of a file, each prefixed with its number; at most 400 lines per call.

        Args:
            path: path relative to the repository root, e.g. "src/app/cart.py"
            start_line: first line to read (1-based)
            end_line: last line to read (default: start_line + 399)
        """
        last = min(end_line or start_line + READ_LINES - 1, start_line + READ_LINES - 1)
        return _answer(lambda: numbered_snippet(self._source.read_file(path, start_line, last)))

    def search(self, text: str) -> str:
        """Find the lines of the repository's files that contain ``text`` (literally).

        Args:
            text: the exact text to look for, e.g. a function or test name
        """
        return _answer(lambda: _locations(self._source.search(text, limit=SEARCH_HITS + 1)))

    def find_test(self, name: str) -> str:
        """Find where a test is defined (Go, Python, JS/TS, JVM and Rust idioms).

        Args:
            name: the test's name, e.g. "test_fetch_within_deadline" or "TestParse"
        """
        return _answer(lambda: _locations(self._source.find_test(name)))

    def list_files(self, directory: str = "") -> str:
        """List the repository's files, optionally only those under a directory.

        Args:
            directory: a directory relative to the repository root; empty for all files
        """

        def listed() -> str:
            names = self._source.list_files(directory)
            extra = len(names) - LISTED_FILES
            tail = [f"... and {extra} more; list a subdirectory"] if extra > 0 else []
            return "\n".join(names[:LISTED_FILES] + tail) or "no files"

        return _answer(listed)


def _locations(hits: list[SourceLocation]) -> str:
    lines = [f"{hit.path}:{hit.line}: {hit.text}" for hit in hits[:SEARCH_HITS]]
    more = ["(more matches not shown; search for something narrower)"]
    return "\n".join(lines + (more if len(hits) > SEARCH_HITS else [])) or "no match"


def _answer(work: Callable[[], str]) -> str:
    try:
        return redact(work())
    except WorkspaceError as error:
        return redact(f"error: {error}")
