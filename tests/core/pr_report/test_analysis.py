import json

from sheriff.core.pr_report import (
    FailureAnalysis,
    Severity,
    analysis_schema,
    deterministic_analysis,
    validate_analysis,
)
from tests.core.pr_report.samples import pricing_subject

VALID = {
    "severity": "high",
    "failed_tests": ["tests/test_pricing.py::test_total_without_discount"],
    "root_cause": "total() now adds 1 to every basket.",
    "related_changes": [{"file": "shop/pricing.py", "lines": "6", "why": "adds 1"}],
    "suggested_fixes": [
        {
            "title": "Remove the stray + 1",
            "description": "The shipping fee does not belong in total().",
            "file": "shop/pricing.py",
            "code": "return round(subtotal * (1 - discount), 2)",
        }
    ],
    "is_flaky": False,
    "confidence": 0.9,
}


def test_a_valid_answer_naming_known_files_passes() -> None:
    result = validate_analysis(json.dumps(VALID), pricing_subject())
    assert isinstance(result, FailureAnalysis)
    assert result.suggested_fixes[0].file == "shop/pricing.py"


def test_an_answer_naming_a_file_it_was_not_shown_is_rejected() -> None:
    invented = {**VALID, "suggested_fixes": [{"title": "Edit it", "file": "shop/tax.py"}]}
    problems = validate_analysis(invented, pricing_subject())
    assert isinstance(problems, list)
    assert problems[0].startswith("suggested_fixes.0.file: Value error, 'shop/tax.py' is not")


def test_the_schema_is_enforced() -> None:
    problems = validate_analysis({**VALID, "severity": "urgent", "extra": 1}, pricing_subject())
    assert isinstance(problems, list)
    assert any(item.startswith("severity:") for item in problems)
    assert any(item.startswith("extra:") for item in problems)
    assert validate_analysis({**VALID, "suggested_fixes": []}, pricing_subject()) != []
    schema = json.loads(analysis_schema())
    assert set(schema["required"]) == {
        "severity",
        "root_cause",
        "suggested_fixes",
        "is_flaky",
        "confidence",
    }


def test_the_failing_tests_own_file_and_locations_are_known_paths() -> None:
    subject = pricing_subject(files=())
    assert subject.known_paths == frozenset({"tests/test_pricing.py"})


def test_the_deterministic_analysis_points_at_the_hunk_and_shows_its_code() -> None:
    subject = pricing_subject()
    analysis = deterministic_analysis(subject)
    assert Severity(analysis.severity) is Severity.HIGH
    assert analysis.failed_tests == (
        "tests/test_pricing.py::test_total_without_discount",
        "tests/test_pricing.py::test_total_with_discount",
    )
    assert "AssertionError: assert 4.0 == 3.0" in analysis.root_cause
    assert "`shop/pricing.py`" in analysis.root_cause
    [change] = analysis.related_changes
    assert (change.file, change.lines) == ("shop/pricing.py", "3-6")
    review, rerun = analysis.suggested_fixes
    assert review.file == "shop/pricing.py"
    assert review.code == "    return round(subtotal * (1 - discount) + 1, 2)"
    assert rerun.code == "python -m pytest tests/test_pricing.py::test_total_without_discount"
    assert not analysis.is_flaky
    assert analysis.confidence == 0.98
    assert isinstance(validate_analysis(analysis, subject), FailureAnalysis)  # its own paths


def test_without_a_link_the_deterministic_analysis_says_so() -> None:
    analysis = deterministic_analysis(pricing_subject(files=()))
    assert "None of the pull request's changes is named by the failure" in analysis.root_cause
    assert Severity(analysis.severity) is Severity.MEDIUM
    assert [fix.title for fix in analysis.suggested_fixes] == [
        "Check what the test expects at tests/test_pricing.py:5",
        "Run the failing test alone",
    ]
