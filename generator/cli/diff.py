"""``apibind diff OLD NEW``: what changed between two versions of an API, and what it breaks."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import click
import yaml

from generator.cli.common import EXIT_CODES_HELP, EXIT_INPUT, handle_errors
from generator.diagnostics import ApibindError, Level, Location
from generator.diff import RENDERERS, diff_specs
from generator.nesting import check_depth, too_deep_to_read
from generator.specfile import load_yaml

SIDE_HELP = (
    "OLD and NEW are each a spec file (YAML or JSON), a folder of scraped pages (parsed on the "
    "fly), or git:REV:PATH for a spec in this repository (for example git:HEAD:specs/api.yaml)."
)


@click.command(epilog=f"{SIDE_HELP}\n\n{EXIT_CODES_HELP}")
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(RENDERERS)),
    default="text",
    show_default=True,
    help="text for people, markdown for a pull-request comment, json for machines.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["breaking"]),
    help="Exit with code 1 when a change of this kind is found.",
)
@click.pass_context
@handle_errors
def diff(ctx: click.Context, old: str, new: str, output_format: str, fail_on: str | None) -> None:
    """List the changes from OLD to NEW, breaking or not, and propose a version bump."""
    changes = diff_specs(load_side(old), load_side(new), labels=(old, new))
    click.echo(RENDERERS[output_format](changes), nl=False)
    if fail_on == "breaking" and any(c.breaking for c in changes):
        ctx.exit(EXIT_INPUT)


def load_side(source: str) -> dict[str, Any]:
    """The spec named by one command-line argument (file, scraped folder or git:REV:PATH)."""
    if source.startswith("git:"):
        return _parse(_git_show(source), source)
    path = Path(source)
    if path.is_dir():
        return _parse_folder(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ApibindError.single(
            "spec-unreadable", f"cannot read the spec: {exc}", Location(file=source)
        ) from exc
    return _parse(text, source)


def _git_show(source: str) -> str:
    rev, sep, path = source.removeprefix("git:").partition(":")
    if not (rev and sep and path):
        raise ApibindError.single(
            "bad-git-source",
            f"expected git:REV:PATH, got {source!r}",
            Location(file=source),
            "for example git:HEAD~1:specs/oracle_utilities.openapi.yaml",
        )
    try:
        done = subprocess.run(
            ["git", "show", f"{rev}:{path}"], capture_output=True, text=True, check=False
        )
    except OSError as exc:
        raise ApibindError.single(
            "git-failed", f"cannot run git: {exc}", Location(file=source)
        ) from exc
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["git show failed"])[0]
        raise ApibindError.single(
            "git-failed", reason, Location(file=source), "check the revision and the path"
        )
    return done.stdout


def _parse(text: str, source: str) -> dict[str, Any]:
    try:
        document = json.loads(text) if source.endswith(".json") else load_yaml(text)
    except RecursionError:
        raise too_deep_to_read(source) from None
    except json.JSONDecodeError as exc:
        where = Location(file=source, line=exc.lineno)
        raise ApibindError.single("spec-syntax", f"invalid JSON: {exc.msg}", where) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = Location(file=source, line=mark.line + 1 if mark else None)
        problem = getattr(exc, "problem", None) or exc
        raise ApibindError.single("spec-syntax", f"invalid YAML: {problem}", where) from exc
    if not isinstance(document, dict):
        raise ApibindError.single(
            "spec-not-object", "a spec must be a mapping at its top level", Location(file=source)
        )
    check_depth(document, source)
    return document


def _parse_folder(path: Path) -> dict[str, Any]:
    from generator.scrape import parse_sources  # the scraper is heavy; load it only when needed

    result = parse_sources([path])
    errors = [d for d in result.diagnostics if d.level is Level.ERROR]
    if errors:
        raise ApibindError(errors)
    return result.spec
