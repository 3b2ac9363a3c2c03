"""``apibind review``: a self-contained HTML page to check and pin every inference of a parse."""

from __future__ import annotations

import time
from pathlib import Path

import click

from generator.cli.build import CONFIG_OPTION, load, parse_config
from generator.cli.common import EXIT_CODES_HELP, echo_diagnostics, handle_errors
from generator.config import Config
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
@handle_errors
def review(config_path: Path | None, output: Path, serve: bool, port: int) -> None:
    """Parse like `apibind build` and write a page to review every inferred name, type and
    structure beside the scraped lines it came from; decisions download as overrides.yaml."""
    config = load(config_path)
    if serve:
        _serve(config, port)
        return
    started = time.monotonic()
    page = _page(config, None)
    write_text_atomic(output, page)
    click.echo(
        f"apibind review: wrote {output} ({len(page.encode()) / 1024:.0f} KiB, "
        f"{time.monotonic() - started:.1f}s); open it in a browser",
        err=True,
    )


def _page(config: Config, token: str | None) -> str:
    from generator.review import review_page  # loaded only for this command

    parsed = parse_config(config)
    echo_diagnostics(list(parsed.diagnostics))
    return review_page(
        parsed,
        overrides=config.overrides,
        previous_spec=config.spec,
        root=config.file.parent,
        token=token,
    )


def _serve(config: Config, port: int) -> None:
    from generator.review.serve import ReviewServer

    if config.overrides is None:
        raise click.UsageError("--serve needs an `overrides` file in [tool.apibind]")
    server = ReviewServer(lambda token: _page(config, token), config.overrides, port)
    click.echo(f"apibind review: serving {server.url} (Ctrl-C to stop)", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("apibind review: stopped", err=True)
    finally:
        server.server_close()
