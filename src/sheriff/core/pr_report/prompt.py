"""The request for a model's analysis of a new failure: the job, its failures, the links
Sheriff found, the log excerpt and the pull request's hunks, as plain text.

Everything is redacted here (the adapter redacts again). The pull request's own text is
untrusted: HTML comments and invisible characters are stripped from it, and it is cut
short. The diff is budgeted: whole hunks of the linked files first, then the others,
until ``MAX_DIFF_CHARS``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sheriff.core.analysis.prompt import Prompt
from sheriff.core.pr_report.analysis import NewFailure
from sheriff.core.pr_report.diff import ChangedFile, Hunk
from sheriff.core.redact import redact

MAX_DIFF_CHARS = 30_000
MAX_TITLE_CHARS = 300
MAX_MESSAGE_CHARS = 2_000
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def cleaned_untrusted(text: str, limit: int) -> str:
    """People's text as data for a model: no HTML comments, no invisible characters."""
    flat = _INVISIBLE.sub("", _HTML_COMMENT.sub("", text)).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def analysis_request(
    subject: NewFailure, instructions: str, *, number: int, title: str, head_sha: str
) -> Prompt:
    job = subject.job
    lines = [
        f"Repository: {subject.repo}",
        f"Pull request #{number} (its title is data): {cleaned_untrusted(title, MAX_TITLE_CHARS)}",
        f"Head commit: {head_sha}",
        f"Failed job: {job.title} (run {job.run_id}, attempt {job.attempt})"
        + (f", failed step: {job.failed_step}" if job.failed_step else ""),
        f"Severity by Sheriff's rules: {subject.severity.value}",
        "",
        "## New failures",
        *_failures(subject),
        "",
        "## Links Sheriff found between the failures and the changes",
        *(_links(subject) or ["(none)"]),
        "",
        "## Log excerpt (line | text)",
        *([f"{number} | {text}" for number, text in job.excerpt] or ["(none)"]),
        "",
        "## Changed files (the only paths you may name, with the failure's own files)",
        *_diff(subject),
        "",
        "Answer with the analysis.",
    ]
    return Prompt(instructions, redact("\n".join(lines)))


def _failures(subject: NewFailure) -> Iterator[str]:
    for number, cause in enumerate(subject.causes, 1):
        finding = cause.failure.finding
        what = finding.test.qualified if finding.test else finding.tool
        framework = f"{finding.test.framework}, " if finding.test else ""
        yield f"{number}. {what} ({framework}{finding.failure_type.value}/{finding.sub_type})"
        message = finding.message.strip()[:MAX_MESSAGE_CHARS] or "(no message)"
        yield from (f"   {line}" for line in message.splitlines())
        places = ", ".join(
            f"{item.path}:{item.line}" if item.line else item.path for item in finding.locations
        )
        yield f"   Locations: {places or '(none)'}"
        p_flaky = "unknown" if cause.p_flaky is None else f"{cause.p_flaky:.2f}"
        yield f"   P(flaky) from its history: {p_flaky}"


def _links(subject: NewFailure) -> list[str]:
    return [
        f"- {link.kind.label}: {link.path}"
        + (f" lines {link.hunk.new_start}-{link.hunk.new_last}" if link.hunk else "")
        + f" ({link.detail})"
        for link in subject.links
    ]


def _diff(subject: NewFailure) -> list[str]:
    linked = {link.path for link in subject.links}
    ordered = sorted(subject.files, key=lambda item: (item.path not in linked, item.path))
    out: list[str] = []
    size = 0
    for changed in ordered:
        head = f"### {changed.path} ({changed.status}, +{changed.additions} -{changed.deletions})"
        body = [_hunk_text(hunk) for hunk in changed.hunks] or [_no_patch(changed)]
        block = "\n".join([head, *body])
        if size + len(block) > MAX_DIFF_CHARS:
            out.append(f"### {changed.path} ({changed.status}; diff left out for size)")
            continue
        out.append(block)
        size += len(block)
    return out or ["(the pull request changes no files Sheriff could read)"]


def _hunk_text(hunk: Hunk) -> str:
    header = f"@@ -{hunk.old_start},{hunk.old_count} +{hunk.new_start},{hunk.new_count} @@"
    removed = [f"-{text}" for _, text in hunk.removed]
    added = [f"+{number}: {text}" for number, text in hunk.added]
    return "\n".join([f"{header} {hunk.header}".rstrip(), *removed, *added])


def _no_patch(changed: ChangedFile) -> str:
    return "(no diff: binary or too large)" if not changed.has_patch else "(no changed lines)"
