"""``apibind parse``: scraped documentation pages -> one OpenAPI 3.1 spec."""

from __future__ import annotations

import click

from generator.cli.common import EXIT_CODES_HELP, handle_errors


@click.command(epilog=EXIT_CODES_HELP)
@handle_errors
def parse() -> None:
    """Parse scraped documentation pages into an OpenAPI 3.1 spec."""
    raise click.ClickException("not implemented yet")
