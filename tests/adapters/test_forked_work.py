"""Tasks shared with forked workers: each runs once, results come back in order."""

import os
import time

import pytest

from sheriff.adapters.forked_work import MAX_TASKS, run_shared
from sheriff.errors import TriageWorkerError


def _slow_square(index: int) -> tuple[int, int]:
    time.sleep(0.05)
    return index * index, os.getpid()


def test_every_task_runs_once_and_results_come_back_in_order() -> None:
    results = run_shared(12, 3, _slow_square)
    assert [square for square, _ in results] == [index * index for index in range(12)]
    assert len({pid for _, pid in results}) > 1  # the forked workers took their share
    assert run_shared(0, 3, _slow_square) == []


def test_more_tasks_than_the_claims_pipe_can_name_are_refused() -> None:
    assert len(run_shared(MAX_TASKS, 1, lambda index: index)) == MAX_TASKS
    with pytest.raises(ValueError, match="at most 256"):
        run_shared(MAX_TASKS + 1, 2, lambda index: index)


def test_an_exception_that_cannot_be_pickled_reaches_the_caller_by_name() -> None:
    class LocalError(Exception):
        """Defined in a function: pickle cannot find it by name."""

    parent = os.getpid()

    def task(index: int) -> int:
        if os.getpid() != parent:
            raise LocalError("no such fixture")
        time.sleep(0.05)
        return index

    with pytest.raises(TriageWorkerError, match="LocalError: no such fixture") as raised:
        run_shared(8, 2, task)
    assert "raised in a worker process" in " ".join(raised.value.__notes__)
