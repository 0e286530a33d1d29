"""Wiring for ``sheriff serve`` and ``sheriff worker``: settings → store, GitHub, use cases,
durable engine, web application, uvicorn."""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sheriff.config import Settings
from sheriff.errors import ConfigError

if TYPE_CHECKING:
    from fastapi import FastAPI
    from uvicorn import Server

    from sheriff.adapters.engine import DurableEngine, EngineSettings, ServiceWork
    from sheriff.adapters.github import GitHubForge
    from sheriff.adapters.store import Store
    from sheriff.app.assistant_events import AssistantResponder
    from sheriff.app.case_context import MirrorOpener
    from sheriff.app.event_service import ForgeOpener, RunFollowUp
    from sheriff.app.forge import Forge, WorkflowRun
    from sheriff.app.llm import LLM
    from sheriff.app.notify_relay import AuditRelay
    from sheriff.app.ports import LogReader
    from sheriff.core.notify import CodeOwners
    from sheriff.entry.web.metrics import ServiceMetrics
    from sheriff.entry.web.receiving import WebhookInbox
    from sheriff.entry.web.worker_child import WorkerChild

ENGINE_FILE = "sheriff-engine.sqlite"
SECRET_HINT = (
    "set SHERIFF_WEBHOOK_SECRET to the GitHub App's webhook secret (make one with "  # noqa: S105
    "`python -c 'import secrets; print(secrets.token_hex(32))'` and paste it in the App settings)"
)
POSTGRES_HINT = (
    "point SHERIFF_ENGINE_DB_URL at a PostgreSQL database shared by every process "
    "(postgresql://USER:PASSWORD@HOST/DB); for a single process run `sheriff serve` alone"
)


@dataclass(frozen=True, slots=True)
class Service:
    engine: DurableEngine
    metrics: ServiceMetrics
    store: Store
    inbox: WebhookInbox | None = None  # only where webhooks are received


def require_webhook_secret(settings: Settings) -> bytes:
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    if not secret:
        raise ConfigError("sheriff serve needs a webhook secret", hint=SECRET_HINT)
    return secret.encode("utf-8")


def engine_url_of(settings: Settings) -> str:
    if settings.engine_db_url:
        return settings.engine_db_url
    from sheriff.entry.scan_command import data_dir_of

    folder = data_dir_of(settings)
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / ENGINE_FILE}"


def require_shared_engine(url: str, what: str) -> None:
    if url.startswith("sqlite"):
        raise ConfigError(f"{what} needs the PostgreSQL engine database", hint=POSTGRES_HINT)


def engine_settings_of(settings: Settings, url: str, *, process_queues: bool) -> EngineSettings:
    from sheriff.adapters.engine import EngineSettings

    return EngineSettings(
        system_database_url=url,
        executor_id=settings.worker_id or f"{socket.gethostname()}-{os.getpid()}",
        worker_concurrency=settings.worker_concurrency,
        repo_concurrency=settings.repo_concurrency,
        poll_seconds=settings.queue_poll_seconds,
        process_queues=process_queues,
        heartbeat_seconds=settings.worker_heartbeat_seconds,
        dead_after_seconds=settings.worker_dead_after_seconds,
        scan_interval_seconds=settings.scan_interval_seconds,
        reconcile_interval_seconds=settings.reconcile_interval_seconds,
        watched_repos=settings.watched_repos,
        retention_seconds=settings.engine_retention_days * 86400.0,
    )


def service_work(settings: Settings, store: Store) -> ServiceWork:
    from sheriff.adapters.engine import ServiceWork
    from sheriff.adapters.logfiles import FileLogReader
    from sheriff.app.event_service import EventHandler, ScanService
    from sheriff.app.reconcile_service import LifecycleReconciler
    from sheriff.app.scan import ScanRequest
    from sheriff.entry import reconcile_command as lifecycle
    from sheriff.entry import scan_command as wiring
    from sheriff.entry.web.discovery import repository_discovery

    request = ScanRequest(
        data_dir=wiring.data_dir_of(settings),
        base_settings=wiring.repo_settings_of(settings),
        max_runs=settings.max_runs_per_scan,
        budget=settings.budget,
        reruns=wiring.rerun_settings_of(settings),
    )
    reader = FileLogReader(settings.chunk_bytes)
    llm = lifecycle.configured_llm(settings)  # one model for every use case
    mirrors = lifecycle.mirror_opener(settings)

    def open_forge(repo: str) -> GitHubForge:
        return wiring.open_forge(settings, repo, store)

    scans = ScanService(
        request,
        open_forge,
        store,
        reader,
        pull_request_follow_up=pull_request_reporter(settings, store, reader, llm),
    )
    reconciler = LifecycleReconciler(
        lifecycle.reconcile_request_of(settings, dry_run=False),
        open_forge,
        store,
        llm=llm,
        mirrors=mirrors,
    )
    events = EventHandler(
        store,
        scans,
        reconciler,
        settings.bot_login,
        mentions=assistant_of(settings, store, open_forge, llm, mirrors),
        installations=(discovery := repository_discovery(settings, store)),
    )
    relay = notice_relay(settings, store)
    return ServiceWork(events, scans, reconciler, relay=relay, discovery=discovery)


def assistant_of(
    settings: Settings,
    store: Store,
    open_forge: ForgeOpener,
    llm: LLM | None,
    mirrors: MirrorOpener,
) -> AssistantResponder | None:
    """The @sheriff assistant for the service (None when turned off)."""
    if not settings.assistant_enabled:
        return None
    from sheriff.app.assistant import AssistantOptions
    from sheriff.app.assistant_events import AssistantResponder

    options = AssistantOptions.from_settings(settings)
    return AssistantResponder(options, open_forge, store, llm=llm, mirrors=mirrors)


def notice_relay(settings: Settings, store: Store) -> AuditRelay | None:
    """The relay the engine runs every minute: the notices of the new audit entries (new
    cases, state changes, errors) to Slack; None when no Slack token is configured."""
    from sheriff.adapters.slack import SlackNotifier

    notifier = SlackNotifier.from_settings(settings)
    if notifier is None:
        return None
    from sheriff.app.notify import Notifications, read_codeowners
    from sheriff.app.notify_relay import AuditRelay
    from sheriff.entry import scan_command as wiring

    notifications = Notifications(notifier, settings.notify_routes, store)

    def owners_of(repo: str) -> CodeOwners | None:
        with wiring.open_forge(settings, repo, store) as forge:
            return read_codeowners(forge)

    return AuditRelay(store, notifications, owners_of)


def pull_request_reporter(
    settings: Settings, store: Store, reader: LogReader, llm: LLM | None
) -> RunFollowUp | None:
    """The PR failure report after each scanned pull-request run (None when turned off)."""
    if not settings.pr_report:
        return None
    from sheriff.app.pr_report import PullRequestReportRequest, report_pull_request_failures
    from sheriff.entry.scan_command import data_dir_of

    request = PullRequestReportRequest.from_settings(settings, data_dir_of(settings))

    def report(forge: Forge, run: WorkflowRun) -> str:
        return report_pull_request_failures(request, forge, store, reader, run, llm=llm).summary

    return report


@contextmanager
def running_service(
    settings: Settings, engine_url: str, *, process_queues: bool, receive: bool = False
) -> Iterator[Service]:
    """The store and the durable engine, started (and stopped when the block ends); with
    ``receive``, also the webhook inbox and its forwarder (stopped before the engine)."""
    from sheriff.adapters.engine import DurableEngine
    from sheriff.entry.scan_command import open_scan_store
    from sheriff.entry.web.metrics import ServiceMetrics
    from sheriff.entry.web.receiving import inbox_settings_of, running_inbox

    store = open_scan_store(settings)
    try:
        metrics = ServiceMetrics()
        engine_settings = engine_settings_of(settings, engine_url, process_queues=process_queues)
        with DurableEngine(engine_settings, service_work(settings, store), metrics) as engine:
            if not receive:
                yield Service(engine, metrics, store)
                return
            with running_inbox(inbox_settings_of(settings), engine) as inbox:
                yield Service(engine, metrics, store, inbox)
    finally:
        store.close()


@contextmanager
def running_worker_child(
    settings: Settings, service: Service, config: Path | None, *, enabled: bool
) -> Iterator[WorkerChild | None]:
    """``sheriff serve``'s worker process, started and watched (stopped when the block
    ends); None when not ``enabled``."""
    if not enabled:
        yield None
        return
    from sheriff.entry.web.worker_child import WorkerChild, WorkerChildOptions

    engine = service.engine.settings
    options = WorkerChildOptions(
        executor_id=f"{engine.executor_id}-worker",
        engine_url=engine.system_database_url,
        application_version=service.engine.application_version,
        db_url=settings.db_url,
        config=config,
        stop_grace_seconds=engine.shutdown_grace_seconds + 10,
    )
    child = WorkerChild(options)
    child.start()
    try:
        yield child
    finally:
        child.stop()


def build_app(
    settings: Settings,
    service: Service,
    secret: bytes | None,
    worker: WorkerChild | None = None,
) -> FastAPI:
    """``secret``: serve ``POST /webhook`` (the service must have been started with its
    inbox); None: health and metrics only (a worker). The dashboard too, if configured.
    ``worker``: the process that runs the events, watched by health and metrics."""
    from sheriff.entry.web.intake import WebhookIntake, accept_into
    from sheriff.entry.web.receiving import inbox_probe
    from sheriff.entry.web.web_app import EngineProbe, WorkerProbe, build_web_app

    engine, receiving = service.engine, service.inbox
    intake = None
    if secret is not None:
        if receiving is None:
            raise ConfigError("receiving webhooks needs the inbox", hint="start it with receive")
        limit = settings.webhook_max_body_bytes
        accept = accept_into(receiving.inbox.submit)
        intake = WebhookIntake(secret, limit, accept, settings.bot_login)
    probe = EngineProbe(
        engine.settings.executor_id,
        engine.healthy,
        engine.queue_depth,
        None if receiving is None else inbox_probe(receiving),
        None if worker is None else WorkerProbe(worker.pid, worker.problem, worker.metrics_text),
    )
    app = build_web_app(intake, service.metrics, probe)
    if settings.dashboard:
        from sheriff.entry.dashboard import dashboard_router, mount_dashboard_static

        app.include_router(dashboard_router(service.store, settings))
        mount_dashboard_static(app)
    return app


def freeze_startup_heap() -> None:
    """``gc.freeze()`` once everything is loaded and wired, just before serving: the objects
    of the modules and the wiring (most of the heap) are never collected, so a full
    collection, which pauses every thread (the event loop's too, while it answers
    deliveries), no longer walks them. Measured in bench/results/webhook.md."""
    import gc

    gc.collect()
    gc.freeze()


def run_http(
    app: FastAPI, host: str, port: int, stop: threading.Event, uds: str | None = None
) -> None:
    """Serve until SIGINT/SIGTERM, then return (so the engine and store close cleanly);
    on the Unix socket ``uds`` instead of ``host:port`` when given. Returns at once when
    ``stop`` (from ``catch_stop_signals``) was set while the service started.

    uvicorn stops gracefully on those signals and then raises the signal again for the
    handler it found installed: ``catch_stop_signals``' handler, which only notes it. A
    signal that comes before uvicorn has set up its handlers reaches only ours: a thread
    passes the stop on, so the server does not run on until it is killed."""
    import uvicorn

    if stop.is_set():
        return
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        uds=uds,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_keep_alive=30,
    )
    where = uds or f"http://{host}:{port}"
    logging.getLogger("sheriff").info("listening on %s", where)
    server = uvicorn.Server(config)
    threading.Thread(
        target=_exit_on_stop, args=(server, stop), name="sheriff-http-stop", daemon=True
    ).start()
    server.run()


def _exit_on_stop(server: Server, stop: threading.Event) -> None:
    stop.wait()
    server.should_exit = True


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def catch_stop_signals() -> threading.Event:
    """From now on SIGINT/SIGTERM set the returned event instead of ending the process.

    Call it before the service starts: a signal that arrives while the engine starts (it
    takes seconds) must still let the process close cleanly, which hands its place (its
    heartbeat row) over to the others at once."""
    stop = threading.Event()

    def note(number: int, _frame: object) -> None:
        if not stop.is_set():
            logging.getLogger("sheriff").info("stopping (%s)", signal.Signals(number).name)
        stop.set()

    for number in STOP_SIGNALS:
        signal.signal(number, note)
    return stop


def wait_for_stop_signal(stop: threading.Event) -> None:
    while not stop.wait(1.0):
        pass


def configure_logging() -> None:
    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for chatty in ("alembic", "httpx"):  # one line per migration step / GitHub request
        logging.getLogger(chatty).setLevel(logging.WARNING)
