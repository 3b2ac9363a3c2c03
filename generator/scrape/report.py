"""The parse report: per page what was read, inferred and left unread; plus a short summary."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from generator.diagnostics import Diagnostic, Level, counted
from generator.scrape.emit import Emitter
from generator.scrape.operations import Operation
from generator.scrape.overrides import OverrideResult
from generator.scrape.pages import ParsedPage
from generator.scrape.pagetypes import DetailPage

# Lines that are page chrome or explained by the layout, never content.
EXPLAINED_UNPLACED = {"Show Source": "layout chrome", "Back to Top": "layout chrome"}


def build_report(
    pages: list[ParsedPage],
    operations: list[Operation],
    emitter: Emitter,
    spec: dict[str, Any],
    diagnostics: list[Diagnostic],
    overrides: OverrideResult | None,
) -> dict[str, Any]:
    by_file: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        by_file.setdefault(d.location.file if d.location and d.location.file else "", []).append(d)
    page_entries = [
        _page_entry(page, operations, emitter, by_file.get(page.file, [])) for page in pages
    ]
    unique = {
        (r.file, r.pointer): r for r in emitter.recovered
    }  # a body printed per media type counts once
    sources = Counter(str(r.info["source"]) for r in unique.values())
    report: dict[str, Any] = {
        "summary": {
            "pages": len(pages),
            "operations": sum(len(item) for item in spec.get("paths", {}).values()),
            "operations_with_detail_page": sum(op.detail is not None for op in operations),
            "schemas": len(spec.get("components", {}).get("schemas", {})),
            "shared_responses": len(spec.get("components", {}).get("responses", {})),
            "names_by_source": dict(sorted(sources.items())),
            "errors": sum(d.level is Level.ERROR for d in diagnostics),
            "warnings": sum(d.level is Level.WARNING for d in diagnostics),
            "unplaced_lines": sum(len(p.unplaced) for p in pages),
        },
        "pages": page_entries,
        "notes": [{"location": str(loc), "note": note} for loc, note in emitter.notes],
    }
    if overrides is not None:
        report["overrides"] = {
            "applied": [
                {"location": str(o.location), "operation": o.operation, "pointer": o.pointer}
                for o in overrides.applied
            ],
            "unmatched": [
                {"location": str(o.location), "operation": o.operation, "pointer": o.pointer}
                for o in overrides.unmatched
            ],
        }
    general = by_file.get("", [])
    if general:
        report["diagnostics"] = [d.as_dict() for d in general]
    return report


def _page_entry(
    page: ParsedPage, operations: list[Operation], emitter: Emitter, diagnostics: list[Diagnostic]
) -> dict[str, Any]:
    ops = [op for op in operations if any(s.file == page.file for s in op.sources)]
    entry: dict[str, Any] = {"file": page.file, "kind": page.kind}
    if isinstance(page.page, DetailPage):
        entry["layout"] = str(page.page.layout)
        entry["title"] = page.page.title
    elif page.page is not None:
        entry["title"] = page.page.title
    entry["operations"] = [op.operation_id for op in ops]
    entry["schemas"] = sorted(emitter.schemas_by_file.get(page.file, set()))
    entry["recovered_names"] = [
        {"line": r.line, "pointer": r.pointer, "name": r.name, **r.info}
        for r in {(r.file, r.pointer): r for r in emitter.recovered if r.file == page.file}.values()
    ]
    entry["diagnostics"] = [d.as_dict() for d in diagnostics]
    entry["unplaced_lines"] = [
        {"line": line.no, "text": line.text, "explained": EXPLAINED_UNPLACED.get(line.text)}
        for line in page.unplaced
    ]
    return entry


def report_text(report: dict[str, Any]) -> str:
    """The report as written to disk (stable bytes for `apibind check`)."""
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def summary_text(report: dict[str, Any]) -> str:
    s = report["summary"]
    names = ", ".join(f"{k} {v}" for k, v in s["names_by_source"].items()) or "none"
    return (
        f"apibind parse: {counted(s['pages'], 'page')}, {counted(s['operations'], 'operation')} "
        f"({s['operations_with_detail_page']} with a detail page), "
        f"{counted(s['schemas'], 'schema')}, {counted(s['shared_responses'], 'shared response')}; "
        f"inferred names: {names}; {counted(s['warnings'], 'warning')}, "
        f"{counted(s['errors'], 'error')}, {counted(s['unplaced_lines'], 'unplaced line')}"
    )
