from sheriff.core.causes import causes_of
from sheriff.core.triage import triage_bytes
from tests.conftest import read_shared, read_tool_fixture


def test_failing_tests_are_the_causes_not_their_summaries() -> None:
    report = triage_bytes(read_tool_fixture("gradle/gradle_test_failures.log"))
    causes = causes_of(report)
    assert causes
    assert all(c.finding.test is not None and c.finding.kind != "summary" for c in causes)
    assert len(causes) < len(report.failures)


def test_without_failing_tests_the_primary_is_the_cause() -> None:
    report = triage_bytes(
        read_shared("cidiff-breakages/breakages_dump/Build Terraform CLI Packages_/run312/fail.log")
    )
    assert causes_of(report) == [report.failures[0]]


def test_a_clean_log_has_no_cause() -> None:
    assert causes_of(triage_bytes(b"all good\n")) == []
