"""``apibind build``: scraped pages -> spec + report -> packages, all from the configuration."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Self

import click

from generator.cli.common import EXIT_CODES_HELP, echo_diagnostics, handle_errors
from generator.cli.diff import load_side
from generator.config import Config, find_config, load_config
from generator.diagnostics import ApibindError, Diagnostic, Level, Location
from generator.diff import bump_version, diff_specs, proposed_bump
from generator.generate import generate
from generator.scrape import parse_sources
from generator.scrape.report import report_text
from generator.specfile import dumps
from generator.write import WriteReport, write_text_atomic, write_tree

_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
CONFIG_OPTION = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="A TOML config file (default: [tool.apibind] of the nearest pyproject.toml).",
)


@dataclass(frozen=True)
class Built:
    """One run of the pipeline, in memory: what build writes and check compares."""

    spec_text: str
    report_text: str | None
    files: dict[PurePosixPath, str]
    summary: dict[str, Any]
    diagnostics: list[Diagnostic]


class Progress:
    """Progress on stderr: a one-line stage bar on a terminal, plain lines otherwise (CI logs).

    Use as a context manager so the bar line is cleared before anything else is printed.
    """

    def __init__(self, command: str, steps: int, *, quiet: bool = False) -> None:
        self.command, self.steps, self.quiet = command, steps, quiet
        self.done, self.started = 0, time.monotonic()
        self.tty = sys.stderr.isatty()

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


def load(config_path: Path | None) -> Config:
    """The configuration from ``--config``, else from the nearest pyproject.toml."""
    return load_config(config_path or find_config(Path.cwd()))


def _evidence(config: Config, root: Path) -> list[str]:
    """The configured evidence; by default the spec written last time, so known names stay known."""
    if config.evidence is not None:
        return [
            e if e.startswith("git:") else str(_relative(Path(e), root)) for e in config.evidence
        ]
    return [str(_relative(config.spec, root))] if config.spec.is_file() else []


def build_in_memory(
    config: Config, progress: Progress, *, strict: bool = False, bump: bool = False
) -> Built:
    """Parse the sources and generate the packages without writing anything to the project.

    The spec keeps the version of the spec already at ``config.spec``; with ``bump``, that version
    is raised by the bump ``apibind diff`` proposes between that spec and the new one.
    """
    root = config.file.parent
    sources = [_relative(s, root) for s in config.sources]
    previous = load_side(str(config.spec)) if config.spec.is_file() else None
    progress.step(f"parsing {', '.join(map(str, sources))}")
    with contextlib.chdir(root):  # page locations in the report stay relative to the project
        overrides = _relative(config.overrides, root) if config.overrides else None
        evidence = _evidence(config, root)
        parsed = parse_sources(sources, overrides=overrides, evidence=evidence)
    diagnostics = list(parsed.diagnostics)
    _stop_on_problems(diagnostics, strict, "parsing")
    if previous is not None:
        _carry_version(parsed.spec, previous, bump, progress)
    spec_text = dumps(parsed.spec, config.spec)
    report = report_text(parsed.report)
    progress.step(f"generating {', '.join(config.targets)}")
    with tempfile.TemporaryDirectory(prefix="apibind-") as folder:
        spec_path = Path(folder) / config.spec.name
        spec_path.write_text(spec_text, encoding="utf-8")
        generation = generate(
            spec_path, name=config.name, only=frozenset(config.targets), templates=config.templates
        )
    diagnostics += generation.diagnostics
    _stop_on_problems(diagnostics, strict, "generating")
    return Built(
        spec_text=spec_text,
        report_text=report if config.report else None,
        files=generation.files,
        summary=_counts(parsed.spec, parsed.report),
        diagnostics=diagnostics,
    )


@click.command(epilog=EXIT_CODES_HELP)
@CONFIG_OPTION
@click.option("--force", is_flag=True, help="Overwrite generated files that were edited by hand.")
@click.option(
    "--strict", is_flag=True, help="Treat warnings as failures (exit 1, nothing written)."
)
@click.option(
    "--bump",
    is_flag=True,
    help="Raise the packages' version by the bump `apibind diff` proposes against the old spec.",
)
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors.")
@click.option(
    "-v", "--verbose", is_flag=True, help="Also notes, and every file written or removed."
)
@handle_errors
def build(
    config_path: Path | None, force: bool, strict: bool, bump: bool, quiet: bool, verbose: bool
) -> None:
    """Run the whole pipeline from the configuration: scraped pages -> spec -> packages.

    Writes the spec (and report) and the generated packages; nothing is written when parsing or
    generating fails. Generated files you edited are kept (and reported) unless --force; files
    you added next to them are never touched.
    """
    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose exclude each other")
    config = load(config_path)
    with Progress("apibind build", 3, quiet=quiet) as progress:
        built = build_in_memory(config, progress, strict=strict, bump=bump)
        progress.step(f"writing {_shown(config.output)}")
        report = write_tree(built.files, config.output, force=force)
        written_specs = _write_if_changed(config.spec, built.spec_text)
        if config.report and built.report_text is not None:
            written_specs += _write_if_changed(config.report, built.report_text)
    echo_diagnostics(
        [*built.diagnostics, *report.warnings], min_level=Level.INFO if verbose else Level.WARNING
    )
    if verbose:
        for label, paths in (("wrote", report.written), ("removed", report.removed)):
            for path in paths:
                click.echo(f"  {label} {_shown(config.output / path)}", err=True)
    if not quiet:
        click.echo(_summary(built, report, written_specs, progress.elapsed), err=True)


def _carry_version(
    spec: dict[str, Any], previous: dict[str, Any], bump: bool, progress: Progress
) -> None:
    """Give ``spec`` the version of ``previous``, raised by the proposed bump if ``bump``."""
    version = str((previous.get("info") or {}).get("version", ""))
    spec.setdefault("info", {})["version"] = version
    if bump:
        level = proposed_bump(diff_specs(previous, spec, labels=("previous spec", "new spec")))
        spec["info"]["version"] = bump_version(version, level)
        progress.note(f"version {version} -> {spec['info']['version']} ({level} bump)")


def _relative(path: Path, root: Path) -> Path:
    return Path(os.path.relpath(path, root)) if path.is_relative_to(root) else path


def _shown(path: Path) -> str:
    return os.path.relpath(path) if path.is_relative_to(Path.cwd()) else str(path)


def _stop_on_problems(diagnostics: list[Diagnostic], strict: bool, stage: str) -> None:
    """Errors (or, with --strict, warnings) end the run before anything is written."""
    errors = [d for d in diagnostics if d.level is Level.ERROR]
    warnings = [d for d in diagnostics if d.level is Level.WARNING]
    if errors or (strict and warnings):
        why = f"{len(errors)} error(s)" if errors else f"{len(warnings)} warning(s) (--strict)"
        stop = Diagnostic(
            Level.ERROR,
            "build-stopped",
            f"stopped while {stage} because of {why}; nothing was written",
            Location(key=stage),
            "fix the problems listed above and rerun",
        )
        raise ApibindError([*errors, *warnings, stop])


def _write_if_changed(path: Path, text: str) -> int:
    """Write ``text`` atomically unless the file already holds it; 1 if written."""
    with contextlib.suppress(OSError):
        if path.read_bytes() == text.encode():
            return 0
    write_text_atomic(path, text)
    return 1


def _counts(spec: dict[str, Any], report: dict[str, Any]) -> dict[str, Any]:
    names = report.get("summary", {}).get("names_by_source", {})
    return {
        "operations": sum(
            1 for item in spec.get("paths", {}).values() for key in item if key in _METHODS
        ),
        "schemas": len(spec.get("components", {}).get("schemas", {})),
        "inferred names": sum(names.values()),
    }


def _summary(built: Built, report: WriteReport, written_specs: int, elapsed: str) -> str:
    counts = ", ".join(f"{value} {key}" for key, value in built.summary.items())
    warnings = sum(d.level is Level.WARNING for d in [*built.diagnostics, *report.warnings])
    files = (
        f"{len(report.written)} written, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed"
    )
    if report.skipped_user_edited:
        files += f", {len(report.skipped_user_edited)} kept (edited by hand)"
    spec = "spec updated" if written_specs else "spec unchanged"
    return f"apibind build: {counts}, {warnings} warning(s); files: {files}; {spec}; {elapsed}"
