"""``FakeGitHub``'s controls for git-backed repositories, pull requests and checks: what a
test does as the maintainers, reviewers and CI around the code under test.

Desk errors come back as ``ApiError`` (its ``status`` and ``message`` are GitHub's).
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path

from sheriff.errors import SheriffError
from sheriff.testing.fakegithub import check_desk, merge_desk, pull_desk, review_desk
from sheriff.testing.fakegithub.bare_git import BareRepository, Signature
from sheriff.testing.fakegithub.records import RepoRecord
from sheriff.testing.fakegithub.records_pulls import (
    IssueEventRecord,
    PullRecord,
    ReviewCommentRecord,
    ReviewRecord,
)
from sheriff.testing.fakegithub.seed_model import JobSeed, RunAttemptSeed
from sheriff.testing.fakegithub.world import World

Files = Mapping[str, bytes | str | None]


class PullRequestControls:
    """Mixed into ``FakeGitHub``; everything runs under the world's lock."""

    world: World
    _git_dirs: tempfile.TemporaryDirectory[str] | None = None

    # -- git repositories ----------------------------------------------------------------
    def create_git_repo(
        self,
        repo: str,
        files: Files | None = None,
        *,
        path: Path | str | None = None,
        default_branch: str | None = None,
        author: str = "octocat",
        message: str = "Initial commit",
    ) -> BareRepository:
        """A bare repository with one commit of ``files`` on the default branch, behind
        ``repo`` (added if new). Without ``path`` it lives in a temporary directory
        removed when the fake stops."""
        with self.world.lock:
            record = self._repo_or_new(repo, default_branch or "main")
            where = Path(path) if path is not None else self._scratch() / f"{repo}.git"
            signature = Signature.of_login(author, self.world.clock())
            content = {name: _bytes(data) for name, data in (files or {}).items()}
            kept = {name: data for name, data in content.items() if data is not None}
            record.git = BareRepository.create(
                where, record.default_branch, kept, author=signature, message=message
            )
            return record.git

    def attach_git(self, repo: str, path: Path | str) -> BareRepository:
        """Serve an existing git repository (bare, ideally) as ``repo``'s contents."""
        git = BareRepository.open(Path(path))
        with self.world.lock:
            head = (git.attempt("symbolic-ref", "--short", "HEAD") or "main").strip()
            self._repo_or_new(repo, head).git = git
        return git

    def git(self, repo: str) -> BareRepository:
        git = self.world.repo(repo).git
        if git is None:
            raise SheriffError(
                f"{repo} has no git repository", hint="call create_git_repo or attach_git first"
            )
        return git

    def commit(
        self,
        repo: str,
        files: Files,
        *,
        branch: str | None = None,
        message: str = "Update files",
        author: str = "octocat",
    ) -> str:
        """Commit ``files`` (None deletes one) to ``branch`` (the default branch); its sha."""
        with self.world.lock:
            record = self.world.repo(repo)
            signature = Signature.of_login(author, self.world.clock())
            changes = {name: _bytes(data) for name, data in files.items()}
            target = branch or record.default_branch
            sha = self.git(repo).commit_files(target, changes, message, author=signature)
            record.updated_at = self.world.clock()
            return sha

    def create_branch(self, repo: str, branch: str, from_ref: str | None = None) -> str:
        """Start ``branch`` at ``from_ref`` (the default branch's head); its sha."""
        with self.world.lock:
            git = self.git(repo)
            sha = git.resolve(from_ref or self.world.repo(repo).default_branch)
            if sha is None or not git.move_branch(branch, sha, None):
                raise SheriffError(f"cannot create branch {branch} in {repo}")
            return sha

    # -- pull requests -------------------------------------------------------------------
    def pull(self, repo: str, number: int) -> PullRecord:
        with self.world.lock:
            return pull_desk.find_pull(self.world.repo(repo), number).pull

    def pulls(self, repo: str) -> list[PullRecord]:
        with self.world.lock:
            return sorted(self.world.repo(repo).pulls.values(), key=lambda pull: pull.number)

    def open_pull_as(
        self,
        repo: str,
        user: str,
        head: str,
        *,
        title: str = "Update",
        body: str = "",
        base: str | None = None,
        draft: bool = False,
    ) -> int:
        """Open a pull request from branch ``head`` as ``user``; its number."""
        with self.world.lock:
            record = self.world.repo(repo)
            fields = {"title": title, "body": body, "head": head, "draft": draft}
            fields["base"] = base or record.default_branch
            return pull_desk.create_pull(self.world, record, user, fields).issue.number

    def set_draft(self, repo: str, number: int, draft: bool, user: str = "octocat") -> None:
        """Mark the pull request as a draft, or ready for review."""
        with self.world.lock:
            at = pull_desk.find_pull(self.world.repo(repo), number)
            pull_desk.set_draft(self.world, at, draft, user)

    def merge_as(self, repo: str, number: int, user: str, method: str = "merge") -> str:
        """Merge as ``user`` would with the button (merge, squash or rebase); the new sha."""
        with self.world.lock:
            at = pull_desk.find_pull(self.world.repo(repo), number)
            return merge_desk.merge_pull(self.world, at, user, {"merge_method": method})

    def review_as(
        self, repo: str, number: int, user: str, state: str, body: str = ""
    ) -> ReviewRecord:
        """Submit a review of the current head: APPROVED, CHANGES_REQUESTED or COMMENTED."""
        with self.world.lock:
            at = pull_desk.find_pull(self.world.repo(repo), number)
            return review_desk.add_review(self.world, at, user, state, body)

    def review_comment_as(
        self,
        repo: str,
        number: int,
        user: str,
        body: str,
        *,
        path: str = "",
        line: int = 0,
        reply_to: int | None = None,
    ) -> ReviewCommentRecord:
        """A review comment on ``path`` at ``line`` (new side of the diff), or a reply."""
        with self.world.lock:
            at = pull_desk.find_pull(self.world.repo(repo), number)
            if reply_to is not None:
                return review_desk.reply(self.world, at, user, reply_to, body)
            return review_desk.add_review_comment(self.world, at, user, body, path=path, line=line)

    def events(self, repo: str, number: int) -> list[IssueEventRecord]:
        with self.world.lock:
            record = self.world.repo(repo)
            issue = record.issues.get(number)
            return list(issue.events) if issue is not None else []

    # -- checks ------------------------------------------------------------------------------
    def complete_checks(
        self,
        repo: str,
        sha: str,
        conclusion: str,
        name: str = "build",
        *,
        app: str = "github-actions",
        log: bytes | str = b"",
    ) -> int:
        """Play CI on ``sha``: check run ``name`` completes with ``conclusion``; its id.

        For ``github-actions`` this is a workflow run named ``name`` (a new attempt when
        one exists for ``sha``) whose single job ``name`` printed ``log``, tied to the open
        pull requests whose head is ``sha``, so Sheriff can triage it like any run.
        For another App it is a plain check run of that App.
        """
        with self.world.lock:
            record = self.world.repo(repo)
            if app != check_desk.ACTIONS_APP:
                fields = {"name": name, "head_sha": sha, "conclusion": conclusion}
                return check_desk.create_check_run(self.world, record, app, fields).id
            run = self.world.add_run_attempt(self._run_seed(record, sha, conclusion, name))
            job = run.latest.jobs[0]
            job.log_text = log.encode() if isinstance(log, str) else log
            return job.id

    def _run_seed(self, repo: RepoRecord, sha: str, conclusion: str, name: str) -> RunAttemptSeed:
        earlier = [r for r in repo.runs.values() if r.head_sha == sha and r.workflow.name == name]
        run_id = earlier[0].id if earlier else self.world.next_id("run")
        pulls = [
            pull
            for pull in repo.pulls.values()
            if pull.head_sha == sha and repo.issues[pull.number].state == "open"
        ]
        branch = pulls[0].head_ref if pulls else check_desk.branch_at(repo, sha) or ""
        return RunAttemptSeed(
            repo=repo.full_name,
            workflow=name,
            run_id=run_id,
            run_attempt=len(earlier[0].attempts) + 1 if earlier else 1,
            head_sha=sha,
            head_branch=branch,
            event="pull_request" if pulls else "push",
            conclusion=conclusion,
            created_at=self.world.clock(),
            pull_requests=tuple(pull.number for pull in pulls),
            jobs=(JobSeed(self.world.next_id("job"), name, conclusion, "Linux", None),),
        )

    # -- internals ---------------------------------------------------------------------------
    def _repo_or_new(self, repo: str, default_branch: str) -> RepoRecord:
        existing = self.world.repos.get(repo.lower())
        return existing or self.world.add_repo(repo, default_branch)

    def _scratch(self) -> Path:
        if self._git_dirs is None:
            self._git_dirs = tempfile.TemporaryDirectory(prefix="fakegithub-git-")
        return Path(self._git_dirs.name)

    def remove_git_dirs(self) -> None:
        """Delete the repositories ``create_git_repo`` made without a ``path``."""
        if self._git_dirs is not None:
            self._git_dirs.cleanup()
            self._git_dirs = None


def _bytes(data: bytes | str | None) -> bytes | None:
    return data.encode() if isinstance(data, str) else data
