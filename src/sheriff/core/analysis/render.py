"""The analysis as the managed comment on the case's issue.

The comment's first line is its hidden key marker (``analysis:<fingerprint>``) so it is
edited in place. Everything from the LLM or the log is untrusted: HTML is escaped,
``@mentions`` cannot ping, and code goes in fences longer than any backtick run it holds.
The comment stays under GitHub's size limit by dropping snippets from the end.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sheriff.core.analysis.pack import ContextPack, Snippet
from sheriff.core.analysis.result import AnalysisResult, Hypothesis
from sheriff.core.issues.blocks import when
from sheriff.core.issues.comments import keyed_comment
from sheriff.core.issues.inline_markdown import code_span, fence_for, html_text, safe_link
from sheriff.core.redact import redact

COMMENT_LIMIT = 60_000  # GitHub allows 65,536; leave room for the marker and edits
_MENTION = re.compile(r"(?<![\w`])@(?=[A-Za-z0-9])")
_LANGUAGES = {
    ".go": "go", ".py": "python", ".js": "javascript", ".jsx": "jsx", ".ts": "typescript",
    ".tsx": "tsx", ".java": "java", ".kt": "kotlin", ".rs": "rust", ".rb": "ruby",
    ".php": "php", ".cs": "csharp", ".c": "c", ".cc": "cpp", ".cpp": "cpp", ".h": "c",
    ".sh": "bash", ".yml": "yaml", ".yaml": "yaml",
}  # fmt: skip


def untrusted(text: str) -> str:
    """Text from the LLM or a log, safe as Markdown: no HTML, no mentions, no secrets."""
    return _MENTION.sub("@\u200b", html_text(redact(text)))


def render_analysis(
    pack: ContextPack,
    result: AnalysisResult,
    *,
    key: str,
    source: str,
    command: str = "/ai-fix",
    approval_label: str = "sheriff/ai-fix-approved",
) -> str:
    """The comment body; ``source`` says who wrote the analysis (a model, or "deterministic")."""
    for shown in range(len(pack.snippets), -1, -1):
        text = _render(
            pack, result, pack.snippets[:shown], source=source, command=command,
            approval_label=approval_label,
        )  # fmt: skip
        if len(text) <= COMMENT_LIMIT:
            return keyed_comment(key, text).body
    return keyed_comment(key, text[:COMMENT_LIMIT] + "\n\n_(truncated)_").body


def _render(
    pack: ContextPack,
    result: AnalysisResult,
    snippets: Sequence[Snippet],
    *,
    source: str,
    command: str,
    approval_label: str,
) -> str:
    out = [f"### Sheriff analysis: {_what(pack)}", "", f"_{_source_line(source)}_", ""]
    out += [untrusted(result.summary), "", "#### Likely causes", ""]
    out += [_hypothesis(number, item, pack) for number, item in enumerate(result.hypotheses, 1)]
    out += ["", "#### Reproduce", "", *_code([redact(result.reproduction.command)], "sh")]
    if result.reproduction.notes:
        out += ["", untrusted(result.reproduction.notes)]
    out += [
        "",
        "#### Fix plan",
        "",
        *(f"{n}. {untrusted(step)}" for n, step in enumerate(result.fix_plan, 1)),
    ]
    if result.risks:
        out += ["", "#### Risks", "", *(f"- {untrusted(risk)}" for risk in result.risks)]
    checklist = [
        *result.checklist,
        f"Approve a fix: comment `{command}` or add the label `{approval_label}`.",
    ]
    out += [
        "",
        "#### Maintainer checklist",
        "",
        *(f"- [ ] {untrusted(item)}" for item in checklist),
    ]
    out += ["", *_evidence(pack), *_snippets(snippets, len(pack.snippets))]
    return "\n".join(out).rstrip() + "\n"


def _what(pack: ContextPack) -> str:
    return code_span(pack.test.qualified) if pack.test else code_span(pack.tool)


def _source_line(source: str) -> str:
    if source == "deterministic":
        return (
            "Deterministic analysis (no LLM configured): evidence, code and a reproduction command."
        )
    return f"Analysis by {html_text(source)}, grounded in the snippets below; check before acting."


def _hypothesis(number: int, item: Hypothesis, pack: ContextPack) -> str:
    cites = ", ".join(_cite(snippet_id, pack) for snippet_id in item.snippet_ids)
    where = f" (see {cites})" if cites else ""
    title, explanation = untrusted(item.title), untrusted(item.explanation)
    return f"{number}. **{title}** — {item.likelihood}{where}. {explanation}"


def _cite(snippet_id: str, pack: ContextPack) -> str:
    snippet = pack.snippet(snippet_id)
    if snippet is None:
        return snippet_id
    return f"{snippet_id} {code_span(f'{snippet.path}:{snippet.start_line}')}"


def _code(lines: list[str], language: str = "") -> list[str]:
    fence = fence_for(lines)
    return [fence + language, *lines, fence]


def _evidence(pack: ContextPack) -> list[str]:
    out = ["<details><summary>Evidence</summary>", ""]
    if pack.flaky_evidence:
        out += [*(f"- {untrusted(line)}" for line in pack.flaky_evidence), ""]
    if pack.occurrences:
        out += ["| Seen | Run | Job | Commit |", "|---|---|---|---|"]
        for item in pack.occurrences:
            link = safe_link(item.run_url)
            run = f"[#{item.run_id}]({link})" if link else f"#{item.run_id}"
            job = untrusted(item.job_name).replace("|", "\\|")
            out.append(f"| {when(item.seen_at)} | {run} | {job} | `{item.head_sha[:7]}` |")
        out.append("")
    if pack.excerpt:
        lines = _numbered(pack.excerpt)
        out += ["Log excerpt:", "", *_code(lines, "text"), ""]
    return [*out, "</details>", ""]


def _numbered(excerpt: Sequence[tuple[int, str]]) -> list[str]:
    """Log lines with their numbers, and a ┆ where lines were left out."""
    width = len(str(excerpt[-1][0]))
    lines: list[str] = []
    previous: int | None = None
    for number, text in excerpt:
        if previous is not None and number != previous + 1:
            lines.append(" " * width + " ┆")
        lines.append(f"{number:>{width}} │ {text}")
        previous = number
    return lines


def _snippets(snippets: Sequence[Snippet], total: int) -> list[str]:
    if not snippets:
        return []
    out = ["<details><summary>Code</summary>", ""]
    for snippet in snippets:
        lines = f"lines {snippet.start_line}–{snippet.end_line}"
        head = (
            f"**{snippet.id}** {code_span(snippet.path)} at `{snippet.sha[:7]}`, {lines} "
            f"({html_text(snippet.reason)})"
        )
        language = next(
            (lang for ext, lang in _LANGUAGES.items() if snippet.path.endswith(ext)), ""
        )
        out += [head, "", *_code(snippet.text.splitlines(), language), ""]
    if len(snippets) < total:
        out += [
            f"_{total - len(snippets)} more snippet(s) left out to fit GitHub's comment limit._",
            "",
        ]
    return [*out, "</details>"]
