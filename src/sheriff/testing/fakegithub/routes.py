"""Every endpoint the fake serves, in one router."""

from __future__ import annotations

from sheriff.testing.fakegithub import (
    routes_app_installations,
    routes_apps,
    routes_checks,
    routes_downloads,
    routes_git,
    routes_issues,
    routes_jobs,
    routes_labels,
    routes_meta,
    routes_pulls,
    routes_reviews,
    routes_runs,
    routes_search,
)
from sheriff.testing.fakegithub.routing import Router


def build_router() -> Router:
    return Router(
        [
            *routes_meta.ROUTES,
            *routes_apps.ROUTES,
            *routes_app_installations.ROUTES,
            *routes_runs.ROUTES,
            *routes_jobs.ROUTES,
            *routes_downloads.ROUTES,
            *routes_issues.ROUTES,
            *routes_labels.ROUTES,
            *routes_search.ROUTES,
            *routes_pulls.ROUTES,
            *routes_reviews.ROUTES,
            *routes_checks.ROUTES,  # before routes_git: ``commits/{ref+}`` takes the rest
            *routes_git.ROUTES,
        ]
    )
