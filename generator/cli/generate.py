"""``apibind generate``: one OpenAPI spec -> models, client and server packages."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.common import (
    EXIT_CODES_HELP,
    QUIET_OPTION,
    VERBOSE_OPTION,
    Progress,
    echo_diagnostics,
    handle_errors,
)
from generator.config import TARGETS
from generator.diagnostics import Level
from generator.generate import ALL_TARGETS, STEPS
from generator.generate import generate as run_generate
from generator.naming import package_name_problem
from generator.write import unedited_models, write_tree


def _targets(_ctx: click.Context, _param: click.Parameter, value: str) -> frozenset[str]:
    chosen = frozenset(part.strip() for part in value.split(",") if part.strip())
    unknown = sorted(chosen - ALL_TARGETS)
    if unknown or not chosen:
        raise click.BadParameter(f"choose from {', '.join(TARGETS)} (got {value!r})")
    return chosen


def _name(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """The same rule as the `name` key of [tool.apibind]."""
    if value is not None and (problem := package_name_problem(value)):
        raise click.BadParameter(f"{problem}; use letters, digits, '_' or '-'")
    return None if value is None else value.replace("-", "_")


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("spec", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-o",
    "--output",
    "outdir",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder that receives NAME_models/, NAME_client/ and NAME_server/.",
)
@click.option(
    "--name",
    callback=_name,
    help="Package name prefix, '-' read as '_' (default: a short snake_case name from info.title).",
)
@click.option(
    "--only",
    default=",".join(TARGETS),
    callback=_targets,
    show_default=True,
    help="Comma-separated packages to generate.",
)
@click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Folder of templates overriding built-in ones by relative path.",
)
@click.option("--force", is_flag=True, help="Overwrite generated files that were edited by hand.")
@QUIET_OPTION
@VERBOSE_OPTION
@handle_errors
def generate(
    spec: Path,
    outdir: Path,
    name: str | None,
    only: frozenset[str],
    templates: Path | None,
    force: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Generate installable Python packages from an OpenAPI 3.0/3.1 SPEC (YAML or JSON).

    Progress goes to stderr on a terminal, and with -v elsewhere (CI logs stay quiet otherwise).
    """
    with Progress("apibind generate", STEPS + 1, quiet=quiet, tty_only=not verbose) as progress:
        previous = unedited_models(outdir)
        result = run_generate(
            spec,
            name=name,
            only=only,
            templates=templates,
            previous=previous,
            on_step=progress.step,
        )
        progress.step(f"writing {outdir}")
        report = write_tree(result.files, outdir, force=force)
    echo_diagnostics(
        [*result.diagnostics, *report.warnings], min_level=Level.INFO if verbose else Level.WARNING
    )
    if verbose:
        for label, paths in (("wrote", report.written), ("removed", report.removed)):
            for path in paths:
                click.echo(f"  {label} {outdir / path}", err=True)
    if quiet:
        return
    projects = sorted({path.parts[0] for path in result.files})
    click.echo(
        f"{len(report.written)} files written, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed: {', '.join(str(outdir / p) for p in projects)}"
    )
