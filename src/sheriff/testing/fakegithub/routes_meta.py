"""Repository, the token's user, collaborator permission and rate-limit endpoints."""

from __future__ import annotations

import base64
import hashlib

from sheriff.testing.fakegithub.api_errors import ApiError
from sheriff.testing.fakegithub.payload_common import JSON, full_repo, iso, user_payload
from sheriff.testing.fakegithub.routing import Reply, Request, route
from sheriff.testing.fakegithub.seed_model import PERMISSIONS
from sheriff.testing.fakegithub.world import World

# The ``permission`` field keeps GitHub's legacy scale; ``role_name`` says the real role.
LEGACY_PERMISSION = {
    "admin": "admin",
    "maintain": "write",
    "write": "write",
    "triage": "read",
    "read": "read",
    "none": "none",
}


@route("GET", "/repos/{owner}/{repo}", "repos/get", "repos/repos#get-a-repository")
def get_repository(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    return Reply(full_repo(repo, request.urls), last_modified=repo.updated_at)


@route("GET", "/user", "users/get-authenticated", "users/users#get-the-authenticated-user")
def get_authenticated_user(request: Request, world: World, params: dict[str, str]) -> Reply:
    if request.login is None:
        raise ApiError(401, "Requires authentication")
    payload: JSON = user_payload(request.login, request.urls)
    created = iso(world.clock().replace(year=2020, month=1, day=1))
    payload.update(
        {
            "name": request.login,
            "company": None,
            "blog": "",
            "location": None,
            "email": None,
            "hireable": None,
            "bio": None,
            "twitter_username": None,
            "notification_email": None,
            "public_repos": 0,
            "public_gists": 0,
            "followers": 0,
            "following": 0,
            "created_at": created,
            "updated_at": created,
            "private_gists": 0,
            "total_private_repos": 0,
            "owned_private_repos": 0,
            "disk_usage": 0,
            "collaborators": 0,
            "two_factor_authentication": True,
            "plan": {
                "name": "free",
                "space": 976562499,
                "private_repos": 10000,
                "collaborators": 0,
            },
        }
    )
    return Reply(payload)


@route(
    "GET",
    "/repos/{owner}/{repo}/collaborators/{username}/permission",
    "repos/get-collaborator-permission-level",
    "collaborators/collaborators#get-repository-permissions-for-a-user",
)
def get_permission(request: Request, world: World, params: dict[str, str]) -> Reply:
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    login = params["username"]
    role = "admin" if login.lower() == repo.owner.lower() else world.permission(repo, login)
    rank = PERMISSIONS.index(role)
    user = user_payload(login, request.urls)
    user["role_name"] = role
    user["permissions"] = {
        "admin": rank <= PERMISSIONS.index("admin"),
        "maintain": rank <= PERMISSIONS.index("maintain"),
        "push": rank <= PERMISSIONS.index("write"),
        "triage": rank <= PERMISSIONS.index("triage"),
        "pull": rank <= PERMISSIONS.index("read"),
    }
    return Reply({"permission": LEGACY_PERMISSION[role], "role_name": role, "user": user})


@route(
    "GET",
    "/rate_limit",
    "rate-limit/get",
    "rate-limit/rate-limit#get-rate-limit-status-for-the-authenticated-user",
    "free",
)
def get_rate_limit(request: Request, world: World, params: dict[str, str]) -> Reply:
    return Reply(world.budgets.overview())


@route(
    "GET",
    "/repos/{owner}/{repo}/contents/{path+}",
    "repos/get-content",
    "repos/contents#get-repository-content",
)
def get_content(request: Request, world: World, params: dict[str, str]) -> Reply:
    """A file on the default branch (or at ``ref`` in a git-backed repository): raw with
    ``application/vnd.github.raw+json``, otherwise GitHub's content object in base64."""
    repo = world.repo(f"{params['owner']}/{params['repo']}")
    path = params["path"].strip("/")
    ref = request.arg("ref") or repo.default_branch
    data = repo.git.read_file(ref, path) if repo.git is not None else repo.files.get(path)
    if data is None:
        raise ApiError(404, "Not Found")
    if "raw" in request.headers.get("accept", ""):
        return Reply(raw=data, content_type="application/vnd.github.raw; charset=utf-8")
    digest = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()  # noqa: S324 (git's id)
    api = f"{request.urls.api}/repos/{repo.owner}/{repo.name}/contents/{path}"
    html = f"{request.urls.html}/{repo.owner}/{repo.name}/blob/{ref}/{path}"
    payload: JSON = {
        "type": "file",
        "encoding": "base64",
        "size": len(data),
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "content": base64.b64encode(data).decode(),
        "sha": digest,
        "url": api,
        "git_url": f"{request.urls.api}/repos/{repo.owner}/{repo.name}/git/blobs/{digest}",
        "html_url": html,
        "download_url": None,
        "_links": {"self": api, "git": None, "html": html},
    }
    return Reply(payload)


ROUTES = [get_repository, get_authenticated_user, get_permission, get_rate_limit, get_content]
