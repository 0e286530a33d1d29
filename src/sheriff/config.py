"""One frozen Settings object, built once in ``entry/`` and passed down.

Sources, strongest first: explicit overrides (command-line flags), environment
variables (``SHERIFF_*``, nested with ``__``), then a TOML file (``--config`` or
``SHERIFF_CONFIG``), then defaults.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from sheriff.core.repo_config import KIND_ALIASES, IssueKinds
from sheriff.errors import ConfigError


def _is_repo_name(value: str) -> bool:
    owner, slash, name = value.partition("/")
    return bool(owner and slash and name and "/" not in name and " " not in value)


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

    @field_validator("write_repo")
    @classmethod
    def _check_repo(cls, value: str | None) -> str | None:
        if value is not None and not _is_repo_name(value):
            raise ValueError("expected OWNER/NAME")
        return value

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
