"""Shared test fixtures: where the evaluation data and the tool fixtures live."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

# Fixtures shared across folders: ``engine_url`` (engine tests on SQLite and PostgreSQL).
pytest_plugins = ("tests.adapters.engine.databases",)

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = (REPO_ROOT.parent / "shared" / "data").resolve()
TOOL_FIXTURES = REPO_ROOT / "tests" / "fixtures" / "tools"


def read_shared(relative: str) -> bytes:
    """A file of ../shared/data (gunzipped when it ends in .gz)."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.fail(f"evaluation data missing: {path} (clone with shared/ beside the repo)")
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def read_pytorch_fixture(name: str) -> bytes:
    """A pytorch log-classifier fixture with its answer markers removed (see its README)."""
    data = read_shared(f"pytorch-log-classifier-fixtures/{name}")
    lines = data.splitlines(keepends=True)
    if lines and lines[0].startswith(b"#=SOURCE=#"):
        lines = lines[1:]
    marker = b"#=MATCH=# "
    cleaned = b"".join(line[len(marker) :] if line.startswith(marker) else line for line in lines)
    return cleaned.replace("‹".encode(), b"").replace("›".encode(), b"")


def read_tool_fixture(relative: str) -> bytes:
    """A log under tests/fixtures/tools/ produced by running a real tool."""
    return (TOOL_FIXTURES / relative).read_bytes()


@pytest.fixture
def shared_data() -> Path:
    return SHARED_DATA
