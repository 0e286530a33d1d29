"""The .NET parser on real xUnit, MSBuild and Cake output from NancyFx."""

from __future__ import annotations

from sheriff.core.model import FailureType, Finding, Location, Strength
from sheriff.core.parsers import parse_log
from sheriff.core.parsers.dotnet import PARSER
from sheriff.core.rank import rank
from tests.conftest import read_shared

NANCY = "logchunks/logs/C#/NancyFx@Nancy/failed"


def findings(name: str) -> list[Finding]:
    return rank(parse_log(read_shared(f"{NANCY}/{name}.log.gz"), (PARSER,)))


def test_xunit_failure_block_with_assertion_and_stack() -> None:
    found = findings("375800180")
    first = found[0]
    assert first.failure_type is FailureType.TEST
    assert first.test is not None
    assert first.test.suite == "Nancy.Testing.Tests.BrowserFixture"
    assert first.test.name == "Should_return_JSON_serialized_form"
    assert first.anchor == 3202
    assert first.ranges == ((3202, 3230),)
    assert first.message.startswith("Assert.Equal() Failure\nExpected: 1\nActual:   0")
    assert first.sub_type == "assertion"
    assert first.locations[0].line == 445
    assert first.locations[0].path.endswith("test/Nancy.Testing.Tests/BrowserFixture.cs")
    assert first.has_stack_trace


def test_runner_totals_and_cake_task_are_partial_summaries() -> None:
    found = findings("375800180")
    rest = {(f.anchor, f.kind, f.strength) for f in found[1:]}
    assert rest == {(3236, "summary", Strength.PARTIAL), (3238, "summary", Strength.PARTIAL)}


def test_mono_xunit_exception_is_an_exception() -> None:
    found = findings("433641108")
    assert found[0].anchor == 8911
    assert found[0].sub_type == "exception"
    assert found[0].message.startswith("Microsoft.CSharp.RuntimeBinder.RuntimeBinderException")


def test_csharp_compiler_errors_are_one_build_failure_without_repeats() -> None:
    found = findings("461393228")
    build = [f for f in found if f.failure_type is FailureType.BUILD]
    assert len(build) == 1
    assert (build[0].sub_type, build[0].anchor, build[0].ranges) == (
        "compile",
        2799,
        ((2799, 2802),),
    )
    assert build[0].message.startswith("Extensions/CollectionExtensions.cs(20,40): error CS0103")
    assert build[0].locations[:2] == (
        Location("Extensions/CollectionExtensions.cs", 20),
        Location("Extensions/CollectionExtensions.cs", 21),
    )


def test_cake_install_error_is_a_nuget_dependency_failure() -> None:
    found = findings("375658615")
    assert [(f.failure_type, f.sub_type, f.anchor) for f in found] == [
        (FailureType.DEPENDENCY, "nuget", 6002)
    ]


def test_vstest_and_nunit_print_details_flush_left_until_a_blank_line() -> None:
    vstest = b"\n".join(
        [
            b"  Failed UnitTest1.Test1 [4 ms]",
            b"  Error Message:",
            b"   Assert.Equal() Failure",
            b"Expected: 1",
            b"Actual:   2",
            b"  Stack Trace:",
            b"     at UnitTest1.Test1() in /tmp/x/UnitTest1.cs:line 10",
            b"",
            b"Failed!  - Failed:     1, Passed:     0, Skipped:     0, Total:     1",
        ]
    )
    found = rank(parse_log(vstest, (PARSER,)))
    assert (found[0].anchor, found[0].ranges, found[0].sub_type) == (1, ((1, 7),), "assertion")
    assert found[0].locations == (Location("/tmp/x/UnitTest1.cs", 10),)
    nunit = b"\n".join(
        [
            b"1) Failed : Shop.Tests.CartTests.TenPercent",
            b"  Expected: 70",
            b"  But was:  72",
            b"   at Shop.Tests.CartTests.TenPercent() in /src/CartTests.cs:line 21",
            b"",
            b"2) Error : Shop.Tests.CartTests.UnknownCoupon",
            b"System.ArgumentException : Unknown coupon",
        ]
    )
    found = rank(parse_log(nunit, (PARSER,)))
    assert [(f.test.name, f.sub_type) for f in found if f.test] == [
        ("TenPercent", "assertion"),
        ("UnknownCoupon", "exception"),
    ]
    assert found[0].ranges == ((1, 4),)
