"""Conditional requests: validators kept in a store (memory or SQL), 304s as "not
modified", and what an idle scan costs in requests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sheriff.adapters.github import MemoryValidators
from sheriff.adapters.store import open_store
from sheriff.app.forge import RunQuery
from sheriff.testing.fakegithub import FakeGitHub, JobSeed, RunAttemptSeed
from tests.adapters.github.conftest import PYTORCH, MakeForge

RUNS = "actions/list-workflow-runs-for-repo"
MAIN_PUSHES = RunQuery(branch="main", event="push")


def a_new_failed_run(fake: FakeGitHub) -> None:
    fake.add_run_attempt(
        RunAttemptSeed(
            repo=PYTORCH,
            workflow="trunk",
            run_id=31_000_000_000,
            run_attempt=1,
            head_sha="f" * 40,
            head_branch="main",
            event="push",
            conclusion="failure",
            created_at=datetime(2026, 8, 1, tzinfo=UTC),
            pull_requests=(),
            jobs=(JobSeed(99_000_000_001, "test", "failure", "Linux", None),),
        )
    )


def test_an_unchanged_listing_costs_one_free_request(fake: FakeGitHub, make_forge: MakeForge):
    forge = make_forge()
    first = forge.list_workflow_runs(MAIN_PUSHES)
    assert first.items
    assert first.checkpoint is not None
    forge.mark_seen(first)
    fake.clear_requests()
    used_before = fake.rate_limit().used
    again = forge.list_workflow_runs(MAIN_PUSHES)
    assert again.not_modified
    assert again.items == ()
    assert fake.request_count() == 1
    assert fake.request_count(RUNS, status=304) == 1
    assert fake.rate_limit().used == used_before  # GitHub does not count 304s


def test_a_listing_not_marked_seen_is_served_again(fake: FakeGitHub, make_forge: MakeForge):
    """A scan killed before it stored the runs must see them again, not a 304."""
    forge = make_forge()
    forge.list_workflow_runs(MAIN_PUSHES)
    again = forge.list_workflow_runs(MAIN_PUSHES)
    assert not again.not_modified
    assert again.items
    assert fake.request_count(RUNS, status=304) == 0


def test_a_new_run_breaks_the_304(fake: FakeGitHub, make_forge: MakeForge):
    forge = make_forge()
    forge.mark_seen(forge.list_workflow_runs(MAIN_PUSHES))
    a_new_failed_run(fake)
    fresh = forge.list_workflow_runs(MAIN_PUSHES)
    assert not fresh.not_modified
    assert fresh.items[0].run_id == 31_000_000_000


def test_validators_in_sqlite_survive_a_restart(
    fake: FakeGitHub, make_forge: MakeForge, tmp_path: Path
):
    store = open_store(f"sqlite:///{tmp_path / 'sheriff.db'}", upgrade=True)
    try:
        first = make_forge(validators_store=store)
        first.mark_seen(first.list_workflow_runs(MAIN_PUSHES))
        first.get_repository()
        first.close()
        fake.clear_requests()
        restarted = make_forge(validators_store=store)  # a new process, the same database
        assert restarted.get_repository().default_branch == "main"
        assert restarted.list_workflow_runs(MAIN_PUSHES).not_modified
    finally:
        store.close()
    assert fake.request_count() == 2
    assert fake.request_count(status=304) == 2


def test_a_single_resource_answers_from_its_kept_body(fake: FakeGitHub, make_forge: MakeForge):
    validators = MemoryValidators()
    forge = make_forge(validators_store=validators)
    first = forge.get_repository()
    second = forge.get_repository()
    assert first == second
    assert fake.request_count("repos/get", status=304) == 1


def test_an_idle_scan_costs_two_requests(fake: FakeGitHub, make_forge: MakeForge):
    """Repository (default branch) + run listing, both 304 once seen."""
    forge = make_forge()
    forge.get_repository()
    forge.mark_seen(forge.list_workflow_runs(MAIN_PUSHES))
    fake.clear_requests()
    forge.get_repository()
    assert forge.list_workflow_runs(MAIN_PUSHES).not_modified
    assert fake.request_count() == 2
    assert fake.request_count(status=304) == 2


def test_without_a_validator_store_nothing_is_conditional(fake: FakeGitHub, make_forge: MakeForge):
    forge = make_forge(validators_store=None)
    listing = forge.list_workflow_runs(MAIN_PUSHES)
    forge.mark_seen(listing)
    assert not forge.list_workflow_runs(MAIN_PUSHES).not_modified
    assert fake.request_count(status=304) == 0


def test_comments_get_a_checkpoint_only_when_they_fit_one_page(make_forge: MakeForge):
    forge = make_forge()
    comments = forge.list_comments(159_870)
    assert len(comments.items) == 1
    assert comments.checkpoint is not None
    forge.mark_seen(comments)
    assert forge.list_comments(159_870).not_modified
