"""``apibind check``: is the committed spec and output what the generator makes now?"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import click

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
from generator.config import Config
from generator.diagnostics import Level
from generator.pipeline import Built, build_in_memory, load
from generator.write import Drift, compare_text, compare_tree


@click.command(epilog=EXIT_CODES_HELP)
@CONFIG_OPTION
@QUIET_OPTION
@VERBOSE_OPTION
@click.pass_context
@handle_errors
def check(ctx: click.Context, config_path: Path | None, quiet: bool, verbose: bool) -> None:
    """Rebuild in memory and compare with the committed spec and output, byte for byte.

    Exit 0 when everything is fresh; exit 1 with the stale, missing and unexpected files and a
    short diff of each when not. Writes nothing.
    """
    config = load(config_path)
    with Progress("apibind check", 3, quiet=quiet) as progress:
        built = build_in_memory(config, on_step=progress.step, on_note=progress.note)
        progress.step("comparing")
        drifts = _drifts(config, built)
    if verbose:
        echo_diagnostics(built.diagnostics, min_level=Level.INFO)
    if not drifts:
        if not quiet:
            click.echo(f"apibind check: up to date ({progress.elapsed})")
        return
    for line in _lines(drifts):
        click.echo(line)
    click.echo(f"apibind check: {_counts(drifts)}; {_fix(drifts)}")
    ctx.exit(EXIT_INPUT)


def _drifts(config: Config, built: Built) -> list[Drift]:
    """Differences between the rebuilt spec, report and packages and what is on disk."""
    root = config.file.parent
    drifts = [
        drift
        for path, text in ((config.spec, built.spec_text), (config.report, built.report_text))
        if path is not None and text is not None
        for drift in [compare_text(path, text, _label(path, root))]
        if drift is not None
    ]
    output = _label(config.output, root)
    return drifts + [
        Drift(d.kind, output / d.path, d.diff)
        for d in compare_tree(built.files, config.output, built.retired)
    ]


def _label(path: Path, root: Path) -> PurePosixPath:
    return PurePosixPath(path.relative_to(root).as_posix() if path.is_relative_to(root) else path)


def _lines(drifts: list[Drift]) -> Iterator[str]:
    for drift in drifts:
        yield f"{drift.kind}: {drift.path}"
        if drift.diff:
            yield drift.diff.rstrip("\n")


def _counts(drifts: list[Drift]) -> str:
    kinds = ("stale", "edited", "missing", "unexpected", "leftover")
    counts = {k: sum(d.kind == k for d in drifts) for k in kinds}
    return ", ".join(
        f"{n} {k}" for k, n in counts.items() if n or k in ("stale", "missing", "unexpected")
    )


def _fix(drifts: list[Drift]) -> str:
    """The command that makes ``check`` pass again."""
    if any(d.kind == "edited" for d in drifts):
        return (
            "run `apibind build` (for the files edited by hand: `apibind build --force` "
            "overwrites them, plain `build` keeps them) and commit the result"
        )
    return "run `apibind build` and commit the result"
