"""The Forge's check runs and commit statuses, in the write repository.

GitHub lets only GitHub Apps create or change check runs; with a personal token
``create_check_run`` fails with a GitHubPermissionError.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from sheriff.adapters.github.forge_core import ForgeCore
from sheriff.adapters.github.pull_payloads import check_run_from, combined_status_from
from sheriff.app.forge_pulls import CheckRun, CheckRunReport, CombinedStatus


class CheckCalls(ForgeCore):
    def list_check_runs(self, ref: str) -> list[CheckRun]:
        """The latest check run of each name for ``ref`` (a sha or a branch)."""
        path = f"repos/{self.write_repo}/commits/{quote(ref, safe='/')}/check-runs"
        listing = self._listing(path, {}, check_run_from, items_key="check_runs", conditional=False)
        return list(listing.items)

    def create_check_run(self, report: CheckRunReport) -> CheckRun:
        payload = {"head_sha": report.head_sha, **_check_fields(report)}
        path = f"repos/{self.write_repo}/check-runs"
        return check_run_from(self._write("POST", path, payload))

    def update_check_run(self, check_run_id: int, report: CheckRunReport) -> CheckRun:
        path = f"repos/{self.write_repo}/check-runs/{check_run_id}"
        return check_run_from(self._write("PATCH", path, _check_fields(report)))

    def combined_status(self, ref: str) -> CombinedStatus:
        """The commit statuses of ``ref`` (``pending`` with none at all)."""
        path = f"repos/{self.write_repo}/commits/{quote(ref, safe='/')}/status"
        return combined_status_from(self._get(path).json())


def _check_fields(report: CheckRunReport) -> dict[str, Any]:
    fields: dict[str, Any] = {"name": report.name, "status": report.status}
    optional = {
        "conclusion": report.conclusion,
        "details_url": report.details_url,
        "external_id": report.external_id,
    }
    fields.update({key: value for key, value in optional.items() if value is not None})
    if report.title is not None or report.summary is not None:
        output = {"title": report.title or report.name, "summary": report.summary or ""}
        fields["output"] = {**output, **({"text": report.text} if report.text else {})}
    return fields
