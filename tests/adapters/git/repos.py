"""Real git repositories on disk for the workspace and fix-loop tests.

``published_project`` makes an upstream working repository holding a tiny Python project
whose test fails, and a bare repository it is pushed to: the "remote", reached by a
``file://`` URL as Sheriff would reach GitHub.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from sheriff.adapters.git import GitOptions, GitWorkspaces, WorktreeSlots

IDENTITY = {
    "GIT_AUTHOR_NAME": "Ada Maintainer",
    "GIT_AUTHOR_EMAIL": "ada@example.org",
    "GIT_COMMITTER_NAME": "Ada Maintainer",
    "GIT_COMMITTER_EMAIL": "ada@example.org",
}

PRICING = '''\
def total(prices, discount):
    """Sum of prices minus a discount in percent."""
    return sum(prices) * (1 - discount / 100) + 1
'''

TEST_PRICING = """\
from shop.pricing import total


def test_total_applies_discount():
    assert total([10, 10], 50) == 10


def test_total_without_discount():
    assert total([5], 0) == 5
"""

TEST_COMMAND = (
    f"{shlex.quote(sys.executable)} -m pytest -q -p no:cacheprovider -o addopts= {{test}}"
)


def git(cwd: Path, *args: str) -> str:
    """Run git as a maintainer would; its stdout."""
    env = {**os.environ, **IDENTITY, "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


@dataclass(frozen=True)
class Published:
    upstream: Path  # a working clone maintainers commit in
    bare: Path  # the remote
    url: str  # file:// URL of the remote

    def commit(self, files: dict[str, str], message: str) -> str:
        """Commit ``files`` upstream and push them to the remote; the new sha."""
        for name, text in files.items():
            target = self.upstream / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
        git(self.upstream, "add", "--all")
        git(self.upstream, "commit", "-q", "-m", message)
        git(self.upstream, "push", "-q", "origin", "HEAD:refs/heads/main")
        return git(self.upstream, "rev-parse", "HEAD")


def published_project(root: Path, files: dict[str, str] | None = None) -> Published:
    """A remote holding the pricing project (or ``files``) on ``main``."""
    root.mkdir(parents=True, exist_ok=True)
    bare = root / "remote.git"
    upstream = root / "upstream"
    git(root, "init", "-q", "--bare", "--initial-branch=main", str(bare))
    git(root, "init", "-q", "--initial-branch=main", str(upstream))
    git(upstream, "remote", "add", "origin", bare.as_uri())
    published = Published(upstream, bare, bare.as_uri())
    project = files or {
        "shop/__init__.py": "",
        "shop/pricing.py": PRICING,
        "tests/test_pricing.py": TEST_PRICING,
        "README.md": "A tiny shop.\n",
    }
    published.commit(project, "Initial project")
    return published


def workspaces(
    root: Path,
    *,
    slots: int = 2,
    wait_seconds: float = 5.0,
    test_command: str | None = TEST_COMMAND,
) -> GitWorkspaces:
    options = GitOptions(
        bot_name="sheriff[bot]",
        bot_email="sheriff@example.org",
        git_timeout=60,
        test_command=test_command,
        test_timeout=60,
    )
    pool = WorktreeSlots(root / "worktrees", slots, wait_seconds=wait_seconds, poll_seconds=0.01)
    return GitWorkspaces(root, pool, options)
