"""Human renderings of a triage report: Markdown for issues, plain text for terminals."""

from __future__ import annotations

import re

from sheriff.core.classify import level_of
from sheriff.core.model import Failure, Strength, TriageReport
from sheriff.core.redact import redact
from sheriff.core.scan import MAX_HIT_LINES

MAX_LISTED = 15


def _what(failure: Failure) -> str:
    finding = failure.finding
    if finding.test is not None:
        return f"`{finding.test.qualified}` ({finding.test.framework})"
    return finding.tool


def _where(failure: Failure) -> str:
    locations = failure.finding.locations
    if not locations:
        return f"log line {failure.finding.anchor}"
    first = locations[0]
    where = f"`{first.path}:{first.line}`" if first.line else f"`{first.path}`"
    # several errors of one compilation or lint run are one finding: say it has more
    return f"{where} and {len(locations) - 1} more" if len(locations) > 1 else where


def _cell(text: str) -> str:
    return redact(text).replace("|", "\\|").replace("\n", " ").strip()[:160]


def _listed(report: TriageReport) -> list[Failure]:
    """The failures worth a person's attention: weak lines only when nothing else exists."""
    strong = [f for f in report.failures if f.finding.strength > Strength.WEAK]
    return (strong or list(report.failures))[:MAX_LISTED]


def _hidden_note(report: TriageReport) -> str | None:
    """What the list leaves out: failures past ``MAX_LISTED``, then weak signals."""
    listed = len(_listed(report))
    strong = sum(f.finding.strength > Strength.WEAK for f in report.failures)
    more = strong - listed if strong else 0
    weak = len(report.failures) - max(strong, listed)
    parts = [f"{more} more {_plural(more, 'failure')}"] if more else []
    parts += [f"{weak} weaker {_plural(weak, 'signal')}"] if weak else []
    return f"…and {' and '.join(parts)} in the JSON output." if parts else None


def _plural(count: int, noun: str) -> str:
    return noun if count == 1 else noun + "s"


def _excerpt_block(report: TriageReport) -> list[str]:
    lines: list[str] = []
    previous = None
    width = len(str(report.lines))
    for number, text in report.excerpt_text:
        if previous is not None and number != previous + 1:
            lines.append(" " * width + " ┆")
        lines.append(f"{number:>{width}} │ {redact(text)}")
        previous = number
    return lines


def _headline(report: TriageReport) -> str:
    if not report.classification.classifications:
        return "No failure found in this log."
    primary = report.classification.classifications[0]
    level = level_of(primary.confidence)
    return (
        f"**{primary.failure_type.value}** / {primary.sub_type}, confidence "
        f"{primary.confidence} ({level}); recommendation: "
        f"**{report.classification.recommendation.action}**"
    )


def _skipped_note(report: TriageReport) -> str | None:
    if not report.skipped_lines:
        return None
    return (
        f"{report.skipped_lines:,} more lines that look like failures were not examined: "
        f"Sheriff examines about {MAX_HIT_LINES:,} of them in a log, and its last lines."
    )


def render_markdown(report: TriageReport) -> str:
    out = [f"### Sheriff triage: `{report.source}`", "", _headline(report), ""]
    note = _skipped_note(report)
    if note is not None:
        out += [f"> {note}", ""]
    if report.failures:
        out += ["| # | type | what | where | message |", "|---|---|---|---|---|"]
        for failure in _listed(report):
            finding = failure.finding
            out.append(
                f"| {failure.id} | {finding.failure_type.value}/{finding.sub_type} | "
                f"{_cell(_what(failure))} | {_cell(_where(failure))} | "
                f"{_cell(finding.message)} |"
            )
        hidden = _hidden_note(report)
        if hidden is not None:
            out.append(f"\n{hidden}")
        out.append("")
    ranges = ", ".join(f"{first}–{last}" for first, last in report.excerpt.ranges)
    block = _excerpt_block(report)
    fence = _fence(block)
    out += [
        f"<details open><summary>Log excerpt (lines {ranges} of {report.lines})</summary>",
        "",
        f"{fence}text",
        *block,
        fence,
        "</details>",
        "",
        f"_Reason: {report.classification.recommendation.reason}._",
    ]
    return "\n".join(out) + "\n"


def _fence(lines: list[str]) -> str:
    """A code fence longer than any run of backticks in the log, so it cannot be closed early."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    return "`" * max(3, longest + 1)


def render_text(report: TriageReport) -> str:
    out = [f"== {report.source} ({report.lines} lines)", _headline(report).replace("**", "")]
    note = _skipped_note(report)
    if note is not None:
        out.append(f"note: {note}")
    for failure in _listed(report):
        finding = failure.finding
        out.append(
            f"  {failure.id} {finding.failure_type.value}/{finding.sub_type}"
            f"  {_what(failure).replace('`', '')}  at {_where(failure).replace('`', '')}"
        )
        if finding.message:
            out.append(f"       {redact(finding.message.splitlines()[0])[:200]}")
    hidden = _hidden_note(report)
    if hidden is not None:
        out.append(f"  {hidden}")
    out += ["", "-- excerpt --", *_excerpt_block(report), ""]
    return "\n".join(out)
