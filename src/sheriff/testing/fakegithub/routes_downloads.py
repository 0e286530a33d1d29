"""The download URLs that log and artifact endpoints redirect to.

They stand for GitHub's signed blob-storage URLs: no token needed, no rate limit spent.
"""

from __future__ import annotations

from sheriff.testing.fakegithub.api_errors import ApiError, not_found
from sheriff.testing.fakegithub.archives import artifact_zip, run_logs_zip
from sheriff.testing.fakegithub.routing import Reply, Request, int_param, route
from sheriff.testing.fakegithub.world import World

DOWNLOADS = "/_fake/downloads/{owner}/{repo}"


def _gone() -> ApiError:
    return ApiError(410, "The download link has expired or the content is gone.")


@route("GET", DOWNLOADS + "/jobs/{job_id}", "download/job-logs", "", "download")
def download_job_log(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    job = world.job(repo, int_param(params, "job_id"))
    if job.logs_expired:
        raise _gone()
    content_type = "text/plain; charset=utf-8"
    if job.log_text is None and job.log_path is not None:
        return Reply(file=job.log_path, content_type=content_type)
    return Reply(raw=job.log_bytes(), content_type=content_type)


@route(
    "GET",
    DOWNLOADS + "/runs/{run_id}/attempts/{attempt}/logs.zip",
    "download/run-logs",
    "",
    "download",
)
def download_run_logs(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    run = world.run(repo, int_param(params, "run_id"))
    attempt = run.attempt(int_param(params, "attempt"))
    if attempt is None:
        raise not_found()
    return Reply(raw=run_logs_zip(attempt.jobs), content_type="application/zip")


@route("GET", DOWNLOADS + "/artifacts/{artifact_id}.zip", "download/artifact", "", "download")
def download_artifact_zip(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    wanted = params["artifact_id"]
    for run in repo.runs.values():
        for item in run.artifacts:
            if str(item.id) == wanted and not item.expired:
                return Reply(raw=artifact_zip(item), content_type="application/zip")
    raise not_found()


ROUTES = [download_job_log, download_run_logs, download_artifact_zip]
