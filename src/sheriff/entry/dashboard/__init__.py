"""Sheriff's dashboard: server-rendered pages (Jinja2), htmx fragments and a Chart.js chart,
read-only over the store. The web app includes it with

    app.include_router(dashboard_router(store, settings))
    mount_dashboard_static(app)

``dashboard_app`` builds a FastAPI app serving the dashboard alone (tests, local viewing).
The vendored htmx and Chart.js files are in ``static/vendor`` (see its README).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import APIRouter, Depends, FastAPI
from starlette.staticfiles import StaticFiles

from sheriff.adapters.store import Store
from sheriff.adapters.store.dashboard_queries import StoreDashboard
from sheriff.config import Settings
from sheriff.entry.dashboard.access import password_guard, require_dashboard_access
from sheriff.entry.dashboard.links import GitHubLinks, github_web_url
from sheriff.entry.dashboard.rendering import STATIC_MOUNT, build_templates
from sheriff.entry.dashboard.routes import DashboardRoutes, build_router

STATIC_PATH = "/static/dashboard"

__all__ = [
    "STATIC_PATH",
    "dashboard_app",
    "dashboard_router",
    "mount_dashboard_static",
    "require_dashboard_access",
]


def dashboard_router(
    store: Store, settings: Settings, *, clock: Callable[[], datetime] | None = None
) -> APIRouter:
    """The dashboard's routes over ``store``; ``clock`` defaults to the store's clock.
    Its pages load their scripts and styles from ``mount_dashboard_static``."""
    routes = DashboardRoutes(
        reader=StoreDashboard(store),
        links=GitHubLinks(github_web_url(settings.github_api_url)),
        clock=clock or store.database.now,
        templates=build_templates(),
    )
    password = settings.dashboard_password
    if password is None:
        return build_router(routes)
    guarded = APIRouter(dependencies=[Depends(password_guard(password.get_secret_value()))])
    guarded.include_router(build_router(routes))
    return guarded


def mount_dashboard_static(app: FastAPI, path: str = STATIC_PATH) -> None:
    """Serve the dashboard's scripts and styles (the templates find them by name)."""
    files = StaticFiles(packages=[("sheriff.entry.dashboard", "static")])
    app.mount(path, files, name=STATIC_MOUNT)


def dashboard_app(
    store: Store, settings: Settings, *, clock: Callable[[], datetime] | None = None
) -> FastAPI:
    """A FastAPI app serving only the dashboard."""
    app = FastAPI(title="Sheriff dashboard", docs_url=None, redoc_url=None, openapi_url=None)
    app.include_router(dashboard_router(store, settings, clock=clock))
    mount_dashboard_static(app)
    return app
