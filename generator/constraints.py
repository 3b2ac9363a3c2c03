"""The documented constraints of a parameter schema, as FastAPI parameter keywords (``le=100``)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any, TypeGuard

Constraint = tuple[str, int | float | str]
_BOUNDS = {"minimum": "ge", "maximum": "le", "exclusiveMinimum": "gt", "exclusiveMaximum": "lt"}
_LENGTHS = {"minLength": "min_length", "maxLength": "max_length"}
_ITEMS = {"minItems": "min_length", "maxItems": "max_length"}


def constraints(schema: Any) -> tuple[Constraint, ...]:
    """FastAPI keywords for the bounds, lengths and pattern ``schema`` documents, in a fixed order.

    OpenAPI 3.0's boolean ``exclusiveMinimum``/``exclusiveMaximum`` turn the bound they qualify
    into a strict one; a pattern Python cannot compile is left out (the models still carry it).
    """
    if not isinstance(schema, Mapping):
        return ()
    found: dict[str, int | float | str] = {}
    for key, keyword in _BOUNDS.items():
        value = schema.get(key)
        if _number(value):
            found[keyword] = value
    for key, strict in (("minimum", "gt"), ("maximum", "lt")):
        if schema.get(f"exclusive{key.title()}") is True and _number(schema.get(key)):
            found[strict] = found.pop("ge" if key == "minimum" else "le")
    lengths = _ITEMS if schema.get("type") == "array" else _LENGTHS
    for key, keyword in lengths.items():
        value = schema.get(key)
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            found[keyword] = value
    pattern = schema.get("pattern")
    if isinstance(pattern, str) and schema.get("type") != "array" and _compiles(pattern):
        found["pattern"] = pattern
    return tuple(sorted(found.items()))


def _number(value: object) -> TypeGuard[int | float]:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value)


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True
