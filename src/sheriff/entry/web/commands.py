"""``sheriff serve`` and ``sheriff worker``: Sheriff as a service (registered on the CLI by
``add_service_commands``; heavy imports wait until a command runs)."""

# No `from __future__ import annotations`: typer reads the parameter annotations of every
# command at each start-up, and compiles each one given as a string (~8 ms in all).

from pathlib import Path
from typing import Annotated

import typer

from sheriff.errors import SheriffError

DB_HELP = "Store database URL (also SHERIFF_DB_URL; default SQLite)."
ENGINE_DB_HELP = (
    "Durable-execution database URL (also SHERIFF_ENGINE_DB_URL): sqlite:///PATH for one "
    "process (default: beside the store), postgresql://... shared by several processes."
)
CONFIG_HELP = "TOML settings file (also SHERIFF_CONFIG)."


def _fail(error: SheriffError) -> typer.Exit:
    typer.echo(f"sheriff: {error}", err=True)
    return typer.Exit(error.exit_code)


def serve(  # noqa: PLR0917 - typer options are parameters
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8080,
    workers: Annotated[
        bool,
        typer.Option(
            "--workers/--no-workers",
            help="Process events here (default), or only queue them for `sheriff worker` "
            "processes sharing a PostgreSQL engine database.",
        ),
    ] = True,
    worker_process: Annotated[
        bool,
        typer.Option(
            "--worker-process/--in-process",
            help="Process events in a child process that this one starts and watches "
            "(default: acknowledgements stay fast while events are processed), or in "
            "threads of this very process.",
        ),
    ] = True,
    db: Annotated[str | None, typer.Option(help=DB_HELP)] = None,
    engine_db: Annotated[str | None, typer.Option(help=ENGINE_DB_HELP)] = None,
    config: Annotated[Path | None, typer.Option(help=CONFIG_HELP)] = None,
) -> None:
    """Receive GitHub webhooks: verify, queue durably, acknowledge; and work the queue.

    Needs SHERIFF_WEBHOOK_SECRET. Serves POST /webhook, GET /healthz and GET /metrics until
    interrupted. Exit 0 on SIGINT/SIGTERM, 1 when the store or the engine database fails,
    2 for missing or invalid settings.
    """
    from sheriff.config import load_settings
    from sheriff.entry.dashboard.access import require_dashboard_access
    from sheriff.entry.web import service as wiring

    try:
        settings = load_settings(config, db_url=db, engine_db_url=engine_db)
        secret = wiring.require_webhook_secret(settings)
        require_dashboard_access(settings, host)
        engine_url = wiring.engine_url_of(settings)
        if not workers:
            wiring.require_shared_engine(engine_url, "sheriff serve --no-workers")
        wiring.configure_logging()
        stop = wiring.catch_stop_signals()
        in_threads = workers and not worker_process
        with (
            wiring.running_service(
                settings, engine_url, process_queues=in_threads, receive=True
            ) as service,
            wiring.running_worker_child(
                settings, service, config, enabled=workers and worker_process
            ) as child,
        ):
            app = wiring.build_app(settings, service, secret, child)
            wiring.freeze_startup_heap()
            wiring.run_http(app, host, port, stop)
    except SheriffError as error:
        raise _fail(error) from error


def worker(  # noqa: PLR0917 - typer options are parameters
    worker_id: Annotated[
        str | None, typer.Option(help="This process's executor id (default: HOST-PID).")
    ] = None,
    concurrency: Annotated[
        int | None, typer.Option(help="Events one process runs at once (default 16).")
    ] = None,
    host: Annotated[str, typer.Option(help="Address of the health/metrics server.")] = "127.0.0.1",
    port: Annotated[
        int | None, typer.Option(help="Serve GET /healthz and GET /metrics on this port.")
    ] = None,
    db: Annotated[str | None, typer.Option(help=DB_HELP)] = None,
    engine_db: Annotated[str | None, typer.Option(help=ENGINE_DB_HELP)] = None,
    config: Annotated[Path | None, typer.Option(help=CONFIG_HELP)] = None,
    serve_child: Annotated[int | None, typer.Option(hidden=True)] = None,
    metrics_socket: Annotated[str | None, typer.Option(hidden=True)] = None,
) -> None:
    """Work the queue that `sheriff serve --no-workers` fills, beside other workers.

    Needs a PostgreSQL engine database (SHERIFF_ENGINE_DB_URL). A worker that dies has its
    unfinished events resumed by the others. Exit 0 on SIGINT/SIGTERM, 1 when the store or
    the engine database fails, 2 for invalid settings.
    """
    if serve_child is not None:  # first: yield the CPU to the web tier from the start
        from sheriff.entry.web.worker_child import bind_to_parent

        bind_to_parent(serve_child)
    from sheriff.config import load_settings
    from sheriff.entry.dashboard.access import require_dashboard_access
    from sheriff.entry.web import service as wiring

    try:
        settings = load_settings(
            config,
            db_url=db,
            engine_db_url=engine_db,
            worker_id=worker_id,
            worker_concurrency=concurrency,
        )
        if port is not None:
            require_dashboard_access(settings, host)
        engine_url = wiring.engine_url_of(settings)
        if serve_child is None:
            wiring.require_shared_engine(engine_url, "sheriff worker")
        else:  # started by `sheriff serve` on its own machine: SQLite can be shared
            settings = settings.model_copy(update={"dashboard": False})
        wiring.configure_logging()
        stop = wiring.catch_stop_signals()
        with wiring.running_service(settings, engine_url, process_queues=True) as service:
            if port is None and metrics_socket is None:
                wiring.wait_for_stop_signal(stop)
            else:
                app = wiring.build_app(settings, service, None)
                wiring.run_http(app, host, port or 0, stop, uds=metrics_socket)
    except SheriffError as error:
        raise _fail(error) from error


def add_service_commands(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(worker)
