"""GitHub App endpoints that list: the App's installations (with the App's JWT) and the
repositories one installation can access (with that installation's token).

Both page like GitHub (``per_page``, ``page``, a ``Link`` header); the second answers
``{"total_count", "repository_selection", "repositories": [...]}`` with full repository
objects, as GitHub does.
"""

from __future__ import annotations

from sheriff.testing.fakegithub.api_errors import ApiError
from sheriff.testing.fakegithub.pagination import paginate
from sheriff.testing.fakegithub.payload_common import JSON, full_repo
from sheriff.testing.fakegithub.routes_apps import (
    AppInstallation,
    app_id_from_jwt,
    installation_payload,
)
from sheriff.testing.fakegithub.routing import Reply, Request, route
from sheriff.testing.fakegithub.world import World

NOT_AN_INSTALLATION = (
    "You must authenticate with an installation access token in order to list repositories "
    "for an installation."
)


@route(
    "GET",
    "/app/installations",
    "apps/list-installations",
    "apps/apps#list-installations-for-the-authenticated-app",
    resource="app",
)
def list_installations(request: Request, world: World, params: dict[str, str]) -> Reply:
    app_id = app_id_from_jwt(request, world)
    mine = sorted(
        (i for i in world.app_installations.values() if i.app_id == app_id),
        key=lambda installation: installation.installation_id,
    )
    page, headers = paginate(request, mine)
    return Reply([installation_payload(i, request, world) for i in page], headers=headers)


@route(
    "GET",
    "/installation/repositories",
    "apps/list-repos-accessible-to-installation",
    "apps/installations#list-repositories-accessible-to-the-app-installation",
)
def list_installation_repositories(request: Request, world: World, params: dict[str, str]) -> Reply:
    installation = _installation_of_token(request, world)
    repos = [world.repos[name] for name in sorted(installation.repos) if name in world.repos]
    page, headers = paginate(request, repos)
    payload: JSON = {
        "total_count": len(repos),
        "repository_selection": "selected",
        "repositories": [full_repo(repo, request.urls) for repo in page],
    }
    return Reply(payload, headers=headers)


def _installation_of_token(request: Request, world: World) -> AppInstallation:
    _, _, token = request.headers.get("authorization", "").partition(" ")
    installation: AppInstallation
    for installation in world.app_installations.values():
        if token and token in installation.tokens:
            return installation
    raise ApiError(403, NOT_AN_INSTALLATION)


ROUTES = [list_installations, list_installation_repositories]
