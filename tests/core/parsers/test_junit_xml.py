"""The JUnit XML parser on reports written by Maven, Gradle, JUnit 5, PHPUnit and pytest."""

from __future__ import annotations

from sheriff.core.model import FailureType, Finding, Location
from sheriff.core.parsers import parse_log
from sheriff.core.parsers.junit_xml import PARSER
from sheriff.core.rank import rank
from tests.conftest import read_tool_fixture


def findings(data: bytes) -> list[Finding]:
    return rank(parse_log(data, (PARSER,)))


def names_of(found: list[Finding]) -> list[tuple[str | None, str]]:
    return [(f.test.suite, f.test.name) for f in found if f.test is not None]


def test_surefire_report_failure_and_error() -> None:
    found = findings(read_tool_fixture("maven/maven_surefire_failures.xml"))
    assert names_of(found) == [
        ("com.example.shop.CartTest", "tenPercentCoupon"),
        ("com.example.shop.CartTest", "unknownCouponIsIgnored"),
    ]
    first, error = found
    assert first.failure_type is FailureType.TEST
    assert first.anchor == 56
    assert first.sub_type == "assertion"
    assert first.message.startswith("discounted total should be 70.0 expected:<70.0>")
    assert first.locations[0] == Location("com/example/shop/CartTest.java", 24)
    assert error.sub_type == "exception"


def test_junit5_report_keeps_parameterised_names() -> None:
    found = findings(read_tool_fixture("junit5/junit5_console_failures.xml"))
    assert names_of(found) == [
        ("com.example.shop.CartTest$Coupons", "tenPercent"),  # JUnit 5 shows "tenPercent()"
        ("com.example.shop.CartTest", "shipping(double, double)[2]"),
    ]
    assert found[0].ranges[0][0] == 64


def test_phpunit_report_uses_the_php_class_name_and_file_attribute() -> None:
    found = findings(read_tool_fixture("phpunit/phpunit_failures.xml"))
    assert names_of(found) == [
        ("Shop\\Tests\\CartTest", "testTenPercentCoupon"),
        ("Shop\\Tests\\CartTest", "testUnknownCouponKeepsTotal"),
        ("Shop\\Tests\\CartTest", 'testShipping with data set "exactly fifty"'),
    ]
    assert found[0].locations[0] == Location("/tmp/fixtures-work/php/tests/CartTest.php", 21)
    assert found[0].sub_type == "assertion"
    assert found[1].sub_type == "exception"


def test_several_failures_on_one_line() -> None:
    found = findings(read_tool_fixture("pytest/pytest_junitxml.xml"))
    assert [name for _, name in names_of(found)] == [
        "test_coupon_ten",
        "test_unknown_coupon",
        "test_shipping[50-0]",
        "test_cart_names",
    ]
    assert found[0].message.startswith("AssertionError: expected 91.00, got 90.00")
    assert found[1].sub_type == "exception"


def test_only_logs_that_are_xml_documents_are_read() -> None:
    log = b'build output\n<testcase name="a" classname="b"><failure message="x"/></testcase>\n'
    assert findings(log) == []


def test_entity_expansion_is_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?>\n<!DOCTYPE t [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<testsuite>\n'
        b'<testcase name="t" classname="c">\n<failure message="&b;"/>\n</testcase>\n</testsuite>\n'
    )
    found = findings(bomb)
    assert all("aaaaaaaaaa" not in f.message for f in found)
