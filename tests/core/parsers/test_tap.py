"""The TAP parser on real Test::More/prove output and tape's YAML diagnostics."""

from __future__ import annotations

from sheriff.core.model import Finding, Location, Strength
from sheriff.core.parsers import parse_log
from sheriff.core.parsers.tap import PARSER
from sheriff.core.rank import rank
from tests.conftest import read_shared, read_tool_fixture


def findings(data: bytes) -> list[Finding]:
    return rank(parse_log(data, (PARSER,)))


def failing_tests(found: list[Finding]) -> list[str]:
    return [f.test.name for f in found if f.test is not None and f.kind == "test"]


def test_raw_tap_with_a_subtest() -> None:
    found = findings(read_tool_fixture("prove/tap_raw.log"))
    assert failing_tests(found) == [
        "ten percent coupon",
        "shipping for 50",
        "shipping table",
        "unknown coupon does not die",
    ]
    assert found[0].ranges == ((2, 6),)
    assert found[0].locations == (Location("t/cart.t", 13),)
    assert found[3].sub_type == "exception"


def test_non_verbose_prove_reports_test_more_diagnostics() -> None:
    found = findings(read_tool_fixture("prove/prove_failures.log"))
    assert failing_tests(found) == [
        "ten percent coupon",
        "shipping for 50",
        "shipping table",
        "unknown coupon does not die",
    ]
    summaries = [f for f in found if f.kind == "summary"]
    assert {f.strength for f in summaries} == {Strength.PARTIAL}
    assert [f.anchor for f in summaries] == [27, 31]


def test_tape_yaml_diagnostics() -> None:
    log = read_shared("logchunks/logs/JavaScript/airbnb@javascript/failed/543923279.log.gz")
    found = findings(log)
    first = found[0]
    assert first.test is not None
    assert first.test.name == "no errors"
    assert first.anchor == 975
    assert first.sub_type == "assertion"
    assert first.locations[0].line == 57
    assert first.locations[0].path.endswith("eslint-config-airbnb/test/test-react-order.js")


def test_todo_and_skip_directives_are_not_failures() -> None:
    log = b"ok 1 - a\nnot ok 2 - b # TODO later\nnot ok 3 - c # SKIP no db\n1..3\n"
    assert findings(log) == []
