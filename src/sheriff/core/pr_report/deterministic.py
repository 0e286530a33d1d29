"""The analysis of a new failure without a model, in the same shape as the model's.

It says what failed and with which message, which changes of the pull request the failure
points at (and why), shows the code those hunks added, and how to run the failing test
alone: enough for the author to start, and every claim comes from the log or the diff.
"""

from __future__ import annotations

from sheriff.core.analysis.reproduce import reproduction_command
from sheriff.core.analysis.snippets import repository_path
from sheriff.core.model import FailureType
from sheriff.core.pr_report.analysis import FailureAnalysis, NewFailure, RelatedChange, SuggestedFix
from sheriff.core.pr_report.correlate import ChangeLink, LinkKind, failing_test_path
from sheriff.core.pr_report.diff import Hunk
from sheriff.core.pr_report.facts import CauseFacts

SHOWN_CODE_LINES = 15
NO_LINK = (
    "None of the pull request's changes is named by the failure. It may come from code the "
    "changes reach indirectly, or from the base branch moving: merge the base branch and "
    "run the job again to tell which."
)


def deterministic_analysis(subject: NewFailure) -> FailureAnalysis:
    first = subject.causes[0]
    p_flaky = first.p_flaky
    return FailureAnalysis(
        severity=subject.severity.value,
        failed_tests=tuple(
            cause.failure.finding.test.qualified
            for cause in subject.causes
            if cause.failure.finding.test is not None
        ),
        root_cause=_root_cause(subject),
        related_changes=tuple(_related(link) for link in subject.links[:5]),
        suggested_fixes=_fixes(subject),
        is_flaky=False,
        confidence=round(1 - p_flaky, 2) if p_flaky is not None else 0.5,
    )


def what_failed(cause: CauseFacts) -> str:
    finding = cause.failure.finding
    if finding.test is not None:
        return f"`{finding.test.qualified}`"
    return f"{finding.tool} ({finding.failure_type.value}/{finding.sub_type})"


def first_line(text: str, limit: int = 240) -> str:
    line = next((item.strip() for item in text.splitlines() if item.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _root_cause(subject: NewFailure) -> str:
    first = subject.causes[0]
    message = first_line(first.failure.finding.message) or "no message"
    text = f"{what_failed(first)} fails with: {message}"
    if len(subject.causes) > 1:
        text += f" ({len(subject.causes) - 1} more new failure(s) in this job)"
    if not subject.links:
        return f"{text}. {NO_LINK}"
    pointed = "; ".join(f"`{link.path}`: {link.detail}" for link in subject.links[:3])
    return f"{text}. The failure points at this pull request's changes — {pointed}."


def _related(link: ChangeLink) -> RelatedChange:
    lines = _range(link.hunk) if link.hunk is not None else ""
    if link.line is not None and not lines:
        lines = str(link.line)
    return RelatedChange(file=link.path, lines=lines, why=f"{link.kind.label}: {link.detail}")


def _range(hunk: Hunk) -> str:
    return (
        f"{hunk.new_start}-{hunk.new_last}"
        if hunk.new_last > hunk.new_start
        else str(hunk.new_start)
    )


def _fixes(subject: NewFailure) -> tuple[SuggestedFix, ...]:
    fixes: list[SuggestedFix] = []
    strongest = next((link for link in subject.links if link.hunk is not None), None)
    if strongest is not None and strongest.hunk is not None:
        fixes.append(_review_hunk(subject, strongest, strongest.hunk))
    if any(link.kind is LinkKind.TEST_CHANGED for link in subject.links):
        fixes.append(_update_test(subject))
    located = _located_error(subject)
    if located is not None and not fixes:
        fixes.append(located)
    reproduce = _reproduce(subject.causes[0], subject.repo)
    if reproduce is not None:
        fixes.append(reproduce)
    if not fixes:
        fixes.append(
            SuggestedFix(
                title="Read the failing step's log",
                description="Sheriff could not tie this failure to a file; the log excerpt "
                "below shows the lines triage chose.",
            )
        )
    return tuple(fixes[:5])


def _review_hunk(subject: NewFailure, link: ChangeLink, hunk: Hunk) -> SuggestedFix:
    message = first_line(subject.causes[0].failure.finding.message)
    added = [text for _, text in hunk.added][:SHOWN_CODE_LINES]
    shown = added or [f"-{text}" for _, text in hunk.removed][:SHOWN_CODE_LINES]
    return SuggestedFix(
        title=f"Check the change to {link.path} (lines {_range(hunk)})",
        description=f"{link.detail[0].upper()}{link.detail[1:]}. Compare what this hunk now "
        f"does with what the failure expected: {message}",
        file=link.path,
        code="\n".join(shown),
    )


def _update_test(subject: NewFailure) -> SuggestedFix:
    test = subject.causes[0].failure.finding.test
    path = failing_test_path(test, subject.repo)
    return SuggestedFix(
        title="If the new behaviour is intended, update the test's expectation",
        description="The pull request changes the failing test itself: check that its new "
        "assertions match the code's behaviour.",
        file=path,
    )


def _located_error(subject: NewFailure) -> SuggestedFix | None:
    """The first location of the failure inside the repository."""
    finding = subject.causes[0].failure.finding
    known = subject.known_paths
    for location in finding.locations:
        path = repository_path(location.path, subject.repo)
        if path is not None and path in known:
            where = f"{path}:{location.line}" if location.line else path
            testing = finding.failure_type in (FailureType.TEST, FailureType.E2E)
            title = f"Check what the test expects at {where}" if testing else f"Fix {where}"
            return SuggestedFix(
                title=title,
                description=first_line(finding.message),
                file=path,
            )
    return None


def _reproduce(cause: CauseFacts, repo: str) -> SuggestedFix | None:
    test = cause.failure.finding.test
    found = reproduction_command(test, test_file=failing_test_path(test, repo))
    if found is None:
        return None
    return SuggestedFix(
        title="Run the failing test alone",
        description="Reproduce it locally before and after the fix.",
        code=found.command,
    )
