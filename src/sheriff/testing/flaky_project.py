"""A small real project with a flaky test, for lifecycle tests and ``sheriff demo``.

``shop`` fetches with a deadline from a simulated server whose latency is random:
``tests/test_retry.py::test_fetch_within_deadline`` fails about one run in three. The
randomness comes from ``SHOP_SEED`` when set, so a failing run can be made on purpose:
``failing_log`` runs the real pytest on the project with a seed that fails and returns
its output, the log a CI job would print. ``seed_flaky_repository`` puts the project in
a git repository behind the fake GitHub, with a CI run whose first attempt failed on that
test and whose second attempt passed on the same commit (a flaky failure).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sheriff.testing.fakegithub import FakeGitHub, JobSeed, RunAttemptSeed

TEST_FILE = "tests/test_retry.py"
TEST_NAME = "test_fetch_within_deadline"
FAILING_SEED = "3"  # SHOP_SEED that makes the test fail (random.Random("3") is stable)

PROJECT: dict[str, str] = {
    "README.md": "# shop\n\nA tiny shop whose fetch has a deadline.\n",
    "shop/__init__.py": "",
    "shop/retry.py": '''"""Fetching with a deadline: the simulated server is sometimes too slow."""

import random


def fetch_with_deadline(rng: random.Random, deadline: float = 1.0) -> str:
    latency = rng.uniform(0.0, 1.5)  # seconds the simulated server takes
    if latency > deadline:
        raise TimeoutError(f"deadline exceeded: the server took {latency:.2f}s")
    return "ok"
''',
    TEST_FILE: """import os
import random

from shop.retry import fetch_with_deadline


def test_fetch_within_deadline():
    rng = random.Random(os.environ.get("SHOP_SEED"))
    assert fetch_with_deadline(rng) == "ok"


def test_deadline_is_respected():
    assert fetch_with_deadline(random.Random(1), deadline=2.0) == "ok"
""",
}

PYTEST = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-o", "addopts="]


def shop_test_command(*, seed: str | None = None) -> str:
    """The test command for Sheriff's worktrees (``{test}`` is the failing test's id)."""
    quoted = " ".join(PYTEST)
    return f"env SHOP_SEED={seed} {quoted} -q {{test}}" if seed else f"{quoted} -q {{test}}"


def failing_log(project: dict[str, str] | None = None) -> bytes:
    """Run the real pytest on the project with a failing seed: the log CI would print."""
    with tempfile.TemporaryDirectory(prefix="sheriff-shop-") as folder:
        root = Path(folder)
        for name, text in (project or PROJECT).items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
        env = {**os.environ, "SHOP_SEED": FAILING_SEED, "PYTHONDONTWRITEBYTECODE": "1"}
        done = subprocess.run(
            [*PYTEST, "-p", "no:randomly", "tests"],
            cwd=root,
            env=env,
            capture_output=True,
            check=False,
            timeout=120,
        )
    return done.stdout.replace(folder.encode(), b"/home/runner/work/shop/shop")


@dataclass(frozen=True, slots=True)
class SeededRepository:
    repo: str
    sha: str  # the commit CI failed on (the default branch's head)
    run_id: int


def seed_flaky_repository(
    fake: FakeGitHub, repo: str, log: bytes, folder: Path, *, at: datetime
) -> SeededRepository:
    """The project in a git repository behind ``repo``, and two CI runs on its head: the
    first failed on the flaky test and passed when re-run, the second failed again."""
    bare = fake.create_git_repo(repo, PROJECT)
    sha = bare.branch_sha("main")
    assert sha is not None
    failed, passed = folder / "ci-fail.log", folder / "ci-pass.log"
    failed.write_bytes(log)
    passed.write_bytes(b"tests/test_retry.py ..\n2 passed in 0.02s\n")
    run_id = 1001
    for attempt, (log_path, conclusion) in enumerate(
        ((failed, "failure"), (passed, "success")), start=1
    ):
        fake.add_run_attempt(
            ci_run(repo, run_id, sha, attempt=attempt, conclusion=conclusion, log=log_path, at=at)
        )
    later = at + timedelta(minutes=30)
    fake.add_run_attempt(ci_run(repo, run_id + 1, sha, conclusion="failure", log=failed, at=later))
    return SeededRepository(repo, sha, run_id)


def ci_run(
    repo: str,
    run_id: int,
    sha: str,
    *,
    attempt: int = 1,
    conclusion: str,
    log: Path,
    at: datetime,
    branch: str = "main",
) -> RunAttemptSeed:
    """A push run of the ``CI`` workflow with one ``tests`` job that printed ``log``."""
    return RunAttemptSeed(
        repo=repo,
        workflow="CI",
        run_id=run_id,
        run_attempt=attempt,
        head_sha=sha,
        head_branch=branch,
        event="push",
        conclusion=conclusion,
        created_at=at + timedelta(minutes=attempt),
        pull_requests=(),
        jobs=(JobSeed(run_id * 10 + attempt, "tests", conclusion, "Linux", log),),
    )
