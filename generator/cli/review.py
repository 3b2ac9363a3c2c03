"""``apibind review``: a self-contained HTML page to check and pin every inference of a parse."""

from __future__ import annotations

import time
from pathlib import Path

import click

from generator.cli.common import (
    CONFIG_OPTION,
    EXIT_CODES_HELP,
    QUIET_OPTION,
    VERBOSE_OPTION,
    echo_diagnostics,
    handle_errors,
)
from generator.config import Config, load
from generator.diagnostics import Level
from generator.pipeline import parse_config
from generator.write import write_text_atomic


@click.command(epilog=EXIT_CODES_HELP)
@CONFIG_OPTION
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("review.html"),
    show_default=True,
    help="The page to write (one self-contained HTML file).",
)
@click.option(
    "--serve",
    is_flag=True,
    help="Serve the page on 127.0.0.1 and save decisions straight into the overrides file.",
)
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port for --serve (0: any).")
@QUIET_OPTION
@VERBOSE_OPTION
@handle_errors
def review(
    config_path: Path | None, output: Path, serve: bool, port: int, quiet: bool, verbose: bool
) -> None:
    """Parse like `apibind build` and write a page to review every inferred name, type and
    structure beside the scraped lines it came from; decisions download as overrides.yaml."""
    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose exclude each other")
    config = load(config_path)
    level = Level.INFO if verbose else Level.WARNING
    if serve:
        _serve(config, port, level)
        return
    started = time.monotonic()
    page = _page(config, None, level)
    write_text_atomic(output, page)
    if not quiet:
        click.echo(
            f"apibind review: wrote {output} ({len(page.encode()) / 1024:.0f} KiB, "
            f"{time.monotonic() - started:.1f}s); open it in a browser",
            err=True,
        )


def _page(config: Config, token: str | None, level: Level = Level.WARNING) -> str:
    from generator.review import review_page  # loaded only for this command

    parsed = parse_config(config)
    echo_diagnostics(list(parsed.diagnostics), min_level=level)
    return review_page(
        parsed,
        overrides=config.overrides,
        previous_spec=config.spec,
        root=config.file.parent,
        token=token,
    )


def _serve(config: Config, port: int, level: Level) -> None:
    from generator.review.serve import ReviewServer

    if config.overrides is None:
        raise click.UsageError("--serve needs an `overrides` file in [tool.apibind]")
    server = ReviewServer(lambda token: _page(config, token, level), config.overrides, port)
    click.echo(f"apibind review: serving {server.url} (Ctrl-C to stop)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("apibind review: stopped", err=True)
    finally:
        server.server_close()
