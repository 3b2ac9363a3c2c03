"""The whole pipeline as a library: pages -> spec -> packages, in memory; ``build`` and ``check`` call it.

Nothing here prints: stages are announced through ``on_step``/``on_note`` callbacks and
problems come back as diagnostics (or an ``ApibindError`` that stops the run).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from generator.config import TARGETS, Config, find_config, load_config
from generator.diagnostics import ApibindError, Diagnostic, Level, Location
from generator.diff import bump_version, diff_specs, proposed_bump
from generator.diff.sources import PageSettings, load_side
from generator.document import operations
from generator.generate import generate, models_workers
from generator.modelworkers import Workers
from generator.scrape import DEFAULT_TITLE, ParseResult, parse_sources
from generator.scrape.report import report_text
from generator.spec import Spec, from_document
from generator.specfile import dumps


@dataclass(frozen=True)
class Built:
    """One run of the pipeline, in memory: what build writes and check compares."""

    spec_text: str
    report_text: str | None
    files: dict[PurePosixPath, str]
    retired: tuple[str, ...]  # package folders of the targets the configuration no longer lists
    summary: dict[str, Any]
    diagnostics: list[Diagnostic]


def _quiet(_text: str) -> None:
    return None


def _evidence(config: Config, root: Path) -> list[str]:
    """The configured evidence; by default the spec written last time, so known names stay known."""
    if config.evidence is not None:
        return [
            e if e.startswith("git:") else str(_relative(Path(e), root)) for e in config.evidence
        ]
    return [str(_relative(config.spec, root))] if config.spec.is_file() else []


def build_in_memory(
    config: Config,
    *,
    strict: bool = False,
    bump: bool = False,
    on_step: Callable[[str], None] = _quiet,
    on_note: Callable[[str], None] = _quiet,
    on_detail: Callable[[str], None] = _quiet,
) -> Built:
    """Parse the sources and generate the packages without writing anything to the project.

    The spec keeps the version of the spec already at ``config.spec``; with ``bump``, that version
    is raised by the bump ``apibind diff`` proposes between that spec and the new one.
    """
    previous = load_side(str(config.spec)) if config.spec.is_file() else None
    # datamodel-code-generator's workers warm up while the pages are parsed
    with Workers(models_workers(frozenset(config.targets))) as workers:
        shown = (_relative(s, config.file.parent) for s in config.sources)
        on_step(f"parsing {', '.join(map(str, shown))}")
        parsed = parse_config(config)
        diagnostics = list(parsed.diagnostics)
        _stop_on_problems(diagnostics, strict, "parsing")
        if previous is not None:
            note = _carry_version(parsed.spec, previous, bump)
            if note:
                on_note(note)
        spec_text = dumps(parsed.spec, config.spec)
        report = report_text(parsed.report)
        on_step(f"generating {', '.join(config.targets)}")
        generation = generate(  # the parsed spec, validated once by the parser; not read again
            from_document(parsed.spec, config.spec),
            name=config.name,
            only=frozenset(config.targets),
            templates=config.templates,
            on_step=on_detail,  # the generation's own stages, inside the "generating" one
            workers=workers,
        )
    diagnostics += generation.diagnostics
    _stop_on_problems(diagnostics, strict, "generating")
    return Built(
        spec_text=spec_text,
        report_text=report if config.report else None,
        files=generation.files,
        retired=tuple(f"{generation.name}_{t}" for t in TARGETS if t not in config.targets),
        summary=_counts(parsed.spec, parsed.report),
        diagnostics=diagnostics,
    )


def page_settings(config_path: Path | None, overrides: Path | None) -> PageSettings:
    """How ``diff`` parses a folder of pages: as ``build`` does, with the overrides and evidence
    of the configuration at ``config_path``, else of the nearest one (none: plain parsing).
    ``overrides`` replaces the configured overrides file."""
    if config_path is None:
        try:
            config_path = find_config(Path.cwd())
        except ApibindError:
            return PageSettings(overrides=overrides)
    config = load_config(config_path)
    root = config.file.parent
    chosen = overrides.resolve() if overrides else config.overrides
    return PageSettings(
        overrides=_relative(chosen, root) if chosen else None,
        evidence=tuple(_evidence(config, root)),
        base=root,
    )


def parse_config(config: Config) -> ParseResult:
    """Parse the configured sources with the configured overrides (locations project-relative)."""
    root = config.file.parent
    return parse_sources(
        [_relative(s, root) for s in config.sources],
        overrides=_relative(config.overrides, root) if config.overrides else None,
        evidence=_evidence(config, root),
        base=root,  # page locations in the spec and report stay relative to the project
        title=config.title or DEFAULT_TITLE,
    )


def _carry_version(spec: dict[str, Any], previous: Spec, bump: bool) -> str | None:
    """Give ``spec`` the version of ``previous``, raised by the proposed bump if ``bump``."""
    version = str((previous.document.get("info") or {}).get("version", ""))
    spec.setdefault("info", {})["version"] = version
    if not bump:
        return None
    level = proposed_bump(diff_specs(previous, spec, labels=("previous spec", "new spec")))
    spec["info"]["version"] = bump_version(version, level)
    return f"version {version} -> {spec['info']['version']} ({level} bump)"


def project_path(path: Path, root: Path) -> PurePosixPath:
    """``path`` as shown in reports: relative to the project folder ``root`` when inside it."""
    return PurePosixPath(path.relative_to(root).as_posix() if path.is_relative_to(root) else path)


def _relative(path: Path, root: Path) -> Path:
    return Path(os.path.relpath(path, root)) if path.is_relative_to(root) else path


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


def _counts(spec: dict[str, Any], report: dict[str, Any]) -> dict[str, Any]:
    names = report.get("summary", {}).get("names_by_source", {})
    return {
        "operations": sum(len(list(operations(item))) for item in spec.get("paths", {}).values()),
        "schemas": len(spec.get("components", {}).get("schemas", {})),
        "inferred names": sum(names.values()),
    }
