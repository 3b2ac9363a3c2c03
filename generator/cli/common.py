"""What every command shares: exit codes and turning failures into located messages."""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable, Iterable
from typing import ParamSpec, TypeVar

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


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Run a command body: located messages and exit 1 for ApibindError, no traceback unless --debug."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except ApibindError as exc:
            echo_diagnostics(exc.diagnostics)
            sys.exit(EXIT_INPUT)
        except (click.exceptions.Exit, click.ClickException, KeyboardInterrupt):
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
