"""``--format json`` for ``build`` and ``check``: one JSON document on stdout, for CI.

Shape (documented in the README): ``command``, ``ok``, the files by what happened to them (paths
relative to the project), ``counts`` and ``diagnostics`` (``level``, ``code``, ``message``,
``location``, optional ``hint``). A run stopped by input problems prints ``ok: false`` with them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import click

from generator.diagnostics import ApibindError, Diagnostic

FORMAT_OPTION = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people (stderr lines); json: one document on stdout, for CI.",
)


def emit(command: str, ok: bool, diagnostics: Iterable[Diagnostic], **fields: object) -> None:
    """Print the document for one run."""
    document = {
        "command": command,
        "ok": ok,
        **fields,
        "diagnostics": [d.as_dict() for d in diagnostics],
    }
    click.echo(json.dumps(document, indent=2, ensure_ascii=False))


def emit_failure(command: str, error: ApibindError) -> None:
    """The document of a run that input problems stopped (nothing written)."""
    emit(command, False, error.diagnostics)
