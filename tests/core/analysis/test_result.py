"""The LLM's JSON result: validated, with citations checked against the pack."""

from __future__ import annotations

import json

from sheriff.core.analysis import (
    AnalysisResult,
    check_citations,
    deterministic_analysis,
    result_schema,
    validate_result,
)
from tests.core.analysis.cases import meetups_pack

GOOD = {
    "summary": "TestAlpha/Meetups compares list order with a sorted copy.",
    "hypotheses": [
        {
            "title": "The README list is out of order",
            "explanation": "testList sorts a copy and compares item by item (S2).",
            "likelihood": "high",
            "snippet_ids": ["S1", "S2"],
        }
    ],
    "reproduction": {"command": "go test . -run '^TestAlpha$/^Meetups$' -count=1"},
    "fix_plan": ["Sort the Meetups section of README.md."],
    "risks": [],
    "checklist": ["Check the section order."],
}


def test_a_good_result_validates_from_json_text() -> None:
    result = validate_result(json.dumps(GOOD), meetups_pack())
    assert isinstance(result, AnalysisResult)
    assert result.hypotheses[0].snippet_ids == ("S1", "S2")


def test_citing_a_snippet_the_pack_lacks_is_a_problem_to_send_back() -> None:
    bad = json.loads(json.dumps(GOOD))
    bad["hypotheses"][0]["snippet_ids"] = ["S1", "S7"]
    problems = validate_result(bad, meetups_pack())
    assert isinstance(problems, list)
    assert problems[0] == (
        "hypotheses.0.snippet_ids: Value error, S7 is not in the context pack (known: S1, S2)"
    )


def test_shape_errors_are_listed_one_per_line() -> None:
    bad = {**GOOD, "hypotheses": [], "extra": 1}
    bad["hypotheses"] = [{**GOOD["hypotheses"][0], "snippet_ids": ["line 12"]}]  # type: ignore[index]
    problems = validate_result(bad, meetups_pack())
    assert isinstance(problems, list)
    assert any(line.startswith("extra:") for line in problems)
    assert any("'line 12' is not a snippet id" in line for line in problems)
    assert validate_result("{not json", meetups_pack()) != []


def test_without_a_pack_context_only_the_id_format_is_checked() -> None:
    loose = AnalysisResult.model_validate(
        {**GOOD, "hypotheses": [{**GOOD["hypotheses"][0], "snippet_ids": ["S9"]}]}  # type: ignore[dict-item]
    )
    assert check_citations(loose, meetups_pack()) == ["hypothesis 1: S9 is not in the context pack"]


def test_the_deterministic_analysis_passes_the_same_validation() -> None:
    pack = meetups_pack()
    result = deterministic_analysis(pack)
    again = validate_result(result.model_dump(mode="json"), pack)
    assert again == result
    assert check_citations(result, pack) == []


def test_the_schema_names_every_section() -> None:
    schema = json.loads(result_schema())
    assert set(schema["required"]) == {"summary", "hypotheses", "reproduction", "fix_plan"}
