"""Where the embedded SQLite database lives by default: the XDG user data directory."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from sheriff.errors import StoreUnavailableError


def default_database_path(environ: Mapping[str, str] | None = None) -> Path:
    """``$XDG_DATA_HOME/sheriff/sheriff.db``, else ``~/.local/share/sheriff/sheriff.db``.

    A relative XDG_DATA_HOME is ignored, as the XDG specification requires.
    """
    env = os.environ if environ is None else environ
    configured = env.get("XDG_DATA_HOME", "")
    if configured and Path(configured).is_absolute():
        data_home = Path(configured)
    else:
        data_home = Path(env.get("HOME") or Path.home()) / ".local" / "share"
    return data_home / "sheriff" / "sheriff.db"


def default_database_url(environ: Mapping[str, str] | None = None) -> str:
    """The default database URL, creating its folder if needed."""
    path = default_database_path(environ)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreUnavailableError(
            f"cannot create the data folder {path.parent}: {error.strerror}",
            hint="make it writable, set XDG_DATA_HOME, or choose a database with "
            "--db / SHERIFF_DB_URL",
        ) from error
    return f"sqlite:///{path}"
