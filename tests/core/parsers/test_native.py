"""The native parser on real gcc/clang/MSVC/GHC/swift, CMake, GoogleTest and CTest output."""

from __future__ import annotations

import json
import re

from sheriff.core.model import FailureType, Finding, Location, Strength
from sheriff.core.parsers import parse_log
from sheriff.core.parsers.native import PARSER
from sheriff.core.rank import rank
from tests.conftest import read_shared, read_tool_fixture

LOGCHUNKS = "logchunks/logs"
SHELLCHECK = f"{LOGCHUNKS}/Haskell/koalaman@shellcheck/failed"


def findings(data: bytes) -> list[Finding]:
    return rank(parse_log(data, (PARSER,)))


def pytorch_fixture(name: str) -> bytes:
    """A pytorch classifier fixture without its in-band markers (line numbers unchanged)."""
    data = read_shared(f"pytorch-log-classifier-fixtures/{name}")
    data = re.sub(rb"(?m)^#=MATCH=# ", b"", data)
    return data.replace("‹".encode(), b"").replace("›".encode(), b"")


def test_gcc_errors_with_function_context_and_source_echo() -> None:
    found = findings(read_tool_fixture("gcc/gcc_compile_error.log"))
    assert [f.anchor for f in found] == [2, 9]  # the warning on line 12 is not a failure
    first = found[0]
    assert (first.failure_type, first.sub_type) == (FailureType.BUILD, "compile")
    assert first.ranges == ((1, 7),)  # "In function" line, error, source and caret
    assert first.message == "parser.c:11:19: error: expected ‘;’ before ‘}’ token"
    assert first.locations == (Location("parser.c", 11),)


def test_gxx_error_keeps_its_candidate_notes() -> None:
    found = findings(read_tool_fixture("gcc/gxx_compile_error.log"))
    assert [f.anchor for f in found] == [2, 6, 23, 26]
    assert found[1].ranges == ((5, 22),)


def test_clang_errors() -> None:
    found = findings(read_tool_fixture("clang/clangxx_compile_error.log"))
    assert [f.locations[0] for f in found] == [
        Location("widget.cpp", 15),
        Location("widget.cpp", 21),
        Location("widget.cpp", 22),
        Location("widget.cpp", 23),
    ]


def test_linker_errors_are_one_finding_through_collect2() -> None:
    for name in ("gcc/gcc_link_error.log", "clang/clang_link_error.log"):
        found = findings(read_tool_fixture(name))
        assert len(found) == 1, name
        link = found[0]
        assert (link.failure_type, link.sub_type) == (FailureType.BUILD, "linker")
        assert link.anchor == 5
        assert link.ranges == ((4, 7),)  # "in function", two undefined references, summary
        assert "undefined reference to `stddev'" in link.message


def test_cmake_missing_package_is_a_dependency_failure() -> None:
    found = findings(read_tool_fixture("cmake/cmake_configure_missing_package.log"))
    first = found[0]
    assert (first.failure_type, first.sub_type) == (FailureType.DEPENDENCY, "cmake")
    assert first.anchor == 7
    assert first.ranges == ((7, 21),)
    assert first.locations == (Location("CMakeLists.txt", 3),)
    assert found[1].kind == "summary"  # -- Configuring incomplete


def test_caffe_could_not_find_package_block_with_call_stack() -> None:
    found = findings(read_shared(f"{LOGCHUNKS}/C++/BVLC@caffe/failed/214074807.log.gz"))
    first = found[0]
    assert first.failure_type is FailureType.DEPENDENCY
    assert (first.anchor, first.ranges) == (3974, ((3974, 3981),))
    assert "Could NOT find Halide" in first.message


def test_too_old_boost_is_a_dependency_failure() -> None:
    found = findings(read_shared(f"{LOGCHUNKS}/C++/BVLC@caffe/failed/221812641.log.gz"))
    assert (found[0].failure_type, found[0].anchor) == (FailureType.DEPENDENCY, 3758)
    assert found[0].ranges == ((3758, 3769),)


def test_googletest_binary_failures_and_recap() -> None:
    found = findings(read_tool_fixture("googletest/gtest_binary.log"))
    detailed = [f for f in found if f.kind == "test"]
    assert [f.test.name for f in detailed if f.test] == [
        "CartTest.TenPercentCoupon",
        "CartTest.UnknownCouponKeepsAmount",
        "Table/ShippingTest.Fee/1",
    ]
    assert detailed[0].anchor == 8  # cart_test.cpp:6: Failure
    assert detailed[0].ranges == ((7, 14),)  # [ RUN ] .. [ FAILED ]
    assert detailed[0].locations == (Location("/tmp/fixtures-work/c/gtest/tests/cart_test.cpp", 6),)
    assert detailed[1].sub_type == "exception"
    assert len(found) == 3  # the recap list repeats them


def test_ctest_names_the_tests_and_folds_googletest_output_in() -> None:
    found = findings(read_tool_fixture("googletest/ctest_output_on_failure.log"))
    assert [f.test.name for f in found if f.test] == [
        "CartTest.TenPercentCoupon",
        "CartTest.UnknownCouponKeepsAmount",
        "Table/ShippingTest.Fee/(50, 0)",
    ]
    assert all(f.test and f.test.framework == "ctest" for f in found)
    first = found[0]
    assert first.anchor == 6
    assert first.message.startswith("/tmp/fixtures-work/c/gtest/tests/cart_test.cpp:6: Failure")
    assert first.strength is Strength.CLEAR


def test_haskell_ghc_error_with_message_on_a_later_line() -> None:
    found = findings(read_shared(f"{SHELLCHECK}/471475140.log.gz"))
    first = found[0]
    assert (first.tool, first.failure_type, first.anchor) == ("ghc", FailureType.BUILD, 1007)
    assert "Not in scope: type constructor or class" in first.message
    assert (1010, 1010) in first.ranges
    assert first.locations == (Location("src/ShellCheck/Fixer.hs", 38),)


def test_haskell_windows_link_errors() -> None:
    found = findings(
        read_shared(f"{LOGCHUNKS}/Haskell/koalaman@shellcheck/failed/469308814.log.gz")
    )
    assert (found[0].sub_type, found[0].anchor, found[0].ranges) == (
        "linker",
        2951,
        ((2951, 2955),),
    )


def test_include_chain_is_part_of_the_compile_error() -> None:
    found = findings(read_shared(f"{LOGCHUNKS}/Lua/martanne@vis/failed/346413726.log.gz"))
    assert found[0].anchor == 1206
    assert found[0].ranges[0][0] == 1204  # In file included from …


def test_linker_error_after_in_function_line() -> None:
    found = findings(read_shared(f"{LOGCHUNKS}/Lua/martanne@vis/failed/243935654.log.gz"))
    assert (found[0].sub_type, found[0].ranges[0]) == ("linker", (1375, 1377))  # + collect2


def test_xcpretty_swift_compile_error() -> None:
    found = findings(read_shared(f"{LOGCHUNKS}/Swift/Alamofire@Alamofire/failed/566793591.log.gz"))
    first = found[0]
    assert (first.tool, first.failure_type, first.anchor) == ("swiftc", FailureType.BUILD, 797)
    assert first.message.startswith("/Users/travis/build/Alamofire/Alamofire/Source/")
    assert first.locations[0].line == 269


def test_ninja_failed_target_is_partial_and_gcc_error_is_primary() -> None:
    found = findings(pytorch_fixture("compile_error.txt"))
    assert (found[0].anchor, found[0].strength) == (32, Strength.CLEAR)
    assert found[0].locations[0].path.endswith("profiler/kineto_metadata.cpp")
    assert found[0].ranges[0] >= (31, 31)  # "In lambda function" context line
    ninja = [f for f in found if f.tool == "ninja"]
    assert [(f.anchor, f.strength) for f in ninja] == [(29, Strength.PARTIAL)]


def test_msvc_errors() -> None:
    found = findings(pytorch_fixture("msvc_compiler_error.txt"))
    first = found[0]
    assert (first.failure_type, first.anchor) == (FailureType.BUILD, 32)
    assert "error C2065: 'PTI_VIEW_COMMUNICATION': undeclared identifier" in first.message
    assert first.locations[0].line == 253
    assert 60 in {f.anchor for f in found}


def test_other_languages_compile_errors_are_not_native() -> None:
    """sbt's ``[error] File.scala:10:8: …`` and C#'s ``File.cs(20,40): error CS0103``."""
    for row_id in ("Scala/akka@akka#0", "C#/NancyFx@Nancy#8"):
        assert findings(read_shared(f"logchunks/{_log_of(row_id)}")) == [], row_id


def _log_of(row_id: str) -> str:
    for line in read_shared("logchunks/labels.jsonl").decode().splitlines():
        row = json.loads(line)
        if row["id"] == row_id:
            return str(row["log"])
    raise AssertionError(row_id)
