"""Workflow runs, attempts, jobs, logs and artifacts, read through githubkit's models."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from githubkit import GitHub, TokenAuthStrategy
from githubkit.exception import RequestFailed

from sheriff.testing.fakegithub import DEMO_SEED, FakeGitHub, JobSeed, RunAttemptSeed, Seed
from sheriff.testing.fakegithub.seed_model import RepoSeed

CIDIFF = ("labri-progress", "cidiff")
PYTORCH = ("pytorch", "pytorch")
FLAKY_RUN = 1_500_000_200
PR_RUN = 1_500_000_300
EXPIRED_JOB = 86_000_000_001
PYTEST_JOB = 90_739_920_874


def test_runs_on_the_default_branch_mix_failures_and_successes(gh: GitHub[TokenAuthStrategy]):
    runs = gh.rest.actions.list_workflow_runs_for_repo(
        *CIDIFF, branch="main", event="push", per_page=100
    ).parsed_data
    assert runs.total_count == len(runs.workflow_runs) == 5
    assert {run.conclusion for run in runs.workflow_runs} == {"failure", "success"}
    created = [run.created_at for run in runs.workflow_runs]
    assert created == sorted(created, reverse=True)
    run = runs.workflow_runs[0]
    assert run.html_url.endswith(f"/labri-progress/cidiff/actions/runs/{run.id}")
    assert run.repository.full_name == "labri-progress/cidiff"


def test_run_filters_status_head_sha_and_created(gh: GitHub[TokenAuthStrategy]):
    failed = gh.rest.actions.list_workflow_runs_for_repo(*PYTORCH, status="failure").parsed_data
    assert failed.total_count > 0
    assert all(run.conclusion == "failure" for run in failed.workflow_runs)
    one = failed.workflow_runs[0]
    same = gh.rest.actions.list_workflow_runs_for_repo(*PYTORCH, head_sha=one.head_sha)
    assert [run.id for run in same.parsed_data.workflow_runs] == [one.id]
    old = gh.rest.actions.list_workflow_runs_for_repo(*PYTORCH, created="<2026-05-01")
    assert [run.id for run in old.parsed_data.workflow_runs] == [29_100_000_000]
    pulls = gh.rest.actions.list_workflow_runs_for_repo(*CIDIFF, event="pull_request")
    (pr_run,) = pulls.parsed_data.workflow_runs
    assert pr_run.pull_requests is not None
    assert [pr.number for pr in pr_run.pull_requests] == [76]


def test_a_rerun_is_a_second_attempt_of_the_same_run(gh: GitHub[TokenAuthStrategy]):
    latest = gh.rest.actions.get_workflow_run(*CIDIFF, FLAKY_RUN).parsed_data
    first = gh.rest.actions.get_workflow_run_attempt(*CIDIFF, FLAKY_RUN, 1).parsed_data
    assert (latest.run_attempt, latest.conclusion) == (2, "success")
    assert (first.run_attempt, first.conclusion) == (1, "failure")
    assert latest.previous_attempt_url == first.url + "/attempts/1"
    assert latest.run_started_at is not None
    assert first.run_started_at is not None
    assert latest.run_started_at > first.run_started_at
    assert latest.created_at == first.created_at


def test_jobs_latest_all_and_per_attempt(gh: GitHub[TokenAuthStrategy]):
    latest = gh.rest.actions.list_jobs_for_workflow_run(*CIDIFF, FLAKY_RUN).parsed_data
    every = gh.rest.actions.list_jobs_for_workflow_run(*CIDIFF, FLAKY_RUN, filter_="all")
    first = gh.rest.actions.list_jobs_for_workflow_run_attempt(*CIDIFF, FLAKY_RUN, 1)
    assert [(job.run_attempt, job.conclusion) for job in latest.jobs] == [(2, "success")]
    assert [job.run_attempt for job in every.parsed_data.jobs] == [1, 2]
    (job,) = first.parsed_data.jobs
    assert job.conclusion == "failure"
    assert job.labels == ["ubuntu-latest"]
    assert job.steps
    assert [step.number for step in job.steps] == [1, 2, 3, 4, 5]
    assert job.steps[2].conclusion == "failure"
    assert job.completed_at is not None
    assert job.completed_at > job.started_at
    assert job.runner_name


def test_job_log_redirects_to_a_download_of_the_real_text(
    gh: GitHub[TokenAuthStrategy], fake: FakeGitHub
):
    job = gh.rest.actions.get_job_for_workflow_run(*PYTORCH, PYTEST_JOB).parsed_data
    log = gh.rest.actions.download_job_logs_for_workflow_run(*PYTORCH, job.id)
    assert [hop.status_code for hop in log.raw_response.history] == [302]
    assert b"test_cauchy_kstest_cpu_bfloat16" in log.content
    assert b"#=MATCH=#" not in log.content
    assert fake.request_count("download/job-logs") == 1


def test_redirect_without_following_it(http: httpx.Client, fake: FakeGitHub):
    answer = http.get(f"/repos/pytorch/pytorch/actions/jobs/{PYTEST_JOB}/logs")
    assert answer.status_code == 302
    assert answer.headers["location"].startswith(fake.url + "/_fake/downloads/")
    text = httpx.get(answer.headers["location"])
    assert text.headers["content-type"].startswith("text/plain")


def test_expired_logs_are_410_gone(gh: GitHub[TokenAuthStrategy], fake: FakeGitHub):
    with pytest.raises(RequestFailed) as failure:
        gh.rest.actions.download_job_logs_for_workflow_run(*PYTORCH, EXPIRED_JOB)
    assert failure.value.response.status_code == 410
    assert failure.value.response.json()["status"] == "410"
    fake.expire_logs("pytorch/pytorch", PYTEST_JOB)
    with pytest.raises(RequestFailed):
        gh.rest.actions.download_job_logs_for_workflow_run(*PYTORCH, PYTEST_JOB)


def test_run_logs_are_a_zip_of_job_logs(gh: GitHub[TokenAuthStrategy]):
    archive = gh.rest.actions.download_workflow_run_logs(*CIDIFF, FLAKY_RUN).content
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        assert opened.namelist() == ["1_build-test-deploy.txt"]
        assert b"BUILD SUCCESSFUL" in opened.read("1_build-test-deploy.txt")
    first = gh.rest.actions.download_workflow_run_attempt_logs(*CIDIFF, FLAKY_RUN, 1).content
    with zipfile.ZipFile(io.BytesIO(first)) as opened:
        assert b"testClassicParsing() FAILED" in opened.read("1_build-test-deploy.txt")


def test_artifacts_list_and_download(gh: GitHub[TokenAuthStrategy]):
    listed = gh.rest.actions.list_workflow_run_artifacts(*CIDIFF, FLAKY_RUN).parsed_data
    (artifact,) = listed.artifacts
    assert artifact.name == "test-results"
    assert not artifact.expired
    download = gh.rest.actions.download_artifact(*CIDIFF, artifact.id, "zip")
    with zipfile.ZipFile(io.BytesIO(download.content)) as opened:
        (member,) = opened.namelist()
        assert member.endswith(".xml")
        assert b"<testsuite" in opened.read(member)
    assert artifact.size_in_bytes == len(download.content)


def test_rerun_failed_jobs_makes_a_new_queued_attempt(
    gh: GitHub[TokenAuthStrategy], fake: FakeGitHub
):
    answer = gh.rest.actions.re_run_workflow_failed_jobs(*CIDIFF, PR_RUN)
    assert answer.status_code == 201
    run = gh.rest.actions.get_workflow_run(*CIDIFF, PR_RUN).parsed_data
    assert (run.run_attempt, run.status, run.conclusion) == (2, "queued", None)
    with pytest.raises(RequestFailed) as refused:
        gh.rest.actions.re_run_workflow_failed_jobs(*CIDIFF, PR_RUN)
    assert refused.value.response.status_code == 403
    fake.finish_attempt("labri-progress/cidiff", PR_RUN, "success")
    run = gh.rest.actions.get_workflow_run(*CIDIFF, PR_RUN).parsed_data
    assert (run.run_attempt, run.status, run.conclusion) == (2, "completed", "success")
    jobs = gh.rest.actions.list_jobs_for_workflow_run_attempt(*CIDIFF, PR_RUN, 2).parsed_data
    assert [job.conclusion for job in jobs.jobs] == ["success"]


def test_workflows_by_id_and_file_name(gh: GitHub[TokenAuthStrategy]):
    workflows = gh.rest.actions.list_repo_workflows(*PYTORCH).parsed_data.workflows
    assert {workflow.name for workflow in workflows} >= {"trunk", "pull", "Lint"}
    trunk = next(workflow for workflow in workflows if workflow.name == "trunk")
    by_file = gh.rest.actions.get_workflow(*PYTORCH, "trunk.yml").parsed_data
    assert by_file.id == trunk.id
    runs = gh.rest.actions.list_workflow_runs(*PYTORCH, trunk.id).parsed_data
    assert runs.total_count > 0
    assert all(run.workflow_id == trunk.id for run in runs.workflow_runs)


def _many_runs(count: int) -> Seed:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    runs = tuple(
        RunAttemptSeed(
            repo="acme/big",
            workflow="CI",
            run_id=1000 + number,
            run_attempt=1,
            head_sha=f"{number:040x}",
            head_branch="main",
            event="push",
            conclusion="failure" if number % 3 == 0 else "success",
            created_at=start + timedelta(minutes=number),
            pull_requests=(),
            jobs=(JobSeed(50_000 + number, "test", "success", "Linux", None),),
        )
        for number in range(count)
    )
    return Seed(root=None, repos=(RepoSeed("acme/big", "main"),), runs=runs)


def test_paginating_250_runs_with_githubkit_and_link_headers():
    with FakeGitHub.running(_many_runs(250)) as fake:
        gh = GitHub(TokenAuthStrategy("x"), base_url=fake.url, auto_retry=False)
        seen = list(
            gh.rest.paginate(
                gh.rest.actions.list_workflow_runs_for_repo,
                owner="acme",
                repo="big",
                per_page=100,
                map_func=lambda response: response.parsed_data.workflow_runs,
            )
        )
        assert len(seen) == 250
        assert len({run.id for run in seen}) == 250
        assert fake.request_count("actions/list-workflow-runs-for-repo") == 3
        page = httpx.get(f"{fake.url}/repos/acme/big/actions/runs?per_page=100&page=2")
        links = page.headers["link"]
        assert 'page=1>; rel="prev"' in links
        assert 'page=3>; rel="next"' in links
        assert 'page=3>; rel="last"' in links
        assert 'page=1>; rel="first"' in links
        capped = httpx.get(f"{fake.url}/repos/acme/big/actions/runs?per_page=500")
        assert len(capped.json()["workflow_runs"]) == 100
        default = httpx.get(f"{fake.url}/repos/acme/big/actions/runs")
        assert len(default.json()["workflow_runs"]) == 30
        assert 'rel="prev"' not in default.headers["link"]


def test_a_new_run_between_scans_changes_the_listing(http: httpx.Client, fake: FakeGitHub):
    first = http.get("/repos/labri-progress/cidiff/actions/runs", params={"status": "failure"})
    etag = first.headers["etag"]
    unchanged = http.get(
        "/repos/labri-progress/cidiff/actions/runs",
        params={"status": "failure"},
        headers={"If-None-Match": etag},
    )
    assert unchanged.status_code == 304
    fake.add_run_attempt(
        RunAttemptSeed(
            repo="labri-progress/cidiff",
            workflow="build-test-cidiff",
            run_id=1_500_000_400,
            run_attempt=1,
            head_sha="c" * 40,
            head_branch="main",
            event="push",
            conclusion="failure",
            created_at=datetime(2026, 11, 1, tzinfo=UTC),
            pull_requests=(),
            jobs=(JobSeed(4_400_000_400, "build-test-deploy", "failure", "Linux", None),),
        )
    )
    changed = http.get(
        "/repos/labri-progress/cidiff/actions/runs",
        params={"status": "failure"},
        headers={"If-None-Match": etag},
    )
    assert changed.status_code == 200
    assert changed.json()["workflow_runs"][0]["id"] == 1_500_000_400
    assert changed.json()["workflow_runs"][0]["path"] == ".github/workflows/build-test-cidiff.yml"


def test_reruns_can_finish_at_once():
    with FakeGitHub.running(DEMO_SEED, rerun_conclusion="success") as fake:
        gh = GitHub(TokenAuthStrategy("x"), base_url=fake.url, auto_retry=False)
        gh.rest.actions.re_run_workflow_failed_jobs(*PYTORCH, 29_100_000_000)
        run = gh.rest.actions.get_workflow_run(*PYTORCH, 29_100_000_000).parsed_data
        assert (run.run_attempt, run.conclusion) == (2, "success")
        assert run.triggering_actor is not None
        assert run.triggering_actor.login == "sheriff-bot"
