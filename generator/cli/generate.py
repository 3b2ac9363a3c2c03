"""``apibind generate``: one OpenAPI spec -> models, client and server packages."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path, PurePosixPath

import click

from generator.cli.common import EXIT_CODES_HELP, echo_diagnostics, handle_errors
from generator.generate import ALL_TARGETS
from generator.generate import generate as run_generate
from generator.render import TARGETS
from generator.write import MANIFEST, write_tree


def _targets(_ctx: click.Context, _param: click.Parameter, value: str) -> frozenset[str]:
    chosen = frozenset(part.strip() for part in value.split(",") if part.strip())
    unknown = sorted(chosen - ALL_TARGETS)
    if unknown or not chosen:
        raise click.BadParameter(f"choose from {', '.join(TARGETS)} (got {value!r})")
    return chosen


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
    "--name", help="Package name prefix (default: a short snake_case name from info.title)."
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
@handle_errors
def generate(
    spec: Path,
    outdir: Path,
    name: str | None,
    only: frozenset[str],
    templates: Path | None,
    force: bool,
) -> None:
    """Generate installable Python packages from an OpenAPI 3.0/3.1 SPEC (YAML or JSON)."""
    previous = _unedited_models(outdir)
    result = run_generate(spec, name=name, only=only, templates=templates, previous=previous)
    report = write_tree(result.files, outdir, force=force)
    echo_diagnostics([*result.diagnostics, *report.warnings])
    projects = sorted({path.parts[0] for path in result.files})
    click.echo(
        f"{len(report.written)} files written, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed: {', '.join(str(outdir / p) for p in projects)}"
    )


def _unedited_models(outdir: Path) -> dict[PurePosixPath, str]:
    """Models package modules apibind wrote in ``outdir`` whose bytes still match their manifest entry."""
    found: dict[PurePosixPath, str] = {}
    for manifest in sorted(outdir.glob(f"*_models/{MANIFEST}")):
        try:
            entries = json.loads(manifest.read_text(encoding="utf-8"))["files"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        for relative, digest in entries.items():
            path = manifest.parent / relative
            if relative.endswith(".py") and path.is_file():
                data = path.read_bytes()
                if hashlib.sha256(data).hexdigest() == digest:
                    found[PurePosixPath(manifest.parent.name, relative)] = data.decode("utf-8")
    return found
