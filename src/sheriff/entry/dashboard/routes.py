"""The dashboard's pages, htmx fragments and chart data, as one APIRouter.

    /                                   overview (cases by state, leaderboard, chart, re-runs,
                                        costs, audit); ?state= &page= &audit_before= &days=
    /fragments/cases?state=&page=       the case table (htmx swaps it into the overview)
    /fragments/audit?before=            a page of audit events, newest first
    /api/failures-per-day?days=         Chart.js data: failures per day by failure type
    /cases/{owner}/{name}/{fingerprint} one case with its timeline

Handlers are plain functions, so FastAPI runs them in its thread pool (the store is sync).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.templating import Jinja2Templates

from sheriff.app.dashboard import DashboardReader
from sheriff.app.dashboard_overview import (
    OverviewRequest,
    read_case,
    read_failure_series,
    read_overview,
)
from sheriff.core.lifecycle.states import CaseState
from sheriff.entry.dashboard.chart_data import failures_chart
from sheriff.entry.dashboard.links import GitHubLinks
from sheriff.entry.dashboard.rendering import SECURITY_HEADERS, render
from sheriff.errors import StoreError

CASES_PER_PAGE = 25
AUDIT_PER_PAGE = 25
DEFAULT_DAYS = 30
CHART_WINDOWS = (14, 30, 90)
TIMELINE_LIMIT = 200

Page = Annotated[int, Query(ge=1, le=100_000)]
Days = Annotated[int, Query(ge=1, le=366)]
AuditSequence = Annotated[int | None, Query(ge=1)]


class DashboardRoutes:
    """The handlers, sharing the reader, the clock, the links and the templates."""

    def __init__(
        self,
        reader: DashboardReader,
        links: GitHubLinks,
        clock: Callable[[], datetime],
        templates: Jinja2Templates,
    ) -> None:
        self._reader = reader
        self._links = links
        self._clock = clock
        self._templates = templates

    def overview(
        self,
        request: Request,
        state: CaseState | None = None,
        page: Page = 1,
        audit_before: AuditSequence = None,
        days: Days = DEFAULT_DAYS,
    ) -> Response:
        wanted = OverviewRequest(
            state=state,
            case_offset=(page - 1) * CASES_PER_PAGE,
            case_limit=CASES_PER_PAGE,
            audit_before=audit_before,
            audit_limit=AUDIT_PER_PAGE,
            days=days,
        )
        return self._page(request, "overview.html", lambda now: self._overview(now, wanted))

    def _overview(self, now: datetime, wanted: OverviewRequest) -> dict[str, Any]:
        overview = read_overview(self._reader, now, wanted)
        return {
            "overview": overview,
            "cases": overview.cases,
            "state": overview.state,
            "audit": overview.audit,
            "audit_before": wanted.audit_before,
            "audit_limit": wanted.audit_limit,
            "chart_windows": CHART_WINDOWS,
        }

    def cases_fragment(
        self, request: Request, state: CaseState | None = None, page: Page = 1
    ) -> Response:
        offset = (page - 1) * CASES_PER_PAGE

        def context(_now: datetime) -> dict[str, Any]:
            cases = self._reader.case_page(state, offset, CASES_PER_PAGE)
            return {"cases": cases, "state": state}

        return self._page(request, "_cases.html", context)

    def audit_fragment(self, request: Request, before: AuditSequence = None) -> Response:
        def context(_now: datetime) -> dict[str, Any]:
            entries = self._reader.audit_page(before, AUDIT_PER_PAGE)
            return {"audit": entries, "audit_before": before, "audit_limit": AUDIT_PER_PAGE}

        return self._page(request, "_audit.html", context)

    def failures_per_day(self, days: Days = DEFAULT_DAYS) -> Response:
        try:
            series = read_failure_series(self._reader, self._clock(), days)
        except StoreError as error:
            body = {"error": error.message, "hint": error.hint}
            return JSONResponse(body, status_code=503, headers=SECURITY_HEADERS)
        return JSONResponse(failures_chart(series), headers=SECURITY_HEADERS)

    def case(self, request: Request, owner: str, name: str, fingerprint: str) -> Response:
        repo = f"{owner}/{name}"

        def context(_now: datetime) -> dict[str, Any]:
            return {
                "report": read_case(self._reader, repo, fingerprint, TIMELINE_LIMIT),
                "repo": repo,
                "fingerprint": fingerprint,
            }

        return self._page(request, "case.html", context, missing="report")

    def _page(
        self,
        request: Request,
        template: str,
        build: Callable[[datetime], dict[str, Any]],
        missing: str | None = None,
    ) -> Response:
        """Render ``template`` with what ``build`` reads; 404 when the ``missing`` key came
        back None, 503 (with the store's hint) when the store fails."""
        now = self._clock()
        base = {"now": now, "links": self._links}
        try:
            context = base | build(now)
        except StoreError as error:
            context = base | {"error": error}
            return render(self._templates, request, "unavailable.html", context, 503)
        status = 404 if missing is not None and context[missing] is None else 200
        return render(self._templates, request, template, context, status)


def build_router(routes: DashboardRoutes) -> APIRouter:
    router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
    router.add_api_route("/", routes.overview, methods=["GET"], name="dashboard")
    router.add_api_route(
        "/fragments/cases", routes.cases_fragment, methods=["GET"], name="dashboard_cases"
    )
    router.add_api_route(
        "/fragments/audit", routes.audit_fragment, methods=["GET"], name="dashboard_audit"
    )
    router.add_api_route(
        "/api/failures-per-day",
        routes.failures_per_day,
        methods=["GET"],
        name="dashboard_failures_per_day",
        response_class=JSONResponse,
    )
    router.add_api_route(
        "/cases/{owner}/{name}/{fingerprint}", routes.case, methods=["GET"], name="dashboard_case"
    )
    return router
