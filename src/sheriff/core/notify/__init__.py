"""Notifications, pure: notices as values, their Slack text, CODEOWNERS, and routing by
changed paths and owners to team channels. The app sends them through its ``Notifier``
port (``sheriff.app.notify``); the Slack adapter is ``sheriff.adapters.slack``."""

from sheriff.core.notify.codeowners import (
    CODEOWNERS_PATHS,
    CodeOwners,
    OwnerRule,
    parse_codeowners,
    pattern_regex,
)
from sheriff.core.notify.notices import Notice, NoticeKind, slack_escape, slack_text
from sheriff.core.notify.routing import (
    NotifyRoutes,
    PathRoute,
    channels_for,
    check_channel,
    parse_pairs,
    path_routes,
)

__all__ = [
    "CODEOWNERS_PATHS",
    "CodeOwners",
    "Notice",
    "NoticeKind",
    "NotifyRoutes",
    "OwnerRule",
    "PathRoute",
    "channels_for",
    "check_channel",
    "parse_codeowners",
    "parse_pairs",
    "path_routes",
    "pattern_regex",
    "slack_escape",
    "slack_text",
]
