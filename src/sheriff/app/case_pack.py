"""The context pack of a case: the stored excerpt and occurrences, the flakiness engine's
evidence, and code read from the mirror at the failing commit (the failing test's source
found by name first, then the code at the locations the log names).

Without a mirror (none configured, or it cannot be read) the pack has no snippets, and
the analysis says so: an analysis is still posted.
"""

from __future__ import annotations

from dataclasses import dataclass

from sheriff.app.case_context import LifecycleContext
from sheriff.app.ports import CaseView, OccurrenceDetail
from sheriff.app.scan_issues import flaky_signal_of
from sheriff.app.workspace import SourceMirror
from sheriff.core.analysis import (
    ContextPack,
    SnippetSource,
    build_context_pack,
    snippet_around,
    snippet_of_test,
    snippet_requests,
)
from sheriff.core.issues import FailureCase, Occurrence
from sheriff.core.model import Location, TestIdentity
from sheriff.core.parsers.base import find_locations
from sheriff.core.quarantine import search_hint
from sheriff.errors import WorkspaceError

OCCURRENCES = 10


@dataclass(frozen=True, slots=True)
class CasePack:
    pack: ContextPack
    failing_sha: str | None
    note: str = ""  # why there is no code in it, when there is none


def bare_test_name(test: TestIdentity) -> str:
    """The name a test's definition carries: no parameters, subtests or class prefix."""
    name = test.name.split("[", 1)[0].split("/", 1)[0].split(" ", 1)[0]
    for separator in ("::", "#", "."):
        name = name.rsplit(separator, 1)[-1]
    return name.removesuffix("()")


def build_case_pack(
    context: LifecycleContext, view: CaseView, *, with_code: bool = True
) -> CasePack:
    detail = context.store.latest_occurrence(context.repo, view.fingerprint)
    case = _failure_case(context, view, detail)
    evidence = [note.detail for note in case.flakiness.evidence if note.detail]
    sha = detail.evidence.head_sha if detail else None
    sources: list[SnippetSource] = []
    test_file = None
    note = "" if with_code else "code is not read in a dry run"
    if with_code and sha and context.mirror is not None and context.mirror.available:
        try:
            mirror = context.mirror.get()
            test_file, sources = _read_snippets(mirror, context.repo, sha, case)
        except WorkspaceError as error:
            note = f"the code could not be read: {error}"
            context.audit(view.fingerprint, "analysis.code_unavailable", note, {"sha": sha})
    pack = build_context_pack(case, sources, evidence=evidence, test_file=test_file)
    return CasePack(pack, sha, note)


def _failure_case(
    context: LifecycleContext, view: CaseView, detail: OccurrenceDetail | None
) -> FailureCase:
    rows = context.store.occurrences_of(context.repo, view.fingerprint, limit=OCCURRENCES)
    occurrences = tuple(
        Occurrence(
            run_id=row.run_id,
            attempt=row.attempt,
            run_url=row.job_url or "",
            job_name=row.job_name,
            head_sha=row.head_sha,
            branch=row.head_branch,
            event=row.event,
            seen_at=row.seen_at,
            runner=row.runner_os,
        )
        for row in rows
    )
    excerpt = detail.excerpt if detail else ()
    locations = [found for _, text in excerpt for found in find_locations(text)]
    return FailureCase(
        repo=context.repo,
        fingerprint=view.fingerprint,
        failure_type=view.failure_type,
        sub_type=view.sub_type,
        tool=detail.tool if detail else "unknown",
        signature=view.signature,
        message=detail.evidence.message if detail else view.signature,
        occurrences=occurrences,
        test=detail.test if detail else None,
        location=locations[0] if locations else None,
        excerpt=excerpt,
        flakiness=flaky_signal_of(view.assessment),
        total_occurrences=view.occurrence_count or None,
        first_seen=view.first_seen_at,
    )


def _read_snippets(
    mirror: SourceMirror, repo: str, sha: str, case: FailureCase
) -> tuple[str | None, list[SnippetSource]]:
    test_file = locate_test(mirror, sha, case.test) if case.test else None
    locations = [found for _, text in case.excerpt for found in find_locations(text)]
    sources: list[SnippetSource] = []
    for request in snippet_requests(_distinct(locations), repo, test_file=test_file):
        text = _file_text(mirror, sha, request.path)
        if text is None:
            continue
        if request.line is None and case.test is not None:
            found = snippet_of_test(request.path, sha, text, case.test)
        else:
            found = snippet_around(
                request.path, sha, text, request.line or 1, reason=request.reason
            )
        if found is not None:
            sources.append(found)
    return test_file, sources


def locate_test(mirror: SourceMirror, sha: str, test: TestIdentity) -> str | None:
    """The file that defines ``test`` at ``sha``: the file its identity names when it has
    the test, else the best-ranked definition with the framework's extension."""
    hint = search_hint(test)
    found = mirror.find_test_at(sha, bare_test_name(test))
    paths = [item.path for item in found]
    if hint is not None:
        if hint.path and hint.path in paths:
            return hint.path
        paths = [path for path in paths if path.endswith(hint.extensions)]
    return paths[0] if paths else None


def _file_text(mirror: SourceMirror, sha: str, path: str) -> str | None:
    try:
        snippet = mirror.read_at(sha, path)
    except WorkspaceError:
        return None
    return snippet.text if snippet is not None else None


def _distinct(locations: list[Location]) -> list[Location]:
    return list(dict.fromkeys(locations))
