"""Every test's outcome from structured results, with the identities triage gives the
failing ones (so a pass and a failure of one test meet in the store)."""

from __future__ import annotations

from pathlib import Path

from sheriff.core.model import TestIdentity
from sheriff.core.test_results import CaseOutcome, go_json_results, junit_results
from sheriff.core.triage import triage_bytes
from sheriff.testing.fakegithub import DEMO_SEED

CART = DEMO_SEED / "artifacts" / "test-results" / "TEST-com.example.shop.CartTest.xml"
PYTEST_XML = Path(__file__).parents[1] / "fixtures" / "tools" / "pytest" / "pytest_junitxml.xml"
GO_JSON = Path(__file__).parents[1] / "fixtures" / "tools" / "go" / "go_test_json.log"


def _failing_tests(data: bytes) -> set[TestIdentity]:
    report = triage_bytes(data, source="log")
    return {failure.finding.test for failure in report.failures if failure.finding.test}


def test_a_junit_report_gives_passes_and_failures_under_triages_identities() -> None:
    data = CART.read_bytes()
    results = junit_results(data)
    outcomes = {result.test.name: result.outcome for result in results}
    assert len(results) == 4
    assert outcomes["totalSumsLines"] is CaseOutcome.PASSED
    assert outcomes["tenPercentCoupon"] is CaseOutcome.FAILED
    assert all(result.source == "junit" for result in results)
    failed = {result.test for result in results if result.outcome is CaseOutcome.FAILED}
    assert failed == _failing_tests(data)


def test_pytests_junit_xml_is_read_too() -> None:
    data = PYTEST_XML.read_bytes()
    results = junit_results(data)
    assert {r.outcome for r in results} >= {CaseOutcome.PASSED, CaseOutcome.FAILED}
    failed = {result.test for result in results if result.outcome is CaseOutcome.FAILED}
    assert failed == _failing_tests(data)


def test_xunit_nunit_and_trx_outcome_attributes() -> None:
    xunit = b"""<assemblies><assembly><collection>
      <test name="A.B.Ok" type="A.B" method="Ok" result="Pass"/>
      <test name="A.B.Bad" type="A.B" method="Bad" result="Fail"><failure/></test>
      <test name="A.B.Later" type="A.B" method="Later" result="Skip"/>
    </collection></assembly></assemblies>"""
    nunit = b"""<test-run><test-suite><test-case name="Ok" classname="N.T" result="Passed"/>
      <test-case name="Bad" classname="N.T" result="Failed"/></test-suite></test-run>"""
    trx = b"""<TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010"><Results>
      <UnitTestResult testName="Ok" outcome="Passed"/>
      <UnitTestResult testName="No" outcome="NotExecuted"/>
      </Results></TestRun>"""
    assert [(r.test.suite, r.test.name, r.outcome.value) for r in junit_results(xunit)] == [
        ("A.B", "Ok", "pass"),
        ("A.B", "Bad", "fail"),
        ("A.B", "Later", "skip"),
    ]
    assert [r.outcome.value for r in junit_results(nunit)] == ["pass", "fail"]
    assert [(r.test.name, r.outcome.value) for r in junit_results(trx)] == [
        ("Ok", "pass"),
        ("No", "skip"),
    ]


def test_a_broken_or_hostile_document_gives_nothing() -> None:
    assert junit_results(b"<testsuite><testcase name='x'>") == []
    bomb = b'<!DOCTYPE x [<!ENTITY a "aaaa">]><testsuite><testcase name="&a;"/></testsuite>'
    assert junit_results(bomb) == []


def test_go_test_json_gives_each_tests_final_outcome_under_triages_identities() -> None:
    data = GO_JSON.read_bytes()
    stamped = [f"2026-11-22T04:42:57.1Z {line}" for line in data.decode().splitlines()]
    results = go_json_results(stamped)
    passed = [r for r in results if r.outcome is CaseOutcome.PASSED]
    test_passes = [line for line in stamped if '"Action":"pass"' in line and '"Test"' in line]
    assert len(passed) == len(test_passes) == 6
    assert all(r.test.framework == "go" and r.test.suite for r in results)
    failed = {r.test for r in results if r.outcome is CaseOutcome.FAILED}
    assert _failing_tests(data) <= failed
