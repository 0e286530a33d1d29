"""The triage's settings are what load_settings gives, whatever sets them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic_settings import (
    DotEnvSettingsSource,
    EnvSettingsSource,
    InitSettingsSource,
    SecretsSettingsSource,
    TomlConfigSettingsSource,
)

from sheriff.config import Settings, load_settings
from sheriff.entry.triage_settings import ENV_PREFIX, TriageSettings, load_triage_settings
from sheriff.errors import ConfigError


@pytest.fixture(autouse=True)
def no_sheriff_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.upper().startswith("SHERIFF_"):
            monkeypatch.delenv(name)


def expected(config_file: Path | None = None, budget: int | None = None) -> TriageSettings:
    settings = load_settings(config_file, budget=budget)
    return TriageSettings(settings.budget, settings.chunk_bytes, settings.cache_dir)


def test_settings_come_from_flags_variables_and_the_config_file_only() -> None:
    """What the short cut relies on: no other source (.env, secrets directory) may give a
    setting, and the variables are the prefixed ones, in any case."""
    init = InitSettingsSource(Settings, {})
    env = EnvSettingsSource(Settings)
    dotenv, secrets = DotEnvSettingsSource(Settings), SecretsSettingsSource(Settings)
    sources = Settings.settings_customise_sources(Settings, init, env, dotenv, secrets)
    assert sources[:2] == (init, env)
    assert [type(source) for source in sources[2:]] == [TomlConfigSettingsSource]
    assert Settings.model_config["env_prefix"] == ENV_PREFIX
    assert not Settings.model_config.get("case_sensitive")


def test_nothing_set_gives_the_defaults_of_settings() -> None:
    assert load_triage_settings(None, None) == expected() == TriageSettings()


def test_a_flag_wins(tmp_path: Path) -> None:
    config = tmp_path / "sheriff.toml"
    config.write_text("budget = 20\n")
    assert load_triage_settings(config, 30) == expected(config, 30)
    assert load_triage_settings(config, 30).budget == 30


@pytest.mark.parametrize("name", ["SHERIFF_CACHE_DIR", "sheriff_cache_dir"])
def test_variables_are_read(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv(name, "/var/cache/sheriff-test")
    monkeypatch.setenv("SHERIFF_CHUNK_BYTES", "8192")
    assert load_triage_settings(None, None) == expected()
    assert load_triage_settings(None, None) == TriageSettings(
        chunk_bytes=8192, cache_dir=Path("/var/cache/sheriff-test")
    )


def test_the_config_file_named_by_a_variable_is_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "sheriff.toml"
    config.write_text("budget = 12\n")
    monkeypatch.setenv("SHERIFF_CONFIG", str(config))
    assert load_triage_settings(None, None) == expected() == TriageSettings(budget=12)


def test_a_setting_the_triage_does_not_read_is_still_validated(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SHERIFF_SLACK_DEFAULT_CHANNEL", "no channel")
    with pytest.raises(ConfigError, match="slack_default_channel") as raised:
        load_triage_settings(None, None)
    with pytest.raises(ConfigError) as directly:
        load_settings()
    assert str(raised.value) == str(directly.value)
