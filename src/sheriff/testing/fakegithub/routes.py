"""Every endpoint the fake serves, in one router."""

from __future__ import annotations

from sheriff.testing.fakegithub import (
    routes_apps,
    routes_downloads,
    routes_issues,
    routes_jobs,
    routes_labels,
    routes_meta,
    routes_runs,
    routes_search,
)
from sheriff.testing.fakegithub.routing import Router


def build_router() -> Router:
    return Router(
        [
            *routes_meta.ROUTES,
            *routes_apps.ROUTES,
            *routes_runs.ROUTES,
            *routes_jobs.ROUTES,
            *routes_downloads.ROUTES,
            *routes_issues.ROUTES,
            *routes_labels.ROUTES,
            *routes_search.ROUTES,
        ]
    )
