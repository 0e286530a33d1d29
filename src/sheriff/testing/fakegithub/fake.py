"""``FakeGitHub``: start the fake, look at and change its state, inject faults, count calls."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from sheriff.errors import SheriffError
from sheriff.testing.fakegithub import issue_desk, run_ops
from sheriff.testing.fakegithub.app import AuthPolicy, FakeApp
from sheriff.testing.fakegithub.fake_pulls import PullRequestControls
from sheriff.testing.fakegithub.faults import Fault
from sheriff.testing.fakegithub.http_server import FakeHTTPServer, ServerThread
from sheriff.testing.fakegithub.ratelimit import Bucket, RateBudgets
from sheriff.testing.fakegithub.recording import RecordedRequest
from sheriff.testing.fakegithub.records import (
    AttemptRecord,
    CommentRecord,
    IssueRecord,
    RepoRecord,
    RunRecord,
)
from sheriff.testing.fakegithub.routes import build_router
from sheriff.testing.fakegithub.seed_load import load_seed
from sheriff.testing.fakegithub.seed_model import PERMISSIONS, RunAttemptSeed, Seed
from sheriff.testing.fakegithub.world import Clock, World, system_clock


class FakeGitHub(PullRequestControls):
    """A GitHub REST API on loopback, seeded from a directory (see README.md).

    ``tokens`` maps token → login. Without ``require_auth`` any other token (or none, for
    anonymous reads) is accepted and acts as ``default_login``. Repositories can be backed
    by real bare git repositories (``create_git_repo``, ``attach_git``): see
    ``PullRequestControls`` for pull requests, reviews and checks.
    """

    def __init__(
        self,
        seed: Seed | Path | str | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        tokens: Mapping[str, str] | None = None,
        require_auth: bool = False,
        default_login: str = "sheriff-bot",
        rate_limits: Mapping[str, int] | None = None,
        rate_limit_status: int = 403,
        rerun_conclusion: str | None = None,
        html_base: str | None = None,
        latency: float = 0.0,
        clock: Clock = system_clock,
        quiet: bool = True,
    ) -> None:
        loaded = (
            seed
            if isinstance(seed, Seed)
            else (load_seed(Path(seed)) if seed is not None else Seed.empty())
        )
        budgets = RateBudgets(dict(rate_limits or {}), exhausted_status=rate_limit_status)
        self.world = World(loaded, clock=clock, budgets=budgets)
        self.world.rerun_conclusion = rerun_conclusion
        self._tokens = self.world.tokens
        self._tokens.update(tokens or {})
        auth = AuthPolicy(self._tokens, require_auth, default_login)
        self.app = FakeApp(
            self.world, build_router(), auth=auth, html_base=html_base, latency=latency
        )
        for fault in loaded.faults:
            self.app.faults.add(Fault.from_seed(fault))
        self._address = (host, port)
        self._quiet = quiet
        self._thread: ServerThread | None = None

    # -- lifecycle ---------------------------------------------------------------------
    @classmethod
    @contextmanager
    def running(cls, seed: Seed | Path | str | None = None, **options: Any) -> Iterator[FakeGitHub]:
        """``with FakeGitHub.running(seed_dir) as fake: ... fake.url ...``"""
        fake = cls(seed, **options).start()
        try:
            yield fake
        finally:
            fake.stop()

    def start(self) -> FakeGitHub:
        try:
            server = FakeHTTPServer(self._address, self.app, quiet=self._quiet)
        except OSError as error:
            raise SheriffError(
                f"cannot listen on {self._address[0]}:{self._address[1]}: {error.strerror}",
                hint="pick another --port, or 0 for any free port",
            ) from error
        self._thread = ServerThread(server)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; the git repositories made without a ``path`` are removed."""
        if self._thread is not None:
            self._thread.stop()
            self._thread = None
        self.remove_git_dirs()

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The API root, e.g. ``http://127.0.0.1:41234`` (githubkit's ``base_url``)."""
        if self._thread is None:
            raise SheriffError("the fake is not running", hint="call start() or use running()")
        return self._thread.server.url

    # -- state -------------------------------------------------------------------------
    def repo(self, full_name: str) -> RepoRecord:
        return self.world.repo(full_name)

    def add_repo(self, full_name: str, default_branch: str = "main") -> RepoRecord:
        with self.world.lock:
            return self.world.add_repo(full_name, default_branch)

    def issue(self, repo: str, number: int) -> IssueRecord:
        return issue_desk.find_issue(self.world.repo(repo), number)

    def issues(self, repo: str, *, state: str = "all", pulls: bool = False) -> list[IssueRecord]:
        """Issues by number; pull requests only with ``pulls=True``."""
        with self.world.lock:
            found = sorted(self.world.repo(repo).issues.values(), key=lambda item: item.number)
            return [
                item
                for item in found
                if (state in {"all", item.state}) and (pulls or not item.is_pull_request)
            ]

    def comments(self, repo: str, number: int) -> list[CommentRecord]:
        with self.world.lock:
            return list(self.issue(repo, number).comments)

    def act_on_issue(self, repo: str, number: int, user: str, **fields: Any) -> IssueRecord:
        """Change an issue as ``user`` would in the web UI (title, body, state, labels...)."""
        with self.world.lock:
            record = self.world.repo(repo)
            issue = issue_desk.find_issue(record, number)
            return issue_desk.update_issue(self.world, record, issue, user, fields)

    def comment_as(self, repo: str, number: int, user: str, body: str) -> CommentRecord:
        with self.world.lock:
            return issue_desk.add_comment(self.world, self.issue(repo, number), user, body)

    def set_permission(self, repo: str, login: str, role: str) -> None:
        if role not in PERMISSIONS:
            raise ValueError(f"role {role!r} is not one of {', '.join(PERMISSIONS)}")
        with self.world.lock:
            self.world.repo(repo).permissions[login.lower()] = role

    def add_token(self, token: str, login: str) -> None:
        self._tokens[token] = login

    # -- workflow runs -------------------------------------------------------------------
    def run(self, repo: str, run_id: int) -> RunRecord:
        return self.world.run(self.world.repo(repo), run_id)

    def add_run_attempt(self, seed: RunAttemptSeed) -> RunRecord:
        """Add a run (attempt 1) or its next attempt, as if a workflow had just finished."""
        with self.world.lock:
            return self.world.add_run_attempt(seed)

    def finish_attempt(
        self, repo: str, run_id: int, conclusion: str, logs: dict[str, bytes | Path] | None = None
    ) -> AttemptRecord:
        with self.world.lock:
            return run_ops.finish_attempt(self.world, self.run(repo, run_id), conclusion, logs)

    def install_app(
        self,
        app_id: int,
        installation_id: int,
        repos: Sequence[str],
        *,
        slug: str = "sheriff",
        public_key_pem: str | None = None,
    ) -> None:
        """Install a GitHub App on repositories; its installation tokens act as
        ``<slug>[bot]``. With ``public_key_pem``, App JWTs must be signed by its key."""
        from sheriff.testing.fakegithub.routes_apps import AppInstallation

        with self.world.lock:
            self.world.app_installations[installation_id] = AppInstallation(
                installation_id, app_id, slug, {r.lower() for r in repos}, public_key_pem
            )

    def change_installation(
        self,
        installation_id: int,
        *,
        repos: Sequence[str] | None = None,
        suspended: bool | None = None,
        uninstalled: bool = False,
    ) -> None:
        """Change an App installation's repositories, suspend or unsuspend it, or remove
        it (``uninstalled``); its tokens stop working when it is removed."""
        with self.world.lock:
            installation = self.world.app_installations[installation_id]
            if repos is not None:
                installation.repos = {r.lower() for r in repos}
            if suspended is not None:
                installation.suspended_at = self.world.clock() if suspended else None
            if uninstalled:
                del self.world.app_installations[installation_id]
                for token in installation.tokens:
                    self._tokens.pop(token, None)

    def put_file(self, repo: str, path: str, content: bytes | str) -> None:
        """Commit a file to the default branch (the repository's ``updated_at`` moves);
        a real commit when a git repository backs ``repo``."""
        data = content.encode() if isinstance(content, str) else content
        with self.world.lock:
            record = self.world.repo(repo)
            if record.git is not None:
                self.commit(repo, {path: data}, message=f"Update {path.strip('/')}")
                return
            record.files[path.strip("/")] = data
            record.updated_at = self.world.clock()

    def expire_logs(self, repo: str, job_id: int) -> None:
        with self.world.lock:
            self.world.job(self.world.repo(repo), job_id).logs_expired = True

    # -- faults and rate limits -----------------------------------------------------------
    def inject(self, fault: Fault) -> Fault:
        return self.app.faults.add(fault)

    def fail_next(
        self,
        path: str,
        status: int | None = 503,
        count: int | None = 1,
        *,
        method: str | None = None,
        retry_after: int = 60,
        delay: float = 0.0,
    ) -> Fault:
        """The next ``count`` requests whose path matches the regex ``path`` fail."""
        return self.inject(Fault(path, status, count, method, retry_after, delay))

    def clear_faults(self) -> None:
        self.app.faults.clear()

    def set_rate_limit(self, remaining: int, resource: str = "core") -> None:
        with self.world.lock:
            self.world.budgets.set_remaining(resource, remaining)

    def rate_limit(self, resource: str = "core") -> Bucket:
        return self.world.budgets.bucket(resource)

    # -- recorded requests ----------------------------------------------------------------
    @property
    def requests(self) -> list[RecordedRequest]:
        return self.app.log.entries()

    def request_count(self, operation: str | None = None, **filters: Any) -> int:
        """Requests answered so far; see ``RequestLog.count`` for the filters."""
        return self.app.log.count(operation, **filters)

    def clear_requests(self) -> None:
        self.app.log.clear()
