"""Who may see the dashboard: everyone on loopback, otherwise whoever knows its password.

The dashboard shows case titles, log excerpts and audit events of private repositories, so
``sheriff serve`` refuses to expose it on another address without a password (HTTP Basic,
any user name, compared in constant time). The webhook, ``/healthz`` and ``/metrics`` are
not behind it, and neither are the vendored scripts and styles.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import ipaddress
from collections.abc import Callable

from fastapi import HTTPException, Request

from sheriff.config import Settings
from sheriff.errors import ConfigError

REALM = 'Basic realm="Sheriff dashboard", charset="UTF-8"'
LOOPBACK_NAMES = frozenset({"localhost", "ip6-localhost"})


def require_dashboard_access(settings: Settings, host: str) -> None:
    """Raise ConfigError when the dashboard would be served to other machines unprotected."""
    if not settings.dashboard or settings.dashboard_password is not None or is_loopback(host):
        return
    raise ConfigError(
        f"the dashboard would be served on {host} without a password",
        hint="set SHERIFF_DASHBOARD_PASSWORD, listen on 127.0.0.1 behind an authenticating "
        "proxy, or turn the dashboard off with SHERIFF_DASHBOARD=false",
    )


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def password_guard(password: str) -> Callable[[Request], None]:
    """A FastAPI dependency admitting requests whose Basic credentials carry ``password``."""
    expected = password.encode("utf-8")

    def guard(request: Request) -> None:
        given = _basic_password(request.headers.get("authorization", ""))
        if given is None or not hmac.compare_digest(given.encode("utf-8"), expected):
            raise HTTPException(
                401, "the dashboard needs its password", headers={"WWW-Authenticate": REALM}
            )

    return guard


def _basic_password(header: str) -> str | None:
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    _, colon, password = decoded.partition(":")
    return password if colon else None
