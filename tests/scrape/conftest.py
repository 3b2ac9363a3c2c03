"""Helpers for parser tests: write inline page fragments to files and parse them."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from generator.scrape import ParseResult, parse_sources

ROOT = Path(__file__).resolve().parents[2]
SCRAPED = ROOT / "specs" / "scraped"
INDEX_PAGE = SCRAPED / "000_ce5b8d2015ebc163.txt"


@pytest.fixture
def parse_pages(tmp_path: Path):  # type: ignore[no-untyped-def]
    """parse_pages({"a.txt": text, ...}, overrides=None) -> ParseResult."""

    def run(pages: dict[str, str], overrides: str | None = None, **kwargs: Any) -> ParseResult:
        folder = tmp_path / "pages"
        folder.mkdir(exist_ok=True)
        for name, text in pages.items():
            (folder / name).write_text(text, encoding="utf-8")
        pinned = None
        if overrides is not None:
            pinned = tmp_path / "overrides.yaml"
            pinned.write_text(textwrap.dedent(overrides), encoding="utf-8")
        return parse_sources([folder], overrides=pinned, **kwargs)

    return run
