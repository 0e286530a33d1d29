"""``sheriff reconcile`` and ``sheriff case show``: the case lifecycle on the command line
(registered on the CLI by ``add_lifecycle_commands``; heavy imports wait until a command
runs)."""

# No `from __future__ import annotations`: typer reads the parameter annotations of every
# command at each start-up, and compiles each one given as a string (~8 ms in all).

import sys
from pathlib import Path
from typing import Annotated

import typer

from sheriff.errors import InputError, SheriffError

DB_HELP = "Database URL (also SHERIFF_DB_URL; default SQLite)."
CONFIG_HELP = "TOML settings file (also SHERIFF_CONFIG)."
RECONCILE_DRY_RUN_HELP = (
    "Print each case's planned actions (comments, transitions, fixes, pull requests) and "
    "change nothing: no GitHub write, no git push, no LLM call, no store write."
)


def _fail(error: SheriffError) -> typer.Exit:
    typer.echo(f"sheriff: {error}", err=True)
    return typer.Exit(error.exit_code)


def reconcile(  # noqa: PLR0917 - typer options are parameters
    repo: Annotated[str, typer.Option(help="OWNER/NAME of the repository whose cases to advance.")],
    once: Annotated[
        bool, typer.Option("--once", help="Reconcile once and exit (the default).")
    ] = False,
    interval: Annotated[
        str | None, typer.Option(help="Reconcile again after this long, e.g. 1h, 30m.")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=RECONCILE_DRY_RUN_HELP)] = False,
    db: Annotated[str | None, typer.Option(help=DB_HELP)] = None,
    write_repo: Annotated[
        str | None, typer.Option(help="OWNER/NAME that holds the issues (a fork to trial).")
    ] = None,
    config: Annotated[Path | None, typer.Option(help=CONFIG_HELP)] = None,
) -> None:
    """Advance every failure case of a repository through its lifecycle.

    Posts analyses, answers people, starts approved fixes, opens and follows their pull
    requests, closes and reopens issues; every step goes to the audit log. Exit 0 when it
    ran (problems with single cases are printed with what to do), 1 when GitHub or the
    database failed, 2 for invalid flags or settings.
    """
    from sheriff.config import load_settings
    from sheriff.entry import reconcile_command as lifecycle
    from sheriff.entry import scan_command as wiring

    try:
        if once and interval is not None:
            raise InputError("--once and --interval exclude each other", hint="choose one")
        wiring.check_repo_name(repo, "--repo")
        seconds = wiring.parse_interval(interval) if interval is not None else None
        settings = load_settings(config, db_url=db, write_repo=write_repo)
        store = wiring.open_scan_store(settings)
    except SheriffError as error:
        raise _fail(error) from error

    def reconcile_once() -> None:
        with wiring.open_forge(settings, repo, store) as forge:
            report = lifecycle.run_reconcile(settings, forge, store, dry_run=dry_run)
        sys.stdout.write(lifecycle.render_reconcile(report))
        sys.stdout.flush()

    try:
        wiring.Loop(seconds).run(reconcile_once)
    except SheriffError as error:
        raise _fail(error) from error
    finally:
        store.close()


def case_show(
    fingerprint: Annotated[
        str, typer.Argument(help="The case's fingerprint (or, with --repo, a prefix).")
    ],
    repo: Annotated[str | None, typer.Option(help="OWNER/NAME the case belongs to.")] = None,
    db: Annotated[str | None, typer.Option(help=DB_HELP)] = None,
    config: Annotated[Path | None, typer.Option(help=CONFIG_HELP)] = None,
) -> None:
    """Print a case (state, failure, flakiness, issue, fix) and its whole audit history.

    Exit 0 when the case was found, 2 when no case (or several) has that fingerprint.
    """
    from sheriff.config import load_settings
    from sheriff.entry import reconcile_command as lifecycle
    from sheriff.entry import scan_command as wiring

    try:
        if repo is not None:
            wiring.check_repo_name(repo, "--repo")
        store = wiring.open_scan_store(load_settings(config, db_url=db))
        try:
            view = lifecycle.find_case(store, fingerprint, repo)
            sys.stdout.write(lifecycle.render_case(store, view))
        finally:
            store.close()
    except SheriffError as error:
        raise _fail(error) from error


def add_lifecycle_commands(app: typer.Typer) -> None:
    app.command()(reconcile)
    case_app = typer.Typer(help="Failure cases and their history.", no_args_is_help=True)
    case_app.command("show")(case_show)
    app.add_typer(case_app, name="case")
