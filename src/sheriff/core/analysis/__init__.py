"""Grounded analysis of a failure case: the context pack, the validated result, the
deterministic fallback, the managed comment and the LLM prompts. Pure: the app reads code
from its mirror and calls the LLM; this package only shapes text.

Flow in the app: ``snippet_requests`` → read files → ``snippet_of_test`` /
``snippet_around`` → ``build_context_pack`` → (LLM: ``analysis_prompt`` then
``validate_result``; or ``deterministic_analysis``) → ``render_analysis`` → post or edit
the comment keyed ``analysis:<fingerprint>``.
"""

from sheriff.core.analysis.deterministic import deterministic_analysis
from sheriff.core.analysis.pack import (
    ContextPack,
    PackBudget,
    Snippet,
    SnippetSource,
    build_context_pack,
    fit_pack,
    pack_size,
)
from sheriff.core.analysis.prompt import Prompt, analysis_prompt, describe_pack, reply_prompt
from sheriff.core.analysis.render import COMMENT_LIMIT, render_analysis, untrusted
from sheriff.core.analysis.reproduce import ReproductionCommand, reproduction_command
from sheriff.core.analysis.result import (
    AnalysisResult,
    Hypothesis,
    Reproduction,
    check_citations,
    citation_context,
    result_schema,
    validate_result,
)
from sheriff.core.analysis.snippets import (
    SnippetRequest,
    repository_path,
    snippet_around,
    snippet_of_test,
    snippet_requests,
)

__all__ = [
    "COMMENT_LIMIT",
    "AnalysisResult",
    "ContextPack",
    "Hypothesis",
    "PackBudget",
    "Prompt",
    "Reproduction",
    "ReproductionCommand",
    "Snippet",
    "SnippetRequest",
    "SnippetSource",
    "analysis_prompt",
    "build_context_pack",
    "check_citations",
    "citation_context",
    "describe_pack",
    "deterministic_analysis",
    "fit_pack",
    "pack_size",
    "render_analysis",
    "reply_prompt",
    "repository_path",
    "reproduction_command",
    "result_schema",
    "snippet_around",
    "snippet_of_test",
    "snippet_requests",
    "untrusted",
    "validate_result",
]
