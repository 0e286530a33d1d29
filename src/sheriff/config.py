"""One frozen Settings object, built once in ``entry/`` and passed down.

Sources, strongest first: explicit overrides (command-line flags), environment
variables (``SHERIFF_*``, nested with ``__``), then a TOML file (``--config`` or
``SHERIFF_CONFIG``), then defaults.
"""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from sheriff.core.notify.routing import NotifyRoutes, check_channel, parse_pairs, path_routes
from sheriff.core.repo_config import KIND_ALIASES, IssueKinds
from sheriff.errors import ConfigError

LlmProvider = Literal["anthropic", "openai", "openai-compatible"]


def _is_repo_name(value: str) -> bool:
    owner, slash, name = value.partition("/")
    return bool(owner and slash and name and "/" not in name and " " not in value)


def split_repo_list(value: str) -> tuple[str, ...]:
    """``a/b, c/d`` → ``("a/b", "c/d")``, without blanks or repeats."""
    return tuple(dict.fromkeys(name.strip() for name in value.split(",") if name.strip()))


def parse_issue_kinds(value: str) -> IssueKinds:
    """``default``, ``all`` or a comma-separated list of failure types (aliases allowed)."""
    text = value.strip().lower()
    if text == "default":
        return "default"
    if text == "all":
        return "all"
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in KIND_ALIASES]
    if unknown or not names:
        known = ", ".join(sorted(KIND_ALIASES))
        raise ValueError(f"unknown failure type {unknown[0] if unknown else value!r}; use {known}")
    return frozenset(KIND_ALIASES[name] for name in names)


class Settings(BaseSettings):
    """Everything Sheriff can be configured with."""

    model_config = SettingsConfigDict(
        env_prefix="SHERIFF_",
        env_nested_delimiter="__",
        frozen=True,
        extra="forbid",
        toml_file=None,
    )

    budget: int = Field(50, ge=1, le=100_000, description="excerpt line budget")
    chunk_bytes: int = Field(16 << 20, ge=4096, description="bytes read per chunk")

    # --- GitHub ---------------------------------------------------------------------------
    github_api_url: str = Field(
        "https://api.github.com", description="GitHub REST API base URL (GHES: .../api/v3)"
    )
    github_token: SecretStr | None = Field(None, description="token that reads CI and issues")
    github_write_token: SecretStr | None = Field(
        None, description="token that writes issues (default: github_token)"
    )
    github_app_id: int | None = Field(None, ge=1, description="GitHub App id")
    github_app_private_key_path: Path | None = Field(None, description="App private key (PEM)")
    github_app_installation_id: int | None = Field(None, ge=1, description="App installation")
    write_repo: str | None = Field(
        None, description="OWNER/NAME that receives issues (default: the scanned repository)"
    )

    # --- store and scanning -----------------------------------------------------------------
    db_url: str | None = Field(None, description="database URL (default: SQLite in the data dir)")
    data_dir: Path | None = Field(None, description="where downloaded logs are kept")
    cache_dir: Path | None = Field(
        None, description="compiled scanner databases (default: $XDG_CACHE_HOME/sheriff)"
    )
    label_prefix: str = Field("sheriff/", min_length=1, max_length=25)
    issue_kinds: str = Field(
        "default", description="default, all, or a comma-separated list of failure types"
    )
    scan_interval_seconds: int = Field(72 * 3600, ge=60, description="time between scans")
    max_runs_per_scan: int = Field(200, ge=1, description="most new runs one scan reads")
    flaky_threshold: float = Field(
        0.7, gt=0, le=1, description="P(flaky) at which a failure is flaky (and re-run)"
    )
    auto_rerun: bool = Field(
        True, description="re-run the failed jobs of a run whose failures all look flaky"
    )
    rerun_hourly_cap: int = Field(
        10, ge=0, le=1000, description="most automatic re-runs per repository per hour"
    )

    # --- language model (none configured: deterministic analysis, quarantine fixes only) ---
    llm_provider: LlmProvider | None = Field(
        None, description="anthropic, openai or openai-compatible (unset: no LLM is used)"
    )
    llm_model: str | None = Field(
        None, description="model name, e.g. claude-sonnet-4-5, gpt-4.1 or qwen2.5-coder"
    )
    llm_base_url: str | None = Field(
        None, description="API base URL (required for openai-compatible: vLLM, Ollama...)"
    )
    llm_api_key: SecretStr | None = Field(
        None, description="API key (optional for an openai-compatible server)"
    )
    llm_output_retries: int = Field(
        2, ge=0, le=10, description="times an invalid structured answer is sent back to fix"
    )
    llm_max_iterations: int = Field(
        25, ge=1, le=500, description="most model requests one fix attempt may make"
    )
    llm_max_tokens: int = Field(
        400_000, ge=1000, description="most input+output tokens one fix attempt may use"
    )
    llm_max_cost_usd: Decimal = Field(
        Decimal("2.00"), ge=0, description="most US dollars one fix attempt may spend"
    )
    fix_wall_seconds: int = Field(
        1200, ge=10, description="most wall-clock seconds one fix attempt may take"
    )

    # --- git workspaces ---------------------------------------------------------------------
    workspace_dir: Path | None = Field(
        None, description="where repository mirrors and worktrees live (default: data dir)"
    )
    workspace_slots: int = Field(
        2, ge=1, le=64, description="most worktrees leased at once on this machine"
    )
    workspace_wait_seconds: int = Field(
        300, ge=0, description="how long to wait for a free worktree slot before giving up"
    )
    git_timeout_seconds: int = Field(
        600, ge=5, description="longest a single git command (clone, fetch, push) may run"
    )
    test_command: str | None = Field(
        None,
        description="command that runs the tests in a worktree (shell words, no shell); "
        "{test} becomes the failing test's name, e.g. 'python -m pytest -q {test}'",
    )
    test_timeout_seconds: int = Field(
        900, ge=1, description="longest one run of the test command may take"
    )
    verify_runs: int = Field(
        5, ge=1, le=100, description="times the failing test is run to verify a fix"
    )
    fix_strategy: Literal["auto", "quarantine", "agent"] = Field(
        "auto",
        description="how an approved fix is made: quarantine (skip the test with the issue "
        "link), agent (an LLM edits the code), or auto (quarantine for flaky tests or without "
        "an LLM, else agent); `/ai-fix quarantine|agent` overrides it per case",
    )
    quiet_period_days: int = Field(
        14, ge=1, le=365, description="days without a recurrence after which a case is resolved"
    )
    bot_name: str = Field("sheriff[bot]", min_length=1, description="author name of commits")
    bot_email: str = Field(
        "sheriff-bot@users.noreply.github.com",
        min_length=3,
        description="author email of Sheriff's commits",
    )

    # --- service: sheriff serve / sheriff worker --------------------------------------------
    dashboard: bool = Field(
        True,
        description="serve the dashboard at / beside the webhook (on an address other than "
        "loopback only with dashboard_password)",
    )
    dashboard_password: SecretStr | None = Field(
        None,
        description="the dashboard's password (HTTP Basic, any user name)",
    )
    webhook_secret: SecretStr | None = Field(
        None, description="the GitHub App's webhook secret; sheriff serve refuses to start without"
    )
    webhook_max_body_bytes: int = Field(
        1 << 20, ge=1024, le=25 << 20, description="largest webhook body accepted (else 413)"
    )
    engine_db_url: str | None = Field(
        None,
        description="durable-execution (DBOS) system database: sqlite:///PATH for one process "
        "(default: beside the store), postgresql://... for several workers",
    )
    inbox_path: Path | None = Field(
        None,
        description="the web tier's durable inbox of acknowledged deliveries, a SQLite file on "
        "a local disk, one per sheriff serve process (default: sheriff-inbox.sqlite in the "
        "data dir)",
    )
    inbox_synchronous: Literal["normal", "full"] = Field(
        "normal",
        description="normal: an acknowledged delivery survives the process being killed, and "
        "the last ones may be lost with the machine's power; full: it survives that too, but "
        "every acknowledgement waits for the disk's flush",
    )
    inbox_retention_days: float = Field(
        7.0,
        gt=0,
        le=365,
        description="days a forwarded delivery stays in the inbox (a redelivery within them "
        "is answered duplicate at once; after them the queue still ignores it for "
        "engine_retention_days)",
    )
    engine_retention_days: int = Field(
        14,
        ge=1,
        description="days the engine database keeps a finished workflow (a handled delivery, "
        "a scheduled scan) before the hourly prune deletes it with its steps; at least "
        "inbox_retention_days, since a redelivery is recognised by its workflow",
    )
    inbox_stuck_after_seconds: float = Field(
        60.0,
        gt=0,
        description="/healthz fails when an acknowledged delivery has waited this long to "
        "reach the queue",
    )
    worker_id: str | None = Field(
        None, max_length=100, description="this process's executor id (default: host-pid)"
    )
    worker_concurrency: int = Field(16, ge=1, le=256, description="events one process runs at once")
    repo_concurrency: int = Field(
        1, ge=1, le=64, description="events of one repository run at once, across all workers"
    )
    queue_poll_seconds: float = Field(0.1, gt=0, le=60, description="how often queues are polled")
    worker_heartbeat_seconds: float = Field(
        5.0, gt=0, le=300, description="how often a process says it is alive"
    )
    worker_dead_after_seconds: float = Field(
        60.0,
        gt=0,
        description="silence after which a process's work is resumed elsewhere; keep it above "
        "the longest GitHub request (30 s), so a dead worker's last write has landed first",
    )
    bot_login: str | None = Field(
        None,
        description="Sheriff's own GitHub login (e.g. my-sheriff[bot]): its events are ignored",
    )
    watch_repos: str = Field(
        "", description="comma-separated OWNER/NAME list scanned on schedule by the service"
    )
    discover_installed_repos: bool = Field(
        True,
        description="also scan and reconcile on schedule every repository the GitHub App is "
        "installed on (kept current from installation webhooks and GitHub's API)",
    )
    reconcile_interval_seconds: int = Field(
        3600, ge=60, description="time between scheduled reconciles of open cases"
    )

    # --- @sheriff assistant --------------------------------------------------------------
    assistant_enabled: bool = Field(
        True, description="answer mentions of the trigger phrase by people with write access"
    )
    assistant_trigger: str = Field(
        "@sheriff",
        min_length=2,
        max_length=50,
        pattern=r"^\S+$",
        description="the phrase that calls the assistant in comments, reviews and issue bodies",
    )
    assistant_changes: bool = Field(
        False,
        description="let the assistant change code when asked: on a new branch with a draft "
        "pull request, never on the default branch (off: it only explains and reviews)",
    )
    assistant_max_requests: int = Field(
        12, ge=1, le=100, description="most model requests (tool rounds) one answer may make"
    )

    # --- pull request failure reports ------------------------------------------------------
    pr_report: bool = Field(
        True, description="report failed runs on pull requests: one comment and a check run"
    )
    pr_report_check_name: str = Field(
        "Sheriff", min_length=1, max_length=100, description="name of the report's check run"
    )
    pr_report_trunk_days: int = Field(
        3,
        ge=1,
        le=90,
        description="a failure seen on the default branch within this many days is BROKEN TRUNK "
        "when a pull request shows it",
    )
    pr_report_max_jobs: int = Field(
        30, ge=1, le=500, description="most failed jobs one report reads the logs of"
    )
    pr_report_max_analyses: int = Field(
        3, ge=0, le=20, description="most new failures per report given a deep analysis"
    )

    # --- notifications (Slack; no token: notifications are off) ---------------------------
    slack_bot_token: SecretStr | None = Field(
        None, description="Slack bot token (xoxb-...) with chat:write"
    )
    slack_api_url: str = Field(
        "https://slack.com/api/", description="Slack Web API base URL (a proxy or test server)"
    )
    slack_default_channel: str | None = Field(
        None, description="channel for notices no path route or code owner claims"
    )
    slack_ops_channel: str | None = Field(
        None, description="channel for Sheriff's own errors (default: the default channel)"
    )
    slack_path_routes: str = Field(
        "",
        description="comma-separated PATTERN=#channel, patterns as in CODEOWNERS "
        "(e.g. 'src/api/=#api,*.md=#docs'); the last matching pattern wins",
    )
    slack_owner_channels: str = Field(
        "",
        description="comma-separated OWNER=#channel for CODEOWNERS owners "
        "(e.g. '@acme/web=#web-team')",
    )
    slack_timeout_seconds: int = Field(10, ge=1, le=120, description="Slack request timeout")

    @field_validator("slack_default_channel", "slack_ops_channel")
    @classmethod
    def _check_channel(cls, value: str | None) -> str | None:
        return None if value is None else check_channel(value)

    @field_validator("slack_path_routes")
    @classmethod
    def _check_path_routes(cls, value: str) -> str:
        path_routes(parse_pairs(value))
        return value

    @field_validator("slack_owner_channels")
    @classmethod
    def _check_owner_channels(cls, value: str) -> str:
        parse_pairs(value)
        return value

    @property
    def notify_routes(self) -> NotifyRoutes:
        """Where notices go (parsed from the ``slack_*`` settings)."""
        return NotifyRoutes(
            default_channel=self.slack_default_channel,
            ops_channel=self.slack_ops_channel,
            path_routes=path_routes(parse_pairs(self.slack_path_routes)),
            owner_channels=parse_pairs(self.slack_owner_channels),
        )

    @field_validator("write_repo")
    @classmethod
    def _check_repo(cls, value: str | None) -> str | None:
        if value is not None and not _is_repo_name(value):
            raise ValueError("expected OWNER/NAME")
        return value

    @field_validator("watch_repos")
    @classmethod
    def _check_watch_repos(cls, value: str) -> str:
        bad = [name for name in split_repo_list(value) if not _is_repo_name(name)]
        if bad:
            raise ValueError(f"{bad[0]!r} is not OWNER/NAME")
        return value

    @property
    def watched_repos(self) -> tuple[str, ...]:
        return split_repo_list(self.watch_repos)

    @model_validator(mode="after")
    def _check_engine_retention(self) -> Settings:
        if self.engine_retention_days < self.inbox_retention_days:
            raise ValueError(
                f"engine_retention_days ({self.engine_retention_days}) must be at least "
                f"inbox_retention_days ({self.inbox_retention_days}): the engine recognises "
                "redeliveries the inbox has forgotten"
            )
        return self

    @field_validator("issue_kinds")
    @classmethod
    def _check_kinds(cls, value: str) -> str:
        parse_issue_kinds(value)
        return value

    @property
    def repo_issue_kinds(self) -> IssueKinds:
        return parse_issue_kinds(self.issue_kinds)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Build the settings, turning every problem into a ConfigError that says what to fix."""
    named = config_file or (
        Path(os.environ["SHERIFF_CONFIG"]) if "SHERIFF_CONFIG" in os.environ else None
    )
    if named is not None and not named.is_file():
        raise ConfigError(
            f"config file not found: {named}", hint="check --config or SHERIFF_CONFIG"
        )

    class _FromFile(Settings):
        model_config = SettingsConfigDict(**{**Settings.model_config, "toml_file": named})

    given = {key: value for key, value in overrides.items() if value is not None}
    try:
        return _FromFile(**given)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}"
            for item in error.errors()
        )
        raise ConfigError(
            f"invalid settings: {problems}",
            hint="fix the flag, SHERIFF_* variable or config file named",
        ) from error
