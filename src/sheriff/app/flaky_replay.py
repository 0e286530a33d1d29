"""Replay a test-result history (JSON lines) through the flakiness engine, as if live.

This is the stable interface of ``sheriff flaky replay``; the benchmark uses it too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from sheriff.core.flaky import FlakinessEngine, Observation, Outcome
from sheriff.core.flaky.engine import JobResult, TestAssessment
from sheriff.errors import InputError

REQUIRED_FIELDS = (
    "repo", "workflow", "job", "run_id", "run_attempt", "sha", "branch", "event", "pr",
    "author", "time", "test", "outcome", "signature",
)  # fmt: skip
HINT = "one JSON object per line with " + ", ".join(REQUIRED_FIELDS)


def observation_from_json(line: str, number: int) -> Observation:
    """Parse one history line; a clear InputError names the line when it is not usable."""
    try:
        return _observation_of(json.loads(line))
    except (ValueError, TypeError, KeyError) as error:
        raise InputError(f"history line {number}: {error}", hint=HINT) from error


def _observation_of(data: dict[str, Any]) -> Observation:
    if not isinstance(data, dict):
        raise TypeError("not a JSON object")
    missing = [name for name in REQUIRED_FIELDS if name not in data]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    changed = data.get("changed_files")
    pr = data["pr"]
    return Observation(
        repo=str(data["repo"]), workflow=str(data["workflow"]), job=str(data["job"]),
        run_id=int(data["run_id"]), run_attempt=int(data["run_attempt"]), sha=str(data["sha"]),
        branch=str(data["branch"]), event=str(data["event"]),
        pr=None if pr is None else int(pr), author=str(data["author"] or ""),
        time=datetime.fromisoformat(str(data["time"]).replace("Z", "+00:00")),
        test=str(data["test"]), outcome=Outcome(str(data["outcome"]).lower()),
        signature=str(data["signature"] or ""), merge_base=data.get("merge_base"),
        changed_files=None if changed is None else tuple(str(path) for path in changed),
    )  # fmt: skip


def job_attempts(lines: Iterable[str]) -> Iterator[list[Observation]]:
    """Consecutive lines of one job attempt, grouped; blank lines are skipped."""
    batch: list[Observation] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        item = observation_from_json(line, number)
        if batch and (item.job_key != batch[0].job_key or item.time < batch[-1].time):
            yield batch
            batch = []
        batch.append(item)
    if batch:
        yield batch


class Replay:
    """Runs the engine over a history and collects the JSON-ready answer."""

    def __init__(self, threshold: float = 0.7, hourly_cap: int = 10) -> None:
        self.engine = FlakinessEngine(threshold, hourly_cap)
        self.job_results: list[tuple[list[Observation], JobResult]] = []

    def feed(self, lines: Iterable[str]) -> None:
        for job in job_attempts(lines):
            self.job_results.append((job, self.engine.observe_job(job)))

    def report(self) -> dict[str, Any]:
        tests = [
            self._test_json(self.engine.assess(test)) for test in sorted(self.engine.records())
        ]
        reruns = [
            {
                "run_id": result.rerun.run_id,
                "job": result.rerun.job,
                "p_flaky": result.rerun.p_flaky,
            }
            for _, result in self.job_results
            if result.rerun is not None
        ]
        return {"tests": tests, "reruns": reruns}

    def _test_json(self, assessment: TestAssessment) -> dict[str, Any]:
        flag = self.engine.first_flags.get(assessment.test)
        return {
            "test": assessment.test,
            "verdict": assessment.verdict.value,
            "p_flaky": assessment.p_flaky,
            "evidence": [
                {"kind": item.kind, "weight": item.weight, "detail": item.detail}
                for item in assessment.evidence
            ],
            "explanation": assessment.explanation,
            "first_flagged": None
            if flag is None
            else {"run_id": flag.run_id, "time": flag.time, "failures_seen": flag.failures_seen},
        }


def replay_history(lines: Iterable[str], threshold: float = 0.7) -> dict[str, Any]:
    """The whole replay: ``{"tests": [...], "reruns": [...]}``."""
    replay = Replay(threshold)
    replay.feed(lines)
    return replay.report()
