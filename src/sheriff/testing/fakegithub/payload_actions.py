"""GitHub Actions payloads: workflow runs (one per attempt), jobs, workflows, artifacts."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sheriff.testing.fakegithub.jobs_build import RUNNER_LABELS
from sheriff.testing.fakegithub.payload_common import (
    JSON,
    Urls,
    iso,
    minimal_repo,
    node_id,
    user_payload,
)
from sheriff.testing.fakegithub.records import (
    ArtifactRecord,
    AttemptRecord,
    JobRecord,
    RepoRecord,
    RunRecord,
    WorkflowRecord,
)

_RETAINED = timedelta(days=90)
_EXPIRED = timedelta(0)


def workflow_run(repo: RepoRecord, run: RunRecord, attempt: AttemptRecord, urls: Urls) -> JSON:
    base = urls.api_url(f"repos/{repo.full_name}/actions/runs/{run.id}")
    suite = run.id + 9_000_000_000
    return {
        "id": run.id,
        "name": run.workflow.name,
        "node_id": node_id("WorkflowRun", run.id),
        "head_branch": run.head_branch,
        "head_sha": run.head_sha,
        "path": run.workflow.path,
        "display_title": run.display_title,
        "run_number": run.run_number,
        "event": run.event,
        "status": attempt.status,
        "conclusion": attempt.conclusion,
        "workflow_id": run.workflow.id,
        "check_suite_id": suite,
        "check_suite_node_id": node_id("CheckSuite", suite),
        "url": base,
        "html_url": urls.html_url(f"{repo.full_name}/actions/runs/{run.id}"),
        "pull_requests": [_pull_request(repo, run, number, urls) for number in run.pull_requests],
        "created_at": iso(run.created_at),
        "updated_at": iso(attempt.updated_at),
        "actor": user_payload(run.attempts[0].actor, urls),
        "run_attempt": attempt.number,
        "referenced_workflows": [],
        "run_started_at": iso(attempt.started_at),
        "triggering_actor": user_payload(attempt.actor, urls),
        "jobs_url": f"{base}/jobs",
        "logs_url": f"{base}/logs",
        "check_suite_url": urls.api_url(f"repos/{repo.full_name}/check-suites/{suite}"),
        "artifacts_url": f"{base}/artifacts",
        "cancel_url": f"{base}/cancel",
        "rerun_url": f"{base}/rerun",
        "previous_attempt_url": (
            f"{base}/attempts/{attempt.number - 1}" if attempt.number > 1 else None
        ),
        "workflow_url": urls.api_url(f"repos/{repo.full_name}/actions/workflows/{run.workflow.id}"),
        "head_commit": _head_commit(run),
        "repository": minimal_repo(repo, urls),
        "head_repository": minimal_repo(repo, urls),
        "head_repository_id": repo.id,
    }


def _pull_request(repo: RepoRecord, run: RunRecord, number: int, urls: Urls) -> JSON:
    short = {"id": repo.id, "url": urls.api_url(f"repos/{repo.full_name}"), "name": repo.name}
    pull = repo.pulls.get(number)
    base = (
        (pull.base_ref, pull.base_sha)
        if pull
        else (repo.default_branch, _sha(f"base-{run.head_sha}"))
    )
    return {
        "id": pull.id if pull else 1_900_000_000 + number,
        "number": number,
        "url": urls.api_url(f"repos/{repo.full_name}/pulls/{number}"),
        "head": {"ref": run.head_branch, "sha": run.head_sha, "repo": short},
        "base": {"ref": base[0], "sha": base[1], "repo": short},
    }


def _head_commit(run: RunRecord) -> JSON:
    author = {"name": run.attempts[0].actor, "email": f"{run.attempts[0].actor}@users.noreply"}
    return {
        "id": run.head_sha,
        "tree_id": _sha(f"tree-{run.head_sha}"),
        "message": run.display_title,
        "timestamp": iso(run.created_at),
        "author": author,
        "committer": {"name": "GitHub", "email": "noreply@github.com"},
    }


def _sha(text: str) -> str:
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def job_payload(repo: RepoRecord, run: RunRecord, job: JobRecord, urls: Urls) -> JSON:
    base = urls.api_url(f"repos/{repo.full_name}/actions/jobs/{job.id}")
    started = job.status != "queued"
    return {
        "id": job.id,
        "run_id": run.id,
        "workflow_name": run.workflow.name,
        "head_branch": run.head_branch,
        "run_url": urls.api_url(f"repos/{repo.full_name}/actions/runs/{run.id}"),
        "run_attempt": job.attempt,
        "node_id": node_id("CheckRun", job.id),
        "head_sha": run.head_sha,
        "url": base,
        "html_url": urls.html_url(f"{repo.full_name}/actions/runs/{run.id}/job/{job.id}"),
        "status": job.status,
        "conclusion": job.conclusion,
        "created_at": iso(job.created_at),
        "started_at": iso(job.started_at),
        "completed_at": iso(job.completed_at),
        "name": job.name,
        "steps": [
            {
                "name": step.name,
                "status": step.status,
                "conclusion": step.conclusion,
                "number": step.number,
                "started_at": iso(step.started_at),
                "completed_at": iso(step.completed_at),
            }
            for step in job.steps
        ],
        "check_run_url": urls.api_url(f"repos/{repo.full_name}/check-runs/{job.id}"),
        "labels": [RUNNER_LABELS.get(job.runner_os, job.runner_os)],
        "runner_id": (job.id % 50) + 1 if started else None,
        "runner_name": f"GitHub Actions {(job.id % 50) + 1}" if started else None,
        "runner_group_id": 0 if started else None,
        "runner_group_name": "GitHub Actions" if started else None,
    }


def workflow_payload(repo: RepoRecord, workflow: WorkflowRecord, urls: Urls) -> JSON:
    return {
        "id": workflow.id,
        "node_id": node_id("Workflow", workflow.id),
        "name": workflow.name,
        "path": workflow.path,
        "state": workflow.state,
        "created_at": iso(workflow.created_at),
        "updated_at": iso(workflow.updated_at),
        "url": urls.api_url(f"repos/{repo.full_name}/actions/workflows/{workflow.id}"),
        "html_url": urls.html_url(f"{repo.full_name}/blob/{repo.default_branch}/{workflow.path}"),
        "badge_url": urls.html_url(f"{repo.full_name}/workflows/{workflow.name}/badge.svg"),
    }


def artifact_payload(
    repo: RepoRecord, run: RunRecord, artifact: ArtifactRecord, size: int, urls: Urls
) -> JSON:
    base = urls.api_url(f"repos/{repo.full_name}/actions/artifacts/{artifact.id}")
    return {
        "id": artifact.id,
        "node_id": node_id("Artifact", artifact.id),
        "name": artifact.name,
        "size_in_bytes": size,
        "url": base,
        "archive_download_url": f"{base}/zip",
        "expired": artifact.expired,
        "digest": None,
        "created_at": iso(artifact.created_at),
        "updated_at": iso(artifact.created_at),
        "expires_at": iso(artifact.created_at + (_EXPIRED if artifact.expired else _RETAINED)),
        "workflow_run": {
            "id": run.id,
            "repository_id": repo.id,
            "head_repository_id": repo.id,
            "head_branch": run.head_branch,
            "head_sha": run.head_sha,
        },
    }
