"""The report as the one managed comment on the pull request.

The first line is the hidden key marker (``pr-report``), so the comment is found and
edited in place. Nothing in it depends on the time it was written: the same facts give
the same text, and an unchanged report is not written again. Every text from a log, a
job, a test or a model is untrusted: HTML is escaped, mentions cannot ping, secrets are
redacted, code sits in fences longer than any backtick run it holds.
"""

from __future__ import annotations

from collections.abc import Sequence

from sheriff.core.analysis.render import COMMENT_LIMIT, untrusted
from sheriff.core.issues.comments import keyed_comment
from sheriff.core.issues.inline_markdown import cell_text, code_span, fence_for, safe_link
from sheriff.core.pr_report.analysis import FailureAnalysis
from sheriff.core.pr_report.deterministic import first_line, what_failed
from sheriff.core.pr_report.report import DETERMINISTIC, REPORT_KEY, AnalysedFailure, FailureReport
from sheriff.core.pr_report.severity import Severity
from sheriff.core.pr_report.verdicts import JobJudgement
from sheriff.core.redact import redact

LEGEND = (
    "NEW: only this pull request shows it · BROKEN TRUNK: fails the same way on the default "
    "branch · FLAKY: its history says intermittent · INFRA: the runner or network failed · "
    "UNKNOWN: the log says too little"
)
_LANGUAGES = {
    ".py": "python", ".go": "go", ".js": "javascript", ".ts": "typescript", ".java": "java",
    ".kt": "kotlin", ".rs": "rust", ".rb": "ruby", ".c": "c", ".cc": "cpp", ".cpp": "cpp",
    ".cs": "csharp", ".php": "php", ".sh": "bash",
}  # fmt: skip


def render_report(report: FailureReport) -> str:
    """The comment body, under GitHub's size limit (log excerpts go first, then analyses)."""
    for excerpts, shown in _shrinking(len(report.analyses)):
        text = _render(report, report.analyses[:shown], excerpts=excerpts)
        if len(text) <= COMMENT_LIMIT:
            return keyed_comment(REPORT_KEY, text).body
    return keyed_comment(REPORT_KEY, text[:COMMENT_LIMIT] + "\n\n_(truncated)_\n").body


def _shrinking(analyses: int) -> list[tuple[bool, int]]:
    return [(True, analyses), *((False, shown) for shown in range(analyses, -1, -1))]


def _render(report: FailureReport, analyses: Sequence[AnalysedFailure], *, excerpts: bool) -> str:
    sha = report.head_sha[:7]
    if not report.jobs:
        out = [
            f"## ✅ Sheriff: no failed jobs on `{sha}`",
            "",
            "The jobs that failed earlier on this pull request pass now.",
        ]
        return "\n".join(out) + "\n"
    out = [f"## ❌ Sheriff: {_jobs(len(report.jobs))} failed on `{sha}`", ""]
    out += [_tally(report), "", *job_table(report.jobs), ""]
    if report.jobs_left_out:
        out += [f"_{report.jobs_left_out} more failed job(s) not read._", ""]
    out += _reasons(report.jobs)
    for item in analyses:
        out += ["", "---", "", *_analysis_section(item, excerpts=excerpts)]
    left_out = report.unanalysed + len(report.analyses) - len(analyses)
    if left_out:
        out += ["", f"_{left_out} more new failure(s) without a deep analysis here._"]
    out += ["", "---", f"<sub>Sheriff keeps this comment up to date. {LEGEND}.</sub>"]
    return "\n".join(out) + "\n"


def _jobs(count: int) -> str:
    return "1 job" if count == 1 else f"{count} jobs"


def _tally(report: FailureReport) -> str:
    return " · ".join(
        f"{verdict.icon} {count} {verdict.label}" for verdict, count in report.counts().items()
    )


def job_table(jobs: Sequence[JobJudgement]) -> list[str]:
    out = ["| Job | Verdict | Failure | P(flaky) |", "|---|---|---|---|"]
    for item in jobs:
        link = safe_link(item.job.url or "")
        name = cell_text(item.job.title, 80)
        job = f"[{name}]({link})" if link else name
        p_flaky = f"{item.p_flaky:.2f}" if item.p_flaky is not None else "—"
        verdict = f"{item.verdict.icon} **{item.verdict.label}**"
        out.append(f"| {job} | {verdict} | {_failure_cell(item)} | {p_flaky} |")
    return out


def _failure_cell(item: JobJudgement) -> str:
    deciding = item.deciding
    if deciding is None:
        return cell_text(item.reason, 160)
    finding = deciding.cause.failure.finding
    line = first_line(finding.message, 160)
    what = code_span(finding.test.qualified, 100) if finding.test else cell_text(finding.tool)
    more = len(item.with_verdict(item.verdict)) - 1
    extra = f" (+{more} more)" if more > 0 else ""
    return f"{what}{extra}: {cell_text(line, 160)}" if line else f"{what}{extra}"


def _reasons(jobs: Sequence[JobJudgement]) -> list[str]:
    reasons = [
        f"- **{cell_text(item.job.title, 80)}**: {item.verdict.label} — "
        f"{cell_text(item.reason, 240)}"
        for item in jobs
    ]
    return ["<details><summary>Why these verdicts</summary>", "", *reasons, "", "</details>"]


def _analysis_section(item: AnalysedFailure, *, excerpts: bool) -> list[str]:
    analysis, subject = item.analysis, item.subject
    severity = Severity(analysis.severity)
    out = [
        f"### ❌ Test Failure Analysis: {cell_text(subject.job.title, 120)}",
        "",
        f"{severity.icon} **Severity**: {severity.value}",
        "",
    ]
    tests = analysis.failed_tests or tuple(what_failed(cause) for cause in subject.causes)
    out += ["#### Failed Tests", "", *(f"- {_test_name(name)}" for name in tests[:20]), ""]
    out += ["#### Root Cause", "", untrusted(analysis.root_cause), ""]
    if analysis.related_changes:
        out += ["#### Related Changes", ""]
        out += [
            f"- {code_span(change.file)}"
            + (f" lines {change.lines}" if change.lines else "")
            + f" — {untrusted(change.why)}"
            for change in analysis.related_changes
        ]
        out.append("")
    out += ["#### Suggested Fixes", "", *_fixes(analysis)]
    out += [_flaky_line(analysis), "", f"<sub>{_source_line(item)}</sub>"]
    if excerpts and subject.job.excerpt:
        out += ["", *_excerpt(subject.job.excerpt)]
    return out


def _test_name(name: str) -> str:
    return code_span(name.strip().strip("`"))


def _fixes(analysis: FailureAnalysis) -> list[str]:
    out: list[str] = []
    for number, fix in enumerate(analysis.suggested_fixes, 1):
        out += [f"##### {number}. {untrusted(fix.title)}", ""]
        if fix.file:
            out += [f"📄 **File**: {code_span(fix.file)}", ""]
        if fix.description:
            out += [untrusted(fix.description), ""]
        if fix.code.strip():
            lines = redact(fix.code.rstrip()).splitlines()
            fence = fence_for(lines)
            out += [fence + _language(fix.file), *lines, fence, ""]
    return out


def _language(path: str | None) -> str:
    if not path or "." not in path:
        return ""
    return _LANGUAGES.get("." + path.rsplit(".", 1)[-1], "")


def _flaky_line(analysis: FailureAnalysis) -> str:
    said = "Looks flaky" if analysis.is_flaky else "Not a flaky test"
    return f"**Flaky Detection**: {said} (confidence: {analysis.confidence:.2f})"


def _source_line(item: AnalysedFailure) -> str:
    if item.source != DETERMINISTIC:
        source = untrusted(item.source)
        return f"Analysis by {source}, from the log and the diff; check it before acting."
    if item.note:
        return f"Deterministic analysis from the log and the diff. {untrusted(item.note)}"
    return "Deterministic analysis from the log and the diff (no LLM configured)."


def _excerpt(excerpt: Sequence[tuple[int, str]]) -> list[str]:
    width = len(str(excerpt[-1][0]))
    lines: list[str] = []
    previous: int | None = None
    for number, text in excerpt:
        if previous is not None and number != previous + 1:
            lines.append(" " * width + " ┆")
        lines.append(f"{number:>{width}} │ {redact(text)}")
        previous = number
    fence = fence_for(lines)
    return [
        "<details><summary>Log excerpt</summary>",
        "",
        fence + "text",
        *lines,
        fence,
        "",
        "</details>",
    ]


def verdict_summary(report: FailureReport) -> str:
    """One line for logs and notices: ``#12 at abc1234: 1 new · 1 flaky``."""
    return f"#{report.number} at {report.head_sha[:7]}: {report.tally()}"
