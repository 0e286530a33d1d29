"""The check run on the pull request's head that sums up the report.

Its conclusion: ``failure`` when a job has a NEW failure (the author has work to do),
``neutral`` when every failure is someone else's (flaky, broken trunk, infrastructure,
unknown), ``success`` when nothing failed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sheriff.core.analysis.render import untrusted
from sheriff.core.issues.inline_markdown import cell_text, code_span
from sheriff.core.pr_report.render import job_table
from sheriff.core.pr_report.report import FailureReport
from sheriff.core.pr_report.severity import Severity

CHECK_TEXT_LIMIT = 60_000  # GitHub allows 65,535 characters in summary and in text


@dataclass(frozen=True, slots=True)
class CheckSummary:
    conclusion: str
    title: str
    summary: str
    text: str


def check_summary(report: FailureReport, comment_url: str | None = None) -> CheckSummary:
    if not report.jobs:
        return CheckSummary("success", "No failed jobs", "Every job passes on this commit.", "")
    conclusion = "failure" if report.has_new else "neutral"
    title = f"{len(report.jobs)} failed job(s): {report.tally()}"
    lines = job_table(report.jobs)
    if comment_url:
        lines += ["", f"The full report is in [this comment]({comment_url})."]
    return CheckSummary(conclusion, title, _cut("\n".join(lines)), _cut(_analyses_text(report)))


def _analyses_text(report: FailureReport) -> str:
    out: list[str] = []
    for item in report.analyses:
        analysis = item.analysis
        severity = Severity(analysis.severity)
        out += [
            f"### {cell_text(item.subject.job.title, 120)}: {severity.icon} {severity.value}",
            "",
            untrusted(analysis.root_cause),
            "",
        ]
        out += [
            f"- {untrusted(fix.title)}" + (f" ({code_span(fix.file)})" if fix.file else "")
            for fix in analysis.suggested_fixes
        ]
        out.append("")
    return "\n".join(out)


def _cut(text: str) -> str:
    return text if len(text) <= CHECK_TEXT_LIMIT else text[:CHECK_TEXT_LIMIT] + "\n…"
