"""The context pack: what an analysis (LLM or deterministic) is grounded in.

A pack holds the failure (message, log excerpt, recent occurrences, flaky evidence) and
code snippets labelled ``S1``, ``S2``… each with its path, commit and line range. Every
text is redacted when the pack is built, and the pack fits a size budget: the excerpt
and snippets are trimmed, lowest-priority snippets first, so the prompt and the comment
stay bounded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sheriff.core.issues.facts import FailureCase, Occurrence
from sheriff.core.model import FailureType, Location, TestIdentity
from sheriff.core.redact import redact


@dataclass(frozen=True, slots=True)
class SnippetSource:
    """Code the app read from the mirror at the failing commit, before it gets an id.
    ``start_line`` is the 1-based number of the first line of ``text``."""

    path: str
    sha: str
    start_line: int
    text: str
    reason: str  # "failing test", "stack frame", "assertion"...


@dataclass(frozen=True, slots=True)
class Snippet:
    id: str  # S1, S2...
    path: str
    sha: str
    start_line: int
    end_line: int
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class PackBudget:
    max_chars: int = 24_000  # excerpt + snippets
    max_snippets: int = 6
    snippet_lines: int = 60
    excerpt_lines: int = 80
    occurrences: int = 10


@dataclass(frozen=True, slots=True)
class ContextPack:
    repo: str
    fingerprint: str
    failure_type: FailureType
    sub_type: str
    tool: str
    message: str
    test: TestIdentity | None
    location: Location | None
    excerpt: tuple[tuple[int, str], ...]
    occurrences: tuple[Occurrence, ...]
    occurrence_count: int
    flaky_evidence: tuple[str, ...]
    p_flaky: float | None
    snippets: tuple[Snippet, ...]
    test_file: str | None = None
    trimmed: bool = False

    @property
    def snippet_ids(self) -> frozenset[str]:
        return frozenset(snippet.id for snippet in self.snippets)

    def snippet(self, snippet_id: str) -> Snippet | None:
        return next((item for item in self.snippets if item.id == snippet_id), None)


def build_context_pack(
    case: FailureCase,
    sources: Sequence[SnippetSource] = (),
    *,
    evidence: Sequence[str] = (),
    test_file: str | None = None,
    budget: PackBudget = PackBudget(),
) -> ContextPack:
    """The pack for ``case``: ``sources`` in priority order (the failing test first), the
    flakiness engine's ``evidence`` sentences, and the test's file when it was found."""
    snippets = _label(_distinct(sources), budget)
    excerpt = tuple(
        (number, redact(text)) for number, text in case.excerpt[-budget.excerpt_lines :]
    )
    pack = ContextPack(
        repo=case.repo,
        fingerprint=case.fingerprint,
        failure_type=case.failure_type,
        sub_type=case.sub_type,
        tool=case.tool,
        message=redact(case.message),
        test=case.test,
        location=case.location,
        excerpt=excerpt,
        occurrences=case.newest_first[: budget.occurrences],
        occurrence_count=case.occurrence_count,
        flaky_evidence=tuple(redact(line) for line in evidence),
        p_flaky=case.flakiness.p_flaky,
        snippets=snippets,
        test_file=test_file,
        trimmed=len(excerpt) < len(case.excerpt),
    )
    return fit_pack(pack, budget.max_chars)


def _distinct(sources: Sequence[SnippetSource]) -> list[SnippetSource]:
    """Sources without repeats: a snippet overlapping an earlier one of the same file is
    dropped (the earlier one has the higher priority)."""
    kept: list[SnippetSource] = []
    for source in sources:
        end = source.start_line + max(len(source.text.splitlines()), 1) - 1
        overlaps = any(
            other.path == source.path
            and other.start_line <= end
            and source.start_line <= other.start_line + len(other.text.splitlines()) - 1
            for other in kept
        )
        if not overlaps and source.text.strip():
            kept.append(source)
    return kept


def _label(sources: Sequence[SnippetSource], budget: PackBudget) -> tuple[Snippet, ...]:
    snippets = []
    for number, source in enumerate(sources[: budget.max_snippets], start=1):
        lines = [redact(line) for line in source.text.splitlines()[: budget.snippet_lines]]
        end = source.start_line + len(lines) - 1
        snippets.append(
            Snippet(
                f"S{number}",
                source.path,
                source.sha,
                source.start_line,
                end,
                "\n".join(lines),
                source.reason,
            )
        )
    return tuple(snippets)


def pack_size(pack: ContextPack) -> int:
    excerpt = sum(len(text) + 8 for _, text in pack.excerpt)
    return excerpt + sum(len(item.text) + len(item.path) + 40 for item in pack.snippets)


def fit_pack(pack: ContextPack, max_chars: int) -> ContextPack:
    """The pack within ``max_chars``: halve the excerpt down to 20 lines, then halve the
    last snippets, then drop them (never the first, the failing test)."""
    while pack_size(pack) > max_chars:
        smaller = _smaller(pack)
        if smaller is None:
            return pack
        pack = replace(smaller, trimmed=True)
    return pack


def _smaller(pack: ContextPack) -> ContextPack | None:
    if len(pack.excerpt) > 20:
        return replace(pack, excerpt=pack.excerpt[len(pack.excerpt) // 2 :])
    for index in range(len(pack.snippets) - 1, -1, -1):
        snippet = pack.snippets[index]
        lines = snippet.text.splitlines()
        if len(lines) > 10:
            shorter = _keep_lines(snippet, len(lines) // 2)
            return replace(
                pack, snippets=(*pack.snippets[:index], shorter, *pack.snippets[index + 1 :])
            )
    if len(pack.snippets) > 1:
        return replace(pack, snippets=pack.snippets[:-1])
    if pack.excerpt:
        return replace(pack, excerpt=pack.excerpt[len(pack.excerpt) // 2 + 1 :])
    return None


def _keep_lines(snippet: Snippet, count: int) -> Snippet:
    lines = snippet.text.splitlines()[:count]
    return replace(snippet, text="\n".join(lines), end_line=snippet.start_line + len(lines) - 1)
