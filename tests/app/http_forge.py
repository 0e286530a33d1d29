"""A small ``Forge`` over real HTTP (httpx), for testing the scan use case against the fake
GitHub until the githubkit adapter is wired in. Retries 5xx and rate limits briefly."""

from __future__ import annotations

import time
from collections.abc import Collection, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from sheriff.app.forge import (
    Artifact,
    ArtifactFiles,
    ArtifactLimits,
    ForgeRepository,
    Issue,
    IssueChange,
    IssueComment,
    JobStep,
    Listing,
    Permission,
    RunQuery,
    StopCondition,
    WorkflowJob,
    WorkflowRun,
)
from sheriff.app.ports import JobLog, LogStatus
from sheriff.errors import GitHubError

RETRIED = {500, 502, 503, 504, 429}


def _time(value: Any) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


class HttpForge:
    def __init__(self, api_url: str, read_repo: str, write_repo: str | None = None) -> None:
        self._http = httpx.Client(
            base_url=api_url, headers={"Authorization": "Bearer test"}, follow_redirects=True
        )
        self._read, self._write = read_repo, write_repo or read_repo

    @property
    def read_repo(self) -> str:
        return self._read

    @property
    def write_repo(self) -> str:
        return self._write

    def _call(self, method: str, url: str, **options: Any) -> httpx.Response:
        for _ in range(8):
            response = self._http.request(method, url, **options)
            limited = response.status_code == 403 and "retry-after" in response.headers
            if response.status_code not in RETRIED and not limited:
                break
            time.sleep(min(float(response.headers.get("retry-after", "0.01")), 0.05))
        if response.status_code >= 400 and response.status_code not in (404, 410):
            raise GitHubError(f"{method} {url}: {response.status_code}", hint="retry later")
        return response

    def _pages(self, url: str, key: str | None, params: dict[str, Any]) -> list[Any]:
        items: list[Any] = []
        next_url: str | None = url
        while next_url:
            response = self._call("GET", next_url, params=params)
            body = response.json()
            items += body[key] if key else body
            next_url = response.links.get("next", {}).get("url")
            params = {}
        return items

    def get_repository(self) -> ForgeRepository:
        body = self._call("GET", f"/repos/{self._read}").json()
        return ForgeRepository(body["full_name"], body["default_branch"])

    def list_workflow_runs(
        self, query: RunQuery, *, stop_when: StopCondition | None = None
    ) -> Listing[WorkflowRun]:
        params: dict[str, Any] = {"per_page": 100, "status": "completed"}
        if query.created_since:
            params["created"] = ">=" + query.created_since.strftime("%Y-%m-%dT%H:%M:%SZ")
        raw = self._pages(f"/repos/{self._read}/actions/runs", "workflow_runs", params)
        runs = [self._run(item) for item in raw]
        return Listing(tuple(run for run in runs if run.conclusion in query.conclusions))

    def _run(self, item: dict[str, Any]) -> WorkflowRun:
        return WorkflowRun(
            run_id=item["id"],
            attempt=item["run_attempt"],
            workflow=item["name"],
            workflow_path=item.get("path"),
            workflow_id=item.get("workflow_id"),
            run_number=item.get("run_number"),
            head_sha=item["head_sha"],
            head_branch=item.get("head_branch"),
            event=item["event"],
            status=item.get("status"),
            conclusion=item.get("conclusion"),
            created_at=_time(item["created_at"]),  # type: ignore[arg-type]
            started_at=_time(item.get("run_started_at")),
            pull_requests=tuple(pr["number"] for pr in item.get("pull_requests") or ()),
            html_url=item.get("html_url"),
        )

    def list_run_attempts(self, run: WorkflowRun) -> list[WorkflowRun]:
        base = f"/repos/{self._read}/actions/runs/{run.run_id}/attempts"
        return [
            self._run(self._call("GET", f"{base}/{n}").json()) for n in range(1, run.attempt + 1)
        ]

    def list_jobs(self, run_id: int, attempt: int) -> list[WorkflowJob]:
        url = f"/repos/{self._read}/actions/runs/{run_id}/attempts/{attempt}/jobs"
        return [self._job(item) for item in self._pages(url, "jobs", {"per_page": 100})]

    def _job(self, item: dict[str, Any]) -> WorkflowJob:
        labels = tuple(item.get("labels") or ())
        os_name = next(
            (
                n
                for n in ("Linux", "Windows", "macOS")
                if any(n.lower() in label.lower() for label in labels)
            ),
            None,
        )
        steps = tuple(
            JobStep(step["number"], step["name"], step.get("status"), step.get("conclusion"))
            for step in item.get("steps") or ()
        )
        return WorkflowJob(
            job_id=item["id"],
            run_id=item["run_id"],
            attempt=item.get("run_attempt", 1),
            name=item["name"],
            status=item.get("status"),
            conclusion=item.get("conclusion"),
            runner_os=os_name,
            runner_labels=labels,
            started_at=_time(item.get("started_at")),
            completed_at=_time(item.get("completed_at")),
            steps=steps,
            html_url=item.get("html_url"),
        )

    def download_job_log(self, job_id: int, destination: Path) -> JobLog:
        url = f"/repos/{self._read}/actions/jobs/{job_id}/logs"
        for _ in range(8):
            with self._http.stream("GET", url) as response:
                if response.status_code in (404, 410):
                    return JobLog(LogStatus.EXPIRED, detail=str(response.status_code))
                if response.status_code in RETRIED:
                    continue
                if response.status_code >= 400:
                    return JobLog(LogStatus.ERROR, detail=str(response.status_code))
                with destination.open("wb") as sink:
                    for chunk in response.iter_bytes(1 << 16):
                        sink.write(chunk)
            return JobLog(LogStatus.FETCHED, str(destination), destination.stat().st_size)
        return JobLog(LogStatus.ERROR, detail="5xx")

    def list_artifacts(self, run_id: int) -> list[Artifact]:
        return []

    def download_artifact_files(
        self, artifact: Artifact, destination: Path, limits: ArtifactLimits | None = None
    ) -> ArtifactFiles:
        raise NotImplementedError

    def fetch_test_reports(
        self, run_id: int, name_glob: str, destination: Path, limits: ArtifactLimits | None = None
    ) -> list[ArtifactFiles]:
        return []

    def read_default_branch_file(self, path: str) -> bytes | None:
        response = self._call("GET", f"/repos/{self._read}/contents/{path}")
        return None if response.status_code in (404, 410) else response.content

    def get_run(self, run_id: int) -> WorkflowRun:
        return self._run(self._call("GET", f"/repos/{self._read}/actions/runs/{run_id}").json())

    def rerun_failed_jobs(self, run_id: int) -> None:
        self._call("POST", f"/repos/{self._read}/actions/runs/{run_id}/rerun-failed-jobs", json={})

    def search_issues(
        self, terms: Sequence[str], *, state: str | None = None, limit: int = 50
    ) -> list[Issue]:
        words = " ".join(f'"{term}"' for term in terms)
        query = f"repo:{self._write} is:issue {words}" + (f" is:{state}" if state else "")
        body = self._call("GET", "/search/issues", params={"q": query, "per_page": limit}).json()
        return [self._issue(item) for item in body["items"]]

    def _issue(self, item: dict[str, Any]) -> Issue:
        return Issue(
            number=item["number"],
            title=item["title"],
            body=item.get("body") or "",
            state=item["state"],
            state_reason=item.get("state_reason"),
            labels=tuple(label["name"] for label in item.get("labels") or ()),
            author=(item.get("user") or {}).get("login"),
            closed_at=_time(item.get("closed_at")),
        )

    def list_issues(self, *, labels: Collection[str] = (), state: str = "all") -> Listing[Issue]:
        params = {"labels": ",".join(labels), "state": state, "per_page": 100}
        items = self._pages(f"/repos/{self._write}/issues", None, params)
        return Listing(tuple(self._issue(item) for item in items if "pull_request" not in item))

    def get_issue(self, number: int) -> Issue | None:
        response = self._call("GET", f"/repos/{self._write}/issues/{number}")
        return None if response.status_code in (404, 410) else self._issue(response.json())

    def create_issue(self, title: str, body: str, labels: Collection[str] = ()) -> Issue:
        payload = {"title": title, "body": body, "labels": list(labels)}
        return self._issue(self._call("POST", f"/repos/{self._write}/issues", json=payload).json())

    def update_issue(self, number: int, change: IssueChange) -> Issue:
        payload = {
            key: value
            for key, value in (
                ("title", change.title),
                ("body", change.body),
                ("state", change.state),
                ("state_reason", change.state_reason),
            )
            if value is not None
        }
        url = f"/repos/{self._write}/issues/{number}"
        return self._issue(self._call("PATCH", url, json=payload).json())

    def add_labels(self, number: int, labels: Collection[str]) -> tuple[str, ...]:
        url = f"/repos/{self._write}/issues/{number}/labels"
        body = self._call("POST", url, json={"labels": list(labels)}).json()
        return tuple(item["name"] for item in body)

    def remove_label(self, number: int, label: str) -> tuple[str, ...]:
        url = f"/repos/{self._write}/issues/{number}/labels/{label}"
        body = self._call("DELETE", url).json()
        return tuple(item["name"] for item in body)

    def list_comments(self, number: int) -> Listing[IssueComment]:
        url = f"/repos/{self._write}/issues/{number}/comments"
        items = self._pages(url, None, {"per_page": 100})
        return Listing(tuple(self._comment(item) for item in items))

    def _comment(self, item: dict[str, Any]) -> IssueComment:
        return IssueComment(
            item["id"], item.get("body") or "", (item.get("user") or {}).get("login")
        )

    def create_comment(self, number: int, body: str) -> IssueComment:
        url = f"/repos/{self._write}/issues/{number}/comments"
        return self._comment(self._call("POST", url, json={"body": body}).json())

    def update_comment(self, comment_id: int, body: str) -> IssueComment:
        url = f"/repos/{self._write}/issues/comments/{comment_id}"
        return self._comment(self._call("PATCH", url, json={"body": body}).json())

    def authenticated_login(self) -> str:
        return str(self._call("GET", "/user").json()["login"])

    def permission_of(self, login: str) -> Permission:
        return Permission.READ

    def mark_seen(self, listing: Listing[Any]) -> None:
        pass
