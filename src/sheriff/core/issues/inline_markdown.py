"""Putting untrusted text (test names, log lines, job names) into Markdown safely: it must
render as text, never as HTML, a table break, or a Sheriff marker."""

from __future__ import annotations

import re

from sheriff.core.redact import redact

_BACKTICKS = re.compile(r"`+")
_SPACES = re.compile(r"\s+")
CELL_LIMIT = 200


def _one_line(text: str, limit: int) -> str:
    flat = _SPACES.sub(" ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def code_span(text: str, limit: int = CELL_LIMIT) -> str:
    """Redacted text as one inline code span, safe inside a table cell."""
    flat = _one_line(redact(text), limit)
    longest = max((len(run) for run in _BACKTICKS.findall(flat)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {flat} " if flat.startswith("`") or flat.endswith("`") else flat
    return f"{fence}{padded}{fence}".replace("|", "\\|") if flat else "—"


def cell_text(text: str, limit: int = CELL_LIMIT) -> str:
    """Redacted plain text for a table cell: no HTML, no column breaks."""
    flat = _one_line(redact(text), limit)
    return html_text(flat).replace("|", "\\|") if flat else "—"


def html_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fence_for(lines: list[str]) -> str:
    """A code fence longer than any backtick run in the lines it wraps."""
    longest = max((len(run) for line in lines for run in _BACKTICKS.findall(line)), default=0)
    return "`" * max(3, longest + 1)


def safe_link(url: str) -> str | None:
    """The URL if it is an http(s) link usable in ``[text](url)``, else None."""
    if not url.startswith(("https://", "http://")) or any(ch in url for ch in " \t\n<>"):
        return None
    return url.replace("(", "%28").replace(")", "%29")
