"""``apibind diff OLD NEW``: what changed between two versions of an API, and what it breaks."""

from __future__ import annotations

import click

from generator.cli.common import EXIT_CODES_HELP, EXIT_INPUT, handle_errors
from generator.diff import RENDERERS, diff_specs
from generator.diff.sources import load_side

SIDE_HELP = (
    "OLD and NEW are each a spec file (YAML or JSON), a folder of scraped pages (parsed on the "
    "fly), or git:REV:PATH for a spec in this repository (for example git:HEAD:specs/api.yaml)."
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
@click.pass_context
@handle_errors
def diff(ctx: click.Context, old: str, new: str, output_format: str, fail_on: str | None) -> None:
    """List the changes from OLD to NEW, breaking or not, and propose a version bump."""
    changes = diff_specs(load_side(old), load_side(new), labels=(old, new))
    click.echo(RENDERERS[output_format](changes), nl=False)
    if fail_on == "breaking" and any(c.breaking for c in changes):
        ctx.exit(EXIT_INPUT)
