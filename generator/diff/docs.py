"""Documentation changes (descriptions, summaries, titles, examples): they reach the generated
docstrings, READMEs and model metadata, so they are a patch release, never a silent one."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from generator.diff.changes import Change
from generator.document import child

# keywords whose text the generated packages copy; a mapping under one of these names is a
# property or a header called ``description``, and is walked instead
_DOC_KEYS = ("summary", "description", "title", "example", "examples", "x-enum-descriptions")
_OPERATION = re.compile(r"^/paths/([^/]+)/(get|put|post|delete|options|head|patch|trace)(/|$)")


def documentation_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Change]:
    """One ``documentation-changed`` change per place whose documentation text differs."""
    return [
        Change("documentation-changed", False, _operation(pointer), pointer or "/", message)
        for pointer, message in _walk(old, new, "")
    ]


def _walk(old: Any, new: Any, pointer: str) -> Iterator[tuple[str, str]]:
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in sorted(old.keys() & new.keys(), key=str):
            at = child(pointer, key)
            both_nodes = isinstance(old[key], Mapping) and isinstance(new[key], Mapping)
            if key in _DOC_KEYS and not both_nodes:
                if old[key] != new[key]:
                    yield at, f"{key} changed"
            else:
                yield from _walk(old[key], new[key], at)
        if ("$ref" in old) != ("$ref" in new):
            return  # text moved to or from a shared component: compared there
        for key in sorted((old.keys() ^ new.keys()) & set(_DOC_KEYS), key=str):
            yield child(pointer, key), f"{key} {'now given' if key in new else 'no longer given'}"
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (old_item, new_item) in enumerate(zip(old, new, strict=True)):
            yield from _walk(old_item, new_item, child(pointer, i))


def _operation(pointer: str) -> str:
    found = _OPERATION.match(pointer)
    if not found:
        return ""
    path = found.group(1).replace("~1", "/").replace("~0", "~")
    return f"{found.group(2).upper()} {path}"
