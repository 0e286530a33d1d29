"""Acceptance of the webhook service (T5) through a real ``sheriff serve`` process, over real
HTTP, with signed deliveries and the fake GitHub: a failed pull-request run gets the PR
failure report (one comment, edited in place, and a check run); a flaky failure gets
exactly one re-run; ``/ai-fix`` and ``@sheriff`` from a person without write permission do
nothing but what the design says, and from a maintainer they are acted on.

(401s, redeliveries and a failed run scanned into an issue are in ``test_serve.py``.)"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from sheriff.app.case_history import TRANSITION
from sheriff.app.ports import AuditEntry, CaseState
from sheriff.app.scan_reruns import REFUSED, RERUN
from sheriff.core.assistant import Stage, stage_of
from sheriff.core.issues.markers import comment_key_of
from sheriff.testing.fakegithub import FakeGitHub
from sheriff.testing.fakegithub.records import CommentRecord
from sheriff.testing.flaky_project import (
    SeededRepository,
    failing_log,
    seed_flaky_repository,
    shop_test_command,
)
from tests.app import pr_report_world as shop
from tests.app.scan_world import REPO, attempt_line, write_seed
from tests.app.webhook_payloads import SENDER, encoded, rest_json, workflow_run_payload
from tests.entry.web.service_world import ServiceWorld, wait_until

RERUN_CALL = "actions/re-run-workflow-failed-jobs"
FIX_REPO = "acme/shop"
MAINTAINER = "ada"  # write permission
READER = "mallory"  # read permission only


def sqlite_world(folder: Path, fake: FakeGitHub, **env: str) -> ServiceWorld:
    return ServiceWorld(
        fake,
        folder,
        store_url=f"sqlite:///{folder / 'store.db'}",
        engine_url=f"sqlite:///{folder / 'engine.sqlite'}",
        extra_env=env,
    )


def deliver_and_wait(world: ServiceWorld, url: str, event: str, body: bytes, delivery: str) -> None:
    """Deliver, expect it queued, and wait until the worker audited it."""
    answer = world.deliver(url, body, event=event, delivery_id=delivery)
    assert (answer.status_code, answer.json()["result"]) == (202, "queued"), answer.text
    wait_until(lambda: len(world.audit_of(delivery)) == 1, what=f"delivery {delivery}")


def outcome_of(world: ServiceWorld, delivery: str) -> dict[str, Any]:
    (entry,) = world.audit_of(delivery)
    return dict(entry.event.details)


def audited(world: ServiceWorld, action: str) -> list[AuditEntry]:
    with world.store() as store:
        return [entry for entry in store.audit_log() if entry.event.action == action]


def person(login: str) -> dict[str, Any]:
    return {"login": login, "id": sum(map(ord, login)), "type": "User"}


def comment_payload(repo: str, number: int, comment: CommentRecord) -> bytes:
    """The ``issue_comment`` delivery GitHub sends for ``comment`` (written in the fake)."""
    who = person(comment.user)
    return encoded(
        {
            "action": "created",
            "issue": {"number": number, "title": "a failure", "state": "open", "user": SENDER},
            "comment": {"id": comment.id, "body": comment.body, "user": who},
            "repository": {"full_name": repo, "default_branch": "main"},
            "sender": who,
        }
    )


def new_writes(world: ServiceWorld, before: list[str]) -> list[str]:
    writes = world.writes()
    assert writes[: len(before)] == before
    return writes[len(before) :]


# -- 1. the PR failure report ---------------------------------------------------------------


@pytest.fixture
def shop_world(tmp_path: Path) -> Iterator[ServiceWorld]:
    """The small shop project in real git; Sheriff's token acts as a GitHub App's bot (only
    Apps may create check runs)."""
    with FakeGitHub.running(tokens={"test-token": shop.APP_LOGIN}) as fake:
        fake.create_git_repo(shop.REPO, shop.PROJECT)
        yield sqlite_world(tmp_path, fake, SHERIFF_BOT_LOGIN=shop.APP_LOGIN)


def report_comments(fake: FakeGitHub, number: int) -> list[CommentRecord]:
    return [c for c in fake.comments(shop.REPO, number) if comment_key_of(c.body) == "pr-report"]


def sheriff_check_runs(fake: FakeGitHub, sha: str) -> list[dict[str, Any]]:
    listed = rest_json(fake.url, f"/repos/{shop.REPO}/commits/{sha}/check-runs")
    return [item for item in listed["check_runs"] if item["name"] == "Sheriff"]


def run_id_of(fake: FakeGitHub, sha: str, workflow: str) -> int:
    runs = rest_json(fake.url, f"/repos/{shop.REPO}/actions/runs?head_sha={sha}")
    [run] = [item for item in runs["workflow_runs"] if item["name"] == workflow]
    return int(run["id"])


def test_a_failed_pull_request_run_gets_one_report_comment_edited_in_place_and_a_check_run(
    shop_world: ServiceWorld,
) -> None:
    world, fake = shop_world, shop_world.fake
    fake.create_branch(shop.REPO, "shipping")
    sha = fake.commit(shop.REPO, {"shop/pricing.py": shop.BROKEN_PRICING}, branch="shipping")
    number = fake.open_pull_as(shop.REPO, shop.AUTHOR, "shipping", title="Shipping")
    fake.complete_checks(shop.REPO, sha, "failure", name="tests", log=shop.pricing_failure_log())
    tests_run = workflow_run_payload(fake.url, shop.REPO, run_id_of(fake, sha, "tests"))
    assert tests_run["workflow_run"]["event"] == "pull_request"
    assert [p["number"] for p in tests_run["workflow_run"]["pull_requests"]] == [number]
    comments_url = f"POST /repos/{shop.REPO}/issues/{number}/comments"

    with world.sheriff("serve") as server:
        assert server.url
        deliver_and_wait(world, server.url, "workflow_run", encoded(tests_run), "pr-tests")
        report = str(outcome_of(world, "pr-tests")["pull_request_report"])
        assert report.endswith("comment posted, check run created"), report
        [comment] = report_comments(fake, number)
        assert comment.user == shop.APP_LOGIN
        assert "🆕 **NEW** | `tests/test_pricing.py::test_total_without_discount`" in comment.body
        [check] = sheriff_check_runs(fake, sha)
        assert (check["conclusion"], check["output"]["title"]) == (
            "failure",
            "1 failed job(s): 1 new",
        )
        assert check["app"]["slug"] == "sheriff"
        assert world.writes().count(comments_url) == 1

        # A second failed run of the same pull request: the same comment, edited.
        fake.complete_checks(shop.REPO, sha, "failure", name="lint", log=shop.lint_log())
        lint_run = workflow_run_payload(fake.url, shop.REPO, run_id_of(fake, sha, "lint"))
        before = world.writes()
        deliver_and_wait(world, server.url, "workflow_run", encoded(lint_run), "pr-lint")
        report = str(outcome_of(world, "pr-lint")["pull_request_report"])
        assert report.endswith("comment edited, check run updated"), report
        [edited] = report_comments(fake, number)
        assert edited.id == comment.id
        assert "## ❌ Sheriff: 2 jobs failed" in edited.body
        assert "- **lint**: NEW — not seen on the default branch, not flaky" in edited.body
        assert "- **tests**: NEW — not seen on the default branch, not flaky" in edited.body
        [check] = sheriff_check_runs(fake, sha)
        assert check["output"]["title"] == "2 failed job(s): 2 new"
        writes = new_writes(world, before)
        assert f"PATCH /repos/{shop.REPO}/issues/comments/{comment.id}" in writes
        assert f"PATCH /repos/{shop.REPO}/check-runs/{check['id']}" in writes
        assert comments_url not in writes
        assert f"POST /repos/{shop.REPO}/check-runs" not in writes

        # The same run delivered again under another delivery id: nothing changes.
        before = world.writes()
        deliver_and_wait(world, server.url, "workflow_run", encoded(lint_run), "pr-lint-again")
        report = str(outcome_of(world, "pr-lint-again")["pull_request_report"])
        assert report.endswith("comment unchanged, check run unchanged"), report
        assert new_writes(world, before) == []
        assert len(fake.comments(shop.REPO, number)) == 1


# -- 2. a flaky failure is re-run once -------------------------------------------------------


def recent(line: dict[str, Any], **ago: float) -> dict[str, Any]:
    """A seed line of a run attempt that started ``ago`` (hours=, minutes=) before now."""
    return {**line, "created_at": (datetime.now(UTC) - timedelta(**ago)).isoformat()}


@pytest.fixture
def flaky_world(tmp_path: Path) -> Iterator[ServiceWorld]:
    """The demo seed's real cidiff logs: ``testClassicParsing()`` failed and passed on a
    re-run on two commits in the last hours, then failed on a third a few minutes ago (a
    re-run is only asked for a run under a day old)."""
    lines = [
        recent(attempt_line(101, 1), hours=3),
        recent(attempt_line(101, 2, passed=True), hours=2, minutes=40),
        recent(attempt_line(102, 1), hours=2),
        recent(attempt_line(102, 2, passed=True), hours=1, minutes=40),
        recent(attempt_line(103, 1), minutes=10),
    ]
    seed = write_seed(tmp_path / "seed", lines)
    with FakeGitHub.running(seed) as fake:
        yield sqlite_world(tmp_path, fake)


def reruns_asked(fake: FakeGitHub) -> int:
    return sum(1 for item in fake.requests if item.operation == RERUN_CALL)


def run_body(world: ServiceWorld, run_id: int, attempt: int = 1) -> bytes:
    return encoded(workflow_run_payload(world.fake.url, REPO, run_id, attempt))


def test_a_flaky_failure_is_rerun_exactly_once(flaky_world: ServiceWorld) -> None:
    world, fake = flaky_world, flaky_world.fake
    with world.sheriff("serve") as server:
        assert server.url
        for run_id in (101, 102):  # a person re-ran each: the second attempts passed
            body = run_body(world, run_id, 2)
            deliver_and_wait(world, server.url, "workflow_run", body, f"passed-{run_id}")
        assert reruns_asked(fake) == 0

        failed = run_body(world, 103)
        deliver_and_wait(world, server.url, "workflow_run", failed, "failed-103")
        assert reruns_asked(fake) == 1
        [taken] = audited(world, RERUN)
        assert taken.event.details["run_id"] == 103
        assert float(taken.event.details["p_flaky"]) >= 0.7
        assert fake.run(REPO, 103).latest.number == 2  # GitHub started attempt 2

        again = world.deliver(server.url, failed, delivery_id="failed-103")
        assert again.json()["result"] == "duplicate"
        deliver_and_wait(world, server.url, "workflow_run", failed, "failed-103-resent")
        fake.finish_attempt(REPO, 103, "failure")  # the re-run failed too: evidence, no re-run
        deliver_and_wait(world, server.url, "workflow_run", run_body(world, 103, 2), "failed-103-2")

        assert reruns_asked(fake) == 1
        assert len(audited(world, RERUN)) == 1
        refused = [entry.event.details for entry in audited(world, REFUSED)]
        assert [(item["run_id"], item["attempt"]) for item in refused] == [(103, 1), (103, 2)]


# -- 3. /ai-fix ----------------------------------------------------------------------------


@pytest.fixture
def fix_world(tmp_path: Path) -> Iterator[tuple[ServiceWorld, SeededRepository]]:
    """A small real project in git with a flaky test (``sheriff.testing.flaky_project``):
    CI failed on it an hour ago, passed when re-run, and failed again half an hour ago.
    Fixes are verified with the real pytest in Sheriff's worktrees."""
    with FakeGitHub.running() as fake:
        seeded = seed_flaky_repository(
            fake, FIX_REPO, failing_log(), tmp_path, at=datetime.now(UTC) - timedelta(hours=1)
        )
        fake.set_permission(FIX_REPO, MAINTAINER, "write")
        fake.set_permission(FIX_REPO, READER, "read")
        env = {"SHERIFF_TEST_COMMAND": shop_test_command(), "SHERIFF_VERIFY_RUNS": "2"}
        yield sqlite_world(tmp_path, fake, **env), seeded


def issue_event(repo: str, number: int, sender: str, action: str = "edited") -> bytes:
    return encoded(
        {
            "action": action,
            "issue": {"number": number, "title": "a failure", "state": "open", "user": SENDER},
            "repository": {"full_name": repo, "default_branch": "main"},
            "sender": person(sender),
        }
    )


def flaky_case_state(world: ServiceWorld) -> CaseState:
    """The state of the case of the flaky test (the only case with a test)."""
    with world.store() as store:
        [case] = [c for c in store.cases_in_state(FIX_REPO, list(CaseState)) if c.test_name]
        return case.state


def approvals(world: ServiceWorld) -> list[dict[str, Any]]:
    return [
        dict(entry.event.details)
        for entry in audited(world, TRANSITION)
        if entry.event.details.get("event") == "ApprovalGranted"
    ]


def test_ai_fix_from_a_reader_is_refused_and_from_a_maintainer_opens_the_fix(
    fix_world: tuple[ServiceWorld, SeededRepository],
) -> None:
    world, seeded = fix_world
    fake, repo, run_id = world.fake, seeded.repo, seeded.run_id
    with world.sheriff("serve") as server:
        assert server.url
        for delivery, (run, attempt) in {"rerun": (run_id, 2), "again": (run_id + 1, 1)}.items():
            payload = encoded(workflow_run_payload(fake.url, repo, run, attempt))
            deliver_and_wait(world, server.url, "workflow_run", payload, delivery)
        [issue] = [item for item in fake.issues(repo) if item.user == "sheriff-bot"]
        number = issue.number
        # A maintainer edits the issue: its case is reconciled up to waiting for a signal.
        deliver_and_wait(world, server.url, "issues", issue_event(repo, number, MAINTAINER), "edit")
        assert flaky_case_state(world) is CaseState.WAITING_FOR_SIGNAL

        before = world.writes()
        asked = fake.comment_as(repo, number, READER, "/ai-fix")
        body = comment_payload(repo, number, asked)
        deliver_and_wait(world, server.url, "issue_comment", body, "reader-ai-fix")
        # What the design says (core/lifecycle/discussion.py): a short refusal, nothing else.
        assert new_writes(world, before) == [f"POST /repos/{repo}/issues/{number}/comments"]
        refusal = fake.comments(repo, number)[-1]
        assert (refusal.user, comment_key_of(refusal.body)) == ("sheriff-bot", f"reply:{asked.id}")
        assert f"\n@{READER}, Sheriff starts a fix only when someone with write" in refusal.body
        assert "(you have `read`)" in refusal.body
        assert flaky_case_state(world) is CaseState.WAITING_FOR_SIGNAL
        assert approvals(world) == []
        assert fake.pulls(repo) == []

        before = world.writes()
        deliver_and_wait(world, server.url, "issue_comment", body, "reader-ai-fix-resent")
        assert new_writes(world, before) == []  # answered once

        approved = fake.comment_as(repo, number, MAINTAINER, "/ai-fix")
        body = comment_payload(repo, number, approved)
        deliver_and_wait(world, server.url, "issue_comment", body, "maintainer-ai-fix")
        [granted] = approvals(world)
        assert (granted["approver"], granted["permission"], granted["via"]) == (
            MAINTAINER,
            "write",
            "comment",
        )
        assert flaky_case_state(world) is CaseState.PR_OPEN
        [pull] = fake.pulls(repo)
        assert fake.issue(repo, pull.number).user == "sheriff-bot"
        assert pull.base_ref == "main"


# -- 4. @sheriff ---------------------------------------------------------------------------


def open_issue_as(fake: FakeGitHub, login: str, title: str) -> int:
    token = f"token-{login}"
    fake.add_token(token, login)
    answer = httpx.post(
        f"{fake.url}/repos/{shop.REPO}/issues",
        json={"title": title, "body": "The tests fail on my branch."},
        headers={"Authorization": f"Bearer {token}"},
    )
    answer.raise_for_status()
    return int(answer.json()["number"])


def test_a_mention_from_a_reader_gets_nothing_and_from_a_maintainer_one_comment(
    shop_world: ServiceWorld,
) -> None:
    world, fake, repo = shop_world, shop_world.fake, shop.REPO
    fake.set_permission(repo, MAINTAINER, "write")
    fake.set_permission(repo, READER, "read")
    number = open_issue_as(fake, MAINTAINER, "Why do the pricing tests fail?")
    question = "@sheriff why does test_total_with_discount fail?"
    with world.sheriff("serve") as server:
        assert server.url
        before = world.writes()
        asked = fake.comment_as(repo, number, READER, question)
        body = comment_payload(repo, number, asked)
        deliver_and_wait(world, server.url, "issue_comment", body, "reader-mention")
        assert "assistant: refused" in str(outcome_of(world, "reader-mention")["assistant"])
        assert new_writes(world, before) == []
        assert [c.user for c in fake.comments(repo, number)] == [READER]

        before = world.writes()
        asked = fake.comment_as(repo, number, MAINTAINER, question)
        body = comment_payload(repo, number, asked)
        deliver_and_wait(world, server.url, "issue_comment", body, "maintainer-mention")
        assert "assistant: answered" in str(outcome_of(world, "maintainer-mention")["assistant"])
        writes = new_writes(world, before)
        [answer] = [c for c in fake.comments(repo, number) if c.user == shop.APP_LOGIN]
        posted = f"POST /repos/{repo}/issues/{number}/comments"
        edited = f"PATCH /repos/{repo}/issues/comments/{answer.id}"
        assert writes[0] == posted  # one progress comment, then only edits of it
        assert set(writes[1:]) == {edited}
        assert stage_of(answer.body) is Stage.DONE  # the answer replaced the progress note
        assert "_Working on it…_" not in answer.body

        before = world.writes()
        deliver_and_wait(world, server.url, "issue_comment", body, "maintainer-mention-resent")
        assert new_writes(world, before) == []
