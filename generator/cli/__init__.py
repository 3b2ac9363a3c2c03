"""The ``apibind`` command line. Only this package prints or exits."""

from __future__ import annotations

import click

from generator import __version__
from generator.cli.build import build
from generator.cli.check import check
from generator.cli.common import EXIT_CODES_HELP, debug_option
from generator.cli.diff import diff
from generator.cli.generate import generate
from generator.cli.parse import parse
from generator.cli.review import review


@click.group(epilog=EXIT_CODES_HELP, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="apibind")
@click.option("--debug", is_flag=True, help="Show tracebacks for internal errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """apibind: scraped REST docs -> OpenAPI 3.1 -> typed Python packages."""
    ctx.obj = {"debug": debug}


for command in (parse, diff, generate, build, check, review):
    command.params.append(debug_option())
    main.add_command(command)
