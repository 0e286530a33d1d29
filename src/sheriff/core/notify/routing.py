"""Which chat channels a notice goes to.

Errors go to the ops channel. Other notices go to the channels of the paths they touch:
the last matching path route (``src/api/**=#api``, patterns as in CODEOWNERS) of each
path, and the channel of each CODEOWNERS owner of the path (``@acme/web=#web``); when
no route or owner matches, to the default channel. Settings name routes as
comma-separated ``key=#channel`` pairs (``parse_pairs``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sheriff.core.notify.codeowners import CodeOwners, pattern_regex
from sheriff.core.notify.notices import Notice, NoticeKind

_CHANNEL = re.compile(r"^[#@]?[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")


@dataclass(frozen=True, slots=True)
class PathRoute:
    pattern: str
    channel: str
    regex: re.Pattern[str]


@dataclass(frozen=True, slots=True)
class NotifyRoutes:
    default_channel: str | None = None
    ops_channel: str | None = None
    path_routes: tuple[PathRoute, ...] = ()
    owner_channels: tuple[tuple[str, str], ...] = ()  # (owner as in CODEOWNERS, channel)

    def channel_of_owner(self, owner: str) -> str | None:
        wanted = owner.casefold()
        return next((ch for name, ch in self.owner_channels if name.casefold() == wanted), None)


def parse_pairs(text: str) -> tuple[tuple[str, str], ...]:
    """``a=#x, b=#y`` → ``(("a", "#x"), ("b", "#y"))``; ValueError says what is wrong."""
    pairs: list[tuple[str, str]] = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        key, equals, channel = (side.strip() for side in item.partition("="))
        if not equals or not key or not channel:
            raise ValueError(f"{item!r} is not KEY=#channel")
        check_channel(channel)
        pairs.append((key, channel))
    return tuple(pairs)


def check_channel(channel: str) -> str:
    if not _CHANNEL.fullmatch(channel):
        raise ValueError(f"{channel!r} is not a channel name or id (e.g. #ci or C0123ABCD)")
    return channel


def path_routes(pairs: tuple[tuple[str, str], ...]) -> tuple[PathRoute, ...]:
    routes: list[PathRoute] = []
    for pattern, channel in pairs:
        regex = pattern_regex(pattern)
        if regex is None:
            raise ValueError(f"{pattern!r} is not a path pattern Sheriff can use")
        routes.append(PathRoute(pattern, channel, regex))
    return tuple(routes)


def channels_for(
    notice: Notice, routes: NotifyRoutes, codeowners: CodeOwners | None = None
) -> tuple[str, ...]:
    """The channels ``notice`` goes to, in a stable order, without repeats."""
    if notice.kind is NoticeKind.ERROR:
        found = routes.ops_channel or routes.default_channel
        return (found,) if found else ()
    chosen: dict[str, None] = {}
    for path in notice.paths:
        clean = path.lstrip("/")
        route = next(
            (item for item in reversed(routes.path_routes) if item.regex.match(clean)), None
        )
        if route is not None:
            chosen[route.channel] = None
    owners = codeowners.owners_of_all(notice.paths) if codeowners is not None else ()
    for owner in owners:
        channel = routes.channel_of_owner(owner)
        if channel is not None:
            chosen[channel] = None
    if not chosen and routes.default_channel:
        chosen[routes.default_channel] = None
    return tuple(chosen)
