from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from sheriff.adapters.git import GitMirror
from sheriff.errors import GitRefNotFoundError, WorkspaceBusyError
from tests.adapters.git.repos import Published, git, workspaces


def registered_worktrees(mirror: GitMirror) -> list[str]:
    listing = git(mirror.path, "worktree", "list", "--porcelain")
    return [line.split(" ", 1)[1] for line in listing.splitlines() if line.startswith("worktree ")]


def test_a_lease_checks_out_the_ref_and_removes_the_worktree_after(mirror: GitMirror) -> None:
    with mirror.lease_worktree("main") as tree:
        root = tree.root
        assert tree.base_sha == mirror.head("main")
        assert (root / "shop" / "pricing.py").is_file()
        assert git(root, "rev-parse", "HEAD") == tree.base_sha
        assert str(root) in registered_worktrees(mirror)

    assert not root.exists()
    assert registered_worktrees(mirror) == [str(mirror.path)]


def test_the_worktree_is_removed_when_the_block_raises(mirror: GitMirror) -> None:
    roots: list[Path] = []

    def fail_inside_a_lease() -> None:
        with mirror.lease_worktree("main") as tree:
            roots.append(tree.root)
            (tree.root / "scratch.txt").write_text("left behind?")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        fail_inside_a_lease()

    assert roots
    assert not roots[0].exists()
    assert registered_worktrees(mirror) == [str(mirror.path)]


def test_a_lease_at_a_commit_is_detached_at_that_commit(
    mirror: GitMirror, published: Published
) -> None:
    first = mirror.head("main")
    published.commit({"README.md": "changed\n"}, "Change")
    mirror.ensure()

    with mirror.lease_worktree(first) as tree:
        assert tree.base_sha == first
        assert (tree.root / "README.md").read_text() == "A tiny shop.\n"

    with pytest.raises(GitRefNotFoundError), mirror.lease_worktree("no-such-branch"):
        pass


def test_a_busy_pool_gives_a_clear_error_after_waiting(
    tmp_path: Path, published: Published
) -> None:
    mirror = workspaces(tmp_path / "sheriff", slots=1, wait_seconds=0.2).mirror(
        "shop/pricing", published.url
    )
    mirror.ensure()

    with (
        mirror.lease_worktree("main"),
        pytest.raises(WorkspaceBusyError, match="1 worktree slots") as raised,
        mirror.lease_worktree("main"),
    ):
        pass
    assert "workspace_slots" in raised.value.hint

    with mirror.lease_worktree("main") as tree:  # the slot is free again
        assert tree.root.is_dir()


def errors_in_threads(work: Callable[[], None], threads: int) -> list[Exception]:
    """Run ``work`` in ``threads`` threads at once; what any of them raised (a thread's
    error would otherwise only be a warning, and the test would pass)."""
    errors: list[Exception] = []

    def guarded() -> None:
        try:
            work()
        except Exception as error:  # noqa: BLE001 (collected and asserted by the caller)
            errors.append(error)

    running = [threading.Thread(target=guarded) for _ in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()
    return errors


def test_concurrent_leases_never_exceed_the_slots(tmp_path: Path, published: Published) -> None:
    mirror = workspaces(tmp_path / "sheriff", slots=2, wait_seconds=30).mirror(
        "shop/pricing", published.url
    )
    mirror.ensure()
    lock = threading.Lock()
    held: list[int] = [0]
    peak: list[int] = [0]
    roots: set[Path] = set()

    def work() -> None:
        with mirror.lease_worktree("main") as tree:
            with lock:
                held[0] += 1
                peak[0] = max(peak[0], held[0])
                roots.add(tree.root)
            (tree.root / "note.txt").write_text("x")
            threading.Event().wait(0.05)
            with lock:
                held[0] -= 1

    assert errors_in_threads(work, threads=5) == []
    assert peak[0] == 2
    assert len(roots) == 2
    assert registered_worktrees(mirror) == [str(mirror.path)]


def test_a_worktree_left_by_a_dead_lease_is_cleared(mirror: GitMirror) -> None:
    slot = mirror.path.parents[1] / "worktrees" / "slot-0"
    git(mirror.path, "worktree", "add", "--detach", str(slot), "main")
    (slot / "junk.txt").write_text("from a crashed run")

    with mirror.lease_worktree("main") as tree:
        assert tree.root == slot
        assert not (slot / "junk.txt").exists()

    assert registered_worktrees(mirror) == [str(mirror.path)]


def test_leases_taken_and_given_back_concurrently_never_fail(
    tmp_path: Path, published: Published
) -> None:
    # Before worktree administration was serialised, one lease's `git worktree prune`
    # deleted the records of a worktree another lease was adding (about two runs in three
    # failed with "failed to read worktrees/slot-0/commondir").
    mirror = workspaces(tmp_path / "sheriff", slots=3, wait_seconds=60).mirror(
        "shop/pricing", published.url
    )
    mirror.ensure()

    def work() -> None:
        for _ in range(5):
            with mirror.lease_worktree("main") as tree:
                (tree.root / "note.txt").write_text("x")

    assert errors_in_threads(work, threads=8) == []
    assert registered_worktrees(mirror) == [str(mirror.path)]
