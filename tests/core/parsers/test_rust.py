"""The Rust parser on real cargo, rustc, clippy and nextest output and Travis logs."""

from __future__ import annotations

from sheriff.core.model import FailureType, Finding, Location, Strength
from sheriff.core.parsers import parse_log
from sheriff.core.parsers.rust import PARSER
from sheriff.core.rank import rank
from tests.conftest import read_shared, read_tool_fixture

ALACRITTY = "logchunks/logs/Rust/jwilm@alacritty/failed"


def findings(data: bytes) -> list[Finding]:
    return rank(parse_log(data, (PARSER,)))


def failing_tests(found: list[Finding]) -> list[str]:
    return [f.test.name for f in found if f.test is not None and f.strength is Strength.CLEAR]


def test_cargo_test_sections_give_test_panic_message_and_location() -> None:
    found = findings(read_tool_fixture("cargo/cargo_test_failures.log"))
    assert failing_tests(found) == [
        "tests::shipping_table",
        "tests::ten_percent_coupon",
        "tests::unknown_coupon_keeps_total",
        "overflow_is_reported",
    ]
    coupon = found[1]
    assert coupon.anchor == 20
    assert coupon.message.startswith("assertion `left == right` failed: money mismatch")
    assert coupon.locations[0] == Location("src/lib.rs", 27)
    assert found[3].sub_type == "panic"  # attempt to multiply with overflow


def test_status_lines_are_folded_into_the_detailed_sections() -> None:
    found = findings(read_tool_fixture("cargo/cargo_test_failures.log"))
    names = [f.test.name for f in found if f.test is not None]
    assert len(names) == len(set(names))
    summaries = [f for f in found if f.kind == "summary"]
    assert [f.anchor for f in summaries] == [38, 59]  # "test result: FAILED."


def test_backtrace_frames_of_the_crate_follow_the_panic_location() -> None:
    found = findings(read_tool_fixture("cargo/cargo_test_backtrace.log"))
    coupon = found[0]
    assert coupon.test is not None
    assert coupon.test.name == "tests::ten_percent_coupon"
    assert coupon.has_stack_trace
    assert coupon.locations[:2] == (Location("src/lib.rs", 27), Location("src/lib.rs", 38))
    assert not any("/rustc/" in location.path for location in coupon.locations)


def test_nextest_failures_are_detailed_once_and_summarised_after() -> None:
    found = findings(read_tool_fixture("cargo-nextest/nextest_run_failures.log"))
    detailed = [f for f in found if f.kind == "test"]
    assert [(f.test.suite, f.test.name) for f in detailed if f.test] == [
        ("cart", "tests::shipping_table"),
        ("cart", "tests::ten_percent_coupon"),
        ("cart", "tests::unknown_coupon_keeps_total"),
        ("cart::integration", "overflow_is_reported"),
    ]
    assert detailed[0].anchor == 6
    assert detailed[0].message == "shipping(5000) should be 0"
    assert all(f.test is None or f.test.framework == "cargo-nextest" for f in found)


def test_rustc_errors_each_give_code_message_and_span() -> None:
    for name in ("rustc/rustc_error.log", "cargo/cargo_build_error.log"):
        found = [f for f in findings(read_tool_fixture(name)) if f.strength is Strength.CLEAR]
        assert [f.message for f in found] == [
            "error[E0308]: mismatched types",
            "error[E0609]: no field `retriess` on type `Config`",
            "error[E0425]: cannot find function `undefined_fn` in this scope",
        ], name
        assert {(f.failure_type, f.sub_type) for f in found} == {(FailureType.BUILD, "compile")}
        assert found[0].locations == (Location("src/main.rs", 10),)


def test_warnings_are_not_failures_and_colours_do_not_matter() -> None:
    plain = findings(read_tool_fixture("cargo/cargo_build_error.log"))
    coloured = findings(read_tool_fixture("cargo/cargo_build_error_color.log"))
    assert [(f.anchor, f.message) for f in plain] == [(f.anchor, f.message) for f in coloured]
    assert all("unused import" not in f.message for f in plain)
    assert plain[-1].kind == "summary"  # error: could not compile


def test_clippy_denied_lints_are_lint_failures() -> None:
    found = findings(read_tool_fixture("cargo/cargo_clippy_deny_warnings.log"))
    clear = [f for f in found if f.strength is Strength.CLEAR]
    assert len(clear) == 7
    assert {(f.failure_type, f.sub_type) for f in clear} == {(FailureType.LINT, "clippy")}
    assert found[0].message == "error: unneeded `return` statement"
    assert found[0].anchor == 2


def test_registry_unreachable_is_a_network_failure_with_its_cause() -> None:
    found = findings(read_tool_fixture("cargo/cargo_fetch_network.log"))
    assert [(f.failure_type, f.sub_type) for f in found] == [
        (FailureType.INFRASTRUCTURE, "network")
    ]
    assert found[0].anchor == 5
    assert found[0].message.endswith("(Could not resolve host: index.crates.io)")


def test_download_with_tls_protocol_error_is_a_dependency_failure() -> None:
    found = findings(read_shared(f"{ALACRITTY}/564632044.log.gz"))
    assert (found[0].failure_type, found[0].sub_type) == (FailureType.DEPENDENCY, "cargo")
    assert found[0].anchor == 622
    assert found[0].ranges == ((622, 625),)  # through the "[35] SSL connect error" cause


def test_travis_cargo_test_lists_every_failed_test_in_order() -> None:
    found = findings(read_shared(f"{ALACRITTY}/562114003.log.gz"))
    assert failing_tests(found)[:4] == [
        "newline_with_cursor_beyond_scroll_region",
        "vim_24bitcolors_bce",
        "vim_simple_edit",
        "vim_large_window_scroll",
    ]
    assert found[0].anchor == 1745
    assert found[0].message == "Ref test failed; grid doesn't match"
    assert found[0].locations[0] == Location("alacritty_terminal/tests/ref.rs", 126)


def test_old_panic_format_in_a_unit_test() -> None:
    found = findings(read_shared(f"{ALACRITTY}/579346432.log.gz"))
    first = found[0]
    assert first.test is not None
    assert first.test.name == "term::tests::line_selection_works"
    assert first.message == "assertion failed: requested < self.len"
    assert first.locations[0] == Location("alacritty_terminal/src/grid/storage.rs", 195)


def test_coloured_travis_rustc_errors_anchor_on_the_first_error() -> None:
    found = findings(read_shared(f"{ALACRITTY}/563821312.log.gz"))
    assert found[0].anchor == 1593
    assert found[0].message == "error[E0425]: cannot find value `CURSOR` in this scope"
    assert found[0].locations[0] == Location("alacritty_terminal/src/cursor.rs", 70)


def test_error_without_code_is_found_from_its_span_line() -> None:
    found = findings(read_shared(f"{ALACRITTY}/565672174.log.gz"))
    assert found[0].anchor == 1214
    assert found[0].message == "error: local variables in const fn are unstable"
    assert found[0].failure_type is FailureType.BUILD


def test_unrelated_logs_give_no_rust_findings() -> None:
    assert findings(read_tool_fixture("go/go_test_fail.log")) == []
    assert findings(read_shared("logchunks/logs/C++/BVLC@caffe/failed/214074807.log.gz")) == []
