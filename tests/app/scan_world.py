"""A small fake-GitHub world for scan tests: a seed built from the demo seed's real cidiff
logs (a flaky ``testClassicParsing()`` failure), a store, and a way to run a scan."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sheriff.adapters.github import GitHubForge, GitHubSettings, Retrier, TokenCredentials
from sheriff.adapters.logfiles import FileLogReader
from sheriff.adapters.store import Store, open_store
from sheriff.app.forge import Forge
from sheriff.app.scan import ScanReport, ScanRequest, scan_repository
from sheriff.core.issues import fingerprints_in
from sheriff.core.repo_config import RepoSettings
from sheriff.testing.fakegithub import DEMO_SEED, FakeGitHub, JobSeed, RunAttemptSeed
from tests.app.http_forge import HttpForge

REPO = "acme/app"
FAIL_LOG = DEMO_SEED / "logs" / "cidiff" / "cidiff_57-fail.log"
PASS_LOG = DEMO_SEED / "logs" / "cidiff" / "cidiff_57-pass.log"
START = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
TEST_NAME = "testClassicParsing"
ForgeFactory = Callable[[str, str, str | None], Forge]


def sha(number: int) -> str:
    return f"{number:040x}"


def attempt_line(
    run_id: int,
    attempt: int = 1,
    *,
    passed: bool = False,
    branch: str = "main",
    event: str = "push",
    commit: int | None = None,
    expired: bool = False,
) -> dict[str, Any]:
    job: dict[str, Any] = {
        "job_id": run_id * 10 + attempt,
        "name": "build-test",
        "conclusion": "success" if passed else "failure",
        "runner_os": "Linux",
    }
    if expired:
        job["logs_expired"] = True
    else:
        job["log"] = "logs/pass.log" if passed else "logs/fail.log"
    return {
        "repo": REPO,
        "workflow": "CI",
        "run_id": run_id,
        "run_attempt": attempt,
        "head_sha": sha(commit or run_id),
        "head_branch": branch,
        "event": event,
        "conclusion": "success" if passed else "failure",
        "created_at": (START + timedelta(hours=run_id % 1000, minutes=attempt)).isoformat(),
        "pull_requests": [900 + run_id % 100] if event == "pull_request" else [],
        "jobs": [job],
    }


def flaky_run(run_id: int) -> list[dict[str, Any]]:
    """Attempt 1 fails, attempt 2 passes on the same commit."""
    return [attempt_line(run_id, 1), attempt_line(run_id, 2, passed=True)]


def write_seed(
    folder: Path,
    runs: list[dict[str, Any]],
    issues: list[dict[str, Any]] = (),  # type: ignore[assignment]
) -> Path:
    (folder / "logs").mkdir(parents=True, exist_ok=True)
    shutil.copy(FAIL_LOG, folder / "logs" / "fail.log")
    shutil.copy(PASS_LOG, folder / "logs" / "pass.log")
    (folder / "repos.json").write_text(json.dumps([{"full_name": REPO, "default_branch": "main"}]))
    (folder / "runs.jsonl").write_text("".join(json.dumps(line) + "\n" for line in runs))
    shutil.copytree(DEMO_SEED / "artifacts", folder / "artifacts", dirs_exist_ok=True)
    if issues:
        (folder / "issues.jsonl").write_text("".join(json.dumps(item) + "\n" for item in issues))
    return folder


FLAKY_SEED_RUNS = [*flaky_run(101), attempt_line(102)]


def new_attempt(
    run_id: int, attempt: int = 1, *, created_at: datetime | None = None, **options: Any
) -> RunAttemptSeed:
    """A run attempt to add to a running fake (a failure between two scans)."""
    line = attempt_line(run_id, attempt, **options)
    if created_at is not None:
        line["created_at"] = created_at.isoformat()
    job = line["jobs"][0]
    return RunAttemptSeed(
        repo=REPO,
        workflow="CI",
        run_id=run_id,
        run_attempt=attempt,
        head_sha=line["head_sha"],
        head_branch=line["head_branch"],
        event=line["event"],
        conclusion=line["conclusion"],
        created_at=datetime.fromisoformat(line["created_at"]),
        pull_requests=tuple(line["pull_requests"]),
        jobs=(
            JobSeed(
                job_id=job["job_id"],
                name=job["name"],
                conclusion=job["conclusion"],
                runner_os="Linux",
                log=(FAIL_LOG if job["conclusion"] == "failure" else PASS_LOG),
            ),
        ),
    )


@dataclass
class World:
    fake: FakeGitHub
    store: Store
    data_dir: Path
    make_forge: ForgeFactory

    def scan(
        self,
        *,
        dry_run: bool = False,
        store: Store | None = None,
        write_repo: str | None = None,
        **options: Any,
    ) -> ScanReport:
        """One scan; ``options`` go to the ScanRequest (``clock``, ``reruns``...)."""
        request = ScanRequest(self.data_dir, RepoSettings(), dry_run=dry_run, **options)
        forge = self.make_forge(self.fake.url, REPO, write_repo)
        try:
            return scan_repository(request, forge, store or self.store, FileLogReader(1 << 20))
        finally:
            getattr(forge, "close", lambda: None)()

    def issues_by_fingerprint(self, repo: str = REPO) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for issue in self.fake.issues(repo):
            for fingerprint in fingerprints_in(issue.body or ""):
                found.setdefault(fingerprint, []).append(issue.number)
        return found

    def writes(self) -> list[str]:
        return [f"{item.method} {item.path}" for item in self.fake.requests if item.method != "GET"]


def http_forge(url: str, repo: str, write_repo: str | None) -> Forge:
    return HttpForge(url, repo, write_repo)


def github_forge(url: str, repo: str, write_repo: str | None) -> Forge:
    """Sheriff's GitHub adapter, retrying without waiting (the fake's faults are instant)."""
    settings = GitHubSettings(
        repo, write_repo=write_repo, api_url=url, read_credentials=TokenCredentials("t")
    )
    retrier = Retrier(settings.retry, sleep=lambda _seconds: None, jitter=lambda: 0.5)
    return GitHubForge(settings, None, retrier=retrier)


FORGES: dict[str, ForgeFactory] = {"githubkit": github_forge, "httpx": http_forge}


def running_world(
    seed: Path, data_dir: Path, make_forge: ForgeFactory = http_forge, **fake_options: Any
) -> Iterator[World]:
    data_dir.mkdir(parents=True, exist_ok=True)
    with FakeGitHub.running(seed, **fake_options) as fake:
        store = open_store(f"sqlite:///{data_dir}/sheriff.db", upgrade=True)
        try:
            yield World(fake, store, data_dir, make_forge)
        finally:
            store.close()
