"""Templates (autoescaped Jinja2 from the package), their filters, and the security headers
every dashboard page carries.

Everything shown may come from CI logs or issue text, which anyone able to open a pull
request controls: templates never mark text safe, and the Content-Security-Policy allows
scripts and styles from this server only (no inline script, no inline style, no eval).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from sheriff.core.model import FailureType
from sheriff.entry.dashboard.links import safe_href

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
DETAILS_SHOWN = 400  # characters of an audit event's details shown inline
STATIC_MOUNT = "dashboard-static"
NOT_A_TOKEN = re.compile(r"[^a-z0-9_-]+")


def build_templates() -> Jinja2Templates:
    environment = Environment(
        loader=PackageLoader("sheriff.entry.dashboard", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        when=format_when,
        ago=format_ago,
        short=short_fingerprint,
        probability=format_probability,
        usd=format_usd,
        count=format_count,
        details=format_details,
        state_label=state_label,
        failure_label=failure_label,
        css_token=css_token,
        safe_href=safe_href,
    )
    environment.globals["path"] = path_for
    return Jinja2Templates(env=environment)


def render(
    templates: Jinja2Templates,
    request: Request,
    name: str,
    context: dict[str, Any],
    status_code: int = 200,
) -> Response:
    return templates.TemplateResponse(
        request, name, context, status_code=status_code, headers=SECURITY_HEADERS
    )


@pass_context
def path_for(
    context: Context, route: str, query: dict[str, Any] | None = None, /, **params: Any
) -> str:
    """The path (no scheme or host) of a named route or static file, with a query string
    made of the non-empty ``query`` values."""
    request: Request = context["request"]
    path = request.url_for(route, **params).path
    pairs = {key: value for key, value in (query or {}).items() if value not in (None, "")}
    return f"{path}?{urlencode(pairs)}" if pairs else path


def format_when(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def format_ago(moment: datetime | None, now: datetime) -> str:
    """How long before ``now``: ``just now``, ``5 min ago``, ``3 h ago``, ``2 d ago``."""
    if moment is None:
        return "never"
    seconds = int((now - moment).total_seconds())
    if seconds < 60:
        return "just now" if seconds >= -60 else format_when(moment)
    for unit, size in (("d", 86_400), ("h", 3_600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit} ago"
    return "just now"


def short_fingerprint(fingerprint: str | None) -> str:
    return (fingerprint or "")[:12]


def format_probability(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def format_usd(value: Decimal) -> str:
    if value == 0:
        return "$0.00"
    return f"${value:,.4f}" if value < 1 else f"${value:,.2f}"


def format_count(value: int) -> str:
    return f"{value:,}"


def format_details(details: dict[str, Any]) -> str:
    """An audit event's details as compact JSON, cut to a readable length."""
    if not details:
        return ""
    text = json.dumps(details, ensure_ascii=False, sort_keys=True, default=str)
    return text if len(text) <= DETAILS_SHOWN else text[: DETAILS_SHOWN - 1] + "…"


def state_label(state: Any) -> str:
    return str(getattr(state, "value", state)).replace("_", " ").lower()


def failure_label(kind: Any) -> str:
    value = str(getattr(kind, "value", kind))
    return "unknown" if value == FailureType.UNKNOWN.value else value.replace("_", " ")


def css_token(value: Any) -> str:
    """A stored word made safe to use as part of a CSS class name."""
    return NOT_A_TOKEN.sub("-", str(value).lower()).strip("-") or "none"
