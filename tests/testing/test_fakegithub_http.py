"""HTTP behaviour: conditional requests, rate limits, error bodies, faults, request log."""

from __future__ import annotations

import time

import httpx
import pytest
from githubkit import GitHub, TokenAuthStrategy
from githubkit.exception import PrimaryRateLimitExceeded, RequestFailed, SecondaryRateLimitExceeded

from sheriff.testing.fakegithub import DEMO_SEED, FakeGitHub

RUNS = "/repos/labri-progress/cidiff/actions/runs"
ISSUE = "/repos/pytorch/pytorch/issues/159870"


def test_etag_round_trip_answers_304_without_spending_budget(http: httpx.Client):
    first = http.get(RUNS)
    etag = first.headers["etag"]
    assert etag.startswith('"')
    assert not etag.startswith("W/")
    used = int(first.headers["x-ratelimit-used"])
    again = http.get(RUNS, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert int(again.headers["x-ratelimit-used"]) == used
    weak = http.get(RUNS, headers={"If-None-Match": f'"other", W/{etag}'})
    assert weak.status_code == 304


def test_a_change_changes_the_etag(http: httpx.Client):
    before = http.get(ISSUE)
    http.post(f"{ISSUE}/comments", json={"body": "ping"})
    after = http.get(ISSUE, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert after.json()["comments"] == 2
    assert after.headers["etag"] != before.headers["etag"]


def test_last_modified_and_if_modified_since(http: httpx.Client):
    first = http.get(ISSUE)
    stamp = first.headers["last-modified"]
    assert stamp.endswith("GMT")
    same = http.get(ISSUE, headers={"If-Modified-Since": stamp})
    assert same.status_code == 304
    old = http.get(ISSUE, headers={"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"})
    assert old.status_code == 200


def test_githubkit_cache_revalidates_with_the_etag(gh: GitHub[TokenAuthStrategy], fake: FakeGitHub):
    first = gh.rest.actions.list_workflow_runs_for_repo("labri-progress", "cidiff").parsed_data
    second = gh.rest.actions.list_workflow_runs_for_repo("labri-progress", "cidiff").parsed_data
    assert second.total_count == first.total_count
    statuses = [
        entry.status
        for entry in fake.requests
        if entry.operation == "actions/list-workflow-runs-for-repo"
    ]
    assert statuses == [200, 304]


def test_rate_limit_headers_and_overview(http: httpx.Client, gh: GitHub[TokenAuthStrategy]):
    answer = http.get("/repos/pytorch/pytorch")
    assert answer.headers["x-ratelimit-limit"] == "5000"
    assert answer.headers["x-ratelimit-resource"] == "core"
    assert int(answer.headers["x-ratelimit-reset"]) > time.time()
    overview = gh.rest.rate_limit.get().parsed_data
    assert overview.resources.core.used == 1
    assert overview.resources.search.limit == 30


@pytest.mark.parametrize("status", [403, 429])
def test_exhausted_budget_is_refused_like_github(status: int):
    with FakeGitHub.running(DEMO_SEED, rate_limits={"core": 3}, rate_limit_status=status) as fake:
        gh = GitHub(TokenAuthStrategy("x"), base_url=fake.url, auto_retry=False, http_cache=False)
        for _ in range(3):
            gh.rest.repos.get("pytorch", "pytorch")
        with pytest.raises(PrimaryRateLimitExceeded) as refused:
            gh.rest.repos.get("pytorch", "pytorch")
        response = refused.value.response
        assert response.status_code == status
        assert response.headers["x-ratelimit-remaining"] == "0"
        assert response.json()["message"].startswith("API rate limit exceeded")
        fake.set_rate_limit(10)
        assert gh.rest.repos.get("pytorch", "pytorch").status_code == 200


def test_errors_have_github_bodies(http: httpx.Client):
    missing = http.get("/repos/nobody/nothing")
    assert missing.status_code == 404
    assert missing.json() == {
        "message": "Not Found",
        "documentation_url": "https://docs.github.com/rest/repos/repos#get-a-repository",
        "status": "404",
    }
    assert http.get("/no/such/endpoint").status_code == 404
    assert http.get("/repos/pytorch/pytorch/actions/runs/notanumber").status_code == 404


def test_server_errors_then_recovery(http: httpx.Client, fake: FakeGitHub):
    fault = fake.fail_next(r"/actions/runs$", status=503, count=2)
    assert [http.get(RUNS).status_code for _ in range(3)] == [503, 503, 200]
    assert fault.hits == 2
    assert not fake.app.faults.pending
    fake.fail_next(r"/actions/runs$", status=502)
    page = http.get(RUNS)
    assert page.status_code == 502
    assert page.headers["content-type"].startswith("text/html")
    assert fake.request_count(status=503) == 2
    assert fake.request_count("actions/list-workflow-runs-for-repo") == 4


def test_githubkit_retries_a_5xx_by_itself(fake: FakeGitHub):
    fake.fail_next(r"^/repos/pytorch/pytorch$", status=500, count=1)
    gh = GitHub(TokenAuthStrategy("x"), base_url=fake.url)
    assert gh.rest.repos.get("pytorch", "pytorch").parsed_data.full_name == "pytorch/pytorch"
    assert fake.request_count("repos/get") == 2


def test_secondary_rate_limit_carries_retry_after(gh: GitHub[TokenAuthStrategy], fake: FakeGitHub):
    fake.fail_next(r"/issues$", status=403, retry_after=7, method="POST")
    with pytest.raises(SecondaryRateLimitExceeded) as limited:
        gh.rest.issues.create("pytorch", "pytorch", title="x")
    assert limited.value.retry_after.total_seconds() == 7
    assert "secondary rate limit" in limited.value.response.json()["message"]
    assert gh.rest.issues.create("pytorch", "pytorch", title="x").status_code == 201


def test_404_and_410_faults_on_logs(gh: GitHub[TokenAuthStrategy], fake: FakeGitHub):
    fake.fail_next(r"/jobs/\d+/logs$", status=410)
    fake.fail_next(r"/jobs/\d+/logs$", status=404)
    for expected in (410, 404):
        with pytest.raises(RequestFailed) as failed:
            gh.rest.actions.download_job_logs_for_workflow_run("pytorch", "pytorch", 90739920874)
        assert failed.value.response.status_code == expected


def test_latency_fault_delays_without_failing(http: httpx.Client, fake: FakeGitHub):
    fake.fail_next(r"^/rate_limit$", status=None, delay=0.3)
    started = time.monotonic()
    assert http.get("/rate_limit").status_code == 200
    assert time.monotonic() - started >= 0.3


def test_seeded_faults_fire(tmp_path):
    seed = tmp_path / "seed"
    seed.mkdir()
    (seed / "repos.json").write_text('[{"full_name": "a/b", "default_branch": "main"}]')
    (seed / "faults.json").write_text('[{"path": "^/repos/a/b$", "status": 500, "count": 1}]')
    with FakeGitHub.running(seed) as fake:
        assert [httpx.get(f"{fake.url}/repos/a/b").status_code for _ in range(2)] == [500, 200]


def test_enterprise_style_api_prefix(fake: FakeGitHub):
    gh = GitHub(TokenAuthStrategy("x"), base_url=f"{fake.url}/api/v3", auto_retry=False)
    runs = gh.rest.actions.list_workflow_runs_for_repo("pytorch", "pytorch", per_page=5)
    assert runs.parsed_data.workflow_runs[0].url.startswith(f"{fake.url}/api/v3/repos/")
    assert f"{fake.url}/api/v3/repos/pytorch/pytorch/actions/runs?" in runs.headers["link"]
    assert fake.requests[-1].path == "/repos/pytorch/pytorch/actions/runs"
