"""The JavaScript test parser on real Jest/Vitest/Mocha/node:test/tape/Karma/Jasmine output."""

from __future__ import annotations

from sheriff.core.model import FailureType, Finding, Location, Strength
from sheriff.core.parsers import parse_log
from sheriff.core.parsers.javascript import PARSER
from sheriff.core.rank import rank
from tests.conftest import read_shared, read_tool_fixture

LOGS = "logchunks/logs/"


def findings(data: bytes) -> list[Finding]:
    return rank(parse_log(data, (PARSER,)))


def names(found: list[Finding]) -> list[str]:
    return [f.test.name for f in found if f.test is not None and f.kind == "test"]


def test_jest_blocks_name_the_full_title_in_its_file() -> None:
    found = findings(read_tool_fixture("jest/jest_failures.log"))
    assert names(found) == [
        "cart › applyCoupon › takes ten percent off",
        "cart › applyCoupon › rejects unknown codes gracefully",
        "cart › shipping › shipping(50) is 0",
    ]
    first = found[0]
    assert (first.anchor, first.ranges, first.sub_type) == (6, ((6, 21),), "assertion")
    assert first.test is not None
    assert first.test.suite == "test/cart.test.js"
    assert first.message.startswith("expect(received).toBe(expected) // Object.is equality")
    assert first.locations[:2] == (
        Location("test/helpers.js", 2),
        Location("test/cart.test.js", 13),
    )
    assert found[1].sub_type == "exception"
    assert [f.anchor for f in found if f.kind == "summary"] == [58]  # "Tests: 3 failed"


def test_vitest_failed_tests_section() -> None:
    for case in ("vitest/vitest_failures.log", "vitest/vitest_nocolor_junit.log"):
        found = findings(read_tool_fixture(case))
        assert names(found) == [
            "test/cart.test.js > cart > applyCoupon > takes ten percent off",
            "test/cart.test.js > cart > shipping > shipping(50) is 0",
            "test/format.test.js > formats a receipt",
        ], case
    colour = findings(read_tool_fixture("vitest/vitest_failures.log"))
    assert colour[0].anchor == 20
    assert colour[0].message.startswith("AssertionError: money mismatch")
    assert [f.tool for f in colour if f.kind == "summary"] == ["vitest"]


def test_mocha_names_the_innermost_title() -> None:
    found = findings(read_tool_fixture("mocha/mocha_failures.log"))
    assert [(f.test.suite, f.test.name) for f in found if f.test] == [
        ("cart", "loads remote prices"),
        ("cart applyCoupon()", "takes ten percent off"),
        ("cart shipping()", "charges 0 for 50"),
    ]
    assert [f.sub_type for f in found] == ["timeout", "assertion", "assertion"]
    assert found[1].ranges == ((29, 45),)
    assert found[1].locations[0] == Location("test/helpers.js", 4)


def test_mocha_in_the_typescript_repository() -> None:
    found = findings(read_shared(LOGS + "TypeScript/Microsoft@TypeScript/failed/566744351.log.gz"))
    tests = [f for f in found if f.kind == "test"]
    assert tests[0].anchor == 1384
    assert tests[1].test is not None
    assert tests[1].test.name.startswith('"before all" hook for "Correct errors for tests/cases/')
    assert tests[1].sub_type == "exception"
    wrapper = [f for f in found if f.kind == "summary"]
    assert wrapper
    assert wrapper[0].message == "Error: Process exited with code: 11"


def test_node_test_spec_reporter() -> None:
    found = findings(read_tool_fixture("node-test/node_test_spec_reporter.log"))
    assert names(found) == ["takes ten percent off", "charges 0 for 50"]
    parents = [f.test.name for f in found if f.test and f.kind == "summary"]
    assert parents == ["shipping", "cart"]
    assert found[0].message.startswith("AssertionError [ERR_ASSERTION]: money mismatch")


def test_tape_assertion_with_yaml_diagnostics() -> None:
    found = findings(read_shared(LOGS + "JavaScript/airbnb@javascript/failed/563286141.log.gz"))
    first = found[0]
    assert (first.tool, first.anchor, first.sub_type) == ("tape", 797, "assertion")
    assert first.ranges == ((797, 815),)
    assert first.message == "no errors: notOk expected false, actual 1"


def test_karma_drops_the_browser_from_the_test_name() -> None:
    found = findings(read_shared(LOGS + "TypeScript/angular@angular/failed/476598534.log.gz"))
    first = found[0]
    assert first.test is not None
    assert first.test.name == (
        "upgrade angular1_providers injectorFactory should throw if the injector value has not"
        " been set yet"
    )
    assert (first.anchor, first.sub_type) == (2134, "assertion")
    assert first.message.startswith("Expected function to throw an Error.")


def test_karma_browser_disconnect_is_infrastructure() -> None:
    found = findings(read_shared(LOGS + "CSS/twbs@bootstrap/failed/567306350.log.gz"))
    first = found[0]
    assert (first.failure_type, first.sub_type) == (
        FailureType.INFRASTRUCTURE,
        "browser_disconnect",
    )
    assert first.anchor == 1301


def test_jasmine_console_reporter() -> None:
    found = findings(read_shared(LOGS + "TypeScript/angular@angular/failed/502677197.log.gz"))
    first = found[0]
    assert first.anchor == 2539
    assert first.tool == "jasmine"
    assert first.test is not None
    assert first.test.name.startswith("NgPackagesInstaller installLocalDependencies() when")
    assert first.message.startswith("Expected spy writeFileSync to have been called with")


def test_uncaught_node_errors_take_their_type_from_the_command() -> None:
    missing = findings(read_shared(LOGS + "C++/electron@electron/failed/303140404.log.gz"))[0]
    assert (missing.failure_type, missing.sub_type, missing.anchor) == (
        FailureType.DEPENDENCY,
        "npm",
        890,
    )
    assert missing.message == "Error: Cannot find module './db.json'"
    build = findings(
        read_shared(LOGS + "CoffeeScript/jashkenas@coffeescript/failed/450920846.log.gz")
    )
    assert (build[0].failure_type, build[0].anchor) == (FailureType.BUILD, 945)
    assert build[0].ranges == ((945, 959),)  # "file.js:82", the source line, the caret, the stack


def test_cake_style_titles_above_errors_are_tests() -> None:
    found = findings(
        read_shared(LOGS + "CoffeeScript/jashkenas@coffeescript/failed/420204574.log.gz")
    )
    first = found[0]
    assert first.test is not None
    assert first.test.name == "AST as expected for NullLiteral node"
    assert (first.anchor, first.sub_type, first.strength) == (1005, "assertion", Strength.CLEAR)


def test_a_titled_error_is_a_test_when_its_stack_is_below_a_long_diff() -> None:
    found = findings(
        read_shared(LOGS + "CoffeeScript/jashkenas@coffeescript/failed/460615864.log.gz")
    )
    by_name = {f.test.name: f for f in found if f.test is not None and f.kind == "test"}
    for name in ("ImportDeclaration", "ExportSpecifierList", "Assign"):
        assert f"AST as expected for {name} node" in by_name  # each stack is 150+ lines down
    frameless = by_name["AST as expected for ImportDeclaration node"]
    assert (frameless.anchor, frameless.ranges) == (2192, ((2192, 2205),))
    assert not frameless.has_stack_trace
    assert frameless.message == (
        "AssertionError: Property type: expected  to equal ImportDeclaration"
    )
    assert by_name["AST as expected for NullLiteral node"].has_stack_trace


def test_a_frameless_error_under_a_line_of_other_indentation_is_no_test() -> None:
    log = b"make docs\n\n    building the index\nTypeError: x is not a function\ndone\n"
    assert [f.test for f in findings(log) if f.test is not None] == []
    titled = b"make docs\n\n  building the index\n  TypeError: x is not a function\n"
    assert names(findings(titled)) == ["building the index"]
