"""``apibind build``: scraped pages -> spec + report -> packages, all from the configuration."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path, PurePosixPath

import click

from generator import stamp
from generator.cli.common import (
    CONFIG_OPTION,
    EXIT_CODES_HELP,
    EXIT_INPUT,
    QUIET_OPTION,
    VERBOSE_OPTION,
    Progress,
    echo_diagnostics,
    handle_errors,
)
from generator.cli.json_output import FORMAT_OPTION, emit, emit_failure
from generator.config import Config, load
from generator.diagnostics import ApibindError, Diagnostic, Level, counted
from generator.pipeline import Built, build_in_memory, project_path
from generator.write import WriteReport, write_together


@click.command(epilog=EXIT_CODES_HELP)
@CONFIG_OPTION
@click.option("--force", is_flag=True, help="Overwrite generated files that were edited by hand.")
@click.option(
    "--adopt",
    is_flag=True,
    help="Take over files in the way of a package whose manifest was lost (see `check` first).",
)
@click.option(
    "--strict", is_flag=True, help="Treat warnings as failures (exit 1, nothing written)."
)
@click.option(
    "--bump",
    is_flag=True,
    help="Raise the packages' version by the bump `apibind diff` proposes against the old spec.",
)
@QUIET_OPTION
@VERBOSE_OPTION
@FORMAT_OPTION
@click.pass_context
@handle_errors
def build(
    ctx: click.Context,
    config_path: Path | None,
    force: bool,
    adopt: bool,
    strict: bool,
    bump: bool,
    quiet: bool,
    verbose: bool,
    output_format: str,
) -> None:
    """Run the whole pipeline from the configuration: scraped pages -> spec -> packages.

    Writes the spec (and report) and the generated packages; nothing is written when parsing or
    generating fails. Generated files you edited are kept (and reported) unless --force; files
    you added next to them are never touched.
    """
    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose exclude each other")
    as_json = output_format == "json"
    with Progress("apibind build", 3, quiet=quiet or as_json) as progress:
        try:
            config = load(config_path)
            inputs = stamp.input_digest(config)  # before anything is read
            built = build_in_memory(
                config,
                strict=strict,
                bump=bump,
                on_step=progress.step,
                on_note=progress.note,
                on_detail=progress.detail,
            )
            progress.step(f"writing {_shown(config.output)}")
            written, report = _write(config, built, force=force, adopt=adopt)
            if not report.skipped_user_edited:  # the project is what the inputs make
                stamp.record(config, inputs, built.files, built.retired, built.diagnostics)
        except ApibindError as exc:  # nothing was written
            if not as_json:
                raise
            emit_failure("build", exc)
            ctx.exit(EXIT_INPUT)
    if as_json:
        _emit_json(config, built, report, written)
        return
    if verbose:
        echo_diagnostics([*built.diagnostics, *report.warnings], min_level=Level.INFO)
    else:
        echo_diagnostics(report.warnings)
        if summary := _warnings_by_kind(built.diagnostics, config.report):
            click.echo(summary, err=True)
    if verbose:
        for label, paths in (
            ("wrote", report.written),
            ("removed", report.removed),
            ("adopted", report.adopted),
        ):
            for path in paths:
                click.echo(f"  {label} {_shown(config.output / path)}", err=True)
    if not quiet:
        click.echo(_summary(built, report, len(written), progress.elapsed), err=True)


def _write(
    config: Config, built: Built, *, force: bool, adopt: bool
) -> tuple[list[Path], WriteReport]:
    """Spec, report and packages, as one transaction."""
    texts = {config.spec: built.spec_text}
    if config.report and built.report_text is not None:
        texts[config.report] = built.report_text
    written, report = write_together(
        texts, built.files, config.output, force=force, retire=built.retired, adopt=adopt
    )
    assert report is not None
    return written, report


def _emit_json(config: Config, built: Built, report: WriteReport, written: list[Path]) -> None:
    root = config.file.parent

    def shown(paths: list[PurePosixPath]) -> list[str]:
        return [str(project_path(config.output / p, root)) for p in paths]

    files = {
        "written": [str(project_path(p, root)) for p in written] + shown(report.written),
        "removed": shown(report.removed),
        "kept": shown(report.skipped_user_edited),
        "adopted": shown(report.adopted),
    }
    diagnostics = [*built.diagnostics, *report.warnings]
    counts = {
        **built.summary,
        **{kind: len(paths) for kind, paths in files.items()},
        "unchanged": len(report.unchanged),
        "warnings": sum(d.level is Level.WARNING for d in diagnostics),
    }
    emit("build", True, diagnostics, **files, counts=counts)


def _shown(path: Path) -> str:
    return os.path.relpath(path) if path.is_relative_to(Path.cwd()) else str(path)


def _warnings_by_kind(diagnostics: list[Diagnostic], report: Path | None) -> str | None:
    """One line counting the pipeline's warnings by code; the details come with -v."""
    codes = Counter(d.code for d in diagnostics if d.level is Level.WARNING)
    if not codes:
        return None
    kinds = ", ".join(
        f"{n} {code}" for code, n in sorted(codes.items(), key=lambda c: (-c[1], c[0]))
    )
    where = f"-v, and the report {_shown(report)}" if report else "-v"
    return f"apibind build: {counted(codes.total(), 'warning')} ({kinds}); details with {where}"


def _summary(built: Built, report: WriteReport, written_specs: int, elapsed: str) -> str:
    counts = ", ".join(f"{value} {key}" for key, value in built.summary.items())
    warnings = sum(d.level is Level.WARNING for d in [*built.diagnostics, *report.warnings])
    files = (
        f"{len(report.written)} written, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed"
    )
    if report.skipped_user_edited:
        files += f", {len(report.skipped_user_edited)} kept (edited by hand)"
    spec = "spec updated" if written_specs else "spec unchanged"
    return f"apibind build: {counts}, {warnings} warning(s); files: {files}; {spec}; {elapsed}"
