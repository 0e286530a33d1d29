"""Browser end-to-end suites: Playwright, and QUnit acceptance modules (Discourse)."""

from __future__ import annotations

from sheriff.core.model import FailureType, Finding, Location
from sheriff.core.parsers import parse_log
from sheriff.core.parsers.javascript import PARSER
from sheriff.core.rank import rank
from tests.conftest import read_shared, read_tool_fixture

DISCOURSE = "logchunks/logs/Ruby/discourse@discourse/failed/"


def findings(data: bytes) -> list[Finding]:
    return rank(parse_log(data, (PARSER,)))


def test_playwright_failures_are_e2e_assertions_named_as_printed() -> None:
    found = findings(read_tool_fixture("playwright/playwright_e2e.log"))
    assert [f.test.name for f in found if f.test] == [
        "tests/shop.spec.js:17:3 › shop page › shows the cart total",
        "tests/shop.spec.js:22:3 › shop page › checkout succeeds",
    ]
    first = found[0]
    assert (first.failure_type, first.sub_type) == (FailureType.E2E, "assertion")
    assert (first.anchor, first.ranges) == (14, ((14, 39),))
    assert first.message.startswith("Error: expect(locator).toHaveText(expected) failed")
    assert first.locations[0] == Location("tests/shop.spec.js", 17)
    assert len(found) == 2  # the code frames are not reported again as Node errors


def test_playwright_github_reporter_annotations_are_not_doubled() -> None:
    found = findings(read_tool_fixture("playwright/playwright_github_reporter.log"))
    assert [f.anchor for f in found] == [9, 36]


def test_a_browser_that_was_never_installed_is_infrastructure() -> None:
    found = findings(read_tool_fixture("playwright/playwright_browser_missing.log"))
    assert [(f.failure_type, f.sub_type, f.anchor) for f in found] == [
        (FailureType.INFRASTRUCTURE, "browser_not_installed", 7)
    ]


def test_qunit_acceptance_modules_are_e2e_and_unit_modules_are_tests() -> None:
    acceptance = findings(read_shared(DISCOURSE + "566876907.log.gz"))
    tests = [f for f in acceptance if f.tool == "qunit"]
    assert [f.test.name for f in tests if f.test] == [
        "remove words",
        "add words",
        "list words in groups",
    ]
    first = tests[0]
    assert (first.failure_type, first.sub_type, first.anchor) == (
        FailureType.E2E,
        "exception",
        15862,
    )
    assert first.ranges[0][0] == 15847  # the route error printed before the module
    unit = findings(read_shared(DISCOURSE + "566815121.log.gz"))
    module = next(f for f in unit if f.tool == "qunit")
    assert (module.failure_type, module.sub_type) == (FailureType.TEST, "assertion")
    assert module.test is not None
    assert module.test.name == "prevents toDate to be before fromDate"


def test_qunit_timeout_while_an_acceptance_test_runs() -> None:
    found = findings(read_shared(DISCOURSE + "565999589.log.gz"))
    timeout = next(f for f in found if f.sub_type == "timeout")
    assert (timeout.failure_type, timeout.anchor) == (FailureType.E2E, 12445)
    assert "Acceptance: Composer::Create a Topic" in timeout.message


# No real Cypress run can be made here (its binary comes from download.cypress.io; see
# tests/fixtures/tools/README.md), so this is Cypress 13's documented run output, by hand.
CYPRESS_RUN = """\
  Running:  login.cy.js                                                                     (1 of 1)


  Login
    1) shows an error for a wrong password
    \u2713 logs in (512ms)


  1 passing (5s)
  1 failing

  1) Login
       shows an error for a wrong password:
     AssertionError: Timed out retrying after 4000ms: Expected to find element: `.error`, \
but never found it.
      at Context.eval (webpack:///./cypress/e2e/login.cy.js:12:8)



  (Results)
"""


def test_cypress_failure_is_an_e2e_test_in_its_describe_block() -> None:
    first = findings(CYPRESS_RUN.encode())[0]
    assert first.test is not None
    assert (first.test.framework, first.test.suite, first.test.name) == (
        "cypress",
        "Login",
        "shows an error for a wrong password",
    )
    assert first.failure_type is FailureType.E2E
    assert first.message.startswith("AssertionError: Timed out retrying after 4000ms")
    assert first.locations[0] == Location("webpack:///./cypress/e2e/login.cy.js", 12)
