from hypothesis import given
from hypothesis import strategies as st

from sheriff.core.noise import clean_line, step_marker, strip_ansi


def test_strips_ansi_colours_and_erase_codes() -> None:
    assert strip_ansi("\x1b[31;1mFAIL\x1b[0m: x\x1b[0K") == "FAIL: x"


def test_strips_github_actions_timestamp_and_error_marker() -> None:
    line = "2024-03-01T10:11:12.1234567Z ##[error]Process completed with exit code 1."
    assert clean_line(line) == "Process completed with exit code 1."


def test_strips_travis_fold_and_zuul_prefix() -> None:
    # Travis ends its markers with \r, so each marker is a line of its own.
    raw = b"travis_fold:start:install.1\r\x1b[0K$ npm install\r\n"
    assert [clean_line(part.decode()) for part in raw.splitlines()] == ["", "$ npm install"]
    assert clean_line("2019-05-02 10:00:01.123456 | ok: [localhost]") == "ok: [localhost]"


def test_strips_buildkite_timestamps_and_workflow_commands() -> None:
    assert clean_line("_bk;t=1700000000000\x07--- FAIL: TestX") == "--- FAIL: TestX"
    assert clean_line("::error file=a.py,line=3::boom") == "boom"


def test_step_marker_reads_actions_groups_and_jenkins_stages() -> None:
    marker = step_marker("2024-03-01T10:11:12Z ##[group]Run go test ./...")
    assert marker is not None
    assert marker.name == "Run go test ./..."
    assert marker.opens
    stage = step_marker("[Pipeline] { (Unit tests)")
    assert stage is not None
    assert stage.name == "Unit tests"
    assert step_marker("plain output") is None


@given(st.text())
def test_clean_line_is_idempotent(text: str) -> None:
    once = clean_line(text)
    assert clean_line(once) == once


def test_strips_gh_run_view_job_and_step_prefix() -> None:
    line = "build\tRun tests\t2024-03-01T10:11:12.1234567Z --- FAIL: TestX (0.00s)"
    assert clean_line(line) == "--- FAIL: TestX (0.00s)"


def test_strips_character_set_escapes() -> None:
    assert clean_line("\x1b(B\x1b[mtest result: FAILED") == "test result: FAILED"


def test_strips_two_byte_escapes_such_as_keypad_modes() -> None:
    # vis's test runner drives a terminal editor: its result lines start with these
    # (LogChunks Lua/martanne@vis#5, line 1617). They once left "=>" before the name.
    line = "\x1b[?1h\x1b=\x1b[?1l\x1b>text-objects/lexer                                FAIL"
    assert clean_line(line) == "text-objects/lexer                                FAIL"
    assert strip_ansi("\x1b7saved\x1b8 \x1bcreset") == "saved reset"
