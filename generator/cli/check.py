"""``apibind check``: is the committed spec and output what the generator makes now?"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from generator import stamp
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
from generator.cli.json_output import FORMAT_OPTION, emit, emit_failure
from generator.config import Config, load
from generator.diagnostics import ApibindError, Diagnostic, Level

if TYPE_CHECKING:  # the pipeline is imported only when the fast path cannot answer
    from generator.pipeline import Built
    from generator.write import Drift

_KINDS = ("stale", "edited", "missing", "unexpected", "leftover")


@click.command(epilog=EXIT_CODES_HELP)
@CONFIG_OPTION
@QUIET_OPTION
@VERBOSE_OPTION
@FORMAT_OPTION
@click.option(
    "--full",
    is_flag=True,
    help="Always rebuild and compare, even when nothing changed since the last full check.",
)
@click.pass_context
@handle_errors
def check(
    ctx: click.Context,
    config_path: Path | None,
    quiet: bool,
    verbose: bool,
    output_format: str,
    full: bool,
) -> None:
    """Rebuild in memory and compare with the committed spec and output, byte for byte.

    Exit 0 when everything is fresh; exit 1 with the stale, missing and unexpected files and a
    short diff of each when not. Writes nothing in the project. When no input and no output
    changed since a build or check found the project up to date, says so without rebuilding
    (--full rebuilds anyway).
    """
    as_json = output_format == "json"
    with Progress("apibind check", 3, quiet=quiet or as_json) as progress:
        try:
            config = load(config_path)
            known = None if full else stamp.fresh(config)
            diagnostics, drifts = (known.diagnostics, []) if known else _full(config, progress)
        except ApibindError as exc:
            if not as_json:
                raise
            emit_failure("check", exc)
            ctx.exit(EXIT_INPUT)
    if as_json:
        _emit_json(diagnostics, drifts)
        if drifts:
            ctx.exit(EXIT_INPUT)
        return
    if verbose:
        echo_diagnostics(diagnostics, min_level=Level.INFO)
    if not drifts:
        if not quiet:
            how = "nothing changed since the last full check, " if known else ""
            click.echo(f"apibind check: up to date ({how}{progress.elapsed})")
        return
    for line in _lines(drifts):
        click.echo(line)
    click.echo(f"apibind check: {_counts(drifts)}; {_fix(drifts)}")
    ctx.exit(EXIT_INPUT)


def _full(config: Config, progress: Progress) -> tuple[list[Diagnostic], list[Drift]]:
    """Rebuild in memory and compare; a clean result is recorded for the next check's fast path."""
    from generator.pipeline import build_in_memory

    inputs = stamp.input_digest(config)  # before anything is read
    built = build_in_memory(config, on_step=progress.step, on_note=progress.note)
    progress.step("comparing")
    drifts = _drifts(config, built)
    if not drifts:
        stamp.record(config, inputs, built.files, built.retired, built.diagnostics)
    return built.diagnostics, drifts


def _emit_json(diagnostics: list[Diagnostic], drifts: list[Drift]) -> None:
    files = [{"kind": d.kind, "path": str(d.path), "diff": d.diff} for d in drifts]
    counts = {kind: sum(d.kind == kind for d in drifts) for kind in _KINDS}
    fix = _fix(drifts) if drifts else None
    emit("check", not drifts, diagnostics, files=files, counts=counts, fix=fix)


def _drifts(config: Config, built: Built) -> list[Drift]:
    """Differences between the rebuilt spec, report and packages and what is on disk."""
    from generator.pipeline import project_path
    from generator.write import Drift, compare_text, compare_tree

    root = config.file.parent
    drifts = [
        drift
        for path, text in ((config.spec, built.spec_text), (config.report, built.report_text))
        if path is not None and text is not None
        for drift in [compare_text(path, text, project_path(path, root))]
        if drift is not None
    ]
    output = project_path(config.output, root)
    return drifts + [
        Drift(d.kind, output / d.path, d.diff)
        for d in compare_tree(built.files, config.output, built.retired)
    ]


def _lines(drifts: list[Drift]) -> Iterator[str]:
    for drift in drifts:
        yield f"{drift.kind}: {drift.path}"
        if drift.diff:
            yield drift.diff.rstrip("\n")


def _counts(drifts: list[Drift]) -> str:
    counts = {k: sum(d.kind == k for d in drifts) for k in _KINDS}
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
