"""Read each page, detect its kind from its content, and parse it into the page model."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.diagnostics import Diagnostics, Location
from generator.scrape.detail import looks_like_detail, looks_like_headless, parse_detail
from generator.scrape.index import looks_like_index, parse_index
from generator.scrape.pagetypes import DetailPage, IndexPage
from generator.scrape.source import Line, read_page


@dataclass
class ParsedPage:
    file: str
    kind: str  # index | detail | unreadable | unknown
    page: IndexPage | DetailPage | None = None
    unplaced: list[Line] = field(default_factory=list)


def display_name(path: Path) -> str:
    """Paths relative to the working directory where possible: reports stay machine-independent."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_pages(files: list[Path], diagnostics: Diagnostics) -> list[ParsedPage]:
    out = []
    for path in files:
        name = display_name(path)
        text = read_page(path, diagnostics, name)
        if text is None:
            out.append(ParsedPage(name, "unreadable"))
            continue
        if looks_like_index(text):
            page, used = parse_index(text, diagnostics)
            kind = "index"
        elif looks_like_detail(text) or looks_like_headless(text):
            page, used = parse_detail(text, diagnostics)  # type: ignore[assignment]
            kind = "detail"
        else:
            diagnostics.error(
                "page-unknown",
                "not a scraped REST documentation page: no operation list (Method:/Path: lines) "
                "and no method + URL header",
                Location(name, text.lines[0].no),
            )
            out.append(ParsedPage(name, "unknown"))
            continue
        out.append(
            ParsedPage(name, kind, page, [line for line in text.lines if line.no not in used])
        )
    return out
