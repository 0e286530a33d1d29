"""Check run, check suite, GitHub App and commit status payloads."""

from __future__ import annotations

from datetime import UTC, datetime

from sheriff.testing.fakegithub.payload_common import (
    JSON,
    Urls,
    iso,
    minimal_repo,
    node_id,
    user_id,
    user_payload,
)
from sheriff.testing.fakegithub.records import RepoRecord
from sheriff.testing.fakegithub.records_pulls import (
    CheckRunRecord,
    CheckSuiteRecord,
    StatusRecord,
)

ACTIONS_APP_ID = 15368
_APP_CREATED = datetime(2019, 5, 1, tzinfo=UTC)
_APP_PERMISSIONS = {"checks": "write", "contents": "write", "issues": "write", "metadata": "read"}


def app_payload(slug: str, app_id: int | None, urls: Urls) -> JSON:
    """A GitHub App (``Integration``): ``github-actions`` or one installed on the fake."""
    number = ACTIONS_APP_ID if slug == "github-actions" else (app_id or user_id(slug))
    owner = "github" if slug == "github-actions" else slug
    return {
        "id": number,
        "slug": slug,
        "node_id": node_id("Integration", number),
        "client_id": f"Iv1.{number:016x}",
        "owner": user_payload(owner, urls),
        "name": "GitHub Actions" if slug == "github-actions" else slug,
        "description": "",
        "external_url": urls.html_url(f"apps/{slug}"),
        "html_url": urls.html_url(f"apps/{slug}"),
        "created_at": iso(_APP_CREATED),
        "updated_at": iso(_APP_CREATED),
        "permissions": _APP_PERMISSIONS,
        "events": ["check_run", "check_suite", "pull_request"],
    }


def check_run_payload(
    repo: RepoRecord, run: CheckRunRecord, app: JSON, pulls: list[JSON], urls: Urls
) -> JSON:
    """``pulls``: the open pull requests whose head is the run's sha (minimal form)."""
    url = urls.api_url(f"repos/{repo.full_name}/check-runs/{run.id}")
    html = run.html_url or urls.html_url(f"{repo.full_name}/runs/{run.id}")
    if run.workflow_run_id is not None:
        html = urls.html_url(f"{repo.full_name}/actions/runs/{run.workflow_run_id}/job/{run.id}")
    return {
        "id": run.id,
        "head_sha": run.head_sha,
        "node_id": node_id("CheckRun", run.id),
        "external_id": run.external_id or "",
        "url": url,
        "html_url": html,
        "details_url": run.details_url or html,
        "status": run.status,
        "conclusion": run.conclusion,
        "started_at": iso(run.started_at),
        "completed_at": iso(run.completed_at),
        "output": {
            "title": run.title,
            "summary": run.summary,
            "text": run.text,
            "annotations_count": 0,
            "annotations_url": f"{url}/annotations",
        },
        "name": run.name,
        "check_suite": {"id": run.suite_id},
        "app": app,
        "pull_requests": pulls,
    }


def check_suite_payload(
    repo: RepoRecord,
    suite: CheckSuiteRecord,
    outcome: tuple[str, str | None, int],
    app: JSON,
    *,
    head_commit: JSON,
    urls: Urls,
) -> JSON:
    """``outcome``: the suite's status, conclusion and number of latest check runs."""
    status, conclusion, runs = outcome
    url = urls.api_url(f"repos/{repo.full_name}/check-suites/{suite.id}")
    return {
        "id": suite.id,
        "node_id": node_id("CheckSuite", suite.id),
        "head_branch": suite.head_branch,
        "head_sha": suite.head_sha,
        "status": status,
        "conclusion": conclusion,
        "url": url,
        "before": None,
        "after": suite.head_sha,
        "pull_requests": [],
        "app": app,
        "repository": minimal_repo(repo, urls),
        "created_at": iso(suite.created_at),
        "updated_at": iso(suite.created_at),
        "head_commit": head_commit,
        "latest_check_runs_count": runs,
        "check_runs_url": f"{url}/check-runs",
        "rerequestable": True,
        "runs_rerequestable": False,
    }


def status_payload(repo: RepoRecord, status: StatusRecord, urls: Urls) -> JSON:
    creator = user_payload(status.creator, urls)
    return {
        "url": urls.api_url(f"repos/{repo.full_name}/statuses/{status.sha}"),
        "avatar_url": creator["avatar_url"],
        "id": status.id,
        "node_id": node_id("StatusContext", status.id),
        "state": status.state,
        "description": status.description,
        "target_url": status.target_url,
        "context": status.context,
        "created_at": iso(status.created_at),
        "updated_at": iso(status.created_at),
        "creator": creator,
    }


def combined_status_payload(
    repo: RepoRecord, sha: str, state: str, statuses: list[StatusRecord], urls: Urls
) -> JSON:
    api = urls.api_url(f"repos/{repo.full_name}")
    return {
        "state": state,
        "statuses": [status_payload(repo, status, urls) for status in statuses],
        "sha": sha,
        "total_count": len(statuses),
        "repository": minimal_repo(repo, urls),
        "commit_url": f"{api}/commits/{sha}",
        "url": f"{api}/commits/{sha}/status",
    }
