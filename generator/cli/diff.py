"""``apibind diff OLD NEW``: what changed between two versions of an API, and what it breaks."""

from __future__ import annotations

from pathlib import Path

import click

from generator.cli.common import CONFIG_OPTION, EXIT_CODES_HELP, EXIT_INPUT, handle_errors
from generator.diff import RENDERERS, diff_specs
from generator.diff.sources import PageSettings, load_side
from generator.pipeline import page_settings

SIDE_HELP = (
    "OLD and NEW are each a spec file (YAML or JSON), a folder of scraped pages (parsed on the "
    "fly, as `build` parses them: with the project's overrides and evidence), or git:REV:PATH "
    "for a spec in this repository (for example git:HEAD:specs/api.yaml)."
)


@click.command(epilog=f"{SIDE_HELP}\n\n{EXIT_CODES_HELP}")
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(RENDERERS)),
    default="text",
    show_default=True,
    help="text for people, markdown for a pull-request comment, json for machines.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["breaking"]),
    help="Exit with code 1 when a change of this kind is found.",
)
@CONFIG_OPTION
@click.option(
    "--overrides",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Overrides for a side that is a folder of pages (default: the configuration's).",
)
@click.pass_context
@handle_errors
def diff(
    ctx: click.Context,
    old: str,
    new: str,
    output_format: str,
    fail_on: str | None,
    config_path: Path | None,
    overrides: Path | None,
) -> None:
    """List the changes from OLD to NEW, breaking or not, and propose a version bump."""
    folders = any(Path(side).is_dir() for side in (old, new) if not side.startswith("git:"))
    pages = page_settings(config_path, overrides) if folders else PageSettings()
    changes = diff_specs(load_side(old, pages), load_side(new, pages), labels=(old, new))
    click.echo(RENDERERS[output_format](changes), nl=False)
    if fail_on == "breaking" and any(c.breaking for c in changes):
        ctx.exit(EXIT_INPUT)
