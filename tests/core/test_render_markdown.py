"""The Markdown and text reports: what they list and what they say they left out."""

from __future__ import annotations

from sheriff.core.model import Strength
from sheriff.core.render_markdown import MAX_LISTED, render_markdown, render_text
from sheriff.core.triage import triage_bytes
from tests.conftest import read_shared

COFFEE = "logchunks/logs/CoffeeScript/jashkenas@coffeescript/failed/460615864.log.gz"


def test_failures_past_the_list_are_not_called_weaker_signals() -> None:
    report = triage_bytes(read_shared(COFFEE))
    strong = sum(f.finding.strength > Strength.WEAK for f in report.failures)
    weak = len(report.failures) - strong
    assert strong > MAX_LISTED  # 28 failing tests
    assert weak > 0  # and the summaries and exit lines of their commands
    note = f"…and {strong - MAX_LISTED} more failures and {weak} weaker signals in the JSON output."
    assert note in render_markdown(report)
    assert f"  {note}" in render_text(report)


def test_only_weak_signals_left_out() -> None:
    report = triage_bytes(read_shared("cidiff-breakages/breakages/cidiff_57/fail.log"))
    weak = [f for f in report.failures if f.finding.strength is Strength.WEAK]
    assert len(report.failures) - len(weak) <= MAX_LISTED
    assert f"…and {len(weak)} weaker signals in the JSON output." in render_markdown(report)


def test_nothing_left_out_says_nothing() -> None:
    report = triage_bytes(b"x\nFAILED tests/test_a.py::test_b - assert 1 == 2\n")
    assert len(report.failures) == 1
    assert "JSON output" not in render_markdown(report)
    assert "JSON output" not in render_text(report)


def test_a_finding_with_several_errors_says_how_many_more_places() -> None:
    """The three errors of one failed compilation are one finding; its row names the
    first place and says there are more."""
    report = triage_bytes(read_shared("cidiff-breakages/breakages/astor_1260/fail.log"))
    compile_error = report.failures[0].finding
    assert len(compile_error.locations) == 3
    first = compile_error.locations[0]
    assert f"| `{first.path}:{first.line}` and 2 more |" in render_markdown(report)
