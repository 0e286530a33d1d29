"""Build the fake GitHub's demo seed from the real logs in ../shared/data.

Run from the repository root: ``python tests/testing/make_demo_seed.py``. It rewrites
``src/sheriff/testing/fakegithub/seeds/demo/`` (logs, JSON files, NOTICE.md stays).
``test_fakegithub_seed.py`` checks that the shipped seed is what this script makes.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA = REPO_ROOT.parent / "shared" / "data"
OUT = REPO_ROOT / "src" / "sheriff" / "testing" / "fakegithub" / "seeds" / "demo"
TERRAFORM = DATA / "cidiff-breakages" / "breakages_dump" / "Build Terraform CLI Packages_"
CIDIFF = DATA / "cidiff-breakages" / "breakages"
PYTORCH = DATA / "pytorch-log-classifier-fixtures"
STAMP = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d+)?Z")

# case, job name, runner OS (terraform's build.yml jobs, named from what each log runs)
TERRAFORM_CASES = [
    ("run312", "Build Docker image for linux_amd64", "Linux"),
    ("run367", "Build Docker image for linux_amd64", "Linux"),
    ("run380", "e2etest for windows_amd64", "Windows"),
    ("run390", "Determine intended Terraform version", "Linux"),
    ("run407", "Build for linux_amd64", "Linux"),
    ("run452", "Build for linux_amd64", "Linux"),
]
# fixture, workflow, event, job name, runner OS
PYTORCH_CASES = [
    (
        "pytest_failures_section",
        "trunk",
        "push",
        "linux-jammy-py3.14-clang12 / test (dynamo_wrapped, 2, 3, linux.2xlarge)",
        "Linux",
    ),
    (
        "test_file_failed_wrapper",
        "trunk",
        "push",
        "linux-jammy-cuda12.8-py3.10-gcc11 / test (default, 4, 5, linux.g6.4xlarge)",
        "Linux",
    ),
    ("compile_error", "trunk", "push", "linux-jammy-py3.10-gcc11 / build", "Linux"),
    ("msvc_compiler_error", "trunk", "push", "win-vs2022-cpu-py3 / build", "Windows"),
    (
        "test_file_timeout",
        "trunk",
        "push",
        "linux-jammy-py3.10-gcc11 / test (default, 3, 5, linux.4xlarge)",
        "Linux",
    ),
    ("docker_manifest_unknown", "trunk", "push", "linux-jammy-py3.14t / build", "Linux"),
    (
        "aws_credentials_load_failure",
        "trunk",
        "push",
        "linux-jammy-py3.10-gcc11 / test (default, 1, 5, linux.4xlarge)",
        "Linux",
    ),
    (
        "python_importerror_name",
        "trunk",
        "push",
        "linux-jammy-py3.14t-clang15 / test (dynamo, 1, 2, linux.2xlarge)",
        "Linux",
    ),
    ("gha_operation_canceled", "trunk", "push", "linux-jammy-py3.10-gcc11 / build", "Linux"),
    (
        "inductor_graph_breaks",
        "inductor",
        "push",
        "inductor / test (inductor_huggingface, 1, 1, linux.g5.4xlarge)",
        "Linux",
    ),
    ("lint_lintrunner", "Lint", "pull_request", "lintrunner-noclang / linux-job", "Linux"),
    ("ghstack_out_of_sync", "Lint", "pull_request", "Test ghstack patch stack", "Linux"),
    ("ghstack_cherry_pick", "Lint", "pull_request", "Test ghstack cherry-pick", "Linux"),
    ("dirty_checkout", "pull", "pull_request", "linux-jammy-py3.10-gcc11 / build", "Linux"),
    (
        "collection_assertionerror",
        "pull",
        "pull_request",
        "linux-jammy-py3.10-gcc11 / test (default, 2, 5, linux.4xlarge)",
        "Linux",
    ),
    (
        "pip_wheel_build_failure",
        "pull",
        "pull_request",
        "linux-jammy-py3.10-gcc11 / test (distributed, 1, 3, linux.4xlarge)",
        "Linux",
    ),
    ("uv_python_download_failed", "pull", "pull_request", "macos-py3-arm64 / build", "macOS"),
    (
        "pr_time_benchmarks_regression",
        "pull",
        "pull_request",
        "linux-jammy-py3.10-gcc11 / test (pr_time_benchmarks, 1, 1, linux.g4dn.metal)",
        "Linux",
    ),
    (
        "python_test_keyboardinterrupt",
        "pull",
        "pull_request",
        "linux-jammy-cuda12.8-py3.10-gcc11 / test (default, 2, 5, linux.g6.4xlarge)",
        "Linux",
    ),
    (
        "action_archive_download_failure",
        "pull",
        "pull_request",
        "linux-jammy-py3.10-gcc11 / filter",
        "Linux",
    ),
    (
        "gha_cancellation_shutdown",
        "pull",
        "pull_request",
        "linux-jammy-py3.10-gcc11 / test (crossref, 1, 2, linux.2xlarge)",
        "Linux",
    ),
]


def sha(text: str) -> str:
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def first_time(log: bytes) -> datetime:
    found = STAMP.search(log.decode("utf-8", "replace"))
    if found is None:
        raise SystemExit("a log without timestamps")
    return datetime.fromisoformat(found.group(1) + "+00:00")


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


FILES: dict[str, bytes] = {}


def copy_log(source: bytes, name: str) -> str:
    FILES[f"logs/{name}"] = source
    return f"logs/{name}"


def attempt(
    repo: str,
    workflow: str,
    run_id: int,
    number: int,
    *,
    branch: str,
    event: str,
    conclusion: str,
    created: datetime,
    jobs: list[dict[str, Any]],
    pulls: list[int] | None = None,
    title: str = "",
    path: str = "",
    artifacts: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "repo": repo,
        "workflow": workflow,
        "run_id": run_id,
        "run_attempt": number,
        "head_sha": sha(f"{repo}:{run_id}"),
        "head_branch": branch,
        "event": event,
        "conclusion": conclusion,
        "created_at": iso(created),
        "pull_requests": pulls or [],
        "jobs": jobs,
    }
    if title:
        row["display_title"] = title
    if path:
        row["workflow_path"] = path
    if artifacts:
        row["artifacts"] = artifacts
    return row


def job(
    job_id: int, name: str, conclusion: str, runner: str, log: str | None, **extra: Any
) -> dict[str, Any]:
    return {
        "job_id": job_id,
        "name": name,
        "conclusion": conclusion,
        "runner_os": runner,
        "log": log,
        **extra,
    }


def ref_of(log: bytes) -> str:
    found = re.search(rb"@refs/(?:heads|tags)/(\S+)", log)
    return found.group(1).decode() if found else "main"


def terraform_runs() -> list[dict[str, Any]]:
    rows = []
    repo, workflow, path = (
        "hashicorp/terraform",
        "Build Terraform CLI Packages",
        ".github/workflows/build.yml",
    )
    for index, (case, name, runner) in enumerate(TERRAFORM_CASES):
        for offset, kind in enumerate(("pass", "fail")):
            log = (TERRAFORM / case / f"{kind}.log").read_bytes()
            run_id = 2_240_000_000 + index * 1000 + offset
            conclusion = "success" if kind == "pass" else "failure"
            rows.append(
                attempt(
                    repo,
                    workflow,
                    run_id,
                    1,
                    branch=ref_of(log),
                    event="push",
                    conclusion=conclusion,
                    created=first_time(log) - timedelta(seconds=20),
                    path=path,
                    title=f"Build packages ({case})",
                    jobs=[
                        job(
                            6_300_000_000 + index * 1000 + offset,
                            name,
                            conclusion,
                            runner,
                            copy_log(log, f"terraform/{case}-{kind}.log"),
                        )
                    ],
                )
            )
    return rows


def gh_view_to_job_log(log: bytes) -> bytes:
    """``gh run view --log`` lines are ``job<TAB>step<TAB>line``: keep the job log's line."""
    return b"\n".join(line.split(b"\t", 2)[-1] for line in log.split(b"\n"))


def cidiff_runs() -> list[dict[str, Any]]:
    repo, workflow = "labri-progress/cidiff", "build-test-cidiff"
    path, name = ".github/workflows/build-test-cidiff.yml", "build-test-deploy"
    rows = []
    logs = {
        case: {kind: (CIDIFF / case / f"{kind}.log").read_bytes() for kind in ("pass", "fail")}
        for case in ("cidiff_11", "cidiff_57", "cidiff_75")
    }
    logs["cidiff_11"] = {k: gh_view_to_job_log(v) for k, v in logs["cidiff_11"].items()}
    for index, case in enumerate(("cidiff_11", "cidiff_75")):
        passed, failed = logs[case]["pass"], logs[case]["fail"]
        rows.append(
            attempt(
                repo,
                workflow,
                1_500_000_100 + index * 10,
                1,
                branch="main",
                event="push",
                conclusion="success",
                path=path,
                created=first_time(passed) - timedelta(seconds=15),
                jobs=[
                    job(
                        4_400_000_100 + index * 10,
                        name,
                        "success",
                        "Linux",
                        copy_log(passed, f"cidiff/{case}-pass.log"),
                    )
                ],
            )
        )
        rows.append(
            attempt(
                repo,
                workflow,
                1_500_000_101 + index * 10,
                1,
                branch="main",
                event="push",
                conclusion="failure",
                path=path,
                created=first_time(failed) - timedelta(seconds=15),
                jobs=[
                    job(
                        4_400_000_101 + index * 10,
                        name,
                        "failure",
                        "Linux",
                        copy_log(failed, f"cidiff/{case}-fail.log"),
                    )
                ],
            )
        )
    flaky_start = first_time(logs["cidiff_57"]["fail"]) - timedelta(seconds=15)
    report = {"name": "test-results", "path": "artifacts/test-results"}
    rows.append(
        attempt(
            repo,
            workflow,
            1_500_000_200,
            1,
            branch="main",
            event="push",
            conclusion="failure",
            path=path,
            created=flaky_start,
            artifacts=[report],
            jobs=[
                job(
                    4_400_000_200,
                    name,
                    "failure",
                    "Linux",
                    copy_log(logs["cidiff_57"]["fail"], "cidiff/cidiff_57-fail.log"),
                )
            ],
        )
    )
    rows.append(
        attempt(
            repo,
            workflow,
            1_500_000_200,
            2,
            branch="main",
            event="push",
            conclusion="success",
            path=path,
            created=flaky_start + timedelta(minutes=25),
            jobs=[
                job(
                    4_400_000_201,
                    name,
                    "success",
                    "Linux",
                    copy_log(logs["cidiff_57"]["pass"], "cidiff/cidiff_57-pass.log"),
                )
            ],
        )
    )
    rows.append(
        attempt(
            repo,
            workflow,
            1_500_000_300,
            1,
            branch="checkstyle-rules",
            event="pull_request",
            conclusion="failure",
            path=path,
            pulls=[76],
            title="Tighten checkstyle rules",
            created=first_time(logs["cidiff_75"]["fail"]) + timedelta(hours=2),
            jobs=[job(4_400_000_300, name, "failure", "Linux", "logs/cidiff/cidiff_75-fail.log")],
        )
    )
    return rows


def pytorch_log(fixture: str) -> tuple[bytes, int | None, int | None]:
    """The fixture without its markers, and the run and job ids its source line names."""
    text = (PYTORCH / f"{fixture}.txt").read_bytes()
    run_id = job_id = None
    if text.startswith(b"#=SOURCE=#"):
        source, _, text = text.partition(b"\n")
        ids = re.search(rb"runs/(\d+)/job/(\d+)", source) or re.search(rb"log/()(\d+)", source)
        if ids:
            run_id = int(ids.group(1)) if ids.group(1) else None
            job_id = int(ids.group(2))
    text = re.sub(rb"(?m)^#=MATCH=# ", b"", text)
    return text.replace("‹".encode(), b"").replace("›".encode(), b""), run_id, job_id


def pytorch_runs() -> list[dict[str, Any]]:
    rows = []
    for index, (fixture, workflow, event, name, runner) in enumerate(PYTORCH_CASES):
        log, run_id, job_id = pytorch_log(fixture)
        pull = 160_000 + index if event == "pull_request" else None
        rows.append(
            attempt(
                "pytorch/pytorch",
                workflow,
                run_id or 30_400_000_000 + index,
                1,
                branch=f"gh/contributor/{index}/head" if pull else "main",
                event=event,
                conclusion="cancelled" if "cancel" in fixture else "failure",
                created=first_time(log) - timedelta(minutes=40),
                pulls=[pull] if pull else [],
                title=f"[{workflow}] {fixture.replace('_', ' ')}" if pull else "",
                jobs=[
                    job(
                        job_id or 90_000_000_000 + index,
                        name,
                        "cancelled" if "cancel" in fixture else "failure",
                        runner,
                        copy_log(log, f"pytorch/{fixture}.log"),
                    )
                ],
            )
        )
    rows.append(
        attempt(
            "pytorch/pytorch",
            "trunk",
            29_100_000_000,
            1,
            branch="main",
            event="push",
            conclusion="failure",
            created=datetime.fromisoformat("2026-04-20T08:00:00+00:00"),
            jobs=[
                job(
                    86_000_000_001,
                    "linux-jammy-py3.10-gcc11 / test (default, 1, 5, linux.4xlarge)",
                    "failure",
                    "Linux",
                    None,
                    logs_expired=True,
                )
            ],
        )
    )
    return rows


ISSUES = [
    {
        "repo": "pytorch/pytorch",
        "number": 159_870,
        "user": "maintainer-alice",
        "title": "test_cauchy_kstest_cpu_bfloat16 fails intermittently on trunk",
        "body": "`TestTorchDeviceTypeCPU.test_cauchy_kstest_cpu_bfloat16` in test/test_torch.py "
        "failed on trunk twice this week (dynamo_wrapped shard) and passed on re-run.\n\n"
        "The KS test p-value is close to the threshold; bfloat16 rounding may be the "
        "cause. Keeping this open while we collect more occurrences.",
        "state": "open",
        "labels": ["module: flaky-tests", "triaged"],
        "created_at": "2026-07-27T09:12:00Z",
        "comments": [
            {
                "user": "triager-bob",
                "body": "Seen again in the dynamo_wrapped shard.",
                "created_at": "2026-07-28T15:40:00Z",
            }
        ],
    },
    {
        "repo": "labri-progress/cidiff",
        "number": 12,
        "user": "maintainer-alice",
        "title": "LogDifferTest.testGithubParsing fails on main",
        "body": "`LogDifferTest > testGithubParsing() FAILED` since the parser change. Fixed by "
        "updating the expected output.",
        "state": "closed",
        "state_reason": "completed",
        "labels": ["bug"],
        "created_at": "2021-12-01T14:00:00Z",
    },
]
COLLABORATORS = {
    "maintainer-alice": "admin",
    "triager-bob": "triage",
    "sheriff-bot": "write",
    "contributor-carol": "read",
}
REPOS = [
    {"full_name": "hashicorp/terraform", "default_branch": "main"},
    {"full_name": "labri-progress/cidiff", "default_branch": "main"},
    {"full_name": "pytorch/pytorch", "default_branch": "main"},
]
JUNIT_REPORT = REPO_ROOT / "tests" / "fixtures" / "tools" / "gradle" / "gradle_test_failures.xml"


def jsonl(rows: list[dict[str, Any]]) -> bytes:
    return ("\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n").encode()


def build() -> dict[str, bytes]:
    """Every file of the demo seed but NOTICE.md, by path relative to the seed directory."""
    FILES.clear()
    runs = terraform_runs() + cidiff_runs() + pytorch_runs()
    FILES["artifacts/test-results/TEST-com.example.shop.CartTest.xml"] = JUNIT_REPORT.read_bytes()
    FILES["repos.json"] = (json.dumps(REPOS, indent=2) + "\n").encode()
    FILES["collaborators.json"] = (json.dumps(COLLABORATORS, indent=2) + "\n").encode()
    FILES["runs.jsonl"] = jsonl(sorted(runs, key=lambda row: (row["repo"], row["created_at"])))
    FILES["issues.jsonl"] = jsonl(ISSUES)
    return dict(FILES)


def main() -> None:
    files = build()
    for generated in ("logs", "artifacts"):
        shutil.rmtree(OUT / generated, ignore_errors=True)
    for name, content in files.items():
        (OUT / name).parent.mkdir(parents=True, exist_ok=True)
        (OUT / name).write_bytes(content)


if __name__ == "__main__":
    main()
