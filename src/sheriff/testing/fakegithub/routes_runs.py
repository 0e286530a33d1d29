"""Workflow runs, their attempts, re-running failed jobs, and workflows."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sheriff.testing.fakegithub.api_errors import not_found
from sheriff.testing.fakegithub.date_range import parse_date_range
from sheriff.testing.fakegithub.pagination import paginate
from sheriff.testing.fakegithub.payload_actions import workflow_payload, workflow_run
from sheriff.testing.fakegithub.records import RepoRecord, RunRecord, WorkflowRecord
from sheriff.testing.fakegithub.routing import Reply, Request, int_param, route
from sheriff.testing.fakegithub.run_ops import rerun_failed_jobs
from sheriff.testing.fakegithub.world import World

RunFilter = Callable[[RunRecord], bool]
RUNS = "repos/{owner}/{repo}/actions/runs"


@route(
    "GET",
    f"/{RUNS}",
    "actions/list-workflow-runs-for-repo",
    "actions/workflow-runs#list-workflow-runs-for-a-repository",
)
def list_runs(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    return _run_list(request, repo, repo.runs.values())


@route(
    "GET",
    "/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs",
    "actions/list-workflow-runs",
    "actions/workflow-runs#list-workflow-runs-for-a-workflow",
)
def list_workflow_runs(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    workflow = _find_workflow(repo, params["workflow_id"])
    return _run_list(request, repo, (run for run in repo.runs.values() if run.workflow is workflow))


def _run_list(request: Request, repo: RepoRecord, runs: Iterable[RunRecord]) -> Reply:
    tests = _run_filters(request)
    chosen = sorted(
        (run for run in runs if all(test(run) for test in tests)),
        key=lambda run: (run.created_at, run.id),
        reverse=True,
    )
    page, headers = paginate(request, chosen)
    payloads = [workflow_run(repo, run, run.latest, request.urls) for run in page]
    if request.arg("exclude_pull_requests") == "true":
        for payload in payloads:
            payload["pull_requests"] = []
    return Reply({"total_count": len(chosen), "workflow_runs": payloads}, headers=headers)


def _run_filters(request: Request) -> list[RunFilter]:
    tests: list[RunFilter] = []
    if (branch := request.arg("branch")) is not None:
        tests.append(lambda run: run.head_branch == branch)
    if (event := request.arg("event")) is not None:
        tests.append(lambda run: run.event == event)
    if (sha := request.arg("head_sha")) is not None:
        tests.append(lambda run: run.head_sha == sha)
    if (actor := request.arg("actor")) is not None:
        tests.append(lambda run: run.attempts[0].actor.lower() == actor.lower())
    if (status := request.arg("status")) is not None:
        tests.append(lambda run: status in {run.latest.status, run.latest.conclusion})
    if (suite := request.arg("check_suite_id")) is not None:
        tests.append(lambda run: str(run.id + 9_000_000_000) == suite)
    if (created := request.arg("created")) is not None:
        within = parse_date_range(created)
        tests.append(lambda run: within(run.created_at))
    return tests


@route(
    "GET",
    f"/{RUNS}/{{run_id}}",
    "actions/get-workflow-run",
    "actions/workflow-runs#get-a-workflow-run",
)
def get_run(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    run = world.run(repo, int_param(params, "run_id"))
    return Reply(
        workflow_run(repo, run, run.latest, request.urls), last_modified=run.latest.updated_at
    )


@route(
    "GET",
    f"/{RUNS}/{{run_id}}/attempts/{{attempt}}",
    "actions/get-workflow-run-attempt",
    "actions/workflow-runs#get-a-workflow-run-attempt",
)
def get_attempt(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    run = world.run(repo, int_param(params, "run_id"))
    attempt = run.attempt(int_param(params, "attempt"))
    if attempt is None:
        raise not_found()
    return Reply(workflow_run(repo, run, attempt, request.urls), last_modified=attempt.updated_at)


@route(
    "POST",
    f"/{RUNS}/{{run_id}}/rerun-failed-jobs",
    "actions/re-run-workflow-failed-jobs",
    "actions/workflow-runs#re-run-failed-jobs-from-a-workflow-run",
)
def rerun_failed(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    run = world.run(repo, int_param(params, "run_id"))
    request.json_body()
    rerun_failed_jobs(world, run, request.actor)
    return Reply({}, status=201)


@route(
    "GET",
    "/repos/{owner}/{repo}/actions/workflows",
    "actions/list-repo-workflows",
    "actions/workflows#list-repository-workflows",
)
def list_workflows(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    workflows = sorted(repo.workflows.values(), key=lambda workflow: workflow.id)
    page, headers = paginate(request, workflows)
    return Reply(
        {
            "total_count": len(workflows),
            "workflows": [workflow_payload(repo, item, request.urls) for item in page],
        },
        headers=headers,
    )


@route(
    "GET",
    "/repos/{owner}/{repo}/actions/workflows/{workflow_id}",
    "actions/get-workflow",
    "actions/workflows#get-a-workflow",
)
def get_workflow(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    workflow = _find_workflow(repo, params["workflow_id"])
    return Reply(workflow_payload(repo, workflow, request.urls), last_modified=workflow.updated_at)


def _find_workflow(repo: RepoRecord, key: str) -> WorkflowRecord:
    """A workflow by id or by file name (``ci.yml``), as GitHub accepts both."""
    for workflow in repo.workflows.values():
        if key == str(workflow.id) or key == workflow.path.rsplit("/", 1)[-1]:
            return workflow
    raise not_found()


ROUTES = [
    list_runs,
    list_workflow_runs,
    get_run,
    get_attempt,
    rerun_failed,
    list_workflows,
    get_workflow,
]
