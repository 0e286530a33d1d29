"""The ``sheriff`` command line: the composition root for one-shot commands."""

# No `from __future__ import annotations`: typer reads the parameter annotations of every
# command at each start-up, and compiles each one given as a string (~8 ms in all).

import gc
import json
import sys
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sheriff import __version__
from sheriff.entry.lifecycle_commands import add_lifecycle_commands
from sheriff.entry.web.commands import add_service_commands
from sheriff.errors import InputError, SheriffError

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from sheriff.core.model import TriageReport

app = typer.Typer(
    name="sheriff",
    help="Sheriff explains CI failures, tells flaky from broken and keeps one issue per failure.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class OutputFormat(StrEnum):
    json = "json"
    markdown = "markdown"
    text = "text"


def _fail(error: SheriffError) -> typer.Exit:
    typer.echo(f"sheriff: {error}", err=True)
    return typer.Exit(error.exit_code)


@app.command()
def triage(
    paths: Annotated[
        list[str],
        typer.Argument(help="Log files, .gz, GitHub Actions .zip archives, or - for stdin."),
    ],
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.json,
    budget: Annotated[
        int | None, typer.Option(help="Most lines the excerpt may hold (default 50).")
    ] = None,
    passing_log: Annotated[
        str | None,
        typer.Option(help="A passing run of the same job: lines it lacks are evidence."),
    ] = None,
    repo: Annotated[str | None, typer.Option(help="OWNER/NAME, part of every fingerprint.")] = None,
    platform: Annotated[
        str | None, typer.Option(help="Runner OS or label, bucketed into the fingerprint.")
    ] = None,
    config: Annotated[
        Path | None, typer.Option(help="TOML settings file (also SHERIFF_CONFIG).")
    ] = None,
) -> None:
    """Explain why CI logs failed: failures, excerpt, classification, fingerprints.

    Exit 0 when the logs were analysed (finding no failure is a result), 2 when an input
    cannot be read.
    """
    with _without_cycle_collection():
        from sheriff.adapters.logfiles import FileLogReader, check_inputs, prefetch

        prefetch(paths)  # the disk reads while the scanner is imported
        from sheriff.adapters.parallel_scan import ProcessPartScanner
        from sheriff.app.triage_logs import TriageRequest, triage_logs
        from sheriff.entry.stage_one import stage_one_matcher
        from sheriff.entry.triage_settings import load_triage_settings

        try:
            check_inputs([*paths, *([passing_log] if passing_log is not None else [])])
            settings = load_triage_settings(config, budget)
            request = TriageRequest(paths, settings.budget, passing_log, repo, platform)
            matcher = stage_one_matcher(settings, paths)
            reports = triage_logs(
                request,
                FileLogReader(settings.chunk_bytes),
                ProcessPartScanner(matcher=matcher),
                matcher,
            )
        except SheriffError as error:
            raise _fail(error) from error
        _print_reports(reports, output)


@contextmanager
def _without_cycle_collection() -> "Iterator[None]":
    """Triage builds millions of short-lived objects (lines, hits, findings) and no
    reference cycles: reference counting frees them all. The cyclic collector would only
    walk the big line lists again and again, a tenth of the run (forked workers inherit
    this setting)."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _print_reports(reports: "Sequence[TriageReport]", output: OutputFormat) -> None:
    from sheriff.core.render_json import report_to_json
    from sheriff.core.render_markdown import render_markdown, render_text

    if output is OutputFormat.json:
        documents = [report_to_json(report) for report in reports]
        payload = documents[0] if len(documents) == 1 else documents
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        return
    render = render_markdown if output is OutputFormat.markdown else render_text
    sys.stdout.write("\n".join(render(report) for report in reports))


@app.command()
def demo(
    output: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Output format.")
    ] = OutputFormat.text,
    scan_fake: Annotated[
        bool,
        typer.Option(
            "--scan",
            help="Scan a fake GitHub seeded with real logs into a temporary store and show "
            "the issues opened (loopback only, no token).",
        ),
    ] = False,
) -> None:
    """Triage the real CI logs bundled with Sheriff, then follow a flaky test's case from CI
    to a merged fix on a fake GitHub and a real git repository: no token, no network."""
    from sheriff.entry.examples import example_logs

    if scan_fake:
        from sheriff.entry.scan_command import run_demo_scan

        typer.echo(f"Sheriff {__version__}: scanning a fake GitHub on loopback\n", err=True)
        try:
            run_demo_scan(sys.stdout.write)
        except SheriffError as error:
            raise _fail(error) from error
        return

    logs = example_logs()
    typer.echo(f"Sheriff {__version__}: triaging {len(logs)} bundled real CI logs\n", err=True)
    triage([str(path) for path in logs], output=output)
    from sheriff.entry.lifecycle_demo import print_lifecycle_demo

    try:  # JSON and Markdown stay parseable: the lifecycle goes to stderr then
        print_lifecycle_demo(sys.stdout if output is OutputFormat.text else sys.stderr)
    except SheriffError as error:
        raise _fail(error) from error


DRY_RUN_HELP = (
    "Print every planned issue action (create, update, reopen, attach, labels) with the "
    "fingerprint, classification and confidence, and every automatic re-run decision with "
    "its reason; write nothing to GitHub. The store is "
    "still written (runs, jobs, log status, occurrences, cases) but the cursor does not "
    "move, so the next real scan reads the same runs and files their issues."
)


@app.command()
def scan(
    repo: Annotated[str, typer.Option(help="OWNER/NAME of the repository whose CI is read.")],
    once: Annotated[bool, typer.Option("--once", help="Scan once and exit (the default).")] = False,
    interval: Annotated[
        str | None, typer.Option(help="Scan again after this long, e.g. 72h, 30m, 2d.")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=DRY_RUN_HELP)] = False,
    db: Annotated[
        str | None, typer.Option(help="Database URL (also SHERIFF_DB_URL; default SQLite).")
    ] = None,
    issue_kinds: Annotated[
        str | None,
        typer.Option(help="Failure types that open issues: default, all, or a list (test,e2e)."),
    ] = None,
    write_repo: Annotated[
        str | None, typer.Option(help="OWNER/NAME that receives the issues (a fork to trial).")
    ] = None,
    max_runs: Annotated[
        int | None, typer.Option(help="Most new runs one scan reads (default 200).")
    ] = None,
    config: Annotated[
        Path | None, typer.Option(help="TOML settings file (also SHERIFF_CONFIG).")
    ] = None,
) -> None:
    """Read a repository's failed GitHub Actions runs and keep one issue per failure.

    Exit 0 when the scan finished, 1 when GitHub or the database failed after retries (the
    message says what to do), 2 for invalid flags or settings, or rejected credentials.
    """
    from sheriff.adapters.logfiles import FileLogReader
    from sheriff.app.scan import ScanRequest, scan_repository
    from sheriff.config import load_settings
    from sheriff.entry import reconcile_command as lifecycle
    from sheriff.entry import scan_command as wiring

    try:
        if once and interval is not None:
            raise InputError("--once and --interval exclude each other", hint="choose one")
        wiring.check_repo_name(repo, "--repo")
        seconds = wiring.parse_interval(interval) if interval is not None else None
        settings = load_settings(
            config, db_url=db, issue_kinds=issue_kinds, write_repo=write_repo,
            max_runs_per_scan=max_runs,
        )  # fmt: skip
        store = wiring.open_scan_store(settings)
    except SheriffError as error:
        raise _fail(error) from error
    request = ScanRequest(
        data_dir=wiring.data_dir_of(settings),
        base_settings=wiring.repo_settings_of(settings),
        dry_run=dry_run,
        max_runs=settings.max_runs_per_scan,
        budget=settings.budget,
        reruns=wiring.rerun_settings_of(settings),
    )

    def scan_once() -> None:
        with (
            wiring.open_forge(settings, repo, store) as forge,
            wiring.progress_display() as progress,
        ):
            report = scan_repository(
                request, forge, store, FileLogReader(settings.chunk_bytes), progress
            )
            sys.stdout.write(wiring.render_report(report, dry_run=dry_run))
            reconciled = lifecycle.run_reconcile(settings, forge, store, dry_run=dry_run)
        sys.stdout.write(lifecycle.render_reconcile(reconciled))  # the cases move on after it
        sys.stdout.flush()

    try:
        wiring.Loop(seconds).run(scan_once)
    except SheriffError as error:
        raise _fail(error) from error
    finally:
        store.close()


add_service_commands(app)  # sheriff serve, sheriff worker
add_lifecycle_commands(app)  # sheriff reconcile, sheriff case show

db_app = typer.Typer(help="Sheriff's database.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade(
    db: Annotated[
        str | None, typer.Option(help="Database URL (also SHERIFF_DB_URL; default SQLite).")
    ] = None,
    config: Annotated[
        Path | None, typer.Option(help="TOML settings file (also SHERIFF_CONFIG).")
    ] = None,
) -> None:
    """Create or migrate the database schema to this Sheriff's version.

    Exit 0 when the schema is current, 1 when the database cannot be reached or its schema
    is newer than this Sheriff.
    """
    from sheriff.adapters.store import upgrade
    from sheriff.config import load_settings
    from sheriff.entry.scan_command import database_url

    try:
        url = database_url(load_settings(config, db_url=db))
        upgrade(url)
    except SheriffError as error:
        raise _fail(error) from error
    typer.echo(f"database schema is current: {_hide_password(url)}")


flaky_app = typer.Typer(help="Tell flaky tests from broken ones.", no_args_is_help=True)
app.add_typer(flaky_app, name="flaky")


@flaky_app.command("replay")
def flaky_replay(
    history: Annotated[
        Path, typer.Argument(help="JSON lines, one test result per line, in time order.")
    ],
    threshold: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="P(flaky) at or above which a test is flaky.")
    ] = 0.7,
) -> None:
    """Replay a test-result history through the flakiness engine as if live.

    Prints {"tests": [...], "reruns": [...]}. Exit 0 on success, 2 when the file cannot be
    read or a line is not a valid result (the message names the line).
    """
    from sheriff.app.flaky_replay import replay_history

    try:
        with history.open(encoding="utf-8") as lines:
            payload = replay_history(lines, threshold)
    except OSError as error:
        raise _fail(InputError(f"cannot read {history}: {error.strerror}")) from error
    except UnicodeDecodeError as error:
        raise _fail(InputError(f"{history} is not UTF-8 text: {error.reason}")) from error
    except SheriffError as error:
        raise _fail(error) from error
    sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")


def _hide_password(url: str) -> str:
    from sheriff.core.redact import redact

    return redact(url)


@app.command()
def version() -> None:
    """Print Sheriff's version."""
    typer.echo(__version__)


def main() -> None:
    """The ``sheriff`` program (console script and ``python -m sheriff``)."""
    try:
        app()
    finally:
        # The process ends here: spare the interpreter's shutdown its full collections
        # of every object still alive (~50 ms after a triage, a few percent of its run).
        gc.freeze()
