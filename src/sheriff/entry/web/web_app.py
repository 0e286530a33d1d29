"""The FastAPI application: ``POST /webhook`` (when given an intake), ``GET /healthz`` and
``GET /metrics``."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse

from sheriff import __version__
from sheriff.entry.web.intake import WebhookIntake, receive_delivery
from sheriff.entry.web.metrics import InboxGauges, ServiceMetrics, processing_families
from sheriff.errors import EngineError

PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8"


@dataclass(frozen=True, slots=True)
class InboxProbe:
    """What the health and metrics endpoints ask the web tier's inbox and forwarder."""

    gauges: Callable[[], InboxGauges]
    problem: Callable[[], str | None]  # why deliveries are not reaching the queue, if not


@dataclass(frozen=True, slots=True)
class WorkerProbe:
    """What the health and metrics endpoints ask ``sheriff serve``'s worker process."""

    pid: Callable[[], int | None]
    problem: Callable[[], str | None]  # why it is not running, if it is not
    metrics_page: Callable[[], str | None]  # its /metrics page, None while unreadable


@dataclass(frozen=True, slots=True)
class EngineProbe:
    """What the health and metrics endpoints ask the engine (and the inbox and the worker
    process, where there are)."""

    executor_id: str
    healthy: Callable[[], bool]
    queue_depth: Callable[[], int]
    inbox: InboxProbe | None = None
    worker: WorkerProbe | None = None


def build_web_app(
    intake: WebhookIntake | None, metrics: ServiceMetrics, probe: EngineProbe
) -> FastAPI:
    app = FastAPI(title="Sheriff", version=__version__, docs_url=None, redoc_url=None)

    if intake is not None:

        @app.post("/webhook")
        async def webhook(request: Request) -> JSONResponse:
            started = time.perf_counter()
            reply = await receive_delivery(request, intake)
            metrics.delivery(reply.event, reply.result, time.perf_counter() - started)
            return JSONResponse(
                {"result": reply.result, "detail": reply.detail}, status_code=reply.status
            )

    @app.get("/healthz")
    def healthz() -> JSONResponse:
        problem = _problem(probe)
        body: dict[str, object] = {
            "status": "ok" if problem is None else "unhealthy",
            "executor": probe.executor_id,
        }
        if problem is not None:
            body["problem"] = problem
        if probe.worker is not None:
            body["worker_pid"] = probe.worker.pid()
        return JSONResponse(body, status_code=200 if problem is None else 503)

    @app.get("/metrics")
    def prometheus_metrics() -> PlainTextResponse:
        try:
            depth: int | None = probe.queue_depth()
        except EngineError:
            depth = None  # the engine database is away; /healthz says so
        text = metrics.render(depth, _inbox_gauges(probe.inbox), _processing(probe.worker))
        return PlainTextResponse(text, media_type=PROMETHEUS_TEXT)

    return app


def _problem(probe: EngineProbe) -> str | None:
    if not probe.healthy():
        return "the engine database has not answered the heartbeat lately"
    if probe.worker is not None and (stopped := probe.worker.problem()) is not None:
        return stopped
    if probe.inbox is None:
        return None
    try:
        return probe.inbox.problem()
    except EngineError as error:
        return str(error)


def _inbox_gauges(inbox: InboxProbe | None) -> InboxGauges | None:
    if inbox is None:
        return None
    try:
        return inbox.gauges()
    except EngineError:
        return None  # the inbox cannot be read; /healthz says so


def _processing(worker: WorkerProbe | None) -> list[str] | None:
    """The worker process's processing metrics (none while it cannot be read: a gap in
    the series rather than counters falling to zero); None: this process's own."""
    if worker is None:
        return None
    page = worker.metrics_page()
    return [] if page is None else processing_families(page)
