"""The content of Sheriff's managed blocks: summary, evidence, excerpt, automation status.

Everything from a log is redacted. Nothing here depends on the clock, so the same case
renders the same text and an unchanged issue is never edited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sheriff.core.classify import level_of
from sheriff.core.issues.facts import FailureCase, Occurrence
from sheriff.core.issues.inline_markdown import cell_text, code_span, fence_for, safe_link
from sheriff.core.issues.markers import fingerprint_marker, state_marker
from sheriff.core.issues.policy import Verdict, flaky_evidence
from sheriff.core.redact import redact
from sheriff.core.repo_config import RepoSettings

SUMMARY = "summary"
EVIDENCE = "evidence"
EXCERPT = "excerpt"
STATUS = "status"
BLOCK_ORDER = (SUMMARY, EVIDENCE, EXCERPT, STATUS)
EXCERPT_LINE_LIMIT = 400
EVIDENCE_TERMS = 6  # flakiness evidence terms shown in the summary
SIZE_NOTE = "to stay under GitHub's 65,536-character limit"

Surface = Literal["issue", "comment"]


@dataclass(frozen=True, slots=True)
class AutomationStatus:
    """What Sheriff is doing about the case (the lifecycle fills this in later)."""

    state: str = "tracking"
    detail: str = "Sheriff updates this when the failure recurs."


@dataclass(frozen=True, slots=True)
class BlockBudget:
    evidence_rows: int
    excerpt_lines: int
    trimmed: bool = False  # reduced to fit GitHub's size limit


def when(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def render_summary(case: FailureCase, verdict: Verdict, settings: RepoSettings) -> str:
    rows = [
        ("Failing", _what(case)),
        ("Classification", _classification(case)),
        ("Verdict", _verdict(case, verdict, settings)),
        ("Flakiness", _flakiness(case)),
        ("Error", code_span(case.message.strip().split("\n", 1)[0] or case.signature)),
        ("Location", _location(case)),
        ("Seen", _counts(case)),
        ("First seen", when(case.first_seen_at)),
        ("Last seen", when(case.last_seen_at)),
        ("Fingerprint", f"`{case.fingerprint}`"),
    ]
    table = [f"| {name} | {value} |" for name, value in rows if value]
    head = [fingerprint_marker(case.fingerprint), "### Sheriff: what fails", "", "| | |"]
    return "\n".join([*head, "|---|---|", *table, *_evidence_lines(case)])


def _what(case: FailureCase) -> str:
    test = case.test
    if test is None:
        return f"{code_span(case.tool)} ({case.failure_type.value})"
    suite = f" in {code_span(test.suite)}" if test.suite else ""
    return f"test {code_span(test.name)}{suite} ({cell_text(test.framework)})"


def _classification(case: FailureCase) -> str:
    kind = f"`{case.failure_type.value}` / {code_span(case.sub_type)}"
    if case.confidence is None:
        return kind
    return f"{kind}, confidence {case.confidence} ({level_of(case.confidence)})"


def _verdict(case: FailureCase, verdict: Verdict, settings: RepoSettings) -> str:
    evidence = flaky_evidence(case, settings.flaky_threshold)
    if evidence:
        return f"**{verdict.value}**: {evidence}"
    known = case.flakiness.p_flaky
    detail = f"P(flaky) {known:.2f}" if known is not None else "no flaky evidence yet"
    return f"**{verdict.value}** ({detail})"


def _flakiness(case: FailureCase) -> str:
    """The flakiness engine's verdict and P(flaky) ([T3]), when it judged the case."""
    signal = case.flakiness
    if signal.verdict is None or signal.p_flaky is None:
        return ""
    quarantine = "; a quarantine candidate" if signal.quarantine_candidate else ""
    return f"P(flaky) **{signal.p_flaky:.2f}**, engine verdict `{signal.verdict}`{quarantine}"


def _evidence_lines(case: FailureCase) -> list[str]:
    """The engine's evidence terms, strongest first: weight, what was seen, which runs."""
    terms = sorted(
        (item for item in case.flakiness.evidence if item.weight),
        key=lambda item: -abs(item.weight),
    )[:EVIDENCE_TERMS]
    if not terms:
        return []
    lines = ["", "Evidence for P(flaky) (log-odds weight, runs it came from):", ""]
    for item in terms:
        runs = ", ".join(f"#{run}" for run in item.runs[:3])
        more = " …" if len(item.runs) > 3 else ""
        source = f" — runs {runs}{more}" if runs else ""
        lines.append(f"- `{item.weight:+.2f}` {cell_text(item.detail, 200)}{source}")
    return lines


def _location(case: FailureCase) -> str:
    place = case.location
    if place is None:
        return ""
    return code_span(f"{place.path}:{place.line}" if place.line else place.path)


def _counts(case: FailureCase) -> str:
    count, runs = case.occurrence_count, case.run_count
    prs = sum(1 for item in case.occurrences if item.from_pull_request)
    extra = f", {prs} of them in pull-request runs (evidence only)" if prs else ""
    return f"{count} time{'s' * (count != 1)} in {runs} run{'s' * (runs != 1)}{extra}"


def render_evidence(case: FailureCase, rows: int, *, trimmed: bool = False) -> str:
    shown = case.newest_first[:rows]
    lines = [
        "### Evidence",
        "",
        f"Seen {_counts(case)}; first {when(case.first_seen_at)}, last {when(case.last_seen_at)}.",
    ]
    if shown:
        lines += [
            "",
            "| Seen | Run | Attempt | Job | Commit | Runner | Branch |",
            "|---|---|---|---|---|---|---|",
            *(_evidence_row(item) for item in shown),
        ]
    hidden = len(case.occurrences) - len(shown)
    if hidden > 0:
        lines += ["", f"_Showing the {len(shown)} most recent of {len(case.occurrences)}._"]
    if trimmed:
        lines += ["", f"_Rows were trimmed {SIZE_NOTE}._"]
    return "\n".join(lines)


def _evidence_row(item: Occurrence) -> str:
    link = safe_link(item.run_url)
    run = f"[#{item.run_id}]({link})" if link else f"#{item.run_id}"
    branch = "pull request" if item.from_pull_request else cell_text(item.branch or "—")
    return (
        f"| {when(item.seen_at)} | {run} | {item.attempt} | {cell_text(item.job_name)} "
        f"| `{cell_text(item.head_sha[:7])}` | {cell_text(item.runner or '—')} | {branch} |"
    )


def render_excerpt(case: FailureCase, lines: int, *, trimmed: bool = False) -> str:
    shown = case.excerpt[:lines]
    if not shown:
        why = f"omitted {SIZE_NOTE}" if trimmed and case.excerpt else "not available"
        return f"### Log excerpt\n\n_Log excerpt {why}._"
    width = len(str(shown[-1][0]))
    body = [f"{number:>{width}} │ {_clip(redact(text))}" for number, text in shown]
    fence = fence_for(body)
    summary = f"Log excerpt: lines {shown[0][0]}–{shown[-1][0]} of the most recent failure"
    out = [f"<details><summary>{summary}</summary>", "", fence + "text", *body, fence]
    out += ["", "</details>"]
    if len(shown) < len(case.excerpt):
        reason = SIZE_NOTE if trimmed else "(the configured `excerpt_budget`)"
        out += ["", f"_Showing {len(shown)} of {len(case.excerpt)} lines {reason}._"]
    return "\n".join(out)


def _clip(text: str) -> str:
    clean = text.replace("\r", "")
    if len(clean) <= EXCERPT_LINE_LIMIT:
        return clean
    return clean[: EXCERPT_LINE_LIMIT - 1] + "…"


def render_status(
    status: AutomationStatus, settings: RepoSettings, applied: frozenset[str], surface: Surface
) -> str:
    labels = " or ".join(code_span(label) for label in settings.silencing_labels)
    where = (
        "only the blocks between its `sheriff:` markers; edit anything outside them"
        if surface == "issue"
        else "this comment; the issue itself is yours"
    )
    return "\n".join(
        [
            f"**Automation:** {cell_text(status.state)}. {cell_text(status.detail, 400)}",
            "",
            f"<sub>Sheriff edits {where}. To stop updates and reopening, close the issue as "
            f"*not planned* or add the label {labels}.</sub>",
            state_marker(applied),
        ]
    )


def render_blocks(
    case: FailureCase,
    verdict: Verdict,
    settings: RepoSettings,
    budget: BlockBudget,
    *,
    status: AutomationStatus,
    applied: frozenset[str],
    surface: Surface,
) -> dict[str, str]:
    """The content of every managed block, in ``BLOCK_ORDER``."""
    return {
        SUMMARY: render_summary(case, verdict, settings),
        EVIDENCE: render_evidence(case, budget.evidence_rows, trimmed=budget.trimmed),
        EXCERPT: render_excerpt(case, budget.excerpt_lines, trimmed=budget.trimmed),
        STATUS: render_status(status, settings, applied, surface),
    }
