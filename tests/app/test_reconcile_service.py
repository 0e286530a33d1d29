"""The lifecycle as the service runs it: a webhook about an issue reconciles its cases."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path

import pytest

from sheriff.app.case_context import ReconcileRequest
from sheriff.app.event_service import ReconcileTrigger
from sheriff.app.reconcile_service import LifecycleReconciler
from tests.app.lifecycle_world import MAINTAINER, REPO, LifecycleWorld, running_lifecycle_world


@pytest.fixture
def world(tmp_path: Path) -> Iterator[LifecycleWorld]:
    yield from running_lifecycle_world(tmp_path)


def test_an_issue_comment_event_moves_the_case_it_tracks(world: LifecycleWorld) -> None:
    world.scan()
    workspaces = world.workspaces()
    reconciler = LifecycleReconciler(
        ReconcileRequest(test_command=True, verify_runs=1, clock=world.clock),
        lambda _repo: nullcontext(world.forge),
        world.store,
        mirrors=workspaces.mirror,
    )
    analysed = reconciler.reconcile_repository(REPO)
    assert f"{world.fingerprint()[:8]} ISSUE_OPEN->WAITING_FOR_SIGNAL" in analysed
    world.comment(MAINTAINER, "/ai-fix")
    trigger = ReconcileTrigger(
        REPO, world.issue_number(), "issue_comment", "created", MAINTAINER, "delivery-1"
    )
    summary = reconciler.reconcile(trigger)
    assert "WAITING_FOR_SIGNAL->PR_OPEN" in summary
    assert reconciler.reconcile(trigger).endswith("0 step(s) in 0 case(s)")  # redelivered
