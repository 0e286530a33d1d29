"""Native toolchains: gcc/clang/MSVC/swiftc/GHC compiler errors, linker errors, CMake,
ninja and xcodebuild failures, GoogleTest and CTest results.

The readers live in ``native_compile``, ``native_build`` and ``native_tests``; this module
declares the lines they want and hands each its hits.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sheriff.core.logview import LogView
from sheriff.core.model import Finding
from sheriff.core.parsers.base import Parser, rule
from sheriff.core.parsers.native_build import (
    CMAKE_LINE,
    CONFIGURE_LINE,
    HASKELL_DEPS_LINE,
    HASKELL_DEPS_TRIGGER,
    NINJA_LINE,
    XCODE_LINE,
    cmake_findings,
    configure_findings,
    haskell_dependency_findings,
    ninja_findings,
    xcode_findings,
)
from sheriff.core.parsers.native_compile import (
    COMPILER_LINE,
    COMPILER_TRIGGER,
    LINKER_LINE,
    LINKER_TRIGGER,
    compiler_findings,
    linker_findings,
)
from sheriff.core.parsers.native_tests import (
    CTEST_LINE,
    CTEST_LIST,
    GTEST_LINE,
    ctest_findings,
    ctest_list_findings,
    gtest_findings,
)
from sheriff.core.scan import Hit

PARSER_RULES = (
    rule("native.compiler", COMPILER_TRIGGER, COMPILER_LINE, before=10, after=30),
    rule("native.linker", LINKER_TRIGGER, LINKER_LINE, before=5, after=10),
    rule(
        "native.cmake",
        r"CMake Error|Configuring incomplete, errors occurred",
        CMAKE_LINE,
        before=10,
        after=80,
    ),
    rule("native.configure", r"configure: error: ", CONFIGURE_LINE, before=10, after=20),
    rule(
        "native.haskell_deps",
        HASKELL_DEPS_TRIGGER,
        HASKELL_DEPS_LINE,
        before=5,
        after=80,
    ),
    rule("native.ninja", r"FAILED: ", NINJA_LINE, before=3, after=5),
    rule("native.xcode", r"\*\* (?:BUILD|ARCHIVE|ANALYZE) FAILED \*\*", XCODE_LINE, before=20),
    rule("native.gtest", r"\[  FAILED  \]", GTEST_LINE, before=300, after=5),
    rule("native.ctest", r"\*\*\*(?:Failed|Exception|Timeout|Not Run)", CTEST_LINE, after=400),
    rule("native.ctest_list", r"The following tests FAILED:", CTEST_LIST, before=5, after=200),
)


def _parse(view: LogView, hits: Sequence[Hit]) -> list[Finding]:
    by_rule: dict[str, list[Hit]] = defaultdict(list)
    for hit in hits:
        by_rule[hit.rule.id].append(hit)
    findings = compiler_findings(view, by_rule["native.compiler"])
    findings.extend(linker_findings(view, by_rule["native.linker"]))
    findings.extend(cmake_findings(view, by_rule["native.cmake"]))
    findings.extend(configure_findings(view, by_rule["native.configure"]))
    findings.extend(haskell_dependency_findings(view, by_rule["native.haskell_deps"]))
    findings.extend(ninja_findings(by_rule["native.ninja"]))
    findings.extend(xcode_findings(by_rule["native.xcode"]))
    ctest, inside_ctest = ctest_findings(view, by_rule["native.ctest"])
    findings.extend(ctest)
    findings.extend(ctest_list_findings(view, by_rule["native.ctest_list"]))
    findings.extend(gtest_findings(view, by_rule["native.gtest"], inside_ctest))
    return findings


PARSER = Parser(name="native", rules=PARSER_RULES, parse=_parse)
