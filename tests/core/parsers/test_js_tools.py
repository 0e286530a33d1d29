"""JavaScript linters, formatters, tsc/bundlers and package managers on real output."""

from __future__ import annotations

from sheriff.core.model import FailureType, Finding, Location, Strength
from sheriff.core.parsers import js_build, js_npm, js_tools, parse_log
from sheriff.core.rank import rank
from tests.conftest import read_shared, read_tool_fixture

LOGS = "logchunks/logs/"
PARSERS = (js_tools.PARSER, js_build.PARSER, js_npm.PARSER)


def findings(data: bytes) -> list[Finding]:
    return rank(parse_log(data, PARSERS))


def summary(found: list[Finding]) -> list[tuple[FailureType, str, int]]:
    return [(f.failure_type, f.sub_type, f.anchor) for f in found]


def test_eslint_stylish_block_is_anchored_at_the_file_name() -> None:
    found = findings(read_tool_fixture("eslint/eslint_errors.log"))
    first = found[0]
    assert (first.tool, first.anchor, first.ranges) == ("eslint", 6, ((6, 18),))
    assert first.message == (
        "/tmp/fixtures-work/js/eslint/src/app.js:3:5: 'count' is assigned a value but never used"
        " (no-unused-vars)"
    )
    assert first.locations[0] == Location("/tmp/fixtures-work/js/eslint/src/app.js", 3)


def test_eslint_warnings_alone_do_not_fail() -> None:
    found = findings(read_shared(LOGS + "CSS/twbs@bootstrap/failed/567309401.log.gz"))
    assert not [f for f in found if f.tool == "eslint"]


def test_prettier_check_lists_the_files_and_parse_errors() -> None:
    found = findings(read_tool_fixture("prettier/prettier_check.log"))
    assert summary(found)[0] == (FailureType.LINT, "prettier", 6)
    assert (
        found[0].message
        == "Prettier would reformat 3 file(s): README.md, src/data.json, src/ugly.js"
    )
    broken = findings(read_tool_fixture("prettier/prettier_check_syntax_error.log"))[0]
    assert broken.message == "[error] src/broken.js: SyntaxError: Unexpected token (1:17)"


def test_stylelint_formats_and_postcss_syntax_error() -> None:
    table = findings(read_shared(LOGS + "HTML/necolas@normalize.css/failed/443134971.log.gz"))
    assert summary(table)[0] == (FailureType.LINT, "stylelint", 831)
    assert table[0].ranges == ((831, 849),)
    syntax = findings(read_shared(LOGS + "HTML/necolas@normalize.css/failed/140173233.log.gz"))
    assert summary(syntax)[0] == (FailureType.LINT, "stylelint", 2357)
    assert syntax[0].locations == (
        Location("/home/travis/build/necolas/normalize.css/normalize.css", 11),
    )


def test_markdownlint_and_editorconfig_lists() -> None:
    markdown = findings(read_shared(LOGS + "JavaScript/airbnb@javascript/failed/556132210.log.gz"))
    assert summary(markdown)[0] == (FailureType.LINT, "markdownlint", 943)
    assert markdown[0].ranges == ((943, 951),)
    editorconfig = findings(
        read_shared(LOGS + "JavaScript/airbnb@javascript/failed/562099876.log.gz")
    )
    assert summary(editorconfig)[0] == (FailureType.LINT, "editorconfig", 644)


def test_tsc_errors_are_type_check_failures_in_every_format() -> None:
    for case in ("tsc/tsc_noemit.log", "tsc/tsc5_noemit.log"):
        found = findings(read_tool_fixture(case))
        assert summary(found) == [(FailureType.TYPE_CHECK, "tsc", 5)], case
        assert found[0].ranges == ((5, 10),)
        assert found[0].message == (
            "src/index.ts:2: TS2307: Cannot find module './mailer.js' or its corresponding type"
            " declarations."
        )
    pretty = findings(read_tool_fixture("tsc/tsc5_pretty.log"))
    assert summary(pretty)[0] == (FailureType.TYPE_CHECK, "tsc", 1)
    assert Location("src/order.ts", 12) in {loc for f in pretty for loc in f.locations}


def test_typescript_errors_under_a_protractor_launcher() -> None:
    found = findings(read_shared(LOGS + "TypeScript/angular@angular/failed/499899891.log.gz"))
    types = {(f.failure_type, f.sub_type) for f in found if f.kind != "summary"}
    assert types == {(FailureType.TYPE_CHECK, "tsc")}
    assert 2925 in [f.anchor for f in found]  # "E/launcher - Error: TSError: ⨯ Unable to compile"


def test_coffeescript_compile_error_in_the_test_run_is_a_failing_test() -> None:
    found = findings(
        read_shared(LOGS + "CoffeeScript/jashkenas@coffeescript/failed/424049621.log.gz")
    )
    assert summary(found)[0] == (FailureType.TEST, "syntax", 811)


def test_npm_dependency_errors() -> None:
    cases = {
        "npm/npm_install_e404.log": "npm",
        "npm/npm_install_eresolve.log": "npm",
        "npm/npm_ci_lockfile_out_of_sync.log": "npm",
    }
    for case, sub_type in cases.items():
        found = findings(read_tool_fixture(case))
        assert summary(found) == [(FailureType.DEPENDENCY, sub_type, 1)], case
    e404 = findings(read_tool_fixture("npm/npm_install_e404.log"))[0]
    assert (
        "404 Not Found - GET https://registry.npmjs.org/@sheriff-notreal%2fui-kit-xyz"
        in e404.message
    )


def test_a_failed_script_takes_its_type_from_the_tool_it_ran() -> None:
    links = findings(read_shared(LOGS + "CSS/twbs@bootstrap/failed/565940461.log.gz"))
    assert summary(links) == [(FailureType.LINT, "link_check", 578)]
    assert links[0].strength is Strength.PARTIAL
    assert links[0].kind == "summary"
    unused = findings(read_shared(LOGS + "CSS/twbs@bootstrap/failed/567309401.log.gz"))
    assert summary(unused)[0] == (FailureType.LINT, "unused_variables", 352)


def test_yarn_prettier_list_different_points_at_the_listed_file() -> None:
    found = findings(read_shared(LOGS + "Ruby/discourse@discourse/failed/565586706.log.gz"))
    prettier = next(f for f in found if f.sub_type == "prettier")
    assert prettier.anchor == 4176
    assert "prettier --list-different" in prettier.message
