"""Seed directories: the documented layout, every problem reported, and the demo seed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sheriff.testing.fakegithub import DEMO_SEED, SeedError, load_seed
from tests.conftest import SHARED_DATA

GOOD_RUN = {
    "repo": "acme/app",
    "workflow": "CI",
    "run_id": 10,
    "run_attempt": 1,
    "head_sha": "a" * 40,
    "head_branch": "main",
    "event": "push",
    "conclusion": "failure",
    "created_at": "2024-05-01T10:00:00Z",
    "pull_requests": [],
    "jobs": [
        {
            "job_id": 100,
            "name": "test",
            "conclusion": "failure",
            "runner_os": "Linux",
            "log": "logs/test.log",
        }
    ],
}


def write_seed(
    root: Path, runs: list[dict[str, object]], extra: dict[str, str] | None = None
) -> Path:
    """A seed with one repository, ``runs`` and any ``extra`` files (name → text)."""
    (root / "logs").mkdir(parents=True)
    (root / "logs" / "test.log").write_text("2024-05-01T10:00:01.0000000Z FAIL\n")
    (root / "repos.json").write_text('[{"full_name": "acme/app", "default_branch": "main"}]')
    (root / "runs.jsonl").write_text("\n".join(json.dumps(run) for run in runs) + "\n")
    for name, text in (extra or {}).items():
        (root / name).write_text(text)
    return root


def test_a_good_seed_loads(tmp_path: Path):
    seed = load_seed(
        write_seed(
            tmp_path / "seed",
            [
                GOOD_RUN,
                {
                    **GOOD_RUN,
                    "run_attempt": 2,
                    "conclusion": "success",
                    "jobs": [{**GOOD_RUN["jobs"][0], "job_id": 101}],
                },
            ],
        )
    )
    assert [(run.run_id, run.run_attempt) for run in seed.runs] == [(10, 1), (10, 2)]
    assert seed.runs[0].jobs[0].log == (tmp_path / "seed" / "logs" / "test.log").resolve()


def test_every_problem_is_reported_with_file_line_and_field(tmp_path: Path):
    broken_job = {
        "job_id": 100,
        "name": "test",
        "conclusion": "exploded",
        "runner_os": "Linux",
        "log": "../outside.log",
    }
    runs = [
        {**GOOD_RUN, "repo": "acme/other"},
        {**GOOD_RUN, "run_id": 11, "created_at": "yesterday", "jobs": [broken_job]},
        {**GOOD_RUN, "run_id": 12, "run_attempt": 3, "jobs": []},
    ]
    root = write_seed(
        tmp_path / "seed",
        runs,
        extra={
            "issues.jsonl": '{"repo": "acme/app", "title": "x", "user": "a"}\nnot json\n',
            "collaborators.json": '{"alice": "owner"}',
        },
    )
    with pytest.raises(SeedError) as failure:
        load_seed(root)
    found = {(problem.file, problem.line, problem.field) for problem in failure.value.problems}
    assert ("runs.jsonl", 2, "created_at") in found
    assert ("runs.jsonl", 2, "jobs[0].conclusion") in found
    assert ("runs.jsonl", 2, "jobs[0].log") in found
    assert ("issues.jsonl", 1, "number") in found
    assert ("issues.jsonl", 2, "") in found
    assert ("collaborators.json", None, "alice") in found
    message = str(failure.value)
    assert "runs.jsonl:2: field 'created_at'" in message
    assert "README.md" in failure.value.hint


def test_cross_file_problems_are_reported(tmp_path: Path):
    runs = [
        {**GOOD_RUN, "repo": "acme/other"},
        {
            **GOOD_RUN,
            "run_id": 12,
            "run_attempt": 2,
            "jobs": [
                {
                    **GOOD_RUN["jobs"][0],
                    "job_id": 100,
                }
            ],
        },
    ]
    issues = json.dumps(
        {
            "repo": "acme/app",
            "number": 5,
            "title": "t",
            "user": "u",
            "state": "open",
            "state_reason": "not_planned",
        }
    )
    with pytest.raises(SeedError) as failure:
        load_seed(write_seed(tmp_path / "seed", runs, extra={"issues.jsonl": issues}))
    text = str(failure.value)
    assert "runs.jsonl:1: field 'repo' acme/other is not in repos.json" in text
    assert "field 'run_attempt' run 12 has attempts [2]" in text
    assert "field 'jobs[0].job_id' 100 is used again" in text
    assert "issues.jsonl:1: field 'state_reason'" in text


def test_a_missing_directory_or_repos_file_is_explained(tmp_path: Path):
    with pytest.raises(SeedError, match="is not a directory"):
        load_seed(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(SeedError, match=r"repos.json: is missing"):
        load_seed(tmp_path / "empty")


def test_demo_seed_has_what_the_scenarios_need():
    seed = load_seed(DEMO_SEED)
    by_run: dict[int, list[str | None]] = {}
    for run in seed.runs:
        by_run.setdefault(run.run_id, []).append(run.conclusion)
    assert ["failure", "success"] in by_run.values()
    main_push = [run for run in seed.runs if run.head_branch == "main" and run.event == "push"]
    assert {run.conclusion for run in main_push} >= {"failure", "success"}
    assert any(run.pull_requests for run in seed.runs if run.event == "pull_request")
    assert any(job.logs_expired for run in seed.runs for job in run.jobs)
    human = [issue for issue in seed.issues if "test_cauchy_kstest_cpu_bfloat16" in issue.body]
    assert human
    assert not human[0].user.endswith("[bot]")
    size = sum(path.stat().st_size for path in DEMO_SEED.rglob("*") if path.is_file())
    assert size < 3_000_000
    assert (DEMO_SEED / "NOTICE.md").is_file()


def test_demo_seed_is_what_the_builder_makes():
    if not SHARED_DATA.is_dir():
        pytest.fail(f"evaluation data missing: {SHARED_DATA} (clone with shared/ beside the repo)")
    from tests.testing.make_demo_seed import build

    built = build()
    shipped = {
        path.relative_to(DEMO_SEED).as_posix(): path.read_bytes()
        for path in DEMO_SEED.rglob("*")
        if path.is_file() and path.name != "NOTICE.md"
    }
    assert sorted(shipped) == sorted(built)
    assert [name for name in built if built[name] != shipped[name]] == []
