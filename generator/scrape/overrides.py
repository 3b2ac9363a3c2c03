"""Maintainer overrides: pin a name, type or structure by operation + JSON pointer.

```yaml
overrides:
  - operation: updateBillLifecycleAction        # operationId, or "PATCH /rest/apis/..."
    pointer: /requestBody/properties/unnamedProperty8
    rename: readOption                          # pin a property name
    set: {type: boolean}                        # pin schema keywords
  - operation: createBillSegment
    pointer: /responses/200/properties/exception
    schema: {type: object, properties: {...}}   # pin a whole structure
  - operation: getBill
    pointer: /responses/200/properties/bogus
    remove: true                                # drop a property
spec:                                           # merged into the spec: what no page says
  components: {securitySchemes: {basic: {type: http, scheme: basic}}}
  security: [{basic: []}]
```
Pointers walk the operation's schema trees: `/requestBody` or `/responses/<status>`, then
`/properties/<name>` and `/items` steps. ``spec`` is merged into the emitted spec (mappings key
by key, anything else replaced); ``openapi``, ``paths`` and ``info.version`` are not allowed there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.diagnostics import ApibindError, Diagnostics, Location
from generator.document import unescape
from generator.scrape.operations import Operation
from generator.scrape.tree import Inference, Node

_ACTIONS = ("rename", "set", "schema", "remove")
_KEYS = {"operation", "pointer", *_ACTIONS}
_TOP_KEYS = ("overrides", "spec")
_NOT_IN_SPEC = {
    "openapi": "apibind emits OpenAPI 3.1.0",
    "paths": "pin operations with `overrides:` entries",
}


@dataclass
class Override:
    location: Location
    operation: str
    pointer: str
    actions: dict[str, Any]


@dataclass
class OverridesFile:
    items: list[Override] = field(default_factory=list)
    spec: dict[str, Any] = field(default_factory=dict)  # merged into the emitted spec
    spec_location: Location | None = None


@dataclass
class OverrideResult:
    applied: list[Override] = field(default_factory=list)
    unmatched: list[Override] = field(default_factory=list)


def load_overrides(path: Path, name: str | None = None) -> OverridesFile:
    """Read and check an overrides file; problems are errors located at ``name`` (the path):line."""
    name = name or path.as_posix()
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ApibindError.single(
            "overrides-yaml",
            f"invalid YAML: {getattr(exc, 'problem', exc)}",
            Location(name, mark.line + 1 if mark else None),
        ) from None
    if root is None:
        return OverridesFile()
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = data.get("overrides", []) if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ApibindError.single(
            "overrides-shape", "expected a mapping with an `overrides:` list", Location(name, 1)
        )
    lines = {k.value: k.start_mark.line + 1 for k, _ in root.value}
    unknown = sorted(set(data) - set(_TOP_KEYS))
    if unknown:
        raise ApibindError.single(
            "overrides-key",
            f"unknown top-level key(s) {', '.join(map(str, unknown))}",
            Location(name, lines.get(unknown[0], 1)),
            hint=f"use {', '.join(_TOP_KEYS)}",
        )
    spec = _spec_section(data.get("spec"), Location(name, lines.get("spec", 1)))
    nodes = [v for k, v in root.value if k.value == "overrides"]
    item_nodes = nodes[0].value if nodes else []
    out, problems = [], Diagnostics()
    for item, node in zip(items, item_nodes, strict=True):
        where = Location(name, node.start_mark.line + 1)
        if not isinstance(item, dict):
            problems.error("overrides-item", "each override must be a mapping", where)
            continue
        unknown = sorted(set(item) - _KEYS)
        missing = [k for k in ("operation", "pointer") if k not in item]
        actions = {k: item[k] for k in _ACTIONS if k in item}
        if unknown:
            problems.error(
                "overrides-key",
                f"unknown key(s) {', '.join(unknown)}",
                where,
                hint=f"use {sorted(_KEYS)}",
            )
        elif missing or not actions:
            problems.error(
                "overrides-item",
                f"needs `operation`, `pointer` and one of {', '.join(_ACTIONS)}",
                where,
            )
        elif "set" in actions and not isinstance(actions["set"], dict):
            problems.error("overrides-item", "`set` takes a mapping of schema keywords", where)
        else:
            out.append(Override(where, str(item["operation"]), str(item["pointer"]), actions))
    if problems.errors:
        raise ApibindError(problems.errors)
    return OverridesFile(out, spec, Location(name, lines["spec"]) if "spec" in lines else None)


def _spec_section(value: Any, where: Location) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ApibindError.single("overrides-spec", "`spec:` takes a mapping", where)
    for key, why in _NOT_IN_SPEC.items():
        if key in value:
            raise ApibindError.single(
                "overrides-spec", f"`spec:` cannot set {key}", where, hint=why
            )
    if "version" in (value.get("info") or {}):
        raise ApibindError.single(
            "overrides-spec",
            "`spec:` cannot set info.version",
            where,
            hint="`apibind build` carries the version and raises it with --bump",
        )
    return value


def merge_spec(spec: dict[str, Any], extra: dict[str, Any]) -> None:
    """Merge ``extra`` into ``spec``: mappings key by key, anything else replaced."""
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(spec.get(key), dict):
            merge_spec(spec[key], value)
        else:
            spec[key] = value


def _resolve(op: Operation, pointer: str) -> list[tuple[Node | None, Node]]:
    """(parent, node) pairs the pointer names in this operation (a body may print twice)."""
    tokens = [unescape(t) for t in pointer.strip("/").split("/")] if pointer.strip("/") else []
    if not tokens:
        return []
    current: list[tuple[Node | None, Node]]
    if tokens[0] == "requestBody":
        current = [(None, body.tree) for body in op.request]
        rest = tokens[1:]
    elif tokens[0] == "responses" and len(tokens) > 1:
        current = [
            (None, r.tree)
            for r in op.responses
            if r.tree is not None and r.response.status == tokens[1]
        ]
        rest = tokens[2:]
    else:
        return []
    while rest and current:
        step, rest = rest[0], rest[1:]
        if step == "items":
            current = [(node, node.items) for _, node in current if node.items is not None]
        elif step == "properties" and rest:
            name, rest = rest[0], rest[1:]
            current = [(node, c) for _, node in current for c in node.children if c.name == name]
        else:
            return []
    return current


def apply_overrides(overrides: list[Override], operations: list[Operation]) -> OverrideResult:
    by_key: dict[str, Operation] = {}
    for op in operations:
        by_key[op.operation_id] = op
        by_key[f"{op.method.upper()} {op.path}"] = op
    result = OverrideResult()
    for override in overrides:
        found = by_key.get(override.operation)
        targets = _resolve(found, override.pointer) if found else []
        if not targets:
            result.unmatched.append(override)
            continue
        for parent, node in targets:
            _apply(override, parent, node)
        result.applied.append(override)
    return result


def _apply(override: Override, parent: Node | None, node: Node) -> None:
    evidence = Inference("override", 1.0, f"pinned in {override.location}")
    actions = override.actions
    if actions.get("remove") and parent is not None:
        parent.children.remove(node)
        return
    if "rename" in actions:
        node.name, node.name_info = str(actions["rename"]), evidence
    if "set" in actions:
        node.overrides.update(actions["set"])
        if "type" in actions["set"]:
            node.type, node.type_info = str(actions["set"]["type"]), evidence
    if "schema" in actions:
        node.replacement = dict(actions["schema"])
        node.structure = evidence
