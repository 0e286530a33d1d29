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
from sheriff.entry.web.metrics import ServiceMetrics
from sheriff.errors import EngineError

PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8"


@dataclass(frozen=True, slots=True)
class EngineProbe:
    """What the health and metrics endpoints ask the engine."""

    executor_id: str
    healthy: Callable[[], bool]
    queue_depth: Callable[[], int]


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
        healthy = probe.healthy()
        body = {"status": "ok" if healthy else "unhealthy", "executor": probe.executor_id}
        return JSONResponse(body, status_code=200 if healthy else 503)

    @app.get("/metrics")
    def prometheus_metrics() -> PlainTextResponse:
        try:
            depth: int | None = probe.queue_depth()
        except EngineError:
            depth = None  # the engine database is away; /healthz says so
        return PlainTextResponse(metrics.render(depth), media_type=PROMETHEUS_TEXT)

    return app
