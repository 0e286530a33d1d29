from dataclasses import replace

from sheriff.core.analysis.render import COMMENT_LIMIT
from sheriff.core.issues.markers import comment_key_of
from sheriff.core.pr_report import (
    DETERMINISTIC,
    AnalysedFailure,
    FailureAnalysis,
    FailureReport,
    SuggestedFix,
    check_summary,
    deterministic_analysis,
    judge_job,
    render_report,
)
from tests.core.pr_report.samples import REPO, pricing_job, pricing_subject

SHA = "b750c95" + "0" * 33
TOKEN = "ghp_" + "A" * 36


def report(*analysed: AnalysedFailure, jobs=None) -> FailureReport:  # type: ignore[no-untyped-def]
    judged = jobs if jobs is not None else (judge_job(pricing_job(), 0.7),)
    return FailureReport(REPO, 12, SHA, tuple(judged), analysed)


def deterministic() -> AnalysedFailure:
    subject = pricing_subject()
    return AnalysedFailure(subject, deterministic_analysis(subject), DETERMINISTIC)


def test_the_comment_follows_seed_000s_layout_under_its_key() -> None:
    body = render_report(report(deterministic()))
    assert comment_key_of(body) == "pr-report"
    assert "## ❌ Sheriff: 1 job failed on `b750c95`" in body
    assert (
        "| [CI / tests](https://github.com/acme/shop/actions/runs/90000000001/job/41000000001) |"
        in body
    )
    assert "🆕 **NEW** | `tests/test_pricing.py::test_total_without_discount` (+1 more):" in body
    assert "| 0.02 |" in body
    for heading in (
        "#### Failed Tests",
        "#### Root Cause",
        "#### Related Changes",
        "#### Suggested Fixes",
    ):
        assert heading in body
    assert "🟠 **Severity**: high" in body
    assert "📄 **File**: `shop/pricing.py`" in body
    assert "```python\n    return round(subtotal * (1 - discount) + 1, 2)\n```" in body
    assert "**Flaky Detection**: Not a flaky test (confidence: 0.98)" in body
    assert "(no LLM configured)" in body
    assert body == render_report(report(deterministic()))  # no clock: same facts, same text


def test_untrusted_text_cannot_ping_inject_html_or_leak_secrets() -> None:
    job = replace(pricing_job(), name="<img src=x onerror=alert(1)> @acme/ops")
    subject = replace(pricing_subject(), job=job)
    hostile = FailureAnalysis(
        severity="critical",
        root_cause=f"@octocat look: <script>alert(1)</script> token {TOKEN}",
        suggested_fixes=(
            SuggestedFix(title="Fix ``` it", file="shop/pricing.py", code="a = '```'"),
        ),
        is_flaky=False,
        confidence=0.5,
    )
    body = render_report(
        report(AnalysedFailure(subject, hostile, "claude"), jobs=(judge_job(job, 0.7),))
    )
    assert "<script>" not in body
    assert "<img" not in body
    assert "@\u200bocto" in body
    assert TOKEN not in body
    assert "[REDACTED:github-token]" in body
    assert "````python\na = '```'\n````" in body  # a fence longer than the code's backticks
    assert "Analysis by claude, from the log and the diff" in body


def test_a_fallback_says_why_the_models_answer_was_not_used() -> None:
    item = replace(deterministic(), note="scripted gave no usable analysis (invalid answer)")
    body = render_report(report(item))
    assert "Deterministic analysis from the log and the diff. scripted gave no usable" in body


def test_all_green_and_the_size_limit() -> None:
    green = render_report(FailureReport(REPO, 12, SHA, ()))
    assert "## ✅ Sheriff: no failed jobs on `b750c95`" in green
    huge = replace(pricing_job(), excerpt=tuple((n, "x" * 500) for n in range(1, 400)))
    subject = replace(pricing_subject(), job=huge)
    analysed = AnalysedFailure(subject, deterministic_analysis(subject), DETERMINISTIC)
    body = render_report(report(analysed, analysed))
    assert len(body) <= COMMENT_LIMIT + 100
    assert "#### Root Cause" in body  # the excerpts went first, the analyses stayed


def test_the_check_run_fails_only_for_new_failures() -> None:
    new = check_summary(report(deterministic()), "https://github.com/acme/shop/pull/12#c1")
    assert new.conclusion == "failure"
    assert new.title == "1 failed job(s): 1 new"
    assert "[this comment](https://github.com/acme/shop/pull/12#c1)" in new.summary
    assert "Check the change to shop/pricing.py" in new.text
    flaky = judge_job(pricing_job(p_flaky=0.9), 0.7)
    assert check_summary(report(jobs=(flaky,))).conclusion == "neutral"
    assert check_summary(report(jobs=())).conclusion == "success"
