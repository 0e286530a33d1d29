"""What reconciling one repository's cases works with: the request, the ports (forge, store,
LLM, the repository's mirror) and the two records every action leaves (audit, costs)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import resources

from sheriff.app.case_history import LIFECYCLE_ACTOR
from sheriff.app.forge import Forge
from sheriff.app.llm import LLM, LlmUsage
from sheriff.app.ports import AuditEvent, CostRecord, JsonObject, Store
from sheriff.app.workspace import SourceMirror
from sheriff.core.lifecycle import LifecycleSettings
from sheriff.core.lifecycle.facts import StrategySetting
from sheriff.core.repo_config import RepoSettings
from sheriff.errors import LLMError, WorkspaceError

MirrorOpener = Callable[[str, str], SourceMirror]
"""Opens the local mirror of a repository: ``(OWNER/NAME, clone URL)``."""


def wall_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class ReconcileRequest:
    """How to reconcile: ``dry_run`` plans and prints, changing nothing."""

    base_settings: RepoSettings = field(default_factory=RepoSettings)
    dry_run: bool = False
    fix_strategy: StrategySetting = "auto"
    quiet_period: timedelta = timedelta(days=14)
    verify_runs: int = 5
    test_command: bool = False  # a test command is configured: fixes are verified
    max_rounds: int = 8  # plan-execute rounds per case and reconcile (each round moves it)
    clock: Callable[[], datetime] = wall_clock


class RepositoryMirror:
    """The repository's mirror, opened on first use and fetched at most once per
    ``refresh`` (fixes refresh it to see the latest default branch and fix branch)."""

    def __init__(self, forge: Forge, opener: MirrorOpener | None) -> None:
        self._forge = forge
        self._opener = opener
        self._mirror: SourceMirror | None = None
        self._fresh = False

    @property
    def available(self) -> bool:
        return self._opener is not None

    def get(self, *, refresh: bool = False) -> SourceMirror:
        if self._opener is None:
            raise WorkspaceError(
                "no local mirror is configured for this run",
                hint="run sheriff reconcile with a workspace directory (SHERIFF_WORKSPACE_DIR)",
            )
        if self._mirror is None:
            repository = self._forge.get_repository()
            if not repository.clone_url:
                raise WorkspaceError(
                    f"GitHub gave no clone URL for {repository.full_name}",
                    hint="check that the token can read the repository's code",
                )
            self._mirror = self._opener(self._forge.write_repo, repository.clone_url)
        if refresh or not self._fresh:
            self._mirror.ensure()
            self._fresh = True
        return self._mirror


@dataclass
class LifecycleContext:
    """One repository's reconcile: ``repo`` is where CI is read (cases are keyed by it);
    issues, branches and pull requests live in ``forge.write_repo``."""

    forge: Forge
    store: Store
    request: ReconcileRequest
    settings: LifecycleSettings
    repo_settings: RepoSettings
    login: str | None
    llm: LLM | None = None
    mirror: RepositoryMirror | None = None
    _calls: itertools.count[int] = field(default_factory=itertools.count)

    @property
    def repo(self) -> str:
        return self.forge.read_repo

    def now(self) -> datetime:
        return self.request.clock()

    def audit(
        self,
        fingerprint: str,
        action: str,
        cause: str,
        details: JsonObject | None = None,
        *,
        key: str | None = None,
    ) -> None:
        """Append an external action (or a failure) of the case to the audit log (a dry run
        writes nothing, not even this)."""
        if self.request.dry_run:
            return
        self.store.append_audit(
            AuditEvent(
                actor=LIFECYCLE_ACTOR,
                action=action,
                cause=cause,
                repo=self.repo,
                fingerprint=fingerprint,
                details=dict(details or {}),
                key=key,
            )
        )

    def record_usage(self, fingerprint: str, purpose: str, usage: LlmUsage) -> None:
        """Write one LLM call's tokens and price to the cost ledger."""
        stamp = self.now().strftime("%Y%m%dT%H%M%S.%f")
        request_id = f"{purpose}:{self.repo}:{fingerprint[:16]}:{stamp}:{next(self._calls)}"
        self.store.record_cost(
            CostRecord(
                purpose=purpose,
                model=usage.model,
                input_tokens=usage.input_tokens,
                output_tokens=usage.output_tokens,
                usd=usage.usd,
                repo=self.repo,
                fingerprint=fingerprint,
                request_id=request_id,
            )
        )

    def record_failed_call(self, fingerprint: str, purpose: str, error: LLMError) -> None:
        """What a failed LLM call spent goes to the ledger too."""
        usage = LlmUsage(
            model=error.model or (self.llm.model_name if self.llm else "unknown"),
            input_tokens=error.input_tokens,
            output_tokens=error.output_tokens,
            usd=error.usd,
        )
        self.record_usage(fingerprint, purpose, usage)


def prompt_text(name: str) -> str:
    """A versioned prompt file shipped in ``sheriff/prompts``."""
    return resources.files("sheriff").joinpath(f"prompts/{name}").read_text("utf-8")
