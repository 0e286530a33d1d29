"""The ``misc`` parser on real ExUnit, Common Test, XCTest, Pester, testthat, perlcritic,
LaTeX, link checker, Markdown lint, Emacs and home-grown runner output."""

from __future__ import annotations

import json

from sheriff.core.model import FailureType, Finding, Location, Strength
from sheriff.core.parsers import parse_log
from sheriff.core.parsers.misc_tests import PARSER
from sheriff.core.rank import rank
from tests.conftest import SHARED_DATA, read_pytorch_fixture, read_shared, read_tool_fixture

_LOGS = {
    row["id"]: row["log"]
    for row in map(json.loads, (SHARED_DATA / "logchunks" / "labels.jsonl").open())
}


def findings(case: str) -> list[Finding]:
    return rank(parse_log(read_shared(f"logchunks/{_LOGS[case]}"), (PARSER,)))


def first(case: str) -> Finding:
    return findings(case)[0]


def test_exunit_failure_names_test_and_module() -> None:
    found = first("Elixir/elixir-lang@elixir#3")
    assert found.test is not None
    assert (found.test.suite, found.test.name) == (
        "KeywordTest",
        "test implements (almost) all functions in Map",
    )
    assert (found.anchor, found.ranges, found.sub_type) == (697, ((697, 704),), "assertion")
    assert found.locations[0] == Location("test/elixir/keyword_test.exs", 23)


def test_exunit_timeout() -> None:
    assert first("Elixir/phoenixframework@phoenix#2").sub_type == "timeout"


def test_doctest_compile_error_is_a_test_failure() -> None:
    found = first("Elixir/elixir-lang@elixir#5")
    assert (found.failure_type, found.sub_type, found.anchor) == (FailureType.TEST, "compile", 713)


def test_mix_format_check_is_lint() -> None:
    found = first("Elixir/elixir-lang@elixir#8")
    assert (found.failure_type, found.sub_type, found.anchor) == (FailureType.LINT, "format", 658)


def test_common_test_case_timeout() -> None:
    found = first("Erlang/processone@ejabberd#1")
    assert found.test is not None
    assert (found.test.suite, found.test.name, found.sub_type) == ("suite", "send_recv", "timeout")
    assert found.ranges == ((4061, 4062),)


def test_common_test_setup_denied_by_the_database_is_a_permission_problem() -> None:
    found = first("Erlang/processone@ejabberd#3")
    assert (found.failure_type, found.sub_type, found.anchor) == (
        FailureType.CONFIG,
        "permission",
        11259,
    )


def test_common_test_failures_are_found_whatever_ends_their_lines() -> None:
    data = read_shared(f"logchunks/{_LOGS['Erlang/processone@ejabberd#3']}")
    for breaks in (b"\n", b"\r"):
        found = rank(parse_log(data.replace(b"\r\n", b"\n").replace(b"\n", breaks), (PARSER,)))
        assert (found[0].sub_type, found[0].anchor) == ("permission", 11259)


def test_xcpretty_summary_entry_with_suite_location_and_code() -> None:
    found = first("Swift/Alamofire@Alamofire#0")
    assert found.test is not None
    assert found.test.suite == "Alamofire_iOS_Tests.SessionTestCase"
    assert found.test.name == "testThatDataRequestWithInvalidURLStringThrowsResponseHandlerError"
    assert (found.anchor, found.ranges) == (2135, ((2133, 2147),))
    assert found.locations[0].line == 550


def test_live_xcpretty_lines_are_partial_unless_the_test_crashed() -> None:
    live = [f for f in findings("Swift/Alamofire@Alamofire#0") if f.anchor < 2133]
    assert live
    assert {f.strength for f in live} == {Strength.PARTIAL}
    crash = first("Swift/Alamofire@Alamofire#3")
    assert (crash.sub_type, crash.strength, crash.anchor) == ("crash", Strength.CLEAR, 1432)


def test_xcpretty_compile_error() -> None:
    found = first("Swift/Alamofire@Alamofire#9")
    assert (found.failure_type, found.anchor) == (FailureType.BUILD, 797)
    assert found.message.startswith("/Users/travis/build/Alamofire/Alamofire/Source/Parameter")


def test_undocumented_declarations_are_a_docs_coverage_gate() -> None:
    found = first("Objective-C/Realm@realm-cocoa#1")
    assert (found.failure_type, found.sub_type, found.ranges) == (
        FailureType.LINT,
        "docs_coverage",
        ((1615, 1639),),
    )


def test_pester_failure_title_without_timing() -> None:
    found = findings("PowerShell/pester@Pester#9")
    assert [f.test.name for f in found if f.test] == [
        "Should validate test results against the nunit 2.5 schema",
        "handles special characters in block descriptions well -!@#$%^&*()_+1234567890[];'',./\"-",
    ]
    inline = first("PowerShell/pester@Pester#0")
    assert inline.test is not None
    assert inline.test.name == "Running without any params runs all files from the local folder"
    assert inline.ranges == ((2558, 2582),)


def test_r_cmd_check_test_error_names_the_first_listed_test() -> None:
    found = first("R/rstudio@shiny#2")
    assert found.test is not None
    assert found.test.name == "app with both r/ and R/ prefers R/"
    assert (found.anchor, found.sub_type) == (2017, "exception")


def test_generated_files_out_of_date() -> None:
    found = findings("R/rstudio@shiny#0")
    assert [(f.failure_type, f.anchor, f.ranges) for f in found] == [
        (FailureType.LINT, 759, ((759, 762),))
    ]


def test_perlcritic_violations_get_the_file_from_the_command() -> None:
    found = first("Perl/major@MySQLTuner-perl#3")
    assert (found.sub_type, found.anchor) == ("perlcritic", 973)
    assert found.locations == (Location("mysqltuner.pl", 69), Location("mysqltuner.pl", 203))


def test_emacs_errors_are_typed_by_their_cause() -> None:
    network = first("Lisp/purcell@emacs.d#0")
    assert (network.failure_type, network.anchor) == (FailureType.INFRASTRUCTURE, 911)
    missing = first("Lisp/purcell@emacs.d#4")
    assert (missing.failure_type, missing.sub_type) == (FailureType.DEPENDENCY, "elpa")


def test_status_lines_of_a_home_grown_runner() -> None:
    found = findings("Lua/martanne@vis#0")
    assert [f.test.name for f in found[:2] if f.test] == [
        "insert-mode/autoindent",
        "insert-mode/digraph",
    ]
    assert found[0].sub_type == "error"


def test_latex_gates_are_partial_build_failures() -> None:
    overfull = first("TeX/cplusplus@draft#0")
    assert (overfull.failure_type, overfull.strength, overfull.ranges) == (
        FailureType.BUILD,
        Strength.PARTIAL,
        ((1219, 1220),),
    )
    assert first("TeX/cplusplus@draft#9").anchor == 1604


def test_markdown_line_length_is_lint() -> None:
    found = first("VimL/mhinz@vim-galore#0")
    assert (found.failure_type, found.locations) == (
        FailureType.LINT,
        (Location("README.md", 2186),),
    )


def test_link_checker_issue_list() -> None:
    found = first("Swift/vsouza@awesome-ios#0")
    # The white-listed links above "Issues :-(" belong to the report too (lines 3293-3327).
    assert (found.sub_type, found.anchor, found.ranges) == (
        "link_check",
        3329,
        ((3293, 3327), (3329, 3343)),
    )


def test_a_failed_row_of_a_results_table_is_a_failed_test() -> None:
    found = rank(parse_log(read_pytorch_fixture("inductor_graph_breaks.txt"), (PARSER,)))
    assert [(f.test.name if f.test else None, f.anchor) for f in found] == [("DistillGPT2", 21)]
    assert found[0].failure_type is FailureType.TEST
    assert "graph_breaks=4, expected=2" in found[0].message


def test_a_bare_word_and_fail_outside_a_results_table_is_nothing() -> None:
    lines = b"Deploying to staging\nStatus    FAIL\nretrying in 5s\nStatus    ERROR\n"
    assert rank(parse_log(lines, (PARSER,))) == []
    table = b"alpha     PASS\nbeta      FAIL\ngamma     PASSED\n"
    assert [f.test.name for f in rank(parse_log(table, (PARSER,))) if f.test] == ["beta"]


def test_benchmark_gates_name_the_benchmark_that_regressed() -> None:
    gate = rank(parse_log(read_pytorch_fixture("pr_time_benchmarks_regression.txt"), (PARSER,)))
    assert [(f.test.name if f.test else None, f.anchor, f.sub_type) for f in gate] == [
        ("dtensor_dispatch_custom_handler", 31, "performance")
    ]
    compared = parse_log(read_tool_fixture("pytest-benchmark/benchmark_regression.log"), (PARSER,))
    # One finding per benchmark under the summary line, not one more for the summary.
    assert [(f.test.name if f.test else None, f.anchor) for f in compared] == [
        ("test_slugify_titles", 28),
        ("test_slugify_one", 29),
    ]


def test_summary_only_benchmark_gates() -> None:
    asv = parse_log(
        b"SOME BENCHMARKS HAVE CHANGED SIGNIFICANTLY.\nPERFORMANCE DECREASED.\n", (PARSER,)
    )
    assert [(f.anchor, f.sub_type, f.strength) for f in asv] == [(2, "performance", Strength.CLEAR)]
    alert = parse_log(
        b"##[warning]Performance alert! Previous value was 10 and current value is 31.\n", (PARSER,)
    )
    assert [(f.anchor, f.strength) for f in alert] == [(1, Strength.PARTIAL)]
