"""The ``sheriff`` command line: the composition root for one-shot commands."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sheriff import __version__
from sheriff.errors import SheriffError

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
    from sheriff.adapters.logfiles import FileLogReader
    from sheriff.adapters.parallel_scan import ProcessPartScanner
    from sheriff.app.triage_logs import TriageRequest, triage_logs
    from sheriff.config import load_settings

    try:
        settings = load_settings(config, budget=budget)
        request = TriageRequest(paths, settings.budget, passing_log, repo, platform)
        reports = triage_logs(request, FileLogReader(settings.chunk_bytes), ProcessPartScanner())
    except SheriffError as error:
        raise _fail(error) from error
    _print_reports(reports, output)


def _print_reports(reports: list, output: OutputFormat) -> None:  # type: ignore[type-arg]
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
) -> None:
    """Triage the real CI logs bundled with Sheriff: no token, no network."""
    from sheriff.entry.examples import example_logs

    logs = example_logs()
    typer.echo(f"Sheriff {__version__}: triaging {len(logs)} bundled real CI logs\n", err=True)
    triage([str(path) for path in logs], output=output)


@app.command()
def version() -> None:
    """Print Sheriff's version."""
    typer.echo(__version__)


def main() -> None:
    app()
