"""Heartbeats and the sweep that hands a silent process's PENDING work back to the queue."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from sheriff.adapters.engine.liveness import Liveness, sqlalchemy_url


@pytest.fixture
def processes(engine_url: str) -> Iterator[tuple[Liveness, Liveness]]:
    first = Liveness(engine_url, "worker-a", beat_seconds=0.1, dead_after_seconds=0.5)
    second = Liveness(engine_url, "worker-b", beat_seconds=0.1, dead_after_seconds=0.5)
    first.open()
    second.open()
    yield first, second
    first.close()
    second.close()


class Resumer:
    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, executors: list[str]) -> int:
        self.calls.append(executors)
        return len(executors)


def test_beating_processes_are_alive_and_their_work_is_left_alone(
    processes: tuple[Liveness, Liveness],
) -> None:
    first, second = processes
    assert first.live_executors() == {"worker-a", "worker-b"}
    resume = Resumer()
    assert second.sweep(lambda: {"worker-a", "worker-b"}, resume) == []
    assert resume.calls == []


def test_work_of_a_process_that_never_beat_is_resumed(
    processes: tuple[Liveness, Liveness],
) -> None:
    resume = Resumer()
    assert processes[1].sweep(lambda: {"worker-a", "ghost"}, resume) == ["ghost"]
    assert resume.calls == [["ghost"]]
    assert processes[1].resumed == 1


def test_a_process_silent_longer_than_the_limit_is_dead(
    processes: tuple[Liveness, Liveness],
) -> None:
    first, second = processes
    time.sleep(0.7)
    second.beat()
    resume = Resumer()
    assert second.sweep(lambda: {"worker-a", "worker-b"}, resume) == ["worker-a"]
    first.beat()  # it was only slow: it is alive again and keeps its (resumed) work
    assert second.sweep(lambda: {"worker-a"}, Resumer()) == []


def test_a_process_that_stops_cleanly_hands_its_work_over_at_once(
    processes: tuple[Liveness, Liveness],
) -> None:
    first, second = processes
    first.close()
    resume = Resumer()
    assert second.sweep(lambda: {"worker-a"}, resume) == ["worker-a"]


def test_the_sweep_runs_on_its_own_thread(processes: tuple[Liveness, Liveness]) -> None:
    second = processes[1]
    resume = Resumer()
    second.start(lambda: {"ghost"}, resume)
    deadline = time.monotonic() + 5
    while not resume.calls and time.monotonic() < deadline:
        time.sleep(0.05)
    assert resume.calls[:1] == [["ghost"]]
    before = second.last_beat_ms
    time.sleep(0.3)
    assert second.last_beat_ms > before


def test_postgresql_urls_use_psycopg_3() -> None:
    assert sqlalchemy_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert sqlalchemy_url("sqlite:///x.sqlite") == "sqlite:///x.sqlite"
