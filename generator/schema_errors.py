"""Say why a document is invalid: the deepest failing rule of a jsonschema-rs error, in words.

A ``oneOf``/``anyOf`` failure of the OpenAPI schema only says that no alternative matched,
followed by the whole instance. The alternative that got furthest (its errors sit deepest in
the instance) says what is actually wrong; when every alternative fails for a missing key at the
same place, the message names the keys one of which is needed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

INSTANCE_SHOWN = 60  # characters of a value quoted in a message


def explain(error: Any) -> tuple[str, list[str | int]]:
    """(message, instance path) of the most specific cause of the jsonschema-rs ``error``."""
    branches = [list(b) for b in (getattr(error.kind, "context", None) or []) if b]
    if not branches:
        return _words(error), list(error.instance_path)
    missing = [b[0] for b in branches if len(b) == 1 and type(b[0].kind).__name__ == "Required"]
    if len(missing) == len(branches) and _same_place(missing):
        keys = ", ".join(f"`{m.kind.property}`" for m in missing)
        return f"needs at least one of the keys {keys}", list(error.instance_path)
    useful = [b for b in branches if not _only_a_ref(b)] or branches
    best = max(useful, key=lambda b: max(len(list(e.instance_path)) for e in b))
    deepest = max(best, key=lambda e: len(list(e.instance_path)))
    return explain(deepest)


def _same_place(errors: Sequence[Any]) -> bool:
    return len({tuple(e.instance_path) for e in errors}) == 1


def _only_a_ref(branch: list[Any]) -> bool:
    """The alternative "a $ref object", which fails for every inline value."""
    return len(branch) == 1 and getattr(branch[0].kind, "property", None) == "$ref"


def _words(error: Any) -> str:
    """The error's message with the value it quotes shortened."""
    message = str(error.message)
    quoted = json.dumps(error.instance, separators=(",", ":"), ensure_ascii=False)
    if message.startswith(quoted) and len(quoted) > INSTANCE_SHOWN:
        message = _describe(error.instance) + message[len(quoted) :]
    return " ".join(message.split())


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "the object"
    if isinstance(value, list):
        return "the list"
    text = json.dumps(value, ensure_ascii=False)
    return text[: INSTANCE_SHOWN - 3] + "..."
