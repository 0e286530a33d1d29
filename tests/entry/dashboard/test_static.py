"""The vendored htmx and Chart.js are the recorded, unmodified releases, and every template
and static file is declared as package data (a wheel without them serves a broken page)."""

from __future__ import annotations

import hashlib
import re
import tomllib
from pathlib import Path

import sheriff.entry.dashboard

PACKAGE = Path(sheriff.entry.dashboard.__file__).resolve().parent
SOURCE_ROOT = PACKAGE.parents[1]  # src/sheriff
PYPROJECT = PACKAGE.parents[3] / "pyproject.toml"
VENDOR = PACKAGE / "static" / "vendor"


def test_vendored_files_match_their_recorded_digests() -> None:
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    recorded = {
        name: digest for digest, name in re.findall(r"^\s+([0-9a-f]{64})\s+(\S+)$", readme, re.M)
    }
    assert set(recorded) == {"htmx.min.js", "chart.umd.min.js"}
    for name, digest in recorded.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
    assert (VENDOR / "htmx.min.js").read_text(encoding="utf-8").startswith("var htmx=")
    assert "Chart.js v4." in (VENDOR / "chart.umd.min.js").read_text(encoding="utf-8")[:200]


def test_every_dashboard_file_is_package_data() -> None:
    patterns = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"
    ]["sheriff"]
    declared = {path for pattern in patterns for path in SOURCE_ROOT.glob(pattern)}
    shipped = [
        path
        for folder in ("templates", "static")
        for path in (PACKAGE / folder).rglob("*")
        if path.is_file()
    ]
    assert len(shipped) > 10
    assert [path for path in shipped if path not in declared] == []
