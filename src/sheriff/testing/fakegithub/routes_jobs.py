"""Jobs, job and run logs, artifacts, and the download URLs GitHub redirects to.

Log and archive endpoints answer ``302 Found`` with a ``Location`` on this server (GitHub's
points at a short-lived signed URL); the download itself needs no token and costs no rate
limit. Expired logs answer 410 with the body GitHub really sends (its message is
"Server Error", status "410").
"""

from __future__ import annotations

from sheriff.testing.fakegithub.api_errors import ApiError, not_found
from sheriff.testing.fakegithub.archives import artifact_zip
from sheriff.testing.fakegithub.pagination import paginate
from sheriff.testing.fakegithub.payload_actions import artifact_payload, job_payload
from sheriff.testing.fakegithub.records import ArtifactRecord, JobRecord, RepoRecord, RunRecord
from sheriff.testing.fakegithub.routing import Reply, Request, int_param, route
from sheriff.testing.fakegithub.world import World

ACTIONS = "/repos/{owner}/{repo}/actions"
JOB_LOGS_DOCS = (
    "https://docs.github.com/rest/actions/workflow-jobs#download-job-logs-for-a-workflow-run"
)


def _jobs_reply(request: Request, repo: RepoRecord, run: RunRecord, jobs: list[JobRecord]) -> Reply:
    page, headers = paginate(request, jobs)
    return Reply(
        {
            "total_count": len(jobs),
            "jobs": [job_payload(repo, run, job, request.urls) for job in page],
        },
        headers=headers,
    )


@route(
    "GET",
    ACTIONS + "/runs/{run_id}/jobs",
    "actions/list-jobs-for-workflow-run",
    "actions/workflow-jobs#list-jobs-for-a-workflow-run",
)
def list_run_jobs(request: Request, world: World, params: dict[str, str]) -> Reply:
    """``filter=latest`` (default): each job's most recent execution; ``all``: every attempt."""
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    run = world.run(repo, int_param(params, "run_id"))
    if request.arg("filter") == "all":
        return _jobs_reply(request, repo, run, [j for a in run.attempts for j in a.jobs])
    latest: dict[str, JobRecord] = {}
    for attempt in run.attempts:
        latest.update({job.name: job for job in attempt.jobs})
    return _jobs_reply(request, repo, run, list(latest.values()))


@route(
    "GET",
    ACTIONS + "/runs/{run_id}/attempts/{attempt}/jobs",
    "actions/list-jobs-for-workflow-run-attempt",
    "actions/workflow-jobs#list-jobs-for-a-workflow-run-attempt",
)
def list_attempt_jobs(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    run = world.run(repo, int_param(params, "run_id"))
    attempt = run.attempt(int_param(params, "attempt"))
    if attempt is None:
        raise not_found()
    return _jobs_reply(request, repo, run, attempt.jobs)


@route(
    "GET",
    ACTIONS + "/jobs/{job_id}",
    "actions/get-job-for-workflow-run",
    "actions/workflow-jobs#get-a-job-for-a-workflow-run",
)
def get_job(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    job = world.job(repo, int_param(params, "job_id"))
    run = world.run(repo, job.run_id)
    return Reply(
        job_payload(repo, run, job, request.urls), last_modified=job.completed_at or job.started_at
    )


@route(
    "GET",
    ACTIONS + "/jobs/{job_id}/logs",
    "actions/download-job-logs-for-workflow-run",
    "actions/workflow-jobs#download-job-logs-for-a-workflow-run",
)
def job_logs(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    job = world.job(repo, int_param(params, "job_id"))
    if job.logs_expired:
        raise ApiError(410, "Server Error", documentation_url=JOB_LOGS_DOCS)
    if job.status != "completed":
        raise not_found()
    return _redirect(request, f"/_fake/downloads/{repo.full_name}/jobs/{job.id}")


@route(
    "GET",
    ACTIONS + "/runs/{run_id}/logs",
    "actions/download-workflow-run-logs",
    "actions/workflow-runs#download-workflow-run-logs",
)
def run_logs(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    run = world.run(repo, int_param(params, "run_id"))
    return _run_logs_redirect(request, repo, run, run.latest.number)


@route(
    "GET",
    ACTIONS + "/runs/{run_id}/attempts/{attempt}/logs",
    "actions/download-workflow-run-attempt-logs",
    "actions/workflow-runs#download-workflow-run-attempt-logs",
)
def attempt_logs(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    run = world.run(repo, int_param(params, "run_id"))
    return _run_logs_redirect(request, repo, run, int_param(params, "attempt"))


def _run_logs_redirect(request: Request, repo: RepoRecord, run: RunRecord, number: int) -> Reply:
    attempt = run.attempt(number)
    if attempt is None:
        raise not_found()
    if all(job.logs_expired for job in attempt.jobs):
        raise ApiError(410, "Server Error")
    return _redirect(
        request, f"/_fake/downloads/{repo.full_name}/runs/{run.id}/attempts/{number}/logs.zip"
    )


@route(
    "GET",
    ACTIONS + "/runs/{run_id}/artifacts",
    "actions/list-workflow-run-artifacts",
    "actions/artifacts#list-workflow-run-artifacts",
)
def list_run_artifacts(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    run = world.run(repo, int_param(params, "run_id"))
    return _artifacts_reply(request, repo, [(run, item) for item in run.artifacts])


@route(
    "GET",
    ACTIONS + "/artifacts",
    "actions/list-artifacts-for-repo",
    "actions/artifacts#list-artifacts-for-a-repository",
)
def list_repo_artifacts(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    found = [(run, item) for run in repo.runs.values() for item in run.artifacts]
    found.sort(key=lambda pair: pair[1].id, reverse=True)
    return _artifacts_reply(request, repo, found)


def _artifacts_reply(
    request: Request, repo: RepoRecord, found: list[tuple[RunRecord, ArtifactRecord]]
) -> Reply:
    name = request.arg("name")
    chosen = [pair for pair in found if name is None or pair[1].name == name]
    page, headers = paginate(request, chosen)
    return Reply(
        {
            "total_count": len(chosen),
            "artifacts": [
                artifact_payload(repo, run, item, len(artifact_zip(item)), request.urls)
                for run, item in page
            ],
        },
        headers=headers,
    )


def _find_artifact(
    world: World, params: dict[str, str]
) -> tuple[RepoRecord, RunRecord, ArtifactRecord]:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    wanted = int_param(params, "artifact_id")
    for run in repo.runs.values():
        for item in run.artifacts:
            if item.id == wanted:
                return repo, run, item
    raise not_found()


@route(
    "GET",
    ACTIONS + "/artifacts/{artifact_id}",
    "actions/get-artifact",
    "actions/artifacts#get-an-artifact",
)
def get_artifact(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo, run, item = _find_artifact(world, params)
    return Reply(artifact_payload(repo, run, item, len(artifact_zip(item)), request.urls))


@route(
    "GET",
    ACTIONS + "/artifacts/{artifact_id}/{archive_format}",
    "actions/download-artifact",
    "actions/artifacts#download-an-artifact",
)
def download_artifact(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo, _run, item = _find_artifact(world, params)
    if params["archive_format"] != "zip":
        raise not_found()
    if item.expired:
        raise ApiError(410, "Artifact has expired")
    return _redirect(request, f"/_fake/downloads/{repo.full_name}/artifacts/{item.id}.zip")


def _redirect(request: Request, path: str) -> Reply:
    return Reply(status=302, headers={"Location": request.urls.api_url(path)})


ROUTES = [
    list_run_jobs,
    list_attempt_jobs,
    get_job,
    job_logs,
    run_logs,
    attempt_logs,
    list_run_artifacts,
    list_repo_artifacts,
    get_artifact,
    download_artifact,
]
