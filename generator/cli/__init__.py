"""The ``apibind`` command line. Only this package prints or exits.

A command's module (and what it needs: the parser, datamodel-code-generator, ...) is imported
only when that command runs, so ``apibind check`` with nothing changed starts in milliseconds.
"""

from __future__ import annotations

import importlib

import click

from generator import __version__
from generator.cli.common import EXIT_CODES_HELP, debug_option

COMMANDS = ("parse", "diff", "generate", "build", "check", "review")  # generator.cli.<name>.<name>


class LazyGroup(click.Group):
    """A group whose commands are imported on first use (click's documented lazy-loading pattern)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        command = getattr(importlib.import_module(f"generator.cli.{cmd_name}"), cmd_name)
        assert isinstance(command, click.Command)
        if not any(p.name == "debug" for p in command.params):
            command.params.append(debug_option())
        return command


@click.group(
    cls=LazyGroup,
    epilog=EXIT_CODES_HELP,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="apibind")
@click.option("--debug", is_flag=True, help="Show tracebacks for internal errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """apibind: scraped REST docs -> OpenAPI 3.1 -> typed Python packages."""
    ctx.obj = {"debug": debug}
