"""The case lifecycle end to end on the fake GitHub and a real git repository: scan, issue,
analysis, approval, a quarantine pull request whose branch holds the patch, the review
loop, merge, recurrence; and re-running reconcile never duplicates anything."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sheriff.app.ports import CaseState
from sheriff.core.issues.markers import comment_key_of
from sheriff.testing.flaky_project import TEST_FILE, ci_run
from sheriff.testing.scripted_llm import Call, Finish
from tests.app.lifecycle_models import LifecycleModel
from tests.app.lifecycle_world import (
    MAINTAINER,
    OUTSIDER,
    REPO,
    LifecycleWorld,
    running_lifecycle_world,
)

SORTED_IMPORTS = Call(
    "edit_file",
    {
        "path": TEST_FILE,
        "old_text": "from shop.retry import fetch_with_deadline\nimport pytest\n",
        "new_text": "import pytest\n\nfrom shop.retry import fetch_with_deadline\n",
    },
)
EXPLAINED_SKIP = Call(
    "edit_file",
    {
        "path": TEST_FILE,
        "old_text": "@pytest.mark.skip(",
        "new_text": "# Quarantined until the deadline is fixed.\n@pytest.mark.skip(",
    },
)


@pytest.fixture
def world(tmp_path: Path) -> Iterator[LifecycleWorld]:
    yield from running_lifecycle_world(tmp_path)


def fix_branch(world: LifecycleWorld) -> str:
    return f"sheriff/fix-{world.fingerprint()[:8]}"


def approve(world: LifecycleWorld, command: str = "/ai-fix quarantine") -> None:
    world.scan()
    world.reconcile()
    world.comment(MAINTAINER, f"Agreed, it is flaky.\n{command}")
    world.reconcile()


def fail_later(world: LifecycleWorld, folder: Path, run_id: int, sha: str) -> None:
    """Two days on, CI fails the same way on ``sha``; then scan and reconcile."""
    world.clock.advance(days=2)
    log = folder / f"run-{run_id}.log"
    log.write_bytes((folder / "ci-fail.log").read_bytes())
    world.fake.add_run_attempt(
        ci_run(REPO, run_id, sha, conclusion="failure", log=log, at=world.clock())
    )
    world.clock.advance(hours=1)
    world.scan()
    world.reconcile()


def test_scan_to_merged_quarantine_without_an_llm(world: LifecycleWorld) -> None:
    world.scan()
    first = world.reconcile()
    number = world.issue_number()
    fingerprint = world.fingerprint()
    assert world.state() == "WAITING_FOR_SIGNAL"
    assert world.comment_keys() == [f"analysis:{fingerprint}"]
    analysis = world.sheriff_comments()[0].body
    assert "Deterministic analysis" in analysis
    assert "S1 `tests/test_retry.py:" in analysis  # the failing test's source, read at the sha
    assert "`shop/retry.py`" in analysis  # the stack frame's code
    assert "python -m pytest tests/test_retry.py::test_fetch_within_deadline" in analysis
    assert first.cases[0].steps[-1].startswith("TRIAGED -> WAITING_FOR_SIGNAL")

    outsider = world.comment(OUTSIDER, "/ai-fix")
    world.reconcile()
    assert world.state() == "WAITING_FOR_SIGNAL"
    refusal = world.sheriff_comments()[-1]
    assert comment_key_of(refusal.body) == f"reply:{outsider.id}"
    assert "you have `read`" in refusal.body
    assert world.fake.pulls(REPO) == []

    world.comment(MAINTAINER, "Let's skip it for now.\n/ai-fix quarantine")
    world.reconcile()
    assert world.state() == "PR_OPEN"
    [pull] = world.fake.pulls(REPO)
    assert pull.head_ref == fix_branch(world)
    assert pull.draft
    patched = world.fake.git(REPO).run("show", f"{pull.head_ref}:{TEST_FILE}")
    assert f'@pytest.mark.skip(reason="flaky: {world.fake.url}/{REPO}/issues/{number}")' in patched
    assert world.fake.git(REPO).run("show", f"main:{TEST_FILE}") != patched
    body = world.fake.issue(REPO, pull.number).body or ""
    assert f"Refs #{number}" in body
    assert "run 2 time(s)" in body
    assert "2 passed" in body
    assert f"The fix is in #{pull.number}." in (world.fake.issue(REPO, number).body or "")

    settled = world.snapshot()
    for _ in range(3):
        assert world.reconcile().cases == []
    assert world.snapshot() == settled

    world.clock.advance(minutes=30)  # CI fails again on main while the fix is in review
    log = world.folder / "ci-fail.log"
    world.fake.add_run_attempt(
        ci_run(REPO, 1500, world.seeded.sha, conclusion="failure", log=log, at=world.clock())
    )
    world.clock.advance(minutes=10)
    world.scan()
    assert f"The fix is in #{pull.number}." in (world.fake.issue(REPO, number).body or "")

    world.clock.advance(hours=2)
    world.fake.set_draft(REPO, pull.number, False, MAINTAINER)
    world.fake.merge_as(REPO, pull.number, MAINTAINER)
    world.reconcile()
    assert world.state() == "MERGED"
    issue = world.fake.issue(REPO, number)
    assert (issue.state, issue.state_reason) == ("closed", "completed")
    assert world.comment_keys()[-1] == f"merged:{fingerprint}:{pull.number}"
    merged = world.snapshot()
    assert world.reconcile().skipped == 1
    assert world.snapshot() == merged
    transitions = [
        entry.event.cause
        for entry in world.store.audit_log(REPO, fingerprint, action="case.transition")
    ]
    assert transitions[-1] == f"fix pull request #{pull.number} was merged"
    assert any("@ada (maintain) approved a fix by comment" in cause for cause in transitions)


def test_review_loop_with_the_agent(world: LifecycleWorld, tmp_path: Path) -> None:
    scripted = LifecycleModel(
        [
            [SORTED_IMPORTS, Call("run_tests"), Finish(summary="Sorted the imports.")],
            [EXPLAINED_SKIP, Finish(summary="Explained the skip.")],
        ]
    )
    world.model = scripted.model
    approve(world)
    analysis = world.sheriff_comments()[0].body
    assert "Analysis by claude-sonnet-4-5" in analysis
    assert "S9" not in analysis  # a citation of a snippet the pack lacks is dropped
    assert world.state() == "PR_OPEN"
    [pull] = world.fake.pulls(REPO)
    first_head = pull.head_sha

    world.clock.advance(minutes=20)
    world.fake.complete_checks(
        REPO, first_head, "failure", name="lint", log=ruff_log(world, tmp_path)
    )
    world.clock.advance(minutes=5)
    world.scan()  # CI failures on the pull request go through triage first
    world.reconcile()
    assert world.state() == "PR_OPEN"
    second_head = world.fake.pulls(REPO)[0].head_sha
    assert second_head != first_head
    fixed = world.fake.git(REPO).run("show", f"{pull.head_ref}:{TEST_FILE}")
    assert fixed.index("import pytest") < fixed.index("from shop.retry")
    assert "Triage: ruff" in scripted.fix_prompts[0] or "I001" in scripted.fix_prompts[0]

    world.clock.advance(minutes=30)
    world.fake.review_as(
        REPO, pull.number, MAINTAINER, "CHANGES_REQUESTED", "Say why it is skipped."
    )
    line = fixed.splitlines().index(next(t for t in fixed.splitlines() if "mark.skip" in t)) + 1
    remark = world.fake.review_comment_as(
        REPO, pull.number, MAINTAINER, "A comment here, please.", path=TEST_FILE, line=line
    )
    world.clock.advance(minutes=5)
    world.reconcile()
    assert world.state() == "PR_OPEN"
    final = world.fake.git(REPO).run("show", f"{pull.head_ref}:{TEST_FILE}")
    assert "# Quarantined until the deadline is fixed." in final
    assert "Say why it is skipped." in scripted.fix_prompts[1]
    replies = [
        item
        for item in world.fake.pull(REPO, pull.number).review_comments
        if item.in_reply_to_id == remark.id
    ]
    assert len(replies) == 1
    assert "Addressed in" in replies[0].body
    assert world.store.total_cost() > 0  # every call's tokens, priced, are in the ledger
    settled = world.snapshot()
    world.reconcile()
    assert world.snapshot() == settled

    world.clock.advance(hours=1)
    world.fake.set_draft(REPO, pull.number, False, MAINTAINER)
    world.fake.merge_as(REPO, pull.number, MAINTAINER, method="squash")
    world.reconcile()
    assert world.state() == "MERGED"
    assert world.fake.issue(REPO, world.issue_number()).state == "closed"
    assert world.store.audit_log(REPO, action="recurrence.check_failed") == []


def ruff_log(world: LifecycleWorld, folder: Path) -> str:
    """What ruff really prints about the quarantined file's imports (a CI lint job)."""
    branch = fix_branch(world)
    source = folder / "lint" / TEST_FILE
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text(world.fake.git(REPO).run("show", f"{branch}:{TEST_FILE}"))
    ruff = Path(sys.executable).with_name("ruff")
    done = subprocess.run(
        [str(ruff), "check", "--isolated", "--no-cache", "--select", "I", TEST_FILE],
        cwd=folder / "lint",
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stdout
    return f"Run ruff check .\n{done.stdout}Error: Process completed with exit code 1.\n"


def test_a_pull_request_closed_unmerged_stops_the_case(world: LifecycleWorld) -> None:
    approve(world)
    [pull] = world.fake.pulls(REPO)
    world.clock.advance(hours=1)
    world.fake.act_on_issue(REPO, pull.number, MAINTAINER, state="closed")
    world.reconcile()
    assert world.state() == "CLOSED_WONTFIX"
    assert world.comment_keys()[-1] == f"pr-closed:{world.fingerprint()}:{pull.number}"
    settled = world.snapshot()
    world.reconcile()
    assert world.snapshot() == settled


def test_a_recurrence_after_the_merge_reopens_the_case_and_its_issue(
    world: LifecycleWorld, tmp_path: Path
) -> None:
    approve(world)
    [pull] = world.fake.pulls(REPO)
    world.fake.set_draft(REPO, pull.number, False, MAINTAINER)
    merge_sha = world.fake.merge_as(REPO, pull.number, MAINTAINER)
    world.clock.advance(minutes=10)
    world.reconcile()
    assert world.state() == "MERGED"
    analyses = [key for key in world.comment_keys() if key.startswith("analysis:")]

    fail_later(world, tmp_path, 2001, merge_sha)
    assert world.state() == "WAITING_FOR_SIGNAL"
    issue = world.fake.issue(REPO, world.issue_number())
    assert issue.state == "open"
    assert [key for key in world.comment_keys() if key.startswith("analysis:")] == analyses
    assert any(key.startswith("reopen:") for key in world.comment_keys())
    history = world.store.audit_log(REPO, world.fingerprint(), action="case.transition")
    assert history[-3].event.details["to"] == CaseState.ISSUE_OPEN.value


@pytest.mark.parametrize("late", ["older commit", "commit gone from the repository"])
def test_a_late_failure_of_a_commit_without_the_fix_does_not_reopen_the_case(
    world: LifecycleWorld, tmp_path: Path, late: str
) -> None:
    older = world.fake.commit(REPO, {"NOTES.md": "notes\n"}, message="Notes")  # never failed
    if late == "commit gone from the repository":
        older = "f" * 40
    approve(world)
    [pull] = world.fake.pulls(REPO)
    world.fake.set_draft(REPO, pull.number, False, MAINTAINER)
    world.fake.merge_as(REPO, pull.number, MAINTAINER)
    world.clock.advance(minutes=10)
    world.reconcile()
    assert world.state() == "MERGED"

    fail_later(world, tmp_path, 2002, older)  # a queued run of a commit before the merge
    assert world.state() == "MERGED"
    assert world.fake.issue(REPO, world.issue_number()).state == "closed"


def test_a_skip_on_main_counts_when_the_failing_commit_is_gone_from_the_repository(
    world: LifecycleWorld,
) -> None:
    world.scan()
    world.reconcile()
    world.clock.advance(minutes=30)  # the latest failure ran on a commit force-pushed away
    world.fake.add_run_attempt(
        ci_run(REPO, 1600, "f" * 40, conclusion="failure", log=world.folder / "ci-fail.log",
               at=world.clock())
    )  # fmt: skip
    world.clock.advance(minutes=10)
    world.scan()
    source = world.fake.git(REPO).read_file("main", TEST_FILE)
    assert source is not None
    skipped = source.decode().replace(
        "def test_fetch_within_deadline():",
        '@pytest.mark.skip(reason="flaky")\ndef test_fetch_within_deadline():',
    )
    world.fake.commit(REPO, {TEST_FILE: skipped}, message="Skip the flaky deadline test")
    world.reconcile()
    assert world.state() == "QUARANTINED"
    assert world.store.audit_log(REPO, action="quarantine.check_failed") == []


def test_a_case_quiet_for_the_quiet_period_is_resolved(world: LifecycleWorld) -> None:
    world.scan()
    world.reconcile()
    world.clock.advance(days=13)
    world.reconcile()
    assert world.state() == "WAITING_FOR_SIGNAL"
    world.clock.advance(days=2)
    world.reconcile()
    assert world.state() == "RESOLVED"
    issue = world.fake.issue(REPO, world.issue_number())
    assert issue.state == "closed"
    assert world.comment_keys()[-1].startswith(f"resolved:{world.fingerprint()}:")


def test_an_agent_fix_is_verified_and_proposed(world: LifecycleWorld) -> None:
    scripted = LifecycleModel(
        [
            [
                Call("read_file", {"path": "shop/retry.py"}),
                Call(
                    "edit_file",
                    {
                        "path": "shop/retry.py",
                        "old_text": "rng.uniform(0.0, 1.5)",
                        "new_text": "rng.uniform(0.0, 0.5)",
                    },
                ),
                Call("run_tests"),
                Finish(summary="The simulated latency now stays under the deadline."),
            ]
        ]
    )
    world.model = scripted.model
    approve(world, "/ai-fix agent")
    assert world.state() == "PR_OPEN"
    [pull] = world.fake.pulls(REPO)
    number = world.issue_number()
    body = world.fake.issue(REPO, pull.number).body or ""
    assert f"Fixes #{number}" in body
    assert "The simulated latency now stays under the deadline." in body
    assert "run 2 time(s)" in body
    fixed = world.fake.git(REPO).run("show", f"{pull.head_ref}:shop/retry.py")
    assert "rng.uniform(0.0, 0.5)" in fixed
    assert "test_fetch_within_deadline" in scripted.fix_prompts[0]
    [prepared] = world.store.audit_log(REPO, world.fingerprint(), action="fix.prepared")
    assert prepared.event.details["strategy"] == "agent"
    assert prepared.event.details["verification"]["passed"] == 2


def test_a_test_skipped_by_hand_on_the_default_branch_quarantines_the_case(
    world: LifecycleWorld,
) -> None:
    world.scan()
    world.reconcile()
    assert world.state() == "WAITING_FOR_SIGNAL"
    world.reconcile()
    assert world.state() == "WAITING_FOR_SIGNAL"  # the test still runs on main: keep waiting

    source = world.fake.git(REPO).read_file("main", TEST_FILE)
    assert source is not None
    skipped = source.decode().replace(
        "def test_fetch_within_deadline():",
        '@pytest.mark.skip(reason="flaky, see the issue")\ndef test_fetch_within_deadline():',
    )
    world.fake.commit(REPO, {TEST_FILE: skipped}, message="Skip the flaky deadline test")
    report = world.reconcile()

    assert world.state() == "QUARANTINED"
    assert "already skipped on the default branch" in report.cases[0].steps[-1]
    assert world.fake.request_count(method="POST", path=r"/pulls$") == 0  # nothing to propose
    issue = world.fake.issue(REPO, world.issue_number())
    assert "**Automation:** quarantined." in issue.body
    assert issue.state == "open"  # skipped is not fixed: the issue stays for the real fix
    before = world.snapshot()
    world.reconcile()
    assert world.snapshot() == before
