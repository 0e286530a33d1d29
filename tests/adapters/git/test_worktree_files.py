from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from sheriff.adapters.git import GitMirror, GitWorktree
from sheriff.errors import WorkspaceEditError, WorkspacePathError


@pytest.fixture
def tree(mirror: GitMirror) -> Iterator[GitWorktree]:
    with mirror.lease_worktree("main") as leased:
        yield leased


def test_read_file_gives_the_asked_lines(tree: GitWorktree) -> None:
    snippet = tree.read_file("shop/pricing.py", 3, 3)
    assert snippet.text == "    return sum(prices) * (1 - discount / 100) + 1"
    assert (snippet.start, snippet.end, snippet.lines_in_file) == (3, 3, 3)
    assert tree.read_file("./shop/pricing.py").text.startswith("def total(")


def test_search_finds_literal_text_in_tracked_and_new_files(tree: GitWorktree) -> None:
    tree.write_file("shop/tax.py", "RATE = total([1], 0)\n")
    found = tree.search("total(")
    assert [(hit.path, hit.line) for hit in found] == [
        ("shop/pricing.py", 1),
        ("shop/tax.py", 1),
        ("tests/test_pricing.py", 5),
        ("tests/test_pricing.py", 9),
    ]
    assert tree.search("total(.") == []  # literal, not a regex
    assert len(tree.search("total", limit=2)) == 2


def test_find_test_in_the_worktree(tree: GitWorktree) -> None:
    found = tree.find_test("tests/test_pricing.py::test_total_applies_discount")
    assert [(hit.path, hit.line) for hit in found] == [("tests/test_pricing.py", 4)]


def test_list_files_includes_new_files_and_can_be_narrowed(tree: GitWorktree) -> None:
    tree.write_file("shop/tax.py", "RATE = 1\n")
    assert tree.list_files() == [
        "README.md",
        "shop/__init__.py",
        "shop/pricing.py",
        "shop/tax.py",
        "tests/test_pricing.py",
    ]
    assert tree.list_files("tests") == ["tests/test_pricing.py"]


def test_edit_file_replaces_exactly_one_occurrence(tree: GitWorktree) -> None:
    tree.edit_file("shop/pricing.py", " + 1\n", "\n")
    assert "+ 1" not in (tree.root / "shop/pricing.py").read_text()

    with pytest.raises(WorkspaceEditError, match="not found"):
        tree.edit_file("shop/pricing.py", "no such text", "x")
    with pytest.raises(WorkspaceEditError, match="found 2 times"):
        tree.edit_file("tests/test_pricing.py", "def test_total", "def check_total")


def test_edit_file_with_nothing_to_replace_creates_a_new_file_only(tree: GitWorktree) -> None:
    tree.edit_file("shop/discounts.py", "", "MAX = 90\n")
    assert (tree.root / "shop/discounts.py").read_text() == "MAX = 90\n"
    with pytest.raises(WorkspaceEditError, match="exists already"):
        tree.edit_file("shop/pricing.py", "", "overwritten")


@pytest.mark.parametrize(
    "name",
    ["../escape.txt", "shop/../../escape.txt", "/etc/passwd", "~/x", ".git/config", "", "a\0b"],
)
def test_paths_outside_the_worktree_are_refused(tree: GitWorktree, name: str) -> None:
    with pytest.raises(WorkspacePathError):
        tree.write_file(name, "pwned")
    with pytest.raises(WorkspacePathError):
        tree.read_file(name)
    assert not (tree.root.parent / "escape.txt").exists()


def test_symlinks_leading_out_of_the_worktree_are_refused(
    tree: GitWorktree, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("s3cret")
    os.symlink(outside, tree.root / "link")
    os.symlink(outside / "secret.txt", tree.root / "shop" / "alias.py")

    with pytest.raises(WorkspacePathError, match="outside"):
        tree.write_file("link/new.txt", "pwned")
    with pytest.raises(WorkspacePathError, match="outside"):
        tree.edit_file("shop/alias.py", "s3cret", "pwned")
    with pytest.raises(WorkspacePathError, match="outside"):
        tree.read_file("shop/alias.py")
    assert not (outside / "new.txt").exists()
    assert (outside / "secret.txt").read_text() == "s3cret"


def test_a_symlink_inside_the_worktree_is_followed(tree: GitWorktree) -> None:
    os.symlink("pricing.py", tree.root / "shop" / "alias.py")
    assert tree.read_file("shop/alias.py").text.startswith("def total(")
