""" "Changed since the last build": a node compared with the same pointer in the spec on disk."""

from __future__ import annotations

from typing import Any

from generator.scrape.emit import safe_path
from generator.scrape.operations import Operation
from generator.scrape.tree import Node


def changed(previous: dict[str, Any] | None, op: Operation, pointer: str, node: Node) -> bool:
    """Whether the node is new at its pointer or has another type than in the last build's spec."""
    if previous is None:
        return False
    before = _lookup(previous, op, pointer)
    if before is None:
        return True
    return before.get("type") != (node.type if node.kind == "scalar" else node.kind)


def _lookup(spec: dict[str, Any], op: Operation, pointer: str) -> dict[str, Any] | None:
    operation = spec.get("paths", {}).get(safe_path(op.path), {}).get(op.method)
    tokens = [t.replace("~1", "/").replace("~0", "~") for t in pointer.strip("/").split("/")]
    if not isinstance(operation, dict) or not tokens:
        return None
    if tokens[0] == "requestBody":
        holder, rest = operation.get("requestBody"), tokens[1:]
    else:
        holder, rest = (operation.get("responses") or {}).get(tokens[1]), tokens[2:]
    content: dict[str, Any] = (_deref(spec, holder) or {}).get("content") or {}
    first: dict[str, Any] = next(iter(content.values()), {})
    schema = _deref(spec, first.get("schema"))
    while rest and schema is not None:
        step, rest = rest[0], rest[1:]
        if step == "items":
            schema = _deref(spec, schema.get("items"))
        elif step == "properties" and rest:
            schema, rest = _deref(spec, (schema.get("properties") or {}).get(rest[0])), rest[1:]
        else:
            return None
    return schema


def _deref(spec: dict[str, Any], value: Any) -> dict[str, Any] | None:
    seen = 0
    while isinstance(value, dict) and "$ref" in value and seen < 16:
        target: Any = spec
        for part in str(value["$ref"]).removeprefix("#/").split("/"):
            target = target.get(part) if isinstance(target, dict) else None
        value, seen = target, seen + 1
    return value if isinstance(value, dict) else None
