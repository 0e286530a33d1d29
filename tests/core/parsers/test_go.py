"""The Go parser on real ``go test``/``go build``/``go vet``/gofmt output and CI logs."""

from __future__ import annotations

from sheriff.core.model import FailureType, Finding, Location, Strength
from sheriff.core.parsers import parse_log
from sheriff.core.parsers.go import PARSER
from sheriff.core.rank import rank
from tests.conftest import read_shared, read_tool_fixture

TERRAFORM = "cidiff-breakages/breakages_dump/Build Terraform CLI Packages_"


def findings(data: bytes) -> list[Finding]:
    return rank(parse_log(data, (PARSER,)))


def failing_tests(found: list[Finding]) -> list[str]:
    return [f.test.name for f in found if f.test is not None and f.kind == "test"]


def test_plain_go_test_reports_the_leaf_subtest_not_its_parent() -> None:
    found = findings(read_tool_fixture("go/go_test_fail.log"))
    assert failing_tests(found) == ["TestDiscount/over_100", "TestDivRounding"]
    first = found[0]
    assert first.failure_type is FailureType.TEST
    assert first.anchor == 2
    assert first.ranges == ((2, 3),)
    assert first.message == "calc_test.go:22: got -10, want 0"
    assert first.locations[0] == Location("calc_test.go", 22)
    assert first.test is not None
    assert first.test.suite == "example.com/calc/calc"


def test_package_summary_line_is_a_partial_summary() -> None:
    found = findings(read_tool_fixture("go/go_test_fail.log"))
    summary = [f for f in found if f.kind == "summary"]
    assert [f.anchor for f in summary] == [7]
    assert summary[0].strength is Strength.PARTIAL


def test_verbose_mode_keeps_the_output_streamed_before_the_header() -> None:
    found = findings(read_tool_fixture("go/go_test_verbose.log"))
    leaf = next(f for f in found if f.test and f.test.name == "TestDiscount/over_100")
    assert leaf.anchor == 8  # where the test logged its failure, streamed before the header
    assert (7, 8) in leaf.ranges  # "=== RUN TestDiscount/over_100" and what it logged
    assert (13, 13) in leaf.ranges  # "    --- FAIL: TestDiscount/over_100"
    assert leaf.message.startswith("calc_test.go:22: got -10, want 0")
    assert "TestDiscount" not in failing_tests(found)
    assert "TestSkipped" not in failing_tests(found)


def test_github_actions_timestamps_do_not_hide_failures() -> None:
    found = findings(read_tool_fixture("go/go_test_fail_gha.log"))
    assert failing_tests(found) == ["TestDiscount/over_100", "TestDivRounding"]
    assert found[0].anchor == 8


def test_json_stream_failures_carry_package_and_output() -> None:
    found = findings(read_tool_fixture("go/go_test_json.log"))
    tests = [f for f in found if f.kind == "test"]
    assert [(f.test.suite, f.test.name) for f in tests if f.test] == [
        ("example.com/calc/calc", "TestDiscount/over_100"),
        ("example.com/calc/calc", "TestDivRounding"),
    ]
    assert tests[0].anchor == 15  # the t.Error output event
    assert (23, 24) in tests[0].ranges  # the "--- FAIL" output event and the fail event
    assert tests[0].message == "calc_test.go:22: got -10, want 0"


def test_panic_is_merged_into_its_test_with_the_project_frame_first() -> None:
    found = findings(read_tool_fixture("go/go_test_panic.log"))
    first = found[0]
    assert first.test is not None
    assert first.test.name == "TestOwnerNilJob"
    assert first.sub_type == "panic"
    assert first.has_stack_trace
    assert first.message.startswith("panic: runtime error: invalid memory address")
    assert first.locations[0] == Location("/tmp/fixtures-work/go/worker/worker.go", 12)
    assert Location("/tmp/fixtures-work/go/worker/panic_test.go", 14) in first.locations
    assert len(failing_tests(found)) == 1


def test_timeout_names_the_test_running_in_the_dump() -> None:
    found = findings(read_tool_fixture("go/go_test_timeout.log"))
    first = found[0]
    assert first.sub_type == "timeout"
    assert first.anchor == 1
    assert first.test is not None
    assert first.test.name == "TestWaitForResult"
    assert first.locations[0].path.endswith("worker/worker.go")
    assert any(first_line <= 25 <= last for first_line, last in first.ranges)  # its goroutine


def test_data_race_is_merged_into_the_test_it_broke() -> None:
    found = findings(read_tool_fixture("go/go_test_race.log"))
    first = found[0]
    assert first.sub_type == "race"
    assert first.anchor == 2  # WARNING: DATA RACE
    assert first.test is not None
    assert first.test.name == "TestRunAll"
    assert any(first_line <= 35 <= last for first_line, last in first.ranges)  # --- FAIL
    assert failing_tests(found) == ["TestRunAll"]


def test_compile_errors_form_one_block_under_the_package_header() -> None:
    found = findings(read_tool_fixture("go/go_build_error.log"))
    assert len(found) == 1
    error = found[0]
    assert (error.failure_type, error.sub_type) == (FailureType.BUILD, "compile")
    assert error.anchor == 2
    assert error.ranges == ((1, 5),)
    assert error.message.startswith('store/store.go:4:2: imported and not used: "fmt"')
    assert Location("store/store.go", 20) in error.locations


def test_go_vet_findings_are_lint() -> None:
    found = findings(read_tool_fixture("go/go_vet.log"))
    assert [(f.failure_type, f.sub_type) for f in found] == [(FailureType.LINT, "go_vet")]
    assert found[0].locations[0] == Location("./report.go", 17)


def test_gofmt_diff_is_lint_naming_the_files() -> None:
    found = findings(read_tool_fixture("go/gofmt_diff.log"))
    assert [(f.failure_type, f.sub_type) for f in found] == [(FailureType.LINT, "gofmt")]
    assert [location.path for location in found[0].locations] == ["report.go", "util.go"]


def test_module_download_with_dns_failure_is_infrastructure() -> None:
    for name in ("go/go_mod_download.log", "go/go_mod_tidy.log"):
        found = findings(read_tool_fixture(name))
        assert [(f.failure_type, f.sub_type) for f in found] == [
            (FailureType.INFRASTRUCTURE, "network")
        ], name


def test_missing_go_sum_entry_is_a_dependency_failure() -> None:
    found = findings(read_tool_fixture("go/go_build_module_fetch.log"))
    assert [(f.failure_type, f.sub_type) for f in found] == [(FailureType.DEPENDENCY, "go_mod")]
    assert found[0].ranges == ((1, 2),)


def test_gotestsum_repeats_are_folded_into_one_failure_per_test() -> None:
    for name in ("gotestsum/gotestsum_failures.log", "gotestsum/gotestsum_default_format.log"):
        found = findings(read_tool_fixture(name))
        assert failing_tests(found) == ["TestDiscount/over_100", "TestDivRounding"], name
        assert found[0].message == "calc_test.go:22: got -10, want 0"


def test_awesome_go_subtest_failure_drops_the_parent() -> None:
    found = findings(read_shared("logchunks/logs/Go/avelino@awesome-go/failed/553491785.log.gz"))
    assert failing_tests(found) == ["TestAlpha/Meetups"]
    assert found[0].anchor == 1420
    assert found[0].ranges[0][1] > 1460  # the long "expected order" message


def test_testify_block_gives_its_error_and_trace() -> None:
    found = findings(read_shared("logchunks/logs/Go/getlantern@lantern/failed/519285064.log.gz"))
    first = found[0]
    assert first.test is not None
    assert first.test.name == "TestParallelPreferChained"
    assert first.anchor == 2752
    assert first.ranges[0][1] >= 2783
    assert first.message.startswith("Should be true\nUnexpected response")
    assert first.locations[0] == Location("proxied_test.go", 126)


def test_old_go_compile_error_in_a_test_file_is_a_build_failure() -> None:
    found = findings(read_shared("logchunks/logs/Go/getlantern@lantern/failed/547502360.log.gz"))
    first = found[0]
    assert (first.failure_type, first.sub_type) == (FailureType.BUILD, "compile")
    assert first.anchor == 547
    assert first.ranges == ((546, 549),)  # header, error, previous declaration, [build failed]


def test_parallel_test_output_after_cont_line_is_kept_and_marked_network() -> None:
    found = findings(read_shared(f"{TERRAFORM}/run380/fail.log"))
    first = found[0]
    leaf = "TestProviderTampering/cache_dir_totally_gone"
    assert first.test is not None
    assert first.test.name == leaf
    assert first.sub_type == "network"
    assert first.anchor == 188  # "providers_tamper_test.go:76: unexpected init error"
    assert any(a <= 187 and b >= 196 for a, b in first.ranges)
    assert any(a <= 207 <= b for a, b in first.ranges)  # its "--- FAIL" line
    assert first.locations[0] == Location("providers_tamper_test.go", 76)


def test_module_fetch_errors_with_read_tcp_are_one_network_finding() -> None:
    found = findings(read_shared(f"{TERRAFORM}/run407/fail.log"))
    assert len(found) == 1
    assert (found[0].failure_type, found[0].anchor) == (FailureType.INFRASTRUCTURE, 749)
    assert found[0].ranges == ((749, 755),)


def test_unrelated_logs_give_no_go_findings() -> None:
    assert (
        findings(read_shared("logchunks/logs/Rust/jwilm@alacritty/failed/562114003.log.gz")) == []
    )


# Ginkgo is not installed here; this block follows the format of its v1 console reporter
# (onsi/ginkgo reporters/stenographer): a failure block, the summary, the go test wrapper.
GINKGO_V1 = b"""Will run 2 of 2 specs

\xe2\x80\xa2
------------------------------
\xe2\x80\xa2 Failure [0.001 seconds]
Calculator
/home/travis/gopath/src/github.com/x/calc/calc_test.go:10
  adds numbers [It]
  /home/travis/gopath/src/github.com/x/calc/calc_test.go:12

  Expected
      <int>: 3
  to equal
      <int>: 4

  /home/travis/gopath/src/github.com/x/calc/calc_test.go:15
------------------------------


Summarizing 1 Failure:

[Fail] Calculator [It] adds numbers
/home/travis/gopath/src/github.com/x/calc/calc_test.go:15

Ran 2 of 2 Specs in 0.002 seconds
FAIL! -- 1 Passed | 1 Failed | 0 Pending | 0 Skipped
--- FAIL: TestCalc (0.00s)
FAIL
FAIL\tgithub.com/x/calc\t0.010s
"""


def test_ginkgo_spec_failure_replaces_its_go_test_wrapper() -> None:
    found = findings(GINKGO_V1)
    assert failing_tests(found) == ["Calculator [It] adds numbers"]
    first = found[0]
    assert (first.tool, first.anchor, first.ranges) == ("ginkgo", 5, ((5, 16),))
    assert first.message.startswith("Expected\n<int>: 3\nto equal")
    assert first.locations[0].line == 15


# No real golangci-lint run can be made here (see tests/fixtures/tools/README.md), so this
# is its documented default output (path:line:col: message (linter), then the source line
# and a caret), by hand.
GOLANGCI_RUN = b"""\
store/store.go:12:2: `unusedHelper` is unused (unused)
func unusedHelper() {}
^
store/store.go:20:9: Error return value of `f.Close` is not checked (errcheck)
\tdefer f.Close()
\t      ^
2 issues:
* errcheck: 1
* unused: 1
"""


def test_golangci_lint_issues_are_one_lint_failure_naming_each_place() -> None:
    found = findings(GOLANGCI_RUN)
    first = found[0]
    assert (first.failure_type, first.sub_type, first.tool) == (
        FailureType.LINT,
        "golangci_lint",
        "golangci-lint",
    )
    assert first.ranges == ((1, 6),)
    assert first.locations == (Location("store/store.go", 12), Location("store/store.go", 20))
