from __future__ import annotations

from pathlib import Path

import pytest

from sheriff.adapters.git import GitMirror
from tests.adapters.git.repos import Published, published_project, workspaces


@pytest.fixture
def published(tmp_path: Path) -> Published:
    return published_project(tmp_path / "github")


@pytest.fixture
def mirror(tmp_path: Path, published: Published) -> GitMirror:
    mirror = workspaces(tmp_path / "sheriff").mirror("shop/pricing", published.url)
    mirror.ensure()
    return mirror
