"""GitHub App endpoints: find a repository's installation and mint installation tokens.

Both are called with the App's JWT (RS256, ``iss`` = the App id), which the fake checks
against the App's public key when one was registered (``FakeGitHub.install_app``). A
minted token then acts as ``<slug>[bot]`` on the API, like GitHub's installation tokens.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import jwt

from sheriff.testing.fakegithub.api_errors import ApiError
from sheriff.testing.fakegithub.payload_common import JSON, iso, user_payload
from sheriff.testing.fakegithub.routing import Reply, Request, route
from sheriff.testing.fakegithub.world import World

PERMISSIONS = {"actions": "read", "contents": "read", "issues": "write", "metadata": "read"}
TOKEN_LIFETIME = timedelta(hours=1)


@dataclass
class AppInstallation:
    """One installation of one App, on some repositories."""

    installation_id: int
    app_id: int
    slug: str
    repos: set[str]
    public_key_pem: str | None = None
    tokens: list[str] = field(default_factory=list)
    suspended_at: datetime | None = None

    @property
    def account(self) -> str:
        return sorted(self.repos)[0].split("/", 1)[0] if self.repos else self.slug

    @property
    def bot_login(self) -> str:
        return f"{self.slug}[bot]"


def app_id_from_jwt(request: Request, world: World) -> int:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or token.count(".") != 2:
        raise ApiError(401, "A JSON web token could not be decoded")
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
        app_id = int(claims["iss"])
    except (jwt.PyJWTError, KeyError, TypeError, ValueError) as error:
        raise ApiError(401, "A JSON web token could not be decoded") from error
    keys = {i.public_key_pem for i in world.app_installations.values() if i.app_id == app_id}
    for key in filter(None, keys):
        try:
            jwt.decode(token, key, algorithms=["RS256"], options={"verify_iat": False})
        except jwt.PyJWTError as error:
            raise ApiError(401, "'Issuer' claim ('iss') must be an Integer") from error
    return app_id


@route(
    "GET",
    "/repos/{owner}/{repo}/installation",
    "apps/get-repo-installation",
    "apps/apps#get-a-repository-installation-for-the-authenticated-app",
    resource="app",
)
def get_repo_installation(request: Request, world: World, params: dict[str, str]) -> Reply:
    app_id = app_id_from_jwt(request, world)
    full_name = f"{params['owner']}/{params['repo']}"
    for installation in world.app_installations.values():
        if installation.app_id == app_id and full_name.lower() in installation.repos:
            return Reply(installation_payload(installation, request, world))
    raise ApiError(404, "Not Found")


@route(
    "POST",
    "/app/installations/{installation_id}/access_tokens",
    "apps/create-installation-access-token",
    "apps/apps#create-an-installation-access-token-for-an-app",
    resource="app",
)
def create_installation_token(request: Request, world: World, params: dict[str, str]) -> Reply:
    app_id = app_id_from_jwt(request, world)
    installation = world.app_installations.get(int(params["installation_id"]))
    if installation is None or installation.app_id != app_id:
        raise ApiError(404, "Not Found")
    if installation.suspended_at is not None:
        raise ApiError(403, "This installation has been suspended")
    token = f"ghs_{secrets.token_hex(18)}"
    installation.tokens.append(token)
    world.tokens[token] = installation.bot_login
    payload: JSON = {
        "token": token,
        "expires_at": iso(world.clock() + TOKEN_LIFETIME),
        "permissions": PERMISSIONS,
        "repository_selection": "selected",
    }
    return Reply(payload, status=201)


@route("GET", "/app", "apps/get-authenticated", "apps/apps#get-the-authenticated-app", "app")
def get_authenticated_app(request: Request, world: World, params: dict[str, str]) -> Reply:
    app_id = app_id_from_jwt(request, world)
    known = [i for i in world.app_installations.values() if i.app_id == app_id]
    if not known:
        raise ApiError(404, "Not Found")
    slug = known[0].slug
    owner = sorted(known[0].repos)[0].split("/", 1)[0]
    created = iso(world.clock().replace(year=2024, month=1, day=1))
    payload: JSON = {
        "id": app_id,
        "slug": slug,
        "node_id": f"A_{app_id}",
        "client_id": f"Iv1.{app_id:016x}",
        "owner": user_payload(owner, request.urls),
        "name": slug,
        "description": "",
        "external_url": request.urls.html_url(f"apps/{slug}"),
        "html_url": request.urls.html_url(f"apps/{slug}"),
        "created_at": created,
        "updated_at": created,
        "permissions": PERMISSIONS,
        "events": ["workflow_run", "issues", "issue_comment"],
        "installations_count": len(known),
    }
    return Reply(payload)


def installation_payload(installation: AppInstallation, request: Request, world: World) -> JSON:
    owner = installation.account
    base = request.urls.api_url(f"app/installations/{installation.installation_id}")
    created = iso(world.clock().replace(year=2024, month=1, day=1))
    return {
        "id": installation.installation_id,
        "account": user_payload(owner, request.urls),
        "repository_selection": "selected",
        "access_tokens_url": f"{base}/access_tokens",
        "repositories_url": request.urls.api_url("installation/repositories"),
        "html_url": request.urls.html_url(f"settings/installations/{installation.installation_id}"),
        "app_id": installation.app_id,
        "app_slug": installation.slug,
        "target_id": user_payload(owner, request.urls)["id"],
        "target_type": "Organization",
        "permissions": PERMISSIONS,
        "events": ["workflow_run", "issues", "issue_comment"],
        "created_at": created,
        "updated_at": created,
        "single_file_name": None,
        "has_multiple_single_files": False,
        "single_file_paths": [],
        "suspended_by": user_payload(owner, request.urls) if installation.suspended_at else None,
        "suspended_at": iso(installation.suspended_at) if installation.suspended_at else None,
    }


ROUTES = [get_repo_installation, create_installation_token, get_authenticated_app]
