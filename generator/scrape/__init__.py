"""Scraped documentation pages -> one OpenAPI 3.1 spec.

read pages -> page model (index / detail, per-page layout) -> operations (index + details)
-> schema trees (block order) -> recovered names (evidence) -> overrides -> OpenAPI + report
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import __version__
from generator.diagnostics import ApibindError, Diagnostics, Location
from generator.scrape.assemble import attach_trees
from generator.scrape.emit import Emitter, safe_path, servers, share_responses, tags
from generator.scrape.evidence import load_evidence
from generator.scrape.locate import locate
from generator.scrape.operations import Operation, join
from generator.scrape.overrides import OverrideResult, apply_overrides, load_overrides, merge_spec
from generator.scrape.pages import ParsedPage, read_pages
from generator.scrape.pagetypes import DetailPage, IndexPage
from generator.scrape.report import build_report
from generator.scrape.source import collect_files
from generator.spec import validation_problems

DEFAULT_TITLE = "Oracle Utilities REST API"
_METHOD_ORDER = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass
class ParseResult:
    spec: dict[str, Any]
    report: dict[str, Any]
    diagnostics: Diagnostics
    operations: list[Operation] = field(default_factory=list)  # the typed model behind the spec
    pages: list[ParsedPage] = field(default_factory=list)


def parse_sources(
    sources: list[Path],
    *,
    overrides: Path | None = None,
    title: str = DEFAULT_TITLE,
    version: str = "unversioned",
    evidence: list[str] | None = None,
) -> ParseResult:
    """Parse scraped pages into a validated OpenAPI 3.1 document and a report.

    Raises ApibindError when nothing usable was read; other problems are diagnostics.
    """
    diagnostics = Diagnostics()
    pinned = load_overrides(overrides) if overrides is not None and overrides.exists() else None
    pages = read_pages(collect_files(sources), diagnostics)
    indexes = [p.page for p in pages if isinstance(p.page, IndexPage)]
    details = [p.page for p in pages if isinstance(p.page, DetailPage)]
    if not indexes and not details:
        raise ApibindError(diagnostics.errors or [])
    lent = load_evidence(evidence or [], diagnostics)
    operations = join(indexes, locate(details, indexes, lent, diagnostics), diagnostics)
    attach_trees(operations, diagnostics, lent)
    applied: OverrideResult | None = None
    if pinned is not None:
        applied = apply_overrides(pinned.items, operations)
        for o in applied.unmatched:
            diagnostics.warning(
                "override-unmatched",
                f"override for {o.operation} {o.pointer} no longer matches anything",
                o.location,
                hint="update or delete it",
            )
    emitter = Emitter(diagnostics)
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        paths.setdefault(safe_path(op.path), {})[op.method] = emitter.operation(op)
    paths = {
        p: dict(sorted(item.items(), key=lambda kv: _METHOD_ORDER.index(kv[0])))
        for p, item in paths.items()
    }
    emitter.finish()
    shared = share_responses(paths)
    tag_list, tag_groups = tags(indexes, operations)
    components: dict[str, Any] = {"schemas": dict(sorted(emitter.schemas.items()))}
    if shared:
        components["responses"] = shared
    spec: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {
            "title": title,
            "version": version,
            "description": "Normalized by apibind from scraped documentation pages. Extensions "
            "`x-apibind-*` record how each inferred name, type or structure was recovered.",
            "x-apibind-version": __version__,
        },
        "servers": servers(
            [e.prefix for i in indexes for g in i.groups for e in g.entries]
            + [d.prefix for d in details]
        ),
        "tags": tag_list,
        "x-tagGroups": tag_groups,
        "paths": paths,
        "components": components,
    }
    if pinned is not None and pinned.spec:
        merge_spec(spec, pinned.spec)
    _validate(spec, diagnostics, pinned.spec_location if pinned is not None else None)
    # a block that borrowed another's property list repeats that list's findings: say them once
    diagnostics.items = list(dict.fromkeys(diagnostics.items))
    report = build_report(pages, operations, emitter, spec, diagnostics.items, applied)
    return ParseResult(spec, report, diagnostics, operations, pages)


def _validate(spec: dict[str, Any], diagnostics: Diagnostics, merged: Location | None) -> None:
    """Validate the emitted spec; ``merged`` is where an overrides ``spec:`` section starts."""
    problems = validation_problems(spec, Path("spec.openapi.yaml"))
    if problems:
        hint = "please report this as an apibind bug"
        if merged is not None:
            hint = (
                f"check the `spec:` section of {merged} (merged into the spec), else report a bug"
            )
        for problem in problems:
            pointer = problem.location.pointer if problem.location else None
            diagnostics.error(
                "spec-invalid",
                f"the emitted spec is not valid OpenAPI 3.1: {problem.message}",
                Location(pointer=pointer),
                hint=hint,
            )
