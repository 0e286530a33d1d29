"""Whether a case's test is already skipped on the default branch.

Maintainers often skip a flaky test by hand (or merge a quarantine from elsewhere) while
Sheriff waits for approval. Asking them to approve a quarantine that is already there
would be noise: the case moves to QUARANTINED instead. The test's file is read from the
mirror at the default branch's head, without a worktree, and checked with the same
framework idioms the quarantine patch writes. A skip that was already there on the commit
of the latest failure does not count: it did not stop the test (another test of the same
name, a skip that does not apply), so the case keeps waiting for a decision.
"""

from __future__ import annotations

from sheriff.app.assistant_code import MirrorReader
from sheriff.app.case_context import LifecycleContext
from sheriff.app.fix_patch import find_test_file
from sheriff.app.ports import CaseView
from sheriff.app.workspace import SourceMirror
from sheriff.core.lifecycle import CaseState
from sheriff.core.model import TestIdentity
from sheriff.core.quarantine import QuarantinePatch, can_quarantine, quarantine_test
from sheriff.errors import GitRefNotFoundError, WorkspaceError

CHECKED_STATES = frozenset({CaseState.WAITING_FOR_SIGNAL})


def skipped_on_default_branch(
    context: LifecycleContext,
    view: CaseView,
    test: TestIdentity | None,
    default_branch: str,
    failed_at: str | None,
) -> bool:
    """True when the default branch's head skips ``test`` and the commit of its latest
    failure (``failed_at``) did not; False otherwise, or when that cannot be told (no
    mirror, no test, the file not found; a git failure is audited and the next reconcile
    looks again)."""
    mirrors = context.mirror
    if view.state not in CHECKED_STATES or test is None or not can_quarantine(test):
        return False
    if mirrors is None or not mirrors.available:
        return False
    try:
        mirror = mirrors.get()
        skipped_now = _skipped_at(mirror, mirror.head(default_branch), test)
        return skipped_now and not (failed_at and _skipped_then(mirror, failed_at, test))
    except WorkspaceError as error:
        context.audit(
            view.fingerprint,
            "quarantine.check_failed",
            f"could not read {test.qualified} on {default_branch}",
            {"error": error.message, "hint": error.hint},
            key=f"quarantine-check:{view.fingerprint}:{error.message}",
        )
        return False


def _skipped_then(mirror: SourceMirror, sha: str, test: TestIdentity) -> bool:
    """Whether the failing commit already skipped the test (a commit gone from the mirror,
    after a force-push, tells nothing: the skip on the head stands)."""
    try:
        return _skipped_at(mirror, sha, test)
    except GitRefNotFoundError:
        return False


def _skipped_at(mirror: SourceMirror, sha: str, test: TestIdentity) -> bool:
    reader = MirrorReader(mirror, sha)
    path = find_test_file(reader, test)
    if path is None:
        return False
    outcome = quarantine_test(reader.read_file(path).text, test, "")
    return isinstance(outcome, QuarantinePatch) and not outcome.changed
