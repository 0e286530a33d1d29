"""The failure report of a pull request (seed 000 and Dr. CI), pure.

Flow in the app (``sheriff.app.pr_report``): the failed jobs of the head's runs are
triaged → ``JobFacts`` with each cause's flaky verdict and default-branch failures from
the store → ``judge_job`` (NEW / BROKEN TRUNK / FLAKY / INFRA / UNKNOWN) → for NEW jobs,
``correlate`` with the diff (``changed_file``) and ``severity_of`` → ``NewFailure`` →
a model's ``FailureAnalysis`` (``analysis_request``, then ``validate_analysis``) or
``deterministic_analysis`` → ``FailureReport`` → ``render_report`` (the one comment keyed
``pr-report``) and ``check_summary`` (the check run).
"""

from sheriff.core.pr_report.analysis import (
    FailureAnalysis,
    NewFailure,
    RelatedChange,
    SuggestedFix,
    analysis_schema,
    validate_analysis,
)
from sheriff.core.pr_report.checks import CheckSummary, check_summary
from sheriff.core.pr_report.correlate import (
    ChangeLink,
    FailureSubject,
    LinkKind,
    correlate,
    failing_test_path,
)
from sheriff.core.pr_report.deterministic import deterministic_analysis
from sheriff.core.pr_report.diff import ChangedFile, Hunk, changed_file, parse_hunks
from sheriff.core.pr_report.facts import CauseFacts, JobFacts, TrunkFailure
from sheriff.core.pr_report.prompt import analysis_request, cleaned_untrusted
from sheriff.core.pr_report.render import render_report, verdict_summary
from sheriff.core.pr_report.report import (
    DETERMINISTIC,
    REPORT_KEY,
    AnalysedFailure,
    FailureReport,
)
from sheriff.core.pr_report.severity import Severity, severity_of, worst
from sheriff.core.pr_report.subject import new_failure_of
from sheriff.core.pr_report.verdicts import (
    CauseJudgement,
    JobJudgement,
    JobVerdict,
    judge_cause,
    judge_job,
)

__all__ = [
    "DETERMINISTIC",
    "REPORT_KEY",
    "AnalysedFailure",
    "CauseFacts",
    "CauseJudgement",
    "ChangeLink",
    "ChangedFile",
    "CheckSummary",
    "FailureAnalysis",
    "FailureReport",
    "FailureSubject",
    "Hunk",
    "JobFacts",
    "JobJudgement",
    "JobVerdict",
    "LinkKind",
    "NewFailure",
    "RelatedChange",
    "Severity",
    "SuggestedFix",
    "TrunkFailure",
    "analysis_request",
    "analysis_schema",
    "changed_file",
    "check_summary",
    "cleaned_untrusted",
    "correlate",
    "deterministic_analysis",
    "failing_test_path",
    "judge_cause",
    "judge_job",
    "new_failure_of",
    "parse_hunks",
    "render_report",
    "severity_of",
    "validate_analysis",
    "verdict_summary",
    "worst",
]
