"""``apibind parse``: scraped documentation pages -> one OpenAPI 3.1 spec (+ a report)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from generator.cli.common import EXIT_CODES_HELP, EXIT_INPUT, echo_diagnostics, handle_errors
from generator.diagnostics import Level
from generator.scrape import DEFAULT_TITLE, parse_sources
from generator.scrape.report import summary_text
from generator.specfile import dumps
from generator.write import write_text_atomic

DEFAULT_SOURCES = (Path("specs/scraped"),)
DEFAULT_OUTPUT = Path("specs/oracle_utilities.openapi.yaml")
DEFAULT_OVERRIDES = Path("specs/overrides.yaml")


def report_path_for(output: Path) -> Path:
    """`specs/x.openapi.yaml` -> `specs/x.report.json`."""
    stem = output.name.split(".")[0]
    return output.with_name(f"{stem}.report.json")


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_OUTPUT,
    show_default=True,
    help="Spec to write; YAML, or JSON for a .json name.",
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Report to write (JSON). Default: <output stem>.report.json next to the spec.",
)
@click.option(
    "--overrides",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"Maintainer overrides (YAML). Default: {DEFAULT_OVERRIDES} if it exists.",
)
@click.option(
    "--strict", is_flag=True, help="Treat warnings as failures (exit 1, nothing written)."
)
@click.option("--title", default=DEFAULT_TITLE, show_default=True, help="info.title of the spec.")
@click.option(
    "--api-version", default="unversioned", show_default=True, help="info.version of the spec."
)
@click.option("-v", "--verbose", is_flag=True, help="Also show informational notes.")
@handle_errors
def parse(
    sources: tuple[Path, ...],
    output: Path,
    report: Path | None,
    overrides: Path | None,
    strict: bool,
    title: str,
    api_version: str,
    verbose: bool,
) -> None:
    """Parse scraped documentation pages (files or folders of .txt) into an OpenAPI 3.1 spec.

    With no SOURCES, reads specs/scraped/. Page kinds and layouts are detected per page.
    """
    if overrides is None and DEFAULT_OVERRIDES.exists():
        overrides = DEFAULT_OVERRIDES
    elif overrides is not None and not overrides.is_file():
        raise click.BadParameter(f"{overrides}: no such file", param_hint="--overrides")
    result = parse_sources(
        list(sources or DEFAULT_SOURCES), overrides=overrides, title=title, version=api_version
    )
    echo_diagnostics(result.diagnostics, min_level=Level.INFO if verbose else Level.WARNING)
    click.echo(summary_text(result.report), err=True)
    failed = bool(result.diagnostics.errors) or (strict and bool(result.diagnostics.warnings))
    if failed:
        why = "errors" if result.diagnostics.errors else "warnings (--strict)"
        click.echo(f"apibind parse: nothing written because of {why}", err=True)
        sys.exit(EXIT_INPUT)
    report = report or report_path_for(output)
    write_text_atomic(output, dumps(result.spec, output))
    write_text_atomic(report, json.dumps(result.report, indent=2, ensure_ascii=False) + "\n")
    click.echo(f"wrote {output} and {report}", err=True)
