"""The assistant's prompt: the request and its context as data, never as instructions.

Every untrusted text goes between delimiter lines that name it; a delimiter-looking line
inside the text is defused, so text cannot close its own block. Everything is redacted
and bounded: the thread keeps its newest posts, patches and excerpts are cut to budget.
The instructions are a versioned file (``sheriff/prompts/assistant.md``) the app passes in.
"""

from __future__ import annotations

from collections.abc import Iterable

from sheriff.core.analysis import Prompt
from sheriff.core.analysis.reproduce import reproduction_command
from sheriff.core.assistant.context import ChangedFile, FailureBrief, MentionContext
from sheriff.core.assistant.requests import AssistantAsk, RequestKind
from sheriff.core.redact import redact

MAX_POST_CHARS = 3_000
MAX_THREAD_POSTS = 12
MAX_PATCH_CHARS = 24_000
MAX_EXCERPT_LINES = 80
MAX_CODE_CHARS = 12_000
_DELIMITER = "====="

_TASKS = {
    RequestKind.EXPLAIN: "Explain why the failure below happened, citing the log lines and code.",
    RequestKind.QUESTION: "Answer the question about this repository's code.",
    RequestKind.REVIEW: "Review the pull request's changes: correctness, tests, risks.",
    RequestKind.CHANGE: "Describe the change asked for (you cannot make changes here).",
    RequestKind.HELP: "Say briefly what you can do here.",
}


def assistant_prompt(
    ask: AssistantAsk, context: MentionContext, instructions: str, *, tools: bool
) -> Prompt:
    """The system and user text for one answer; ``tools`` says whether code can be read."""
    return _prompt(_TASKS[ask.kind], _tools_note(context, tools), ask, context, instructions)


def change_prompt(ask: AssistantAsk, context: MentionContext, instructions: str) -> Prompt:
    """The system and user text for the change agent (it edits a checkout of the code)."""
    task = "Make the change the request asks for in this repository, and nothing more."
    sha = f" at commit {context.code_sha[:12]}" if context.code_sha else ""
    note = f"You work in a checkout of the repository{sha}; your work goes to a new branch."
    return _prompt(task, note, ask, context, instructions)


def _prompt(
    task: str, tools_note: str, ask: AssistantAsk, context: MentionContext, instructions: str
) -> Prompt:
    sections = [
        f"Task: {task}",
        f"Repository: {context.repo}; {context.noun} #{context.number}"
        + (f"; the request is {context.where}" if context.where else ""),
        tools_note,
        *([f"Note: hidden text was removed from what you read ({context.hidden})."]
          if context.hidden else []),
        block("request", ask.text),
        block(f"{context.noun} title", context.title),
        block(f"{context.noun} body", context.body),
        *_thread(context),
        *(_failure(item) for item in context.failures),
        *(block(f"code {item.path}:{item.start}-{item.end} @ {item.sha[:12]}",
                item.text[:MAX_CODE_CHARS]) for item in context.code),
        *_changes(context.changed_files),
    ]  # fmt: skip
    return Prompt(redact(instructions), redact("\n\n".join(part for part in sections if part)))


def block(name: str, text: str) -> str:
    """``text`` between delimiter lines naming it; inner delimiter-like runs are defused."""
    safe = text.replace(_DELIMITER, "= = =").strip("\n")
    safe = safe if safe.strip() else "(empty)"
    return f"{_DELIMITER} BEGIN {name} {_DELIMITER}\n{safe}\n{_DELIMITER} END {name} {_DELIMITER}"


def describe_failure(failure: FailureBrief) -> list[str]:
    """The failure's facts, one per line (shared with the deterministic answer)."""
    lines = [f"Failure: {failure.failure_type}/{failure.sub_type} reported by {failure.tool}"]
    if failure.test is not None:
        lines.append(f"Test: {failure.test.qualified} ({failure.test.framework})")
    if failure.test_location:
        lines.append(f"Test defined at: {failure.test_location}")
    lines.append(f"Signature: {failure.signature}")
    seen = f"Seen {failure.occurrences} time(s)"
    if failure.p_flaky is not None:
        seen += f"; P(flaky) {failure.p_flaky:.2f}" + (
            f" ({failure.verdict})" if failure.verdict else ""
        )
    lines.append(seen + (f"; case state {failure.state}" if failure.state else ""))
    where = [part for part in (failure.workflow, failure.job_name) if part]
    if where or failure.head_sha:
        at = f" at {failure.head_sha[:12]}" if failure.head_sha else ""
        on = f" on {failure.branch}" if failure.branch else ""
        lines.append(f"Job: {' / '.join(where) or '?'}{at}{on}")
    found = reproduction_command(failure.test) if failure.test else None
    if found is not None:
        lines.append(f"Reproduce: {found.command}")
    return lines


def _tools_note(context: MentionContext, tools: bool) -> str:
    if tools and context.code_sha:
        return (
            f"You can read the repository at commit {context.code_sha[:12]} with the tools "
            "read_file, search, find_test and list_files. You cannot change anything."
        )
    return "You cannot read more code than is shown below."


def _thread(context: MentionContext) -> Iterable[str]:
    posts = context.thread[-MAX_THREAD_POSTS:]
    if len(context.thread) > len(posts):
        yield f"({len(context.thread) - len(posts)} earlier comment(s) left out)"
    for post in posts:
        who = f"{post.author} (Sheriff)" if post.by_sheriff else post.author
        yield block(f"comment by {who}", _cut(post.text, MAX_POST_CHARS))


def _failure(failure: FailureBrief) -> str:
    name = f"failure {failure.fingerprint[:12]}"
    facts = block(name, "\n".join(describe_failure(failure)))
    excerpt = failure.excerpt[:MAX_EXCERPT_LINES]
    if not excerpt:
        return facts
    numbered = "\n".join(f"{number:>6}  {text}" for number, text in excerpt)
    return f"{facts}\n\n{block(f'log excerpt of {name}', numbered)}"


def _changes(files: tuple[ChangedFile, ...]) -> Iterable[str]:
    if not files:
        return
    yield "Changed files: " + ", ".join(
        f"{item.path} ({item.status}, +{item.additions}/-{item.deletions})" for item in files
    )
    budget = MAX_PATCH_CHARS
    for item in files:
        if not item.patch or budget <= 0:
            continue
        patch = _cut(item.patch, budget)
        budget -= len(patch)
        yield block(f"diff of {item.path}", patch)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 20].rstrip() + "\n[... cut ...]"
