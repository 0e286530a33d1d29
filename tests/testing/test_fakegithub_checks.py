"""Check runs and suites of a commit, CI played by the test, and commit statuses."""

from __future__ import annotations

import httpx
import pytest
from githubkit.exception import RequestFailed

from sheriff.testing.fakegithub import FakeGitHub
from tests.testing.conftest import REPO, client_for
from tests.testing.test_fakegithub_pulls import fix_branch

OWNER, NAME = REPO.split("/")
FAILED_LOG = b"2024-05-01T10:00:00.0000000Z FAILED tests/test_clock.py::test_now_is_positive\n"


def test_ci_on_a_pull_request_head_is_a_workflow_run_with_a_log(git_fake: FakeGitHub):
    head = fix_branch(git_fake)
    number = git_fake.open_pull_as(REPO, "sheriff[bot]", "sheriff/fix-1a2b3c4d")
    check_id = git_fake.complete_checks(REPO, head, "failure", name="test", log=FAILED_LOG)
    git_fake.complete_checks(REPO, head, "success", name="lint")
    gh = client_for(git_fake)
    listed = gh.rest.checks.list_for_ref(OWNER, NAME, head).parsed_data
    assert listed.total_count == 2
    runs = {run.name: run for run in listed.check_runs}
    failed = runs["test"]
    assert (failed.id, failed.status, failed.conclusion) == (check_id, "completed", "failure")
    assert failed.app is not None
    assert failed.app.slug == "github-actions"
    assert [pull.number for pull in failed.pull_requests] == [number]
    assert failed.details_url is not None
    run_id = int(failed.details_url.split("/actions/runs/")[1].split("/")[0])
    run = gh.rest.actions.get_workflow_run(OWNER, NAME, run_id).parsed_data
    assert (run.event, run.head_sha, run.head_branch) == (
        "pull_request",
        head,
        "sheriff/fix-1a2b3c4d",
    )
    assert [pull.number for pull in run.pull_requests or []] == [number]
    log = httpx.get(
        f"{git_fake.url}/repos/{REPO}/actions/jobs/{check_id}/logs", follow_redirects=True
    )
    assert log.content == FAILED_LOG
    by_branch = gh.rest.checks.list_for_ref(OWNER, NAME, "sheriff/fix-1a2b3c4d").parsed_data
    assert by_branch.total_count == 2
    pull = gh.rest.pulls.get(OWNER, NAME, number).parsed_data
    assert pull.mergeable_state == "unstable"


def test_a_rerun_is_a_new_attempt_and_the_latest_wins(git_fake: FakeGitHub):
    head = fix_branch(git_fake)
    first = git_fake.complete_checks(REPO, head, "failure", name="test")
    second = git_fake.complete_checks(REPO, head, "success", name="test")
    gh = client_for(git_fake)
    runs = gh.rest.checks.list_for_ref(OWNER, NAME, head).parsed_data.check_runs
    assert [(run.id, run.conclusion) for run in runs] == [(second, "success")]
    assert gh.rest.checks.get(OWNER, NAME, first).parsed_data.conclusion == "failure"
    suites = gh.rest.checks.list_suites_for_ref(OWNER, NAME, head).parsed_data
    assert [(suite.conclusion, suite.latest_check_runs_count) for suite in suites.check_suites] == [
        ("success", 1)
    ]


def test_only_an_app_creates_and_changes_its_check_runs(git_fake: FakeGitHub):
    head = git_fake.git(REPO).branch_sha("main")
    assert head is not None
    app = client_for(git_fake, "t-app")
    made = app.rest.checks.create(
        OWNER, NAME, name="sheriff/verify", head_sha=head, status="in_progress"
    ).parsed_data
    assert (made.status, made.conclusion) == ("in_progress", None)
    assert made.app is not None
    assert made.app.slug == "sheriff"
    done = app.rest.checks.update(
        OWNER,
        NAME,
        made.id,
        conclusion="success",
        details_url="https://sheriff.example/runs/1",
        output={"title": "Verified", "summary": "30 runs passed"},
    ).parsed_data
    assert (done.status, done.conclusion, done.details_url) == (
        "completed",
        "success",
        "https://sheriff.example/runs/1",
    )
    assert (done.output.title, done.output.summary) == ("Verified", "30 runs passed")
    user = client_for(git_fake, "t-alice")
    with pytest.raises(RequestFailed) as refused:
        user.rest.checks.create(OWNER, NAME, name="mine", head_sha=head)
    assert refused.value.response.status_code == 403
    assert refused.value.response.json()["message"] == "You must authenticate via a GitHub App."
    with pytest.raises(RequestFailed) as not_its_own:
        user.rest.checks.update(OWNER, NAME, made.id, conclusion="failure")
    assert not_its_own.value.response.status_code == 403
    other = git_fake.complete_checks(REPO, head, "neutral", name="codecov", app="codecov")
    suites = app.rest.checks.list_suites_for_ref(OWNER, NAME, "main").parsed_data.check_suites
    assert sorted(suite.app.slug for suite in suites if suite.app) == ["codecov", "sheriff"]
    assert other != made.id


def test_check_run_validation(git_http: httpx.Client, git_fake: FakeGitHub):
    app = {"Authorization": "token t-app"}
    runs = f"/repos/{REPO}/check-runs"
    unknown = git_http.post(runs, headers=app, json={"name": "x", "head_sha": "f" * 40})
    assert (unknown.status_code, unknown.json()["message"]) == (
        422,
        f"No commit found for SHA: {'f' * 40}",
    )
    main = git_fake.git(REPO).branch_sha("main")
    no_conclusion = git_http.post(
        runs, headers=app, json={"name": "x", "head_sha": main, "status": "completed"}
    )
    assert no_conclusion.status_code == 422
    assert git_http.get(f"{runs}/12345").status_code == 404


def test_combined_status(git_fake: FakeGitHub):
    gh = client_for(git_fake)
    empty = gh.rest.repos.get_combined_status_for_ref(OWNER, NAME, "main").parsed_data
    assert (empty.state, empty.total_count) == ("pending", 0)
    head = str(git_fake.git(REPO).branch_sha("main"))
    gh.rest.repos.create_commit_status(OWNER, NAME, head, state="pending", context="ci/a")
    gh.rest.repos.create_commit_status(OWNER, NAME, head, state="success", context="ci/a")
    gh.rest.repos.create_commit_status(OWNER, NAME, head, state="success", context="ci/b")
    green = gh.rest.repos.get_combined_status_for_ref(OWNER, NAME, "main").parsed_data
    assert (green.state, green.sha, green.total_count) == ("success", head, 2)
    gh.rest.repos.create_commit_status(OWNER, NAME, head, state="error", context="ci/b")
    red = gh.rest.repos.get_combined_status_for_ref(OWNER, NAME, head).parsed_data
    assert red.state == "failure"


def test_seeded_runs_are_check_runs_of_their_head_sha(fake: FakeGitHub, http: httpx.Client):
    run = http.get("/repos/labri-progress/cidiff/actions/runs").json()["workflow_runs"][0]
    answer = http.get(f"/repos/labri-progress/cidiff/commits/{run['head_sha']}/check-runs")
    names = {item["name"] for item in answer.json()["check_runs"]}
    jobs = http.get(f"/repos/labri-progress/cidiff/actions/runs/{run['id']}/jobs").json()
    assert names >= {job["name"] for job in jobs["jobs"]}
