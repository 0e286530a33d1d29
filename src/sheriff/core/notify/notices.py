"""What Sheriff tells people in chat, and how it reads in Slack.

A ``Notice`` is a value: what happened (its kind), in which repository, a title, a few
lines, an optional link, the repository paths it touches (for routing) and a key that
makes sending it idempotent. ``slack_text`` renders it as Slack ``mrkdwn``: every
untrusted text is redacted and escaped (``&``, ``<``, ``>``), so a log line cannot
mention ``@channel`` or forge a link.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sheriff.core.redact import redact

MAX_LINE = 300
MAX_LINES = 12


class NoticeKind(StrEnum):
    NEW_CASE = "new_case"  # a failure case was filed
    STATE_CHANGE = "state_change"  # a case moved in its lifecycle
    PR_FAILURE = "pr_failure"  # a pull request has new failures
    ERROR = "error"  # something Sheriff tried failed (LLM, fix, permission)

    @property
    def icon(self) -> str:
        return {
            "new_case": ":rotating_light:",
            "state_change": ":arrows_counterclockwise:",
            "pr_failure": ":x:",
            "error": ":warning:",
        }[self.value]


@dataclass(frozen=True, slots=True)
class Notice:
    kind: NoticeKind
    repo: str
    title: str
    key: str  # the same key is sent once per channel
    lines: tuple[str, ...] = ()
    link: str | None = None
    paths: tuple[str, ...] = ()
    fingerprint: str | None = None


def slack_escape(text: str) -> str:
    """Untrusted text safe in Slack mrkdwn: redacted, no control sequences."""
    return redact(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_text(notice: Notice) -> str:
    title = _line(notice.title)
    head = f"{notice.kind.icon} *{slack_escape(notice.repo)}*: {title}"
    if notice.link and notice.link.startswith(("https://", "http://")) and "|" not in notice.link:
        head += f" (<{notice.link.replace('>', '%3E')}|open>)"
    body = [f"• {_line(line)}" for line in notice.lines[:MAX_LINES]]
    return "\n".join([head, *body])


def _line(text: str) -> str:
    flat = " ".join(text.split())
    cut = flat if len(flat) <= MAX_LINE else flat[: MAX_LINE - 1] + "…"
    return slack_escape(cut)
