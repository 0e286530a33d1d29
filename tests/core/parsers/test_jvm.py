"""The JVM parser on real Maven, Gradle, sbt, JUnit and javac output."""

from __future__ import annotations

import pytest

from sheriff.core.model import FailureType, Finding, Location, Strength
from sheriff.core.parsers import parse_log
from sheriff.core.parsers.jvm import PARSER
from sheriff.core.rank import rank
from tests.conftest import read_shared, read_tool_fixture

CHUNKS = "logchunks/logs"
CIDIFF = "cidiff-breakages/breakages"


def findings(data: bytes) -> list[Finding]:
    return rank(parse_log(data, (PARSER,)))


def failing_tests(found: list[Finding]) -> list[str]:
    return [f.test.name for f in found if f.test is not None and f.kind == "test"]


def test_surefire_case_blocks_name_method_and_class() -> None:
    found = findings(read_tool_fixture("maven/maven_surefire_failures.log"))
    assert failing_tests(found) == [
        "tenPercentCoupon",
        "unknownCouponIsIgnored",
        "shipping[1: shipping(50) = 0]",
    ]
    first = found[0]
    assert first.test is not None
    assert first.test.suite == "com.example.shop.CartTest"
    assert first.anchor == 28
    assert first.ranges == ((28, 30),)
    assert first.sub_type == "assertion"
    assert first.message.startswith("java.lang.AssertionError: discounted total should be 70.0")
    assert first.locations == (Location("com/example/shop/CartTest.java", 24),)
    npe = found[1]
    assert npe.sub_type == "exception"


def test_surefire_summary_list_repeats_tests_as_summaries_with_full_class_names() -> None:
    found = parse_log(read_tool_fixture("maven/maven_surefire_failures.log"), (PARSER,))
    summaries = [f for f in found if f.kind == "summary" and f.test is not None]
    assert [(f.anchor, f.test.suite, f.test.name) for f in summaries if f.test] == [
        (46, "com.example.shop.CartTest", "tenPercentCoupon"),
        (47, "com.example.shop.ShippingTest", "shipping"),
        (49, "com.example.shop.CartTest", "unknownCouponIsIgnored"),
    ]
    goal = next(f for f in found if f.tool == "maven")
    assert goal.strength is Strength.PARTIAL
    assert goal.ranges == ((59, 69),)


def test_old_surefire_blocks_keep_the_whole_stack_within_the_cap() -> None:
    found = findings(read_shared(f"{CHUNKS}/Java/square@retrofit/failed/403602199.log.gz"))
    assert failing_tests(found)[:2] == [
        "malformedContentTypeHeaderThrows",
        "malformedContentTypeParameterThrows",
    ]
    assert found[0].anchor == 1808
    assert found[0].ranges == ((1808, 1844),)
    assert found[0].locations[0] == Location("retrofit2/RequestFactoryTest.java", 2505)
    assert found[0].has_stack_trace


def test_no_such_method_error_in_a_test_is_a_dependency_conflict() -> None:
    found = findings(read_shared(f"{CHUNKS}/Java/square@retrofit/failed/484944937.log.gz"))
    assert found[0].failure_type is FailureType.TEST
    assert found[0].sub_type == "dependency_conflict"
    assert found[0].test is not None
    assert found[0].test.name == "requireFullResponseDocumentConsumption"


def test_compile_errors_take_the_goal_block_as_a_second_range() -> None:
    found = findings(read_tool_fixture("maven/maven_compile_error.log"))
    assert len(found) == 1
    compile_error = found[0]
    assert compile_error.failure_type is FailureType.BUILD
    assert compile_error.sub_type == "compile"
    assert compile_error.anchor == 16
    assert compile_error.ranges == ((16, 22), (31, 45))
    assert compile_error.locations[0].line == 24
    assert compile_error.locations[0].path.endswith("com/example/shop/Cart.java")


def test_class_file_version_clash_in_a_compile_error_is_class_version() -> None:
    found = findings(read_shared(f"{CIDIFF}/casper_1774/fail.log"))
    assert [(f.failure_type, f.sub_type, f.anchor) for f in found] == [
        (FailureType.BUILD, "class_version", 421)
    ]
    assert found[0].ranges == ((421, 424), (433, 445))


def test_unsupported_class_version_error_in_a_plugin_is_class_version() -> None:
    found = findings(read_shared(f"{CIDIFF}/disklrucache_2210/fail.log"))
    assert found[0].sub_type == "class_version"
    assert found[0].anchor == 1482
    assert found[0].ranges[0][0] == 1481


def test_compile_errors_of_a_nested_build_that_later_succeeds_are_only_partial() -> None:
    found = findings(read_shared(f"{CIDIFF}/astor_400/fail.log"))
    assert found[0].anchor == 659
    assert found[0].strength is Strength.CLEAR
    assert {f.strength for f in found[1:]} == {Strength.PARTIAL}


def test_unresolvable_artifact_in_a_goal_is_a_maven_dependency_failure() -> None:
    found = findings(read_shared(f"{CIDIFF}/spooncontrolflow_805/fail.log"))
    assert [(f.failure_type, f.sub_type, f.anchor) for f in found] == [
        (FailureType.DEPENDENCY, "maven", 66)
    ]


def test_unknown_host_while_resolving_a_plugin_is_a_network_failure() -> None:
    found = findings(read_tool_fixture("maven/maven_central_unreachable.log"))
    assert (found[0].failure_type, found[0].sub_type) == (FailureType.INFRASTRUCTURE, "network")
    assert found[0].ranges == ((13, 19),)


def test_leiningen_tls_protocol_mismatch_is_a_dependency_failure() -> None:
    log = read_shared(f"{CHUNKS}/Clojure/technomancy@leiningen/failed/239201655.log.gz")
    failing = next(f for f in findings(log) if f.anchor == 922)
    assert (failing.failure_type, failing.sub_type) == (FailureType.DEPENDENCY, "leiningen")
    assert failing.ranges == ((922, 931),)


def test_javac_errors() -> None:
    found = findings(read_tool_fixture("javac/javac_error.log"))
    assert [(f.tool, f.failure_type, f.anchor) for f in found] == [("javac", FailureType.BUILD, 1)]
    assert found[0].locations == (
        Location("src/Cart.java", 24),
        Location("src/Cart.java", 25),
        Location("src/Cart.java", 29),
    )


@pytest.mark.parametrize(
    ("log", "detail"),
    [
        (
            f"{CIDIFF}/astor_1260/fail.log",
            [
                "symbol:   method getExecutedTests()",
                "location: variable flacocoResult of type "
                "fr.spoonlabs.flacoco.api.result.FlacocoResult",
            ],
        ),
        ("javac/javac_error.log", ["String rate = COUPONS.get(code);", "^"]),
        ("maven/maven_compile_error.log", []),
    ],
)
def test_a_compile_errors_message_stops_before_the_next_error(log: str, detail: list[str]) -> None:
    """The errors of one compilation are one finding; its message is the first error
    with its own detail lines (javac's symbol/location, the caret), not the next error."""
    data = read_shared(log) if log.startswith(CIDIFF) else read_tool_fixture(log)
    found = next(f for f in findings(data) if f.tool == "javac")
    assert len(found.locations) >= 3
    first, *rest = found.message.splitlines()
    assert f":{found.locations[0].line}: " in first
    assert [line.strip() for line in rest] == detail


def test_checkstyle_errors_are_lint_but_warnings_are_not_reported() -> None:
    found = findings(read_tool_fixture("checkstyle/checkstyle_violations.log"))
    assert [(f.failure_type, f.sub_type, f.anchor, f.ranges) for f in found] == [
        (FailureType.LINT, "checkstyle", 2, ((2, 11),))
    ]
    rxjava = findings(read_shared(f"{CHUNKS}/Java/ReactiveX@RxJava/failed/565360975.log.gz"))
    assert all(f.sub_type != "checkstyle" for f in rxjava)


def test_gradle_test_blocks_and_the_what_went_wrong_summary() -> None:
    found = findings(read_tool_fixture("gradle/gradle_test_failures.log"))
    assert failing_tests(found) == [
        "tenPercentCoupon",
        "unknownCouponIsIgnored",
        "shipping[1: shipping(50) = 0]",
    ]
    assert found[0].ranges == ((16, 22),)
    assert found[0].locations[0] == Location("com/example/shop/CartTest.java", 24)
    wrong = next(f for f in found if f.anchor == 43)
    assert (wrong.kind, wrong.strength) == ("summary", Strength.PARTIAL)


def test_gradle_validator_test_from_rxjava() -> None:
    found = findings(read_shared(f"{CHUNKS}/Java/ReactiveX@RxJava/failed/565378954.log.gz"))
    assert found[0].test is not None
    assert found[0].test.suite == "io.reactivex.validators.TooManyEmptyNewLines"
    assert found[0].test.name == "tooManyEmptyNewLines2"
    assert found[0].ranges == ((1863, 1868),)


def test_gradle_lines_behind_job_and_step_columns() -> None:
    found = findings(read_shared(f"{CIDIFF}/cidiff_11/fail.log"))
    assert found[0].anchor == 242
    assert found[0].test is not None
    # JUnit 5's display name "testGithubParsing()" names the method, as Surefire would
    assert (found[0].test.suite, found[0].test.name) == ("LogDifferTest", "testGithubParsing")


def test_gradle_tests_take_their_package_from_the_stack_trace() -> None:
    found = findings(read_shared(f"{CIDIFF}/cidiff_57/fail.log"))
    assert found[0].test is not None
    assert (found[0].test.suite, found[0].test.name) == (
        "org.github.gumtreediff.cidiff.ConsoleClientTest",
        "testClassicParsing",
    )
    # the test class's own frame comes first, as for Surefire's fully named classes
    assert found[0].locations[:2] == (
        Location("org/github/gumtreediff/cidiff/ConsoleClientTest.java", 69),
        Location("org/github/gumtreediff/cidiff/LogParser.java", 39),
    )


def test_gradle_checkstyle_configuration_error_is_a_config_failure() -> None:
    found = findings(read_shared(f"{CIDIFF}/cidiff_75/fail.log"))
    assert (found[0].failure_type, found[0].sub_type, found[0].anchor) == (
        FailureType.CONFIG,
        "checkstyle",
        543,
    )


def test_gradle_dns_failure_is_a_network_failure() -> None:
    found = findings(read_tool_fixture("gradle/gradle_central_unreachable.log"))
    assert (found[0].failure_type, found[0].sub_type, found[0].anchor) == (
        FailureType.INFRASTRUCTURE,
        "network",
        12,
    )


def test_junitcore_and_junit5_console_reports() -> None:
    core = findings(read_tool_fixture("junit4/junitcore_failures.log"))
    assert failing_tests(core) == [
        "tenPercentCoupon",
        "unknownCouponIsIgnored",
        "shipping[1: shipping(50) = 0]",
    ]
    console = findings(read_tool_fixture("junit5/junit5_console_failures.log"))
    assert failing_tests(console) == ["shipping(50) = 0", "tenPercent()"]
    assert console[1].test is not None
    assert console[1].test.suite == "com.example.shop.CartTest$Coupons"
    assert console[0].message.startswith("org.opentest4j.AssertionFailedError")


def test_scalatest_failure_names_the_suite_and_title() -> None:
    found = findings(read_shared(f"{CHUNKS}/Scala/twitter@finagle/failed/565063041.log.gz"))
    first = found[0]
    assert first.test is not None
    assert (
        first.test.name
        == "http/2 client, http/1.1 server (streaming): symmetric reader and getContent"
    )
    assert first.sub_type == "timeout"
    assert first.ranges == ((5505, 5517),)


def test_scalac_errors_are_one_build_failure_per_run() -> None:
    found = findings(read_shared(f"{CHUNKS}/Scala/akka@akka/failed/564856230.log.gz"))
    assert [(f.tool, f.failure_type, f.anchor, f.ranges) for f in found[:1]] == [
        ("scalac", FailureType.BUILD, 1524, ((1524, 1532),))
    ]
    assert found[0].locations[0].line == 369


def test_mima_problems_are_binary_compatibility_lint() -> None:
    found = findings(read_shared(f"{CHUNKS}/Scala/akka@akka/failed/562463188.log.gz"))
    assert (found[0].failure_type, found[0].sub_type) == (FailureType.LINT, "binary_compat")
    assert found[0].ranges == ((1205, 1222),)


def test_javac_unable_to_write_its_classes_is_the_machine_not_the_code() -> None:
    # "error while writing Foo: could not create parent directories" on a full disk.
    found = findings(read_shared(f"{CIDIFF}/juliac_789/fail.log"))
    assert (found[0].failure_type, found[0].sub_type, found[0].anchor) == (
        FailureType.INFRASTRUCTURE,
        "resource",
        17709,
    )
    written = findings(
        b"[ERROR] /w/src/a/B.java:[3,8] error while writing a.B: No space left on device\n"
    )
    assert (written[0].failure_type, written[0].sub_type) == (
        FailureType.INFRASTRUCTURE,
        "disk_full",
    )
