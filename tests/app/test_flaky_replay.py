"""`sheriff flaky replay` on a small, realistic history: a flaky test, a PR regression,
a broken trunk inherited by a PR, a lint failure and an infrastructure outage."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sheriff.app.flaky_replay import replay_history
from sheriff.entry.cli import app
from sheriff.errors import InputError

FLAKY = "tests/test_pool.py::test_checkout_timeout"
REGRESSION = "tests/test_parser.py::test_dates"
TRUNK = "tests/test_export.py::test_csv"
STABLE = "tests/test_api.py::test_get"
TIMEOUT = "TimeoutError: timed out waiting for pool"


def line(run: int, attempt: int, sha: str, test: str, outcome: str, **extra: object) -> str:
    row = {
        "repo": "acme/widgets", "workflow": "ci", "job": "unit", "run_id": run,
        "run_attempt": attempt, "sha": sha, "branch": "main", "event": "push", "pr": None,
        "author": "ana", "time": f"2026-03-02T{8 + run // 6:02d}:{run % 6 * 10:02d}:00Z",
        "test": test, "outcome": outcome, "signature": "" if outcome == "pass" else TIMEOUT,
    }  # fmt: skip
    return json.dumps(row | extra)


def job(
    run: int, sha: str, failing: dict[str, str], attempt: int = 1, **extra: object
) -> list[str]:
    return [
        line(
            run,
            attempt,
            sha,
            test,
            "fail" if test in failing else "pass",
            signature=failing.get(test, ""),
            **extra,
        )
        for test in (FLAKY, REGRESSION, TRUNK, STABLE)
    ]


def history() -> list[str]:
    pr = {"branch": "fix-dates", "event": "pull_request", "pr": 12, "author": "bo",
          "merge_base": "m1", "changed_files": ["src/acme/parser.py"]}  # fmt: skip
    lines = job(1, "m1", {})
    lines += job(2, "m2", {FLAKY: TIMEOUT}) + job(2, "m2", {}, attempt=2)
    lines += job(3, "p1", {REGRESSION: "AssertionError: 2026-03-02 != 2026-02-03"}, **pr)
    lines += job(4, "m3", {FLAKY: TIMEOUT}, author="cy") + job(4, "m3", {}, attempt=2)
    lines += job(5, "m4", {TRUNK: "KeyError: 'delimiter'"})
    pr_on_broken_trunk = pr | {"pr": 13, "merge_base": "m4", "changed_files": ["README.md"]}
    lines += job(6, "p2", {TRUNK: "KeyError: 'delimiter'"}, **pr_on_broken_trunk)
    lines += job(7, "m5", {FLAKY: TIMEOUT}, author="di")
    lines += [line(8, 1, "m6", f"tests/test_db.py::test_{i}", "fail", signature="OSError")
              for i in range(6)]  # fmt: skip
    return lines


def test_the_replay_tells_flaky_from_regression_broken_trunk_and_infra() -> None:
    report = replay_history(history())
    verdicts = {item["test"]: item["verdict"] for item in report["tests"]}
    assert verdicts[FLAKY] == "flaky"
    assert verdicts[REGRESSION] == "regression"
    assert verdicts[TRUNK] == "broken_trunk"
    assert verdicts[STABLE] == "healthy"
    assert verdicts["tests/test_db.py::test_0"] == "infra"
    flaky = next(item for item in report["tests"] if item["test"] == FLAKY)
    assert flaky["first_flagged"]["failures_seen"] <= 2
    assert {"same_commit_pass_fail"} <= {e["kind"] for e in flaky["evidence"]}
    assert all(set(e) == {"kind", "weight", "detail"} for e in flaky["evidence"])


def test_reruns_are_requested_only_for_runs_whose_failures_all_look_flaky() -> None:
    reruns = replay_history(history())["reruns"]
    assert {rerun["run_id"] for rerun in reruns} <= {4, 7}
    assert all(rerun["p_flaky"] >= 0.7 for rerun in reruns)


def test_a_bad_line_names_its_number() -> None:
    lines = [*history()[:3], '{"repo": "acme/widgets"}']
    with pytest.raises(InputError, match="line 4: missing workflow"):
        replay_history(lines)


def test_the_cli_prints_the_report_and_exits_2_on_bad_input(tmp_path: Path) -> None:
    good = tmp_path / "history.jsonl"
    good.write_text("\n".join(history()) + "\n")
    result = CliRunner().invoke(app, ["flaky", "replay", str(good), "--threshold", "0.7"])
    assert result.exit_code == 0, result.output
    assert set(json.loads(result.stdout)) == {"tests", "reruns"}
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(history()[:2]) + "\nnot json\n")
    result = CliRunner().invoke(app, ["flaky", "replay", str(bad)])
    assert result.exit_code == 2
    assert "line 3" in result.output
