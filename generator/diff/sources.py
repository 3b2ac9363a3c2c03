"""Where ``apibind diff`` reads a side from: a spec file, a folder of scraped pages, or git:REV:PATH.

Each side is a ``Spec`` (not validated): its ``$ref``s to files next to it are followed as
``generate`` follows them, from the same revision for a git side.
"""

from __future__ import annotations

import functools
import subprocess
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from generator import document
from generator.diagnostics import ApibindError, Level, Location
from generator.spec import Spec

# where a git side's files seem to be: not a folder on disk, so nothing is read from the worktree
_GIT_ROOT = Path("/apibind-git-revision")


@dataclass(frozen=True)
class PageSettings:
    """How a side that is a folder of scraped pages is parsed (``parse_sources``' options)."""

    overrides: Path | None = None
    evidence: tuple[str, ...] = ()
    base: Path | None = None  # relative overrides and evidence are read from here


def load_side(source: str, pages: PageSettings = PageSettings()) -> Spec:
    """The spec named by one command-line argument (file, scraped folder or git:REV:PATH)."""
    if source.startswith("git:"):
        return _git_side(source)
    path = Path(source)
    if path.is_dir():
        return Spec(path.resolve(), _parse_folder(path, pages), "")
    return Spec(path.resolve(), document.require_mapping(document.read(path, source), source), "")


def _git_side(source: str) -> Spec:
    rev, sep, path = source.removeprefix("git:").partition(":")
    if not (rev and sep and path):
        raise ApibindError.single(
            "bad-git-source",
            f"expected git:REV:PATH, got {source!r}",
            Location(file=source),
            "for example git:HEAD~1:specs/oracle_utilities.openapi.yaml",
        )
    reader = functools.partial(_read_git_file, rev)
    loaded = document.require_mapping(document.parse(_git_show(rev, path, source), source), source)
    return Spec(_GIT_ROOT / PurePosixPath(path), loaded, "", reader=reader)


def _read_git_file(rev: str, file: Path) -> Any:
    """A file next to a git side's spec, from the same revision."""
    path = file.relative_to(_GIT_ROOT).as_posix()
    label = f"git:{rev}:{path}"
    return document.parse(_git_show(rev, path, label), label)


def _git_show(rev: str, path: str, source: str) -> str:
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


def _parse_folder(path: Path, pages: PageSettings) -> dict[str, Any]:
    from generator.scrape import parse_sources  # the scraper is heavy; load it only when needed

    result = parse_sources(
        [path.resolve() if pages.base else path],
        overrides=pages.overrides,
        evidence=list(pages.evidence),
        base=pages.base,
    )
    errors = [d for d in result.diagnostics if d.level is Level.ERROR]
    if errors:
        raise ApibindError(errors)
    return result.spec
