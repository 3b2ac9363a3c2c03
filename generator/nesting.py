"""How deep a document may nest: apibind's recursive stages (validation, models, diff) are safe
up to ``MAX_DEPTH`` levels of JSON containers; deeper input is refused with the place it goes too
deep, instead of ending in a ``RecursionError``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from generator.diagnostics import ApibindError, Location

MAX_DEPTH = 256  # mappings and lists inside each other (a schema level is two: properties, name)
SHOWN_LEVELS = 6  # the pointer given points at where the deep part starts, not 256 keys down


def first_too_deep(document: Any, limit: int = MAX_DEPTH) -> list[str | int] | None:
    """The key path to the first container nested more than ``limit`` deep, or None."""
    return _first_path(document, limit) if _nests_deeper(document, limit) else None


def _nests_deeper(document: Any, limit: int) -> bool:
    """Whether a container sits ``limit`` levels down: containers only, no paths kept."""
    stack = [(document, 0)] if isinstance(document, dict | list) else []
    while stack:
        node, depth = stack.pop()
        if depth >= limit:
            return True
        for value in node.values() if isinstance(node, dict) else node:
            if isinstance(value, dict | list):
                stack.append((value, depth + 1))
    return False


def _first_path(document: Any, limit: int) -> list[str | int] | None:
    """The walk in document order, each node with its trail of keys, for the path to report."""
    stack: list[tuple[Any, int, tuple[Any, ...] | None]] = [(document, 0, None)]
    while stack:
        node, depth, trail = stack.pop()
        if isinstance(node, dict):
            children = list(node.items())
        elif isinstance(node, list):
            children = list(enumerate(node))
        else:
            continue
        if depth >= limit:
            keys: list[str | int] = []
            while trail is not None:
                key, trail = trail
                keys.append(key)
            return keys[::-1]
        stack.extend((value, depth + 1, (key, trail)) for key, value in reversed(children))
    return None


def check_depth(document: Any, source: str) -> None:
    """Raise a located ``spec-too-deep`` error when ``document`` nests more than ``MAX_DEPTH``."""
    from generator.spec import Pointer  # the document layer owns pointer escaping

    keys = first_too_deep(document)
    if keys is not None:
        pointer = Pointer(Path(source)).child(*keys[:SHOWN_LEVELS]).pointer
        raise ApibindError.single(
            "spec-too-deep",
            f"what starts here nests more than {MAX_DEPTH} levels deep; apibind refuses "
            "documents this deep",
            Location(file=source, pointer=pointer),
            hint="flatten the deepest schemas into components and $ref them",
        )


def too_deep_to_read(source: str) -> ApibindError:
    """The error for a document the JSON/YAML reader gave up on (RecursionError)."""
    return ApibindError.single(
        "spec-too-deep",
        f"nested too deep to read (apibind accepts up to {MAX_DEPTH} levels)",
        Location(file=source),
    )
