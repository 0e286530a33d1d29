"""The deep analysis of a new failure on a pull request: the JSON a model must return
(seed 000's schema: severity, failed tests, root cause, suggested fixes with file paths
and code, flaky verdict with confidence), validated, and the subject it is about.

Validating with the subject's known paths (``validate_analysis``) rejects a fix or a
related change that names a file the model was never shown, so an invented path is
caught instead of posted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, ValidationInfo

from sheriff.core.analysis.snippets import repository_path
from sheriff.core.pr_report.correlate import ChangeLink, failing_test_path
from sheriff.core.pr_report.diff import ChangedFile
from sheriff.core.pr_report.facts import CauseFacts, JobFacts
from sheriff.core.pr_report.severity import Severity

SeverityName = Literal["critical", "high", "medium", "low"]


def _known(value: str, info: ValidationInfo) -> str:
    known = (info.context or {}).get("known_paths")
    if known is not None and value not in known:
        shown = ", ".join(sorted(known)[:20]) or "none"
        raise ValueError(f"{value!r} is not a file of the pull request or the failure ({shown})")
    return value


KnownPath = Annotated[str, AfterValidator(_known)]


class RelatedChange(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    file: KnownPath = Field(min_length=1, max_length=500, description="a changed file's path")
    lines: str = Field(
        default="", max_length=40, pattern=r"^(?:[0-9]+(?:-[0-9]+)?)?$", description="e.g. 4-6"
    )
    why: str = Field(min_length=3, max_length=1000)


class SuggestedFix(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str = Field(min_length=3, max_length=200)
    description: str = Field(default="", max_length=3000)
    file: KnownPath | None = Field(
        default=None, max_length=500, description="the file to change (a path given)"
    )
    code: str = Field(default="", max_length=6000, description="a code snippet of the fix")


class FailureAnalysis(BaseModel):
    """What Sheriff says about a new failure in the pull request's report."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    severity: SeverityName
    failed_tests: tuple[str, ...] = Field(default=(), max_length=50)
    root_cause: str = Field(min_length=3, max_length=4000)
    related_changes: tuple[RelatedChange, ...] = Field(default=(), max_length=10)
    suggested_fixes: tuple[SuggestedFix, ...] = Field(min_length=1, max_length=5)
    is_flaky: bool
    confidence: float = Field(ge=0, le=1, description="how sure the flaky verdict is")


@dataclass(frozen=True, slots=True)
class NewFailure:
    """A job judged NEW: its new causes, what they point at in the diff, and how bad."""

    repo: str
    job: JobFacts
    causes: tuple[CauseFacts, ...]
    links: tuple[ChangeLink, ...]
    severity: Severity
    files: tuple[ChangedFile, ...]

    @property
    def known_paths(self) -> frozenset[str]:
        """Every file the analysis may name: the changed files and the failure's own."""
        paths = {item.path for item in self.files}
        for cause in self.causes:
            finding = cause.failure.finding
            for location in finding.locations:
                path = repository_path(location.path, self.repo)
                if path:
                    paths.add(path)
            test_path = failing_test_path(finding.test, self.repo)
            if test_path:
                paths.add(test_path)
        return frozenset(paths)


def validate_analysis(
    data: str | bytes | dict[str, object] | FailureAnalysis, subject: NewFailure
) -> FailureAnalysis | list[str]:
    """The analysis, or its problems (one line each) when it breaks the schema or names a
    file outside the subject."""
    context = {"known_paths": subject.known_paths}
    try:
        if isinstance(data, FailureAnalysis):
            return FailureAnalysis.model_validate(data.model_dump(), context=context)
        if isinstance(data, (str, bytes)):
            return FailureAnalysis.model_validate_json(data, context=context)
        return FailureAnalysis.model_validate(data, context=context)
    except ValidationError as error:
        return [
            f"{'.'.join(str(part) for part in item['loc']) or 'analysis'}: {item['msg']}"
            for item in error.errors()
        ]


def analysis_schema() -> str:
    """The JSON schema of the analysis, for prompts and documentation."""
    return json.dumps(FailureAnalysis.model_json_schema(), indent=1, sort_keys=True)
