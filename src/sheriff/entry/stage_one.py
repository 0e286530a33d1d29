"""Choose stage 1's engine for a triage: Hyperscan when it repays itself, else RE2."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from sheriff.adapters.hyperscan_matcher import HyperscanMatcher, load_matcher
from sheriff.core.parsers import rule_set
from sheriff.entry.triage_settings import TriageSettings

# Compiling the Hyperscan databases costs ~0.5 s once; below this much input RE2 is
# faster overall. A cached compilation is used whatever the input size.
COMPILE_FROM_BYTES = 16 << 20


def stage_one_matcher(settings: TriageSettings, paths: Sequence[str]) -> HyperscanMatcher | None:
    """The accelerated matcher for these inputs, or None to scan with RE2."""
    return load_matcher(
        rule_set(),
        cache_dir_of(settings),
        compile_if_missing=_input_bytes(paths) >= COMPILE_FROM_BYTES,
    )


def cache_dir_of(settings: TriageSettings) -> Path:
    if settings.cache_dir is not None:
        return settings.cache_dir
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sheriff"


def _input_bytes(paths: Sequence[str]) -> int:
    total = 0
    for name in paths:
        path = Path(name)
        if name != "-" and path.is_file():
            total += path.stat().st_size
    return total
