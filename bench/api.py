"""GitHub API cost of a scan, measured against the fake GitHub over real HTTP.

Counts the API requests (log downloads behind GitHub's redirects are not API calls and
are reported apart) of ``sheriff scan``'s use case in four situations: the first scan,
a scan when nothing changed (conditional requests should make it almost free), and a
scan after a new failed run with one and with three failed jobs. Writes
bench/results/api.md.

    python bench/api.py
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scoring import md_table, verdict
from sheriff.adapters.github import GitHubForge, GitHubSettings, TokenCredentials
from sheriff.adapters.logfiles import FileLogReader
from sheriff.adapters.store import Store, open_store
from sheriff.app.scan import ScanRequest, scan_repository
from sheriff.core.repo_config import RepoSettings
from sheriff.testing.fakegithub import DEMO_SEED, FakeGitHub, JobSeed, RunAttemptSeed

RESULTS = Path(__file__).resolve().parent / "results" / "api.md"
REPO = "acme/app"
FAIL_LOG = DEMO_SEED / "logs" / "cidiff" / "cidiff_57-fail.log"
PASS_LOG = DEMO_SEED / "logs" / "cidiff" / "cidiff_57-pass.log"
START = dt.datetime(2024, 5, 1, 10, 0, tzinfo=dt.UTC)


def _attempt(run_id: int, attempt: int, failed_jobs: int, passed: bool = False) -> dict[str, Any]:
    jobs = [
        {
            "job_id": run_id * 100 + attempt * 10 + index,
            "name": f"test-{index}",
            "conclusion": "success" if passed else "failure",
            "runner_os": "Linux",
            "log": "logs/pass.log" if passed else "logs/fail.log",
        }
        for index in range(max(failed_jobs, 1))
    ]
    return {
        "repo": REPO,
        "workflow": "CI",
        "run_id": run_id,
        "run_attempt": attempt,
        "head_sha": f"{run_id:040x}",
        "head_branch": "main",
        "event": "push",
        "conclusion": "success" if passed else "failure",
        "created_at": (START + dt.timedelta(hours=run_id % 1000, minutes=attempt)).isoformat(),
        "pull_requests": [],
        "jobs": jobs,
    }


def _write_seed(folder: Path) -> Path:
    (folder / "logs").mkdir(parents=True)
    shutil.copy(FAIL_LOG, folder / "logs" / "fail.log")
    shutil.copy(PASS_LOG, folder / "logs" / "pass.log")
    (folder / "repos.json").write_text(json.dumps([{"full_name": REPO, "default_branch": "main"}]))
    runs = [_attempt(101, 1, 1), _attempt(101, 2, 1, passed=True), _attempt(102, 1, 1)]
    (folder / "runs.jsonl").write_text("".join(json.dumps(run) + "\n" for run in runs))
    return folder


def _new_run(run_id: int, failed_jobs: int) -> RunAttemptSeed:
    line = _attempt(run_id, 1, failed_jobs)
    return RunAttemptSeed(
        repo=REPO,
        workflow="CI",
        run_id=run_id,
        run_attempt=1,
        head_sha=line["head_sha"],
        head_branch="main",
        event="push",
        conclusion="failure",
        created_at=dt.datetime.fromisoformat(line["created_at"]),
        pull_requests=(),
        jobs=tuple(
            JobSeed(job["job_id"], job["name"], "failure", "Linux", FAIL_LOG)
            for job in line["jobs"]
        ),
    )


@dataclass(frozen=True)
class Measurement:
    scenario: str
    api: int
    discovery: int
    context: int
    issues: int
    writes: int
    downloads: int
    target: int | None

    @property
    def ok(self) -> bool:
        return self.target is None or self.discovery <= self.target


DISCOVERY = r"/actions/"
CONTEXT = r"^/repos/[^/]+/[^/]+$|/contents/|^/user$"
ISSUES = r"/issues|/search/"
WRITE_METHODS = ("POST", "PATCH", "PUT", "DELETE")


def _measure(
    fake: FakeGitHub, scenario: str, target: int | None, action: Callable[[], object]
) -> Measurement:
    fake.clear_requests()
    action()
    api = fake.request_count(api_only=True)
    return Measurement(
        scenario,
        api,
        fake.request_count(path=DISCOVERY, api_only=True),
        fake.request_count(path=CONTEXT, api_only=True),
        fake.request_count(path=ISSUES, api_only=True),
        sum(fake.request_count(method=method) for method in WRITE_METHODS),
        fake.request_count() - api,
        target,
    )


def run() -> list[Measurement]:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        seed = _write_seed(root / "seed")
        with FakeGitHub.running(seed) as fake:
            store = open_store(f"sqlite:///{root / 'sheriff.db'}", upgrade=True)
            scan = _scanner(fake, store, root)
            results = [_measure(fake, "first scan (3 attempts, 2 runs)", None, scan)]
            results.append(_measure(fake, "nothing changed", 2, scan))
            fake.add_run_attempt(_new_run(103, 1))
            results.append(_measure(fake, "new failed run, 1 failed job", 3, scan))
            fake.add_run_attempt(_new_run(104, 3))
            results.append(_measure(fake, "new failed run, 3 failed jobs", 5, scan))
            results.append(_measure(fake, "nothing changed again", 2, scan))
            return results


def _scanner(fake: FakeGitHub, store: Store, root: Path) -> Callable[[], object]:
    def scan() -> object:
        settings = GitHubSettings(
            read_repo=REPO, api_url=fake.url, read_credentials=TokenCredentials("bench")
        )
        with GitHubForge(settings, store) as forge:
            request = ScanRequest(root / "data", RepoSettings(), dry_run=False)
            return scan_repository(request, forge, store, FileLogReader(1 << 20))

    return scan


def report(results: list[Measurement]) -> str:
    rows = [
        [
            m.scenario,
            str(m.api),
            str(m.discovery),
            str(m.context),
            str(m.issues),
            str(m.writes),
            str(m.downloads),
            "-" if m.target is None else f"<= {m.target}",
            "-" if m.target is None else verdict(m.ok),
        ]
        for m in results
    ]
    headers = [
        "scenario",
        "API requests",
        "discovery",
        "context",
        "issue sync",
        "of which writes",
        "log downloads",
        "discovery target",
        "result",
    ]
    table = md_table(headers, rows)
    date = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        "# GitHub API requests per scan\n\n"
        f"Date: {date}. Reproduce: `python bench/api.py`.\n\n"
        "Measured against the fake GitHub (`sheriff.testing.fakegithub`) over real HTTP, with "
        "the SQLite store keeping ETags between scans. **discovery** = Actions requests "
        "(the run listing, jobs, job logs); **context** = the repository, "
        "`.github/sheriff.yml` and the token's identity, fetched only when there is a new "
        "run; **issue sync** = reading and updating the case's issue. The targets (from the "
        "issue) apply to discovery: at most 2 requests when nothing changed (it is 1: the "
        "conditional run listing, answered 304 or empty), at most 2 + the number of failed "
        "jobs for a new failed run. Log downloads follow GitHub's redirect to a storage host "
        "and are not API calls.\n\n" + table + "\n"
    )


def main() -> int:
    results = run()
    text = report(results)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text)
    return 0 if all(m.ok for m in results) else 1


if __name__ == "__main__":
    sys.exit(main())
