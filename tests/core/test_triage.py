"""The whole engine on real logs and on arbitrary bytes."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheriff.core.encoding import wide_codec
from sheriff.core.model import FailureType
from sheriff.core.triage import triage_bytes
from tests.conftest import read_shared, read_tool_fixture

GO_LOG = "logchunks/logs/Go/avelino@awesome-go/failed/552235410.log.gz"


def test_report_is_consistent_on_a_real_log() -> None:
    report = triage_bytes(read_shared(GO_LOG), budget=40, repo="avelino/awesome-go")
    assert report.lines == 4730
    assert report.excerpt.line_count <= 40
    assert report.failures
    ids = [failure.id for failure in report.failures]
    assert ids == [f"F{n:03d}" for n in range(1, len(ids) + 1)]
    primary = report.classification.classifications[0]
    assert primary.failure_id == "F001"
    assert primary.failure_type is FailureType.TEST
    assert report.failures[0].finding.test is not None
    assert [n for n, _ in report.excerpt_text] == [
        n for a, b in report.excerpt.ranges for n in range(a, b + 1)
    ]


def test_fingerprints_are_stable_across_runs_and_chunking() -> None:
    data = read_shared(GO_LOG)
    first = triage_bytes(data)
    second = triage_bytes(data)
    assert [f.fingerprint for f in first.failures] == [f.fingerprint for f in second.failures]


def test_passing_log_marks_novel_lines() -> None:
    base = "cidiff-breakages/breakages/astor_1278/"
    report = triage_bytes(
        read_shared(base + "fail.log"), passing=read_shared(base + "pass.log"), budget=50
    )
    assert report.excerpt.line_count <= 50
    assert report.lines == 86


def test_empty_log_is_a_result_not_an_error() -> None:
    report = triage_bytes(b"")
    assert report.lines == 0
    assert report.failures == ()
    assert report.excerpt.ranges == ()
    assert report.classification.recommendation.action == "manual"


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=3000), st.integers(min_value=0, max_value=80))
def test_never_crashes_on_arbitrary_bytes(data: bytes, budget: int) -> None:
    report = triage_bytes(data, budget=budget)
    assert report.lines == len(data.splitlines())
    assert report.excerpt.line_count <= budget


_LOGGY = st.lists(
    st.sampled_from(
        [
            b"--- FAIL: TestX (0.00s)",
            b"    x_test.go:12: boom",
            b"FAILED tests/test_a.py::test_b - AssertionError",
            b"error: could not compile `foo`",
            b"\x1b[31mERROR\x1b[0m something",
            b"##[error]Process completed with exit code 1.",
            b"$ make test",
            b"ok",
            b"",
            b"\xff\xfe\x00",
            b"Traceback (most recent call last):",
            b'  File "a.py", line 3, in <module>',
            b"ValueError: bad",
        ]
    ),
    max_size=60,
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(_LOGGY, st.sampled_from([b"\n", b"\r\n", b"\r"]))
def test_never_crashes_on_log_shaped_input(lines: list[bytes], newline: bytes) -> None:
    data = newline.join(lines)
    report = triage_bytes(data, budget=30)
    codec = wide_codec(data)  # b"\xff\xfe" first: the byte order mark of UTF-16
    text = data if codec is None else data.decode(codec, "replace").encode()
    assert report.lines == len(text.splitlines())
    for failure in report.failures:
        assert 1 <= failure.finding.anchor <= report.lines
        for first, last in failure.finding.ranges:
            assert 1 <= first <= last <= report.lines


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=200, max_value=40_000))
def test_report_does_not_depend_on_chunk_size(chunk: int) -> None:
    from sheriff.core.render_json import report_to_json
    from sheriff.core.triage import analyse, new_scanner

    data = read_shared("cidiff-breakages/breakages/commonslang_2089/fail.log")
    scanner = new_scanner()
    for start in range(0, len(data), chunk):
        scanner.feed(data[start : start + chunk])
    chunked = report_to_json(analyse(scanner.finish()))
    assert chunked == report_to_json(triage_bytes(data))


_REAL_LOGS = (
    "go/go_test_json.log",
    "go/go_test_verbose.log",
    "gradle/gradle_test_failures.log",
    "jest/jest_failures.log",
    "pytest/pytest_color.log",
    "ruff/ruff_check.log",
    "tsc/tsc5_noemit.log",
    "maven/maven_surefire_failures.log",
)


@st.composite
def _mutated_real_log(draw: st.DrawFn) -> bytes:
    """A real log cut, thinned, shuffled or with its line breaks swapped: the shapes that
    fuzzing with the dev logs found reports to depend on chunking or to name lines past
    the end of the log."""
    lines = read_tool_fixture(draw(st.sampled_from(_REAL_LOGS))).splitlines(keepends=True)
    first = draw(st.integers(0, len(lines) - 1))
    lines = lines[first : first + draw(st.integers(1, 400))]
    if draw(st.booleans()):
        lines = draw(st.permutations(lines))[: draw(st.integers(1, len(lines)))]
    data = b"".join(lines)
    breaks = draw(st.sampled_from([b"\n", b"\r", b"\r\n", b"\r\r"]))
    return data.replace(b"\r\n", b"\n").replace(b"\n", breaks)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(_mutated_real_log(), st.integers(min_value=1, max_value=4096), st.sampled_from([5, 50]))
def test_mutated_real_logs_read_the_same_in_any_chunks(
    data: bytes, chunk: int, budget: int
) -> None:
    from sheriff.core.render_json import report_to_json
    from sheriff.core.triage import analyse, new_scanner

    whole = triage_bytes(data, budget=budget)
    for failure in whole.failures:
        numbers = [failure.finding.anchor, *(n for r in failure.finding.ranges for n in r)]
        assert all(1 <= number <= whole.lines for number in numbers)
        assert all(first <= last for first, last in failure.finding.ranges)
    scanner = new_scanner()
    for start in range(0, len(data), chunk):
        scanner.feed(data[start : start + chunk])
    assert report_to_json(analyse(scanner.finish(), budget=budget)) == report_to_json(whole)


def test_markdown_fence_survives_backticks_in_the_log() -> None:
    from sheriff.core.render_markdown import render_markdown

    report = triage_bytes(b"step\n```\nerror: boom ```` here\nexit 1\n", budget=10)
    rendered = render_markdown(report)
    assert "`````text" in rendered
    assert rendered.count("`````") == 2


def _explained(data: bytes) -> list[tuple[object, ...]]:
    report = triage_bytes(data)
    return [(f.finding.anchor, f.finding.ranges, f.finding.message) for f in report.failures]


def test_a_log_broken_by_bare_cr_reads_as_the_same_log() -> None:
    """Classic Mac line breaks (and progress bars that end a line with ``\\r``) break
    lines for the triggers as they do for the line numbers."""
    data = read_shared("cidiff-breakages/breakages/cidiff_57/fail.log").replace(b"\r\n", b"\n")
    assert _explained(data.replace(b"\n", b"\r")) == _explained(data)


@pytest.mark.parametrize("fixture", ["ruff/ruff_check.log", "tsc/tsc5_noemit.log"])
def test_every_line_number_reported_is_a_line_of_the_log(fixture: str) -> None:
    """Parsers reach a fixed number of lines past a header; a cut log may end first."""
    lines = read_tool_fixture(fixture).splitlines(keepends=True)
    for count in range(1, len(lines) + 1):
        report = triage_bytes(b"".join(lines[:count]))
        for failure in report.failures:
            numbers = [failure.finding.anchor, *(n for r in failure.finding.ranges for n in r)]
            assert all(1 <= number <= report.lines for number in numbers), (count, failure)
