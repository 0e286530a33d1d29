import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from sheriff.entry.cli import app
from tests.conftest import SHARED_DATA

runner = CliRunner()
GO_LOG = "logchunks/logs/Go/avelino@awesome-go/failed/552235410.log.gz"


def test_one_path_prints_one_v1_object() -> None:
    result = runner.invoke(app, ["triage", str(SHARED_DATA / GO_LOG), "--budget", "30"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["schema"] == "sheriff.triage/v1"
    assert document["lines"] == 4730
    assert sum(b - a + 1 for a, b in document["excerpt"]["ranges"]) <= 30
    assert set(document["classification"]) == {"classifications", "summary", "recommendation"}


def test_several_paths_print_an_array_in_input_order(tmp_path: Path) -> None:
    first = tmp_path / "first.log"
    first.write_bytes(b"all good\n")
    second = tmp_path / "second.log"
    second.write_bytes(b"##[error]Process completed with exit code 2.\n")
    result = runner.invoke(app, ["triage", str(first), str(second)])
    assert result.exit_code == 0, result.output
    documents = json.loads(result.stdout)
    assert [d["source"] for d in documents] == [str(first), str(second)]
    assert documents[0]["failures"] == []


def test_unreadable_input_exits_2_with_one_line_reason(tmp_path: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "sheriff", "triage", str(tmp_path / "nope.log")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr.count("\n") == 1
    assert "no such file" in completed.stderr


def test_a_missing_path_among_several_stops_the_run_before_any_triage(tmp_path: Path) -> None:
    present = tmp_path / "a.log"
    present.write_bytes(b"FAILED tests/test_a.py::test_b - assert 1\n")
    result = runner.invoke(app, ["triage", str(present), str(tmp_path / "b.log")])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"sheriff: no such file: {tmp_path / 'b.log'}")


def test_stdin_named_twice_is_refused(tmp_path: Path) -> None:
    result = runner.invoke(app, ["triage", "-", "-"], input="log\n")
    assert result.exit_code == 2
    assert "read only once" in result.output


def test_invalid_budget_is_a_clear_error(tmp_path: Path) -> None:
    log = tmp_path / "a.log"
    log.write_bytes(b"x\n")
    result = runner.invoke(app, ["triage", str(log), "--budget", "0"])
    assert result.exit_code == 2
    assert "budget" in result.output


def test_markdown_and_text_formats(tmp_path: Path) -> None:
    log = tmp_path / "a.log"
    log.write_bytes(b"step\nerror: token ghp_" + b"a" * 36 + b" rejected\nexit 1\n")
    markdown = runner.invoke(app, ["triage", str(log), "--format", "markdown"])
    assert markdown.exit_code == 0
    assert markdown.stdout.startswith("### Sheriff triage")
    assert "[REDACTED:github-token]" in markdown.stdout
    assert "ghp_aaaa" not in markdown.stdout
    text = runner.invoke(app, ["triage", str(log), "--format", "text"])
    assert "-- excerpt --" in text.stdout


def test_demo_triages_the_bundled_logs() -> None:
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0, result.output
    headers = [line for line in result.stdout.splitlines() if line.startswith("== ")]
    assert len(headers) == 4
