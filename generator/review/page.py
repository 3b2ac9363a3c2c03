"""Render the review model into one self-contained HTML page (Jinja, autoescaped)."""

from __future__ import annotations

import hashlib
import json
from importlib.resources import files
from typing import Any

import jinja2
from markupsafe import Markup

from generator.review.build import Review
from generator.review.charts import bars
from generator.review.model import Item
from generator.review.overrides_text import OverridesText

TEMPLATE = "review.html.jinja"
SCALAR_TYPES = ("string", "integer", "number", "boolean")
BANDS = ("high", "medium", "low")  # confidence bands, in the names chart's colour order


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(
            lambda name: (files("generator.templates") / "review" / name).read_text("utf-8")
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def json_for_script(data: object) -> Markup:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>`` or ``&`` left."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return Markup(text)


def render_review(review: Review, overrides: OverridesText, *, token: str | None = None) -> str:
    """The page; with ``token``, it saves decisions through ``apibind review --serve``."""
    data = _data(review, overrides, token)
    return (
        _environment()
        .get_template(TEMPLATE)
        .render(
            review=review,
            files=sorted(review.sources),
            data=json_for_script(data),
            operations_chart=bars(
                {
                    "operations": {
                        "with a detail page": sum(
                            op.detail is not None for op in review.operations
                        ),
                        "without": sum(op.detail is None for op in review.operations),
                    }
                }
            ),
            names_chart=bars(
                {s: dict(sorted(c.items())) for s, c in review.names_by_source().items()}
            ),
            warnings_chart=bars({k: {"warnings": v} for k, v in review.warnings_by_kind().items()}),
            scalar_types=SCALAR_TYPES,
            serve=token is not None,
        )
    )


def _data(review: Review, overrides: OverridesText, token: str | None) -> dict[str, Any]:
    items = {item.id: _item(item) for item in review.items}
    bodies = {
        f"{op.id} {body.pointer}": [alt.schema for alt in body.alternatives]
        for op in review.operations
        for body in op.bodies
        if body.alternatives
    }
    digest = hashlib.sha256(overrides.original.encode()).hexdigest()
    key = hashlib.sha256(json.dumps([digest, sorted(items)]).encode()).hexdigest()[:16]
    return {
        "key": key,
        "token": token,
        "items": items,
        "bodies": bodies,
        "overrides": {
            "original": overrides.original,
            "head": overrides.head,
            "tail": overrides.tail,
            "indent": overrides.indent,
            "spans": {str(line): list(span) for line, span in overrides.spans.items()},
            "sha256": digest,
        },
    }


def _item(item: Item) -> dict[str, Any]:
    return {
        "op": item.operation,
        "pointer": item.pointer,
        "name": item.name,
        "type": item.type,
        "depth": item.depth,
        "file": item.file,
        "lines": list(item.lines),
        "refs": sorted({ref for e in item.evidence for ref in e.refs}),
        "inferred": sorted(
            {e.what for e in item.evidence if e.source != "override"}
            | ({"nesting"} if item.ambiguous else set())
        ),
        "flags": [
            flag
            for flag, on in (
                ("placeholder", item.placeholder),
                ("low", item.low),
                ("ambiguous", item.ambiguous),
                ("warned", item.warned),
                ("changed", item.changed),
            )
            if on
        ],
    }
