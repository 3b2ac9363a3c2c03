"""What every command shares: exit codes, located messages, the --config option, progress lines."""

from __future__ import annotations

import functools
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ParamSpec, Self, TypeVar

import click

from generator.diagnostics import ApibindError, Diagnostic, Level

# 0 ok; 2 is click's own usage error.
EXIT_INPUT = 1  # input problems found (bad pages/spec/config, stale output, --fail-on changes)
EXIT_INTERNAL = 3  # a bug in apibind; rerun with --debug for the traceback

EXIT_CODES_HELP = "Exit codes: 0 ok; 1 input problems found; 2 usage error; 3 internal error (rerun with --debug)."

P = ParamSpec("P")
R = TypeVar("R")


def echo_diagnostics(
    diagnostics: Iterable[Diagnostic], *, min_level: Level = Level.WARNING
) -> None:
    """Print diagnostics to stderr, most severe levels only unless asked otherwise."""
    order = [Level.ERROR, Level.WARNING, Level.INFO]
    cutoff = order.index(min_level)
    for diagnostic in diagnostics:
        if order.index(diagnostic.level) <= cutoff:
            click.echo(str(diagnostic), err=True)


EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report a SIGINT


def _set_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        root = ctx.find_root()
        root.obj = {**(root.obj or {}), "debug": True}


def debug_option() -> click.Option:
    """``--debug`` after a subcommand too (``apibind build --debug``), as the error hint says."""
    return click.Option(
        ["--debug"],
        is_flag=True,
        expose_value=False,
        callback=_set_debug,
        help="Show tracebacks for internal errors.",
    )


def interrupted() -> None:
    """Ctrl-C: one line and the shell's code; writes in progress were undone by then."""
    click.echo("apibind: interrupted; nothing was left half-written", err=True)
    sys.exit(EXIT_INTERRUPTED)


QUIET_OPTION = click.option(
    "-q", "--quiet", is_flag=True, help="No progress or summary lines: only problems."
)
VERBOSE_OPTION = click.option(
    "-v", "--verbose", is_flag=True, help="Also notes, and every file written or removed."
)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Run a command body: located messages and exit 1 for ApibindError, no traceback unless --debug."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except ApibindError as exc:
            echo_diagnostics(exc.diagnostics)
            sys.exit(EXIT_INPUT)
        except KeyboardInterrupt:
            interrupted()
            raise  # unreachable: interrupted() exits
        except (click.exceptions.Exit, click.ClickException):
            raise
        except Exception as exc:
            ctx = click.get_current_context(silent=True)
            if ctx is not None and ctx.find_root().obj and ctx.find_root().obj.get("debug"):
                traceback.print_exc()
            else:
                click.echo(
                    f"internal error: {type(exc).__name__}: {exc} (rerun with --debug for the traceback)",
                    err=True,
                )
            sys.exit(EXIT_INTERNAL)

    return wrapper


CONFIG_OPTION = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A TOML config file (default: [tool.apibind] of the nearest pyproject.toml).",
)


def stderr_is_tty() -> bool:
    return sys.stderr.isatty()


class Progress:
    """Progress on stderr: a one-line stage bar on a terminal, plain lines otherwise (CI logs).

    Use as a context manager so the bar line is cleared before anything else is printed.
    """

    def __init__(
        self, command: str, steps: int, *, quiet: bool = False, tty_only: bool = False
    ) -> None:
        """``tty_only``: no plain lines off a terminal (a CI log) either, unless asked (-v)."""
        self.command, self.steps = command, steps
        self.done, self.started = 0, time.monotonic()
        self.tty = stderr_is_tty()
        self.quiet = quiet or (tty_only and not self.tty)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self._clear()

    def step(self, text: str) -> None:
        """Start the next stage."""
        self.done = min(self.done + 1, self.steps)
        if self.quiet:
            return
        if self.tty:
            bar = "#" * self.done + "." * (self.steps - self.done)
            click.echo(f"\r\x1b[K{self.command} [{bar}] {text}", err=True, nl=False)
        else:
            click.echo(f"{self.command}: {text}", err=True)

    def detail(self, text: str) -> None:
        """What the current stage is doing now: shown in the bar, on a terminal only."""
        if self.tty and not self.quiet:
            bar = "#" * self.done + "." * (self.steps - self.done)
            click.echo(f"\r\x1b[K{self.command} [{bar}] {text}", err=True, nl=False)

    def note(self, text: str) -> None:
        """A line worth keeping on screen (not a stage)."""
        if not self.quiet:
            self._clear()
            click.echo(f"{self.command}: {text}", err=True)

    def _clear(self) -> None:
        if self.tty and not self.quiet and self.done:
            click.echo("\r\x1b[K", err=True, nl=False)

    @property
    def elapsed(self) -> str:
        return f"{time.monotonic() - self.started:.1f}s"
