"""``apibind review``: one self-contained HTML page to check and pin every inference of a parse."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import yaml

from generator.review.build import Review, build_review
from generator.review.overrides_text import split_overrides
from generator.review.page import render_review
from generator.scrape import ParseResult
from generator.specfile import load_yaml

__all__ = ["Review", "build_review", "render_review", "review_page", "split_overrides"]


def review_page(
    result: ParseResult,
    *,
    overrides: Path | None,
    previous_spec: Path | None,
    root: Path,
    token: str | None = None,
) -> str:
    """The review page of ``result`` (parsed in ``root``); ``previous_spec``: the last build's spec.

    With ``token``, the page saves its decisions through ``apibind review --serve``.
    """
    previous = _previous(previous_spec)
    text = _read(overrides) if overrides is not None else ""
    review = build_review(result, previous, root)
    return render_review(review, split_overrides(text), token=token)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


def _previous(path: Path | None) -> dict[str, Any] | None:
    if path is None or not path.is_file():
        return None
    with contextlib.suppress(OSError, UnicodeDecodeError, yaml.YAMLError):  # no "changed" then
        document = load_yaml(path.read_text(encoding="utf-8"))
        return document if isinstance(document, dict) else None
    return None
