"""The three settings ``sheriff triage`` reads, without building the full Settings when
nothing sets any setting.

The full Settings (pydantic-settings, ~100 fields) costs a triage ~50 ms to import and
build. Its only sources are flags, ``SHERIFF_*`` variables and a config file; with none of
them every setting is its default (which validation accepts), so the defaults are used
directly. Any input at all goes through ``load_settings``, with its precedence and its
error messages. tests/entry/test_triage_settings.py holds the defaults here to Settings'.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sheriff.adapters.logfiles import CHUNK_BYTES
from sheriff.core.excerpt import DEFAULT_BUDGET

ENV_PREFIX = "SHERIFF_"  # Settings' env_prefix; its variables are read case-insensitively


@dataclass(frozen=True, slots=True)
class TriageSettings:
    """``Settings.budget``, ``Settings.chunk_bytes`` and ``Settings.cache_dir``."""

    budget: int = DEFAULT_BUDGET
    chunk_bytes: int = CHUNK_BYTES
    cache_dir: Path | None = None


def load_triage_settings(config_file: Path | None, budget: int | None) -> TriageSettings:
    """What ``load_settings(config_file, budget=budget)`` gives for these three settings
    (raises the same ConfigError)."""
    if config_file is None and budget is None and not _settings_in_environment():
        return TriageSettings()
    from sheriff.config import load_settings

    settings = load_settings(config_file, budget=budget)
    return TriageSettings(settings.budget, settings.chunk_bytes, settings.cache_dir)


def _settings_in_environment() -> bool:
    """Whether a variable may set a setting or name a config file (``SHERIFF_CONFIG``)."""
    return any(name.upper().startswith(ENV_PREFIX) for name in os.environ)
