"""Runs, attempts and jobs read from the fake over HTTP, with pagination counted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sheriff.app.forge import RunQuery, WorkflowRun
from sheriff.testing.fakegithub import FakeGitHub, JobSeed, RunAttemptSeed
from tests.adapters.github.conftest import CIDIFF, PYTORCH, MakeForge

BUSY = "acme/busy"
START = datetime(2026, 3, 1, tzinfo=UTC)
RUNS = "actions/list-workflow-runs-for-repo"


def add_runs(fake: FakeGitHub, count: int, *, conclusion: str = "failure") -> None:
    fake.add_repo(BUSY)
    for index in range(count):
        fake.add_run_attempt(
            RunAttemptSeed(
                repo=BUSY,
                workflow="CI" if index % 2 else "Nightly",
                run_id=7_000_000 + index,
                run_attempt=1,
                head_sha=f"{index:040x}",
                head_branch="main",
                event="push",
                conclusion=conclusion if index % 3 else "success",
                created_at=START + timedelta(minutes=index),
                pull_requests=(),
                jobs=(JobSeed(8_000_000 + index, "build", conclusion, "Linux", None),),
            )
        )


def test_a_listing_of_250_runs_follows_three_pages(fake: FakeGitHub, make_forge: MakeForge):
    add_runs(fake, 250)
    listing = make_forge(BUSY).list_workflow_runs(
        RunQuery(conclusions=frozenset({"failure", "success"}))
    )
    assert len(listing.items) == 250
    assert listing.complete
    assert fake.request_count(RUNS) == 3
    assert all("per_page=100" in entry.query for entry in fake.requests)
    created = [run.created_at for run in listing.items]
    assert created == sorted(created, reverse=True)


def test_only_wanted_conclusions_and_workflows_are_kept(fake: FakeGitHub, make_forge: MakeForge):
    add_runs(fake, 30)
    forge = make_forge(BUSY)
    failed = forge.list_workflow_runs(RunQuery())
    assert {run.conclusion for run in failed.items} == {"failure"}
    assert len(failed.items) == 20
    nightly = forge.list_workflow_runs(RunQuery(workflows=("nightly.yml",)))
    assert {run.workflow for run in nightly.items} == {"Nightly"}
    by_name = forge.list_workflow_runs(RunQuery(workflows=("CI",)))
    assert {run.workflow for run in by_name.items} == {"CI"}
    assert fake.request_count(RUNS) == 3  # one request each, whatever the filters


def test_stopping_early_spares_the_later_pages(fake: FakeGitHub, make_forge: MakeForge):
    add_runs(fake, 250)
    cursor = START + timedelta(minutes=180)

    def older_than_cursor(run: WorkflowRun) -> bool:
        return run.created_at <= cursor

    listing = make_forge(BUSY).list_workflow_runs(
        RunQuery(conclusions=frozenset({"failure", "success"})), stop_when=older_than_cursor
    )
    assert len(listing.items) == 69
    assert not listing.complete
    assert fake.request_count(RUNS) == 1


def test_created_since_branch_and_event_go_to_github(fake: FakeGitHub, make_forge: MakeForge):
    add_runs(fake, 30)
    since = START + timedelta(minutes=20)
    listing = make_forge(BUSY).list_workflow_runs(
        RunQuery(branch="main", event="push", created_since=since)
    )
    assert listing.items
    assert all(run.created_at >= since for run in listing.items)
    (entry,) = fake.requests
    assert "branch=main" in entry.query
    assert "event=push" in entry.query
    assert "created=%3E%3D2026-03-01T00%3A20%3A00Z" in entry.query


def test_every_attempt_of_a_rerun_run(fake: FakeGitHub, make_forge: MakeForge):
    forge = make_forge(CIDIFF)
    everything = frozenset({"failure", "success"})
    (run,) = [
        r
        for r in forge.list_workflow_runs(RunQuery(conclusions=everything)).items
        if r.run_id == 1_500_000_200
    ]
    attempts = forge.list_run_attempts(run)
    assert [(item.attempt, item.conclusion) for item in attempts] == [
        (1, "failure"),
        (2, "success"),
    ]
    assert fake.request_count("actions/get-workflow-run-attempt") == 1
    record = attempts[0].as_attempt_record(CIDIFF)
    assert (record.run_id, record.attempt, record.conclusion) == (1_500_000_200, 1, "failure")


def test_jobs_of_an_attempt_with_steps_and_runner(make_forge: MakeForge):
    forge = make_forge(CIDIFF)
    (first,) = forge.list_jobs(1_500_000_200, 1)
    (second,) = forge.list_jobs(1_500_000_200, 2)
    assert (first.attempt, first.conclusion, second.conclusion) == (1, "failure", "success")
    assert first.runner_os == "Linux"
    assert first.runner_labels == ("ubuntu-latest",)
    assert [step.number for step in first.steps] == [1, 2, 3, 4, 5]
    assert first.steps[2].conclusion == "failure"
    record = first.as_job_record(CIDIFF)
    assert record.steps[2] == {"number": 3, "name": first.steps[2].name, "conclusion": "failure"}


def test_pull_request_runs_carry_their_numbers(make_forge: MakeForge):
    listing = make_forge(PYTORCH).list_workflow_runs(RunQuery(event="pull_request"))
    assert listing.items
    assert all(run.pull_requests for run in listing.items)
