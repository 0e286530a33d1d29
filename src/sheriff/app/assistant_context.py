"""What the assistant reads before it answers: the issue or pull request, its thread, the
failures Sheriff triaged for it, a pull request's changes, and code at one commit.

Every text people wrote goes through ``clean_untrusted`` here, before anything else sees
it; what hygiene removed is counted for the audit log and the prompt. Code comes from the
repository's mirror (``SourceMirror.read_at`` / ``find_test_at``) and, for the model's
tools, from a worktree leased read-only for the answer (``RepositoryCode.reader``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from sheriff.app.assistant_code import RepositoryCode
from sheriff.app.assistant_records import AssistantOptions, AssistantStore, Mention
from sheriff.app.forge import Forge, IssueComment
from sheriff.app.forge_pulls import PullRequest
from sheriff.app.llm import LLM
from sheriff.app.ports import CaseView, OccurrenceDetail
from sheriff.core.assistant import (
    AssistantAsk,
    ChangedFile,
    CleanText,
    CodeExcerpt,
    FailureBrief,
    FoundMention,
    MentionContext,
    MentionSource,
    ThreadPost,
    clean_untrusted,
    is_sheriff,
    stage_of,
    strip_invisible,
)
from sheriff.core.issues.markers import comment_key_of
from sheriff.errors import GitHubNotFoundError, WorkspaceError

MAX_FAILURES = 5
MAX_CODE_EXCERPTS = 3
LINES_BEFORE_TEST, LINES_AFTER_TEST = 5, 40
LINES_AROUND_COMMENT = 15


@dataclass
class MentionRun:
    """One mention being answered, and everything it works with."""

    mention: Mention
    found: FoundMention
    ask: AssistantAsk
    forge: Forge
    store: AssistantStore
    options: AssistantOptions
    llm: LLM | None
    code: RepositoryCode


def gather_context(run: MentionRun) -> MentionContext:
    forge, mention = run.forge, run.mention
    issue = forge.get_issue(mention.number)
    if issue is None:
        raise GitHubNotFoundError(
            f"{forge.write_repo}#{mention.number} was not found",
            hint="the issue or pull request may have been deleted or transferred",
        )
    is_pull = issue.is_pull_request or mention.is_pull_request
    pull = forge.get_pull_request(mention.number) if is_pull else None
    removed: Counter[str] = Counter(dict(run.found.cleaned.removed))
    by_people = None if is_sheriff(issue.author or "", run.options.own_login) else removed
    failures = _failures(run, pull)
    code_sha = _code_sha(run, pull, failures)
    failures, code = _code(run, code_sha, failures)
    own = mention.source is MentionSource.ISSUE_BODY
    return MentionContext(
        repo=forge.write_repo,
        number=mention.number,
        is_pull_request=is_pull,
        title=_clean(issue.title, by_people),
        body="(the request above)" if own else _clean(issue.body, by_people),
        author=issue.author,
        where=_where(mention),
        thread=_thread(run, removed),
        failures=failures,
        code=code,
        changed_files=_changed_files(forge, pull, removed),
        code_sha=code_sha,
        hidden=CleanText("", tuple(sorted(removed.items()))).describe(),
    )


def _clean(text: str, removed: Counter[str] | None) -> str:
    """People's text as rendered; what was hidden is counted in ``removed`` (None for
    Sheriff's own text, whose markers and tags are no one's hidden text)."""
    cleaned = clean_untrusted(text)
    if removed is not None:
        removed.update(dict(cleaned.removed))
    return cleaned.text


def _where(mention: Mention) -> str:
    if mention.source is MentionSource.REVIEW_COMMENT and mention.path:
        line = f" line {mention.line}" if mention.line else ""
        return f"a review comment on {mention.path}{line}"
    return {
        MentionSource.REVIEW: "a pull request review",
        MentionSource.ISSUE_BODY: "the body of the issue or pull request",
    }.get(mention.source, "a comment")


def _thread(run: MentionRun, removed: Counter[str]) -> tuple[ThreadPost, ...]:
    """The conversation before the answer: people's comments and Sheriff's (not the
    request itself, not the assistant's own progress comments)."""
    posts = []
    for comment in sorted(run.forge.list_comments(run.mention.number).items, key=_by_id):
        if _is_request(run.mention, comment) or stage_of(comment.body) is not None:
            continue
        by_sheriff = comment_key_of(comment.body) is not None or is_sheriff(
            comment.author or "", run.options.own_login
        )
        text = _clean(comment.body, None if by_sheriff else removed)
        posts.append(ThreadPost(comment.author or "someone", text, by_sheriff))
    return tuple(posts)


def _by_id(comment: IssueComment) -> int:
    return comment.comment_id


def _is_request(mention: Mention, comment: IssueComment) -> bool:
    return mention.source is MentionSource.ISSUE_COMMENT and comment.comment_id == mention.source_id


def _failures(run: MentionRun, pull: PullRequest | None) -> tuple[FailureBrief, ...]:
    """The cases linked to the issue, or the failures found on the pull request's head."""
    store, repo = run.store, run.forge.read_repo
    pairs: list[tuple[CaseView | None, OccurrenceDetail | None]] = []
    if pull is not None:
        seen: set[str] = set()
        for detail in store.occurrences_at(repo, pull.head_sha):
            if detail.fingerprint not in seen:
                seen.add(detail.fingerprint)
                pairs.append((store.get_case(repo, detail.fingerprint), detail))
    pairs.extend(
        (case, store.latest_occurrence(case.repo, case.fingerprint))
        for case in store.cases_for_issue(run.forge.write_repo, run.mention.number)
    )
    briefs = [_brief(case, detail) for case, detail in pairs[:MAX_FAILURES]]
    return tuple(brief for brief in briefs if brief is not None)


def _brief(case: CaseView | None, detail: OccurrenceDetail | None) -> FailureBrief | None:
    if detail is None:
        return None if case is None else _with_case(_case_only(case), case)
    evidence = detail.evidence
    brief = FailureBrief(
        fingerprint=detail.fingerprint,
        failure_type=detail.failure_type.value,
        sub_type=detail.sub_type,
        tool=detail.tool,
        signature=strip_invisible(evidence.message).text,
        test=detail.test,
        workflow=evidence.workflow,
        job_name=evidence.job_name,
        job_url=evidence.job_url,
        head_sha=evidence.head_sha,
        branch=evidence.head_branch,
        excerpt=tuple((number, strip_invisible(text).text) for number, text in detail.excerpt),
    )
    return brief if case is None else _with_case(brief, case)


def _case_only(case: CaseView) -> FailureBrief:
    return FailureBrief(
        case.fingerprint, case.failure_type.value, case.sub_type, "ci", case.signature
    )


def _with_case(brief: FailureBrief, case: CaseView) -> FailureBrief:
    return replace(
        brief,
        state=case.state.value,
        occurrences=case.occurrence_count,
        p_flaky=case.assessment.p_flaky,
        verdict=case.assessment.verdict,
    )


def _code_sha(
    run: MentionRun, pull: PullRequest | None, failures: tuple[FailureBrief, ...]
) -> str | None:
    """The commit the answer reads: the pull request's head, the failing commit, or the
    default branch's head (None when the repository has no commit yet: no code to read)."""
    if pull is not None:
        return pull.head_sha
    failing = next((item.head_sha for item in failures if item.head_sha), None)
    if failing:
        return failing
    try:
        return run.forge.default_branch_head()
    except GitHubNotFoundError:
        return None


def _code(
    run: MentionRun, sha: str | None, failures: tuple[FailureBrief, ...]
) -> tuple[tuple[FailureBrief, ...], tuple[CodeExcerpt, ...]]:
    """Where each failing test is defined (and its code), and the reviewed lines."""
    mirror = run.code.mirror()
    if mirror is None or sha is None:
        return failures, ()
    excerpts: list[CodeExcerpt] = []
    located: list[FailureBrief] = []
    try:
        for failure in failures:
            found = mirror.find_test_at(sha, failure.test.name) if failure.test else []
            if not found or len(excerpts) >= MAX_CODE_EXCERPTS:
                located.append(failure)
                continue
            where = found[0]
            located.append(replace(failure, test_location=f"{where.path}:{where.line}"))
            start = max(1, where.line - LINES_BEFORE_TEST)
            excerpts += _excerpt(run, sha, where.path, start, where.line + LINES_AFTER_TEST)
        path, line = run.mention.path, run.mention.line
        if path and line:
            around = LINES_AROUND_COMMENT
            excerpts += _excerpt(run, sha, path, max(1, line - around), line + around)
    except WorkspaceError as error:
        run.code.note = f"code could not be read: {error.message}"
        return failures, tuple(excerpts)
    return tuple(located), tuple(excerpts)


def _excerpt(run: MentionRun, sha: str, path: str, start: int, end: int) -> list[CodeExcerpt]:
    mirror = run.code.mirror()
    snippet = mirror.read_at(sha, path, start, end) if mirror else None
    if snippet is None or not snippet.text:
        return []
    text = strip_invisible(snippet.text).text
    return [CodeExcerpt(snippet.path, snippet.sha, snippet.start, text)]


def _changed_files(
    forge: Forge, pull: PullRequest | None, removed: Counter[str]
) -> tuple[ChangedFile, ...]:
    if pull is None:
        return ()
    changed = []
    for item in forge.list_pull_request_files(pull.number):
        patch = strip_invisible(item.patch) if item.patch is not None else None
        removed.update(dict(patch.removed) if patch else {})
        changed.append(
            ChangedFile(
                item.filename, item.status, item.additions, item.deletions,
                patch.text if patch else None,
            )
        )  # fmt: skip
    return tuple(changed)
