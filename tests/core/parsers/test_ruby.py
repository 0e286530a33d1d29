"""The Ruby parser on real RSpec, minitest, RuboCop and Bundler output."""

from __future__ import annotations

from sheriff.core.model import FailureType, Finding, Location, Strength
from sheriff.core.parsers import parse_log
from sheriff.core.parsers.ruby import PARSER
from sheriff.core.rank import rank
from tests.conftest import read_shared, read_tool_fixture

DISCOURSE = "logchunks/logs/Ruby/discourse@discourse/failed"
RAILS = "logchunks/logs/Ruby/rails@rails/failed"


def findings(data: bytes) -> list[Finding]:
    return rank(parse_log(data, (PARSER,)))


def failing_tests(found: list[Finding]) -> list[str]:
    return [f.test.name for f in found if f.test is not None and f.kind == "test"]


def test_rspec_failures_skip_pending_examples() -> None:
    found = findings(read_tool_fixture("rspec/rspec_failures.log"))
    assert failing_tests(found) == [
        "Cart#apply_coupon takes ten percent off",
        "Cart#apply_coupon ignores unknown coupons",
        "Cart#shipping when the total is 50 charges 0",
    ]
    first = found[0]
    assert first.anchor == 17
    assert first.test is not None
    assert first.test.suite == "spec/cart_spec.rb"
    assert first.locations[0] == Location("spec/cart_spec.rb", 12)
    assert found[1].sub_type == "exception"


def test_rspec_failure_from_discourse() -> None:
    found = findings(read_shared(f"{DISCOURSE}/565656484.log.gz"))
    first = found[0]
    assert first.test is not None
    assert (
        first.test.name
        == "DistributedMutex executions should not allow critical sections to overlap"
    )
    assert first.ranges == ((11432, 11449),)
    assert first.locations[0] == Location("spec/components/distributed_mutex_spec.rb", 125)


def test_rspec_load_error_is_a_syntax_test_failure() -> None:
    found = findings(read_shared(f"{DISCOURSE}/566299833.log.gz"))
    assert (found[0].failure_type, found[0].sub_type, found[0].anchor) == (
        FailureType.TEST,
        "syntax",
        11381,
    )
    assert found[0].ranges == ((11381, 11420),)
    assert found[0].locations[0].line == 3520


def test_rubocop_offense_with_colours() -> None:
    found = findings(read_shared(f"{DISCOURSE}/565888088.log.gz"))
    assert [(f.tool, f.failure_type, f.anchor, f.ranges) for f in found] == [
        ("rubocop", FailureType.LINT, 4091, ((4091, 4095),))
    ]


def test_rubocop_offenses_fixture_are_one_lint_finding() -> None:
    found = findings(read_tool_fixture("rubocop/rubocop_offenses.log"))
    assert len(found) == 1
    assert found[0].locations[0] == Location("lib/report.rb", 1)


def test_minitest_failures_and_errors() -> None:
    found = findings(read_tool_fixture("minitest/minitest_failures.log"))
    assert failing_tests(found) == [
        "test_ten_percent_coupon",
        "test_shipping_for_50",
        "test_unknown_coupon",
    ]
    assert [f.sub_type for f in found] == ["assertion", "assertion", "exception"]
    assert found[0].anchor == 9
    assert found[0].locations == (Location("test/cart_test.rb", 15),)
    assert found[2].locations[0] == Location("test/cart_test.rb", 19)


def test_rails_error_block_names_class_and_test() -> None:
    found = findings(read_shared(f"{RAILS}/517022106.log.gz"))
    first = found[0]
    assert first.test is not None
    assert first.test.suite == "ActionView::HelperInclusionTest"
    assert first.anchor == 2679
    assert first.sub_type == "exception"


def test_bundler_resolution_inside_a_test_run_is_only_partial() -> None:
    found = findings(read_shared(f"{RAILS}/517100249.log.gz"))
    bundler = [f for f in found if f.tool == "bundler"]
    assert bundler
    assert {f.strength for f in bundler} == {Strength.PARTIAL}
    assert found[0].tool == "minitest"


def test_unreachable_rubygems_is_a_network_failure() -> None:
    found = findings(read_tool_fixture("bundler/bundle_install_network.log"))
    assert (found[0].failure_type, found[0].sub_type, found[0].anchor) == (
        FailureType.INFRASTRUCTURE,
        "network",
        4,
    )
