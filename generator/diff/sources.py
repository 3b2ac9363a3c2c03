"""Where ``apibind diff`` reads a side from: a spec file, a folder of scraped pages, or git:REV:PATH."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from generator import document
from generator.diagnostics import ApibindError, Level, Location


def load_side(source: str) -> dict[str, Any]:
    """The spec named by one command-line argument (file, scraped folder or git:REV:PATH)."""
    if source.startswith("git:"):
        return _parse(_git_show(source), source)
    path = Path(source)
    if path.is_dir():
        return _parse_folder(path)
    return document.require_mapping(document.read(path, source), source)


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
    return document.require_mapping(document.parse(text, source), source)


def _parse_folder(path: Path) -> dict[str, Any]:
    from generator.scrape import parse_sources  # the scraper is heavy; load it only when needed

    result = parse_sources([path])
    errors = [d for d in result.diagnostics if d.level is Level.ERROR]
    if errors:
        raise ApibindError(errors)
    return result.spec
