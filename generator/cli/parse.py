"""``apibind parse``: scraped documentation pages -> one OpenAPI 3.1 spec (+ a report)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.cli.common import (
    EXIT_CODES_HELP,
    EXIT_INPUT,
    QUIET_OPTION,
    VERBOSE_OPTION,
    echo_diagnostics,
    handle_errors,
)
from generator.config import find_config, load_config
from generator.diagnostics import ApibindError, Level, Location
from generator.scrape import DEFAULT_TITLE, parse_sources
from generator.scrape.report import report_text, summary_text
from generator.scrape.source import collect_files
from generator.specfile import dumps
from generator.write import write_together

DEFAULT_SOURCES = (Path("specs/scraped"),)
DEFAULT_OUTPUT = Path("specs/oracle_utilities.openapi.yaml")
DEFAULT_OVERRIDES = Path("specs/overrides.yaml")


def _defaults(
    config_file: Path | None,
) -> tuple[tuple[Path, ...], Path, Path | None, Path | None, str]:
    """(sources, spec, overrides, report, title) from [tool.apibind], or the built-in defaults."""
    try:
        config = load_config(config_file or find_config(Path.cwd()))
    except ApibindError:
        if config_file is not None:
            raise
        overrides = DEFAULT_OVERRIDES if DEFAULT_OVERRIDES.exists() else None
        return DEFAULT_SOURCES, DEFAULT_OUTPUT, overrides, None, DEFAULT_TITLE
    title = config.title or DEFAULT_TITLE
    return config.sources, config.spec, config.overrides, config.report, title


def _refuse_inputs(sources: list[Path], *outputs: Path) -> None:
    """An output that is one of the pages read would replace that page: refuse it."""
    pages = {page.resolve() for page in collect_files(sources)}
    for output in outputs:
        if output.resolve() in pages:
            raise ApibindError.single(
                "output-is-input",
                f"refusing to write {output}: it is one of the pages being parsed",
                Location(file=str(output)),
                "choose another -o / --report path",
            )


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
    help="Spec to write; YAML, or JSON for a .json name. Default: `spec` of [tool.apibind].",
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Report to write (JSON). Default: <output stem>.report.json next to the spec.",
)
@click.option(
    "--overrides",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Maintainer overrides (YAML). Default: `overrides` of [tool.apibind], if it exists.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="TOML file with the [tool.apibind] table (default: the nearest pyproject.toml).",
)
@click.option(
    "--strict", is_flag=True, help="Treat warnings as failures (exit 1, nothing written)."
)
@click.option(
    "--title",
    help=f"info.title of the spec. Default: `title` of [tool.apibind], else {DEFAULT_TITLE!r}.",
)
@click.option(
    "--api-version", default="unversioned", show_default=True, help="info.version of the spec."
)
@click.option(
    "--evidence",
    multiple=True,
    help="Pages (folder or file), an OpenAPI spec, or git:REV:PATH of another version whose "
    "names, types and enum labels fill what these pages lost (repeatable).",
)
@QUIET_OPTION
@VERBOSE_OPTION
@handle_errors
def parse(
    sources: tuple[Path, ...],
    output: Path | None,
    report: Path | None,
    overrides: Path | None,
    config_file: Path | None,
    strict: bool,
    title: str | None,
    api_version: str,
    evidence: tuple[str, ...],
    quiet: bool,
    verbose: bool,
) -> None:
    """Parse scraped documentation pages (files or folders of .txt) into an OpenAPI 3.1 spec.

    With no SOURCES, reads the `sources` of [tool.apibind] (default: specs/scraped). Page kinds
    and layouts are detected per page, from their content.
    """
    if overrides is not None and not overrides.is_file():
        raise click.BadParameter(f"{overrides}: no such file", param_hint="--overrides")
    default_sources, default_output, default_overrides, default_report, default_title = _defaults(
        config_file
    )
    if not sources and overrides is None:
        overrides = default_overrides
    if output is None:
        output, report = default_output, report or default_report
    report = report or report_path_for(output)
    _refuse_inputs(list(sources or default_sources), output, report)
    result = parse_sources(
        list(sources or default_sources),
        overrides=overrides,
        title=title or default_title,
        version=api_version,
        evidence=list(evidence),
    )
    echo_diagnostics(result.diagnostics, min_level=Level.INFO if verbose else Level.WARNING)
    if not quiet:
        click.echo(summary_text(result.report), err=True)
    failed = bool(result.diagnostics.errors) or (strict and bool(result.diagnostics.warnings))
    if failed:
        why = "errors" if result.diagnostics.errors else "warnings (--strict)"
        click.echo(f"apibind parse: nothing written because of {why}", err=True)
        sys.exit(EXIT_INPUT)
    write_together({output: dumps(result.spec, output), report: report_text(result.report)})
    if not quiet:
        click.echo(f"wrote {output} and {report}", err=True)
