"""The pull request failure report end to end on the fake GitHub: real logs, real git
branches and diffs, Sheriff's GitHub adapter and a SQLite store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from sheriff.app.pr_report import PullRequestReportRequest
from sheriff.config import Settings
from sheriff.core.pr_report import JobVerdict
from tests.app.pr_report_world import (
    BROKEN_PRICING,
    PRICING,
    REPO,
    PrWorld,
    check_action,
    comment_action,
    lint_log,
    network_log,
    pricing_failure_log,
    running_pr_world,
)
from tests.conftest import read_tool_fixture


@pytest.fixture
def world(tmp_path: Path) -> Iterator[PrWorld]:
    yield from running_pr_world(tmp_path)


def verdicts(outcome) -> dict[str, JobVerdict]:  # type: ignore[no-untyped-def]
    assert outcome.report is not None, outcome.skipped
    return {item.job.name: item.verdict for item in outcome.report.jobs}


def test_a_new_failure_is_tied_to_the_changes_that_caused_it(world: PrWorld) -> None:
    number, sha = world.open_pull("shipping", {"shop/pricing.py": BROKEN_PRICING}, "Shipping")
    outcome = world.report(world.ci(sha, "tests", pricing_failure_log()))

    assert verdicts(outcome) == {"tests": JobVerdict.NEW}
    [comment] = world.report_comments(number)
    body = comment.body
    assert comment.user == "sheriff[bot]"
    assert "🆕 **NEW** | `tests/test_pricing.py::test_total_without_discount` (+1 more)" in body
    assert "🟠 **Severity**: high" in body
    assert "- `shop/pricing.py` lines 3-6 — symbol: `total`, called in the failure" in body
    assert "📄 **File**: `shop/pricing.py`" in body
    assert "    return round(subtotal * (1 - discount) + 1, 2)\n```" in body
    assert "python -m pytest tests/test_pricing.py::test_total_without_discount" in body
    [check] = [item for item in world.forge().list_check_runs(sha) if item.name == "Sheriff"]
    assert (check.conclusion, check.title) == ("failure", "1 failed job(s): 1 new")
    assert check.app == "sheriff"
    actions = world.audit_actions()
    assert actions.count("pr_report.comment.create") == 1
    assert actions.count("pr_report.check_run.create") == 1


def test_reporting_again_edits_the_one_comment_and_never_posts_twice(world: PrWorld) -> None:
    number, sha = world.open_pull("shipping", {"shop/pricing.py": BROKEN_PRICING}, "Shipping")
    tests_run = world.ci(sha, "tests", pricing_failure_log())
    first = world.report(tests_run)
    again = world.report(tests_run)  # a redelivery, a retried step
    assert (comment_action(first), comment_action(again)) == ("posted", "unchanged")
    assert check_action(again) == "unchanged"

    rerun = world.report(world.ci(sha, "tests", pricing_failure_log()))  # attempt 2 failed too
    assert comment_action(rerun) == "edited"  # its job link
    grown = world.report(world.ci(sha, "lint", lint_log()))
    assert comment_action(grown) == "edited"
    assert verdicts(grown) == {"lint": JobVerdict.NEW, "tests": JobVerdict.NEW}
    [comment] = world.report_comments(number)
    assert first.comment is not None
    assert comment.id == first.comment.comment_id
    assert "## ❌ Sheriff: 2 jobs failed" in comment.body

    fixed = world.push_pull("shipping", {"shop/pricing.py": PRICING})
    green = world.report(world.ci(fixed, "tests", b"2 passed in 0.01s\n", "success"))
    assert comment_action(green) == "edited"
    [comment] = world.report_comments(number)
    assert comment.body.splitlines()[1] == f"## ✅ Sheriff: no failed jobs on `{fixed[:7]}`"
    actions = world.audit_actions()
    assert actions.count("pr_report.comment.create") == 1
    assert actions.count("pr_report.comment.update") == 3


def test_failures_the_default_branch_shows_are_broken_trunk_or_flaky(world: PrWorld) -> None:
    from sheriff.testing.flaky_project import PROJECT as FLAKY_PROJECT
    from sheriff.testing.flaky_project import failing_log

    retry_log = failing_log(FLAKY_PROJECT)  # real pytest: test_fetch_within_deadline timed out
    main = world.push_main(dict(FLAKY_PROJECT))
    world.scan(world.ci(main, "lint", lint_log()))
    world.scan(world.ci(main, "retry", retry_log))
    world.scan(world.ci(main, "retry", b"2 passed in 0.02s\n", "success"))  # its re-run passed

    number, sha = world.open_pull("docs", {"docs/guide.md": "# Guide\n\nMore.\n"}, "Docs")
    world.report(world.ci(sha, "lint", lint_log()))
    outcome = world.report(world.ci(sha, "retry", retry_log))

    assert verdicts(outcome) == {"lint": JobVerdict.BROKEN_TRUNK, "retry": JobVerdict.FLAKY}
    [comment] = world.report_comments(number)
    broken = "BROKEN TRUNK — failed the same way on the default branch 1 time(s) recently"
    assert f"{broken} (last at `{main[:7]}`)" in comment.body
    assert "- **retry**: FLAKY — " in comment.body  # its history, or the re-run on main
    assert "Test Failure Analysis" not in comment.body  # nothing for the author to fix
    assert check_action(outcome) == "updated"
    [check] = [item for item in world.forge().list_check_runs(sha) if item.name == "Sheriff"]
    assert check.conclusion == "neutral"


def test_infrastructure_and_unreadable_logs(world: PrWorld) -> None:
    number, sha = world.open_pull("deps", {"docs/guide.md": "# Guide\n\nDeps.\n"}, "Deps")
    world.report(world.ci(sha, "build", network_log()))
    gone = world.ci(sha, "e2e", read_tool_fixture("curl/curl_dns_failure.log"))
    [job] = world.forge().list_jobs(gone.run_id, gone.attempt)
    world.fake.expire_logs(REPO, job.job_id)
    outcome = world.report(gone)

    assert verdicts(outcome) == {"build": JobVerdict.INFRA, "e2e": JobVerdict.UNKNOWN}
    [comment] = world.report_comments(number)
    assert "🛠️ **INFRA** | go mod:" in comment.body
    assert "**e2e**: UNKNOWN — log unavailable: expired" in comment.body


def test_without_app_credentials_the_check_run_is_refused_not_fatal(world: PrWorld) -> None:
    number, sha = world.open_pull("shipping", {"shop/pricing.py": BROKEN_PRICING}, "Shipping")
    outcome = world.report(world.ci(sha, "tests", pricing_failure_log()), token="t-user")
    assert check_action(outcome) == "denied"
    assert comment_action(outcome) == "posted"
    [comment] = world.report_comments(number)
    assert comment.user == "sheriff-bot"
    [denied] = world.store.audit_log(REPO, action="pr_report.check_run.denied")
    assert "GitHub App" in str(denied.event.details["hint"])
    assert "403" in denied.event.cause or "GitHub App" in denied.event.cause
    assert [item.name for item in world.forge().list_check_runs(sha)] == ["tests"]


def test_nothing_is_reported_for_a_closed_pull_request_or_an_old_head(world: PrWorld) -> None:
    number, sha = world.open_pull("shipping", {"shop/pricing.py": BROKEN_PRICING}, "Shipping")
    old_run = world.ci(sha, "tests", pricing_failure_log())
    newer = world.push_pull("shipping", {"README.md": "# shop\n\nv2\n"})
    stale = world.report(old_run)
    assert stale.skipped == f"run {old_run.run_id} is of {sha[:7]}, no longer the head of #{number}"
    newer_run = world.ci(newer, "tests", pricing_failure_log())
    world.fake.act_on_issue(REPO, number, "bob", state="closed")
    closed = world.report(newer_run)
    assert closed.skipped == f"pull request #{number} is closed"
    orphan = world.report(world.ci(newer, "lint", lint_log()))  # run after the close
    assert orphan.skipped == f"no open pull request has {newer[:7]} as its head"
    assert world.report_comments(number) == []
    assert "pr_report.comment.create" not in world.audit_actions()


def test_the_request_follows_the_settings(tmp_path: Path) -> None:
    settings = Settings(
        pr_report_check_name="CI doctor", pr_report_trunk_days=5, pr_report_max_jobs=7,
        pr_report_max_analyses=0, flaky_threshold=0.8, budget=80,
    )  # fmt: skip
    request = PullRequestReportRequest.from_settings(settings, tmp_path, dry_run=True)
    assert (request.check_name, request.trunk_window) == ("CI doctor", timedelta(days=5))
    assert (request.max_jobs, request.max_analyses, request.budget) == (7, 0, 80)
    assert request.base_settings.flaky_threshold == 0.8
    assert request.dry_run


def test_a_dry_run_writes_nothing(world: PrWorld) -> None:
    number, sha = world.open_pull("shipping", {"shop/pricing.py": BROKEN_PRICING}, "Shipping")
    outcome = world.report(world.ci(sha, "tests", pricing_failure_log()), dry_run=True)
    assert (comment_action(outcome), check_action(outcome)) == ("planned", "planned")
    assert outcome.body is not None
    assert "🆕 **NEW**" in outcome.body
    assert world.report_comments(number) == []
    assert not any(action.startswith("pr_report.") for action in world.audit_actions())
