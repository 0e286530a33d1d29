"""Finding the file that defines a failing test: the path its identity names first, a
search of the tree only when that path does not define it."""

from __future__ import annotations

from sheriff.app.fix_patch import find_test_file
from sheriff.app.workspace import Snippet, SourceLocation
from sheriff.core.model import TestIdentity
from sheriff.errors import WorkspacePathError

TEST = TestIdentity("pytest", "tests/test_retry.py", "test_fetch_within_deadline")
DEFINES = "import pytest\n\n\ndef test_fetch_within_deadline():\n    assert True\n"


class Tree:
    """A read-only source tree in memory that counts its searches."""

    def __init__(self, files: dict[str, str]) -> None:
        self.files = files
        self.searches = 0

    def read_file(self, path: str, start: int = 1, end: int | None = None) -> Snippet:
        if path not in self.files:
            raise WorkspacePathError(f"no file {path}")
        text = self.files[path]
        count = len(text.splitlines())
        return Snippet(path, "a" * 40, start, end or count, text, count)

    def search(self, text: str, *, limit: int = 50) -> list[SourceLocation]:
        return []

    def find_test(self, name: str) -> list[SourceLocation]:
        self.searches += 1
        return [
            SourceLocation(path, 4, f"def {name}():")
            for path, text in self.files.items()
            if f"def {name}(" in text
        ]

    def list_files(self, under: str = "") -> list[str]:
        return sorted(self.files)


def test_the_named_file_that_defines_the_test_is_taken_without_a_search() -> None:
    tree = Tree({"tests/test_retry.py": DEFINES, "legacy/tests/test_retry.py": DEFINES})
    assert find_test_file(tree, TEST) == "tests/test_retry.py"
    assert tree.searches == 0


def test_a_test_moved_elsewhere_is_found_by_a_search() -> None:
    tree = Tree({"tests/test_retry.py": "# moved\n", "tests/net/test_retry.py": DEFINES})
    assert find_test_file(tree, TEST) == "tests/net/test_retry.py"
    assert tree.searches == 1
