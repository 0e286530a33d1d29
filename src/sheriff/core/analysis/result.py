"""The analysis result: the JSON an LLM must return, validated, and what the deterministic
analysis produces in the same shape.

Hypotheses must cite snippets of the pack by id (``S1``…). Validating with the pack's ids
in the context (``validate_result``) rejects a citation of a snippet that does not exist,
so the LLM is asked again instead of inventing evidence.
"""

from __future__ import annotations

import json
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from sheriff.core.analysis.pack import ContextPack

SNIPPET_ID = r"^S[1-9][0-9]?$"


class Hypothesis(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str = Field(min_length=3, max_length=200)
    explanation: str = Field(min_length=3, max_length=3000)
    likelihood: Literal["high", "medium", "low"]
    snippet_ids: tuple[str, ...] = Field(
        default=(), description="ids of the pack's snippets that support it, e.g. S1"
    )

    @field_validator("snippet_ids")
    @classmethod
    def _cited_snippets_exist(cls, value: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        known = (info.context or {}).get("snippet_ids")
        for snippet_id in value:
            if not re.fullmatch(SNIPPET_ID, snippet_id):
                raise ValueError(f"{snippet_id!r} is not a snippet id (S1, S2, ...)")
            if known is not None and snippet_id not in known:
                raise ValueError(
                    f"{snippet_id} is not in the context pack (known: {_names(known)})"
                )
        return value


class Reproduction(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    command: str = Field(min_length=1, max_length=1000)
    notes: str = Field(default="", max_length=2000)


class AnalysisResult(BaseModel):
    """What Sheriff says about a failure in its analysis comment."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    summary: str = Field(min_length=3, max_length=2000)
    hypotheses: tuple[Hypothesis, ...] = Field(min_length=1, max_length=5)
    reproduction: Reproduction
    fix_plan: tuple[str, ...] = Field(min_length=1, max_length=10)
    risks: tuple[str, ...] = Field(default=(), max_length=10)
    checklist: tuple[str, ...] = Field(default=(), max_length=12)


def _names(known: object) -> str:
    return (
        ", ".join(sorted(str(item) for item in known))
        if isinstance(known, (set, frozenset))
        else "none"
    )


def citation_context(pack: ContextPack) -> dict[str, frozenset[str]]:
    """The validation context that makes citations checked against ``pack``."""
    return {"snippet_ids": pack.snippet_ids}


def validate_result(
    data: str | bytes | dict[str, object], pack: ContextPack
) -> AnalysisResult | list[str]:
    """The result, or the problems to send back to the LLM (one line each)."""
    try:
        if isinstance(data, (str, bytes)):
            return AnalysisResult.model_validate_json(data, context=citation_context(pack))
        return AnalysisResult.model_validate(data, context=citation_context(pack))
    except ValidationError as error:
        return [
            f"{'.'.join(str(part) for part in item['loc']) or 'result'}: {item['msg']}"
            for item in error.errors()
        ]


def check_citations(result: AnalysisResult, pack: ContextPack) -> list[str]:
    """Citations of snippets the pack does not have (for a result validated elsewhere)."""
    known = pack.snippet_ids
    return [
        f"hypothesis {number}: {snippet_id} is not in the context pack"
        for number, hypothesis in enumerate(result.hypotheses, start=1)
        for snippet_id in hypothesis.snippet_ids
        if snippet_id not in known
    ]


def result_schema() -> str:
    """The JSON schema of the result, for prompts that ask for plain JSON."""
    return json.dumps(AnalysisResult.model_json_schema(), indent=1, sort_keys=True)
