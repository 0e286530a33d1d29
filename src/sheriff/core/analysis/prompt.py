"""Prompts built from a context pack: the analysis request and a reply to a comment.

The instructions (system text) are versioned files in ``sheriff/prompts/``; the app reads
them and passes them in. The user text is the pack, with every part redacted again here
(redaction is idempotent), so no secret printed by CI reaches the LLM.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sheriff.core.analysis.pack import ContextPack
from sheriff.core.analysis.reproduce import reproduction_command
from sheriff.core.redact import redact

MAX_THREAD_CHARS = 6_000


@dataclass(frozen=True, slots=True)
class Prompt:
    system: str
    user: str


def describe_pack(pack: ContextPack) -> str:
    """The pack as plain text sections, snippets under their ids."""
    test = pack.test
    lines = [
        f"Repository: {pack.repo}",
        f"Failure: {pack.failure_type.value}/{pack.sub_type} reported by {pack.tool}",
    ]
    if test is not None:
        lines.append(f"Test: {test.qualified} (framework {test.framework})")
    if pack.test_file:
        lines.append(f"Test file: {pack.test_file}")
    if pack.location is not None:
        lines.append(f"Location: {pack.location.path}:{pack.location.line or ''}")
    lines.append(f"Seen {pack.occurrence_count} times; P(flaky) {_p(pack.p_flaky)}")
    found = reproduction_command(pack.test, test_file=pack.test_file)
    if found is not None:
        lines.append(f"Suggested reproduction: {found.command}")
    lines += ["", "## Error message", pack.message.strip() or "(none)"]
    if pack.flaky_evidence:
        lines += ["", "## Flaky evidence", *(f"- {line}" for line in pack.flaky_evidence)]
    lines += ["", "## Recent occurrences"]
    lines += [
        f"- run {item.run_id} attempt {item.attempt}, job {item.job_name!r}, "
        f"commit {item.head_sha[:12]}, branch {item.branch or '?'}, {item.seen_at.isoformat()}"
        for item in pack.occurrences
    ] or ["(none recorded)"]
    lines += ["", "## Log excerpt (line number | text)"]
    lines += [f"{number} | {text}" for number, text in pack.excerpt] or ["(none)"]
    lines += ["", "## Code snippets (cite them by id)"]
    for snippet in pack.snippets:
        lines += [
            f"### {snippet.id}: {snippet.path} at {snippet.sha[:12]}, "
            f"lines {snippet.start_line}-{snippet.end_line} ({snippet.reason})",
            *(
                f"{snippet.start_line + offset} | {text}"
                for offset, text in enumerate(snippet.text.splitlines())
            ),
        ]
    if not pack.snippets:
        lines.append("(no code could be read; do not cite snippets)")
    return redact("\n".join(lines))


def _p(value: float | None) -> str:
    return "unknown" if value is None else f"{value:.2f}"


def analysis_prompt(pack: ContextPack, instructions: str) -> Prompt:
    ids = ", ".join(sorted(pack.snippet_ids)) or "none"
    user = f"{describe_pack(pack)}\n\nAnswer with the analysis. Cite only these snippet ids: {ids}."
    return Prompt(instructions, user)


def reply_prompt(
    pack: ContextPack,
    instructions: str,
    *,
    question: str,
    author: str,
    thread: Sequence[tuple[str, str]] = (),
    analysis: str | None = None,
) -> Prompt:
    """A reply to ``author``'s comment, given the issue's earlier comments ``(author, body)``
    (the most recent that fit) and Sheriff's analysis."""
    earlier: list[str] = []
    size = 0
    for who, body in reversed(thread):
        entry = f"@{who}: {body.strip()}"
        size += len(entry)
        if size > MAX_THREAD_CHARS:
            break
        earlier.insert(0, entry)
    parts = [describe_pack(pack)]
    if analysis:
        parts.append("## Sheriff's analysis so far\n" + analysis.strip())
    if earlier:
        parts.append("## Earlier comments\n" + "\n\n".join(earlier))
    parts.append(f"## Comment to answer, from @{author}\n{question.strip()}")
    return Prompt(instructions, redact("\n\n".join(parts)))
