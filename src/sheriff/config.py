"""One frozen Settings object, built once in ``entry/`` and passed down.

Sources, strongest first: explicit overrides (command-line flags), environment
variables (``SHERIFF_*``, nested with ``__``), then a TOML file (``--config`` or
``SHERIFF_CONFIG``), then defaults.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from sheriff.errors import ConfigError


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
