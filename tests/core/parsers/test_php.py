"""The PHP parser on real PHPUnit, run-tests.php (phpt), Composer and PHP error output."""

from __future__ import annotations

from sheriff.core.model import FailureType, Finding, Location, Strength
from sheriff.core.parsers import parse_log
from sheriff.core.parsers.php import PARSER
from sheriff.core.rank import rank
from tests.conftest import read_shared, read_tool_fixture

SYMFONY = "logchunks/logs/PHP/symfony@symfony/failed"
PHP_SRC = "logchunks/logs/C/php@php-src/failed"


def findings(data: bytes) -> list[Finding]:
    return rank(parse_log(data, (PARSER,)))


def failing_tests(found: list[Finding]) -> list[str]:
    return [f.test.name for f in found if f.test is not None and f.kind == "test"]


def test_phpunit_errors_and_failures_with_data_sets() -> None:
    found = findings(read_tool_fixture("phpunit/phpunit_failures.log"))
    assert failing_tests(found) == [
        "testUnknownCouponKeepsTotal",
        "testTenPercentCoupon",
        'testShipping with data set "exactly fifty"',
    ]
    assert [f.sub_type for f in found[:3]] == ["exception", "assertion", "assertion"]
    first = found[0]
    assert first.test is not None
    assert first.test.suite == "Shop\\Tests\\CartTest"
    assert first.ranges == ((9, 13),)
    assert first.locations[0] == Location("/tmp/fixtures-work/php/tests/CartTest.php", 28)
    summary = found[-1]
    assert (summary.anchor, summary.kind, summary.strength) == (31, "summary", Strength.PARTIAL)


def test_phpunit_failures_from_codeigniter() -> None:
    found = findings(read_shared("logchunks/logs/PHP/bcit-ci@CodeIgniter/failed/476896825.log.gz"))
    assert found[0].test is not None
    assert (found[0].test.suite, found[0].test.name) == ("Inflector_helper_test", "test_plural")
    assert found[0].ranges == ((594, 603),)
    assert found[0].message.startswith("Failed asserting that two strings are equal.")


def test_risky_and_skipped_sections_are_not_failures() -> None:
    log = b"\n".join(
        [
            b"There was 1 risky test:",
            b"",
            b"1) Foo\\BarTest::testNothing",
            b"This test did not perform any assertions",
            b"",
            b"OK, but incomplete, skipped, or risky tests!",
        ]
    )
    assert findings(log) == []


def test_segfault_of_phpunit_is_a_crashed_test_run() -> None:
    found = findings(read_shared(f"{SYMFONY}/567025178.log.gz"))
    assert [(f.failure_type, f.sub_type, f.anchor) for f in found] == [
        (FailureType.TEST, "crash", 7666)
    ]


def test_fatal_error_in_a_test_file_is_a_test_exception() -> None:
    found = findings(read_shared(f"{SYMFONY}/567139043.log.gz"))
    assert (found[0].failure_type, found[0].sub_type, found[0].anchor) == (
        FailureType.TEST,
        "exception",
        5551,
    )
    assert found[0].locations[0].line == 259


def test_composer_resolution_problem_points_at_the_first_problem() -> None:
    found = findings(read_shared(f"{SYMFONY}/566997029.log.gz"))
    assert (found[0].failure_type, found[0].sub_type, found[0].anchor) == (
        FailureType.DEPENDENCY,
        "composer",
        4673,
    )


def test_phpt_failure_is_named_by_its_path_and_typed_by_its_diff() -> None:
    found = findings(read_shared(f"{PHP_SRC}/529279089.log.gz"))
    timeout = next(f for f in found if f.anchor == 27606)
    assert timeout.test is not None
    assert timeout.test.name == "ext/standard/tests/file/bug60120.phpt"
    assert timeout.sub_type == "timeout"
    assert timeout.ranges == ((27602, 27604), (27605, 27606))


def test_phpt_crash_diff_is_capped() -> None:
    found = findings(read_shared(f"{PHP_SRC}/530655545.log.gz"))
    crash = next(f for f in found if f.anchor == 2677)
    assert crash.sub_type == "crash"
    assert crash.ranges == ((2507, 2536), (2676, 2677))


def test_a_phpt_failure_with_an_empty_diff_has_no_empty_range() -> None:
    lines = read_shared(f"{PHP_SRC}/529279089.log.gz").splitlines(keepends=True)
    assert lines[27600].strip() == b"========DIFF========"
    data = b"".join([lines[27600], *lines[27604:27606]])  # DIFF, DONE, FAIL: no diff lines
    [found] = findings(data)
    assert (found.anchor, found.ranges) == (3, ((2, 3),))


def test_diff_lines_quoting_php_errors_are_not_findings() -> None:
    found = findings(read_shared(f"{PHP_SRC}/529279089.log.gz"))
    assert all(f.tool == "phpt" for f in found)


def test_illegal_run_tests_switch_is_a_ci_script_error() -> None:
    found = findings(read_shared(f"{PHP_SRC}/530444639.log.gz"))
    assert [(f.failure_type, f.sub_type, f.anchor) for f in found] == [
        (FailureType.CONFIG, "ci_script", 616)
    ]
