"""The Forge's CI side, on the read repository: runs, attempts, jobs, logs, artifacts,
the repository itself, files of the default branch, and re-runs."""

from __future__ import annotations

import fnmatch
import json
from datetime import UTC
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from sheriff.adapters.github import artifacts, downloads
from sheriff.adapters.github.forge_core import ForgeCore
from sheriff.adapters.github.payloads import artifact_from, job_from, repository_from, run_from
from sheriff.app.forge import (
    Artifact,
    ArtifactFiles,
    ArtifactLimits,
    ForgeRepository,
    Listing,
    RunQuery,
    StopCondition,
    WorkflowJob,
    WorkflowRun,
)
from sheriff.app.ports import JobLog
from sheriff.errors import GitHubNotFoundError

RAW_CONTENT = {"Accept": "application/vnd.github.raw+json"}


class ActionsCalls(ForgeCore):
    def get_repository(self) -> ForgeRepository:
        body = self._cached_get(f"repos/{self.read_repo}")
        if body is None:
            raise GitHubNotFoundError(
                f"repository {self.read_repo} not found at {self._settings.api_url}",
                hint="check --repo and the API URL; a private repository needs a token "
                "that can read it",
            )
        return repository_from(json.loads(body))

    def list_workflow_runs(
        self, query: RunQuery, *, stop_when: StopCondition | None = None
    ) -> Listing[WorkflowRun]:
        """Completed runs, newest first, one listing for every wanted conclusion (GitHub's
        ``status`` filter takes one value; filtering here keeps an idle scan at 1 request)."""
        params: dict[str, str | int] = {"status": "completed"}
        if query.branch:
            params["branch"] = query.branch
        if query.event:
            params["event"] = query.event
        if query.head_sha:
            params["head_sha"] = query.head_sha
        if query.created_since is not None:
            since = query.created_since.astimezone(UTC)
            params["created"] = f">={since:%Y-%m-%dT%H:%M:%SZ}"

        def wanted(run: WorkflowRun) -> bool:
            return run.conclusion in query.conclusions and _is_one_of(run, query.workflows)

        path = f"repos/{self.read_repo}/actions/runs"
        return self._listing(
            path,
            params,
            run_from,
            items_key="workflow_runs",
            newest_first=True,
            keep=wanted,
            stop_when=stop_when,
        )

    def list_run_attempts(self, run: WorkflowRun) -> list[WorkflowRun]:
        """Every attempt of ``run``, first to last (``run`` is its latest, as listed)."""
        base = f"repos/{self.read_repo}/actions/runs/{run.run_id}/attempts"
        earlier = [run_from(self._get(f"{base}/{n}").json()) for n in range(1, run.attempt)]
        return [*earlier, run]

    def get_run(self, run_id: int) -> WorkflowRun:
        """The run as its latest attempt shows it (a re-run is watched this way: GitHub
        lists runs by creation time, so a re-run of an older run is not listed again)."""
        return run_from(self._get(f"repos/{self.read_repo}/actions/runs/{run_id}").json())

    def list_jobs(self, run_id: int, attempt: int) -> list[WorkflowJob]:
        path = f"repos/{self.read_repo}/actions/runs/{run_id}/attempts/{attempt}/jobs"
        listing = self._listing(path, {}, job_from, items_key="jobs", conditional=False)
        return list(listing.items)

    def download_job_log(self, job_id: int, destination: Path) -> JobLog:
        url = self._url(f"repos/{self.read_repo}/actions/jobs/{job_id}/logs")
        return downloads.download_job_log(
            self._reader, url, destination, self._settings.log_chunk_bytes
        )

    def list_artifacts(self, run_id: int) -> list[Artifact]:
        path = f"repos/{self.read_repo}/actions/runs/{run_id}/artifacts"
        listing = self._listing(path, {}, artifact_from, items_key="artifacts", conditional=False)
        return list(listing.items)

    def download_artifact_files(
        self, artifact: Artifact, destination: Path, limits: ArtifactLimits | None = None
    ) -> ArtifactFiles:
        url = self._url(f"repos/{self.read_repo}/actions/artifacts/{artifact.artifact_id}/zip")
        return artifacts.download_artifact_files(
            self._reader, url, artifact, destination, limits or ArtifactLimits()
        )

    def fetch_test_reports(
        self,
        run_id: int,
        name_glob: str,
        destination: Path,
        limits: ArtifactLimits | None = None,
    ) -> list[ArtifactFiles]:
        """The JUnit/xUnit XML files of the run's artifacts whose name matches ``name_glob``."""
        chosen = [
            artifact
            for artifact in self.list_artifacts(run_id)
            if fnmatch.fnmatchcase(artifact.name, name_glob)
        ]
        return [self.download_artifact_files(item, destination, limits) for item in chosen]

    def read_default_branch_file(self, path: str) -> bytes | None:
        """The file at ``path`` on the default branch, or None when there is none."""
        quoted = quote(path.lstrip("/"))
        return self._cached_get(f"repos/{self.read_repo}/contents/{quoted}", headers=RAW_CONTENT)

    def rerun_failed_jobs(self, run_id: int) -> None:
        """Start a new attempt of the run's failed jobs (write credentials)."""
        path = f"repos/{self.read_repo}/actions/runs/{run_id}/rerun-failed-jobs"
        self._write("POST", path, {}, idempotent=False)


def _is_one_of(run: WorkflowRun, workflows: tuple[str, ...]) -> bool:
    """True when ``workflows`` is empty or names the run's workflow (name, file or path)."""
    if not workflows:
        return True
    path = run.workflow_path or ""
    names = {run.workflow, path, PurePosixPath(path).name}
    return any(wanted in names for wanted in workflows)
