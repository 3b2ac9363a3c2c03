"""Schema rules: what narrowing or widening a request or response schema means for a client.

Requests and responses are mirror images: narrowing what a request accepts breaks clients that
send the old values; widening what a response returns breaks clients that parse it.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.diff.changes import Doc, Raw, canonical, ref_name
from generator.document import child, unescape

_WIDER_FORMATS = {("int32", "int64"), ("float", "double")}
_UPPER = ("maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties")
_LOWER = ("minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties")
_LISTED = 5  # enum values named in one message


@dataclass
class SchemaDiffer:
    """Compares schema pairs of two specs; cached per ($ref target pair, direction), cycle-safe."""

    old: Doc
    new: Doc
    ref_pairs: set[tuple[str, str]] = field(default_factory=set)  # (old, new) component names
    _cache: dict[tuple[str, str, str], list[Raw]] = field(default_factory=dict)
    _active: set[tuple[str, str, str]] = field(default_factory=set)

    def compare(self, o: Any, o_ptr: str, n: Any, n_ptr: str, direction: str) -> list[Raw]:
        """Changes from schema ``o`` to ``n``; ``direction`` is "request" or "response"."""
        o_name, n_name = ref_name(o), ref_name(n)
        if o_name and n_name and o_name != n_name:
            self.ref_pairs.add((o_name, n_name))
        o, o_ptr = self.old.resolve(o, o_ptr)
        n, n_ptr = self.new.resolve(n, n_ptr)
        key = (o_ptr, n_ptr, direction)
        if key in self._cache:
            return self._cache[key]
        if key in self._active or not isinstance(o, Mapping) or not isinstance(n, Mapping):
            return []
        self._active.add(key)
        try:
            found = list(self._pair(o, o_ptr, n, n_ptr, direction == "request"))
        finally:
            self._active.discard(key)
        self._cache[key] = found
        return found

    def _pair(
        self, o: Mapping[str, Any], o_ptr: str, n: Mapping[str, Any], n_ptr: str, request: bool
    ) -> Iterator[Raw]:
        constraints = list(_constraint_changes(o, n, n_ptr, request))
        yield from _named(constraints, n_ptr, request)
        if any(c.kind == "type-changed" for c in constraints):
            return
        yield from self._properties(o, o_ptr, n, n_ptr, request)
        yield from _variant_changes(o, o_ptr, n, n_ptr, request)
        direction = "request" if request else "response"
        for key in ("items", "additionalProperties"):
            if isinstance(o.get(key), Mapping) and isinstance(n.get(key), Mapping):
                yield from self.compare(
                    o[key], child(o_ptr, key), n[key], child(n_ptr, key), direction
                )

    def _properties(
        self, o: Mapping[str, Any], o_ptr: str, n: Mapping[str, Any], n_ptr: str, request: bool
    ) -> Iterator[Raw]:
        hidden = "readOnly" if request else "writeOnly"
        o_props, o_req = _object_view(self.old, o, o_ptr, hidden)
        n_props, n_req = _object_view(self.new, n, n_ptr, hidden)
        removed = sorted(o_props.keys() - n_props.keys())
        added = sorted(n_props.keys() - o_props.keys())
        renamed = _property_renames(removed, added, o_props, n_props)
        side = "request" if request else "response"
        for old_name, new_name in renamed.items():
            message = f"{side} property {old_name!r} renamed to {new_name!r}"
            yield Raw("property-renamed", True, n_props[new_name][1], message)
        for name in (n for n in removed if n not in renamed):
            yield Raw(
                "property-removed", True, o_props[name][1], f"{side} property {name!r} removed"
            )
        for name in (n for n in added if n not in renamed.values()):
            required = request and name in n_req
            kind = "required-property-added" if required else "property-added"
            message = f"{'required ' if required else ''}{side} property {name!r} added"
            yield Raw(kind, required, n_props[name][1], message)
        for name in sorted(o_props.keys() & n_props.keys()):
            (o_schema, o_at), (n_schema, n_at) = o_props[name], n_props[name]
            if (name in n_req) != (name in o_req):
                became = "required" if name in n_req else "optional"
                message = f"{side} property {name!r} became {became}"
                yield Raw(
                    f"property-became-{became}", request == (became == "required"), n_at, message
                )
            yield from self.compare(o_schema, o_at, n_schema, n_at, side)


def _constraint_changes(
    o: Mapping[str, Any], n: Mapping[str, Any], n_ptr: str, request: bool
) -> Iterator[Raw]:
    """Changes to what one schema accepts: type (then nothing else), format, enum, bounds, pattern."""
    type_change = _type_change(o, n, n_ptr, request)
    if type_change:
        yield type_change
        return
    yield from _format_change(o, n, n_ptr, request)
    yield from _enum_changes(o, n, n_ptr, request)
    yield from _bound_changes(o, n, n_ptr, request)
    if o.get("pattern") != n.get("pattern") and n.get("pattern"):
        message = f"pattern changed from {o.get('pattern')!r} to {n.get('pattern')!r}"
        yield Raw("pattern-changed", request, child(n_ptr, "pattern"), message)


def _named(raws: list[Raw], pointer: str, request: bool) -> Iterator[Raw]:
    """Name the property ``raws`` are about when ``pointer`` ends in ``/properties/<name>``."""
    parts = pointer.rsplit("/", 2)
    if len(parts) < 3 or parts[1] != "properties":
        yield from raws
        return
    name = unescape(parts[2])
    side = "request" if request else "response"
    for raw in raws:
        yield Raw(raw.kind, raw.breaking, raw.pointer, f"{side} property {name!r}: {raw.message}")


def _object_view(
    doc: Doc, schema: Mapping[str, Any], ptr: str, hidden: str
) -> tuple[dict[str, tuple[Any, str]], set[str]]:
    """Properties ((schema, pointer) by name) and required names, with ``allOf`` merged in."""
    props: dict[str, tuple[Any, str]] = {}
    required: set[str] = set()
    stack, seen = [(schema, ptr)], set()
    while stack:
        node, at = doc.resolve(*stack.pop())
        if at in seen or not isinstance(node, Mapping):
            continue
        seen.add(at)
        for name, prop in (node.get("properties") or {}).items():
            resolved, _ = doc.resolve(prop, child(at, "properties", name))
            if not (isinstance(resolved, Mapping) and resolved.get(hidden)):
                props.setdefault(name, (prop, child(at, "properties", name)))
        required.update(r for r in node.get("required") or [] if isinstance(r, str))
        members = list(enumerate(node.get("allOf") or []))
        stack += [(m, child(at, "allOf", i)) for i, m in reversed(members)]
    return props, required


def _property_renames(
    removed: list[str], added: list[str], o_props: Mapping[str, Any], n_props: Mapping[str, Any]
) -> dict[str, str]:
    """Pair removed and added properties that look like one renamed property.

    Same name up to case, '_' and '-'; else the same place in the property order with an equal
    schema (as when recovered names replace placeholders); else the only removed and the only
    added property, with equal schemas.
    """

    def folded(name: str) -> str:
        return re.sub(r"[_\-]", "", name).lower()

    def alike(old: str, new: str) -> bool:
        return canonical(o_props[old][0]) == canonical(n_props[new][0])

    renames: dict[str, str] = {}
    for old in removed:
        same = [a for a in added if folded(a) == folded(old) and a not in renames.values()]
        if same:
            renames[old] = same[0]
    o_keys, n_keys = list(o_props), list(n_props)
    matcher = difflib.SequenceMatcher(a=o_keys, b=n_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "replace":
            continue
        for old, new in zip(o_keys[i1:i2], n_keys[j1:j2], strict=False):
            taken = old in renames or new in renames.values()
            if old in removed and new in added and not taken and alike(old, new):
                renames[old] = new
    rest_old = [r for r in removed if r not in renames]
    rest_new = [a for a in added if a not in renames.values()]
    if len(rest_old) == 1 and len(rest_new) == 1 and alike(rest_old[0], rest_new[0]):
        renames[rest_old[0]] = rest_new[0]
    return renames


def _variant_changes(
    o: Mapping[str, Any], o_ptr: str, n: Mapping[str, Any], n_ptr: str, request: bool
) -> Iterator[Raw]:
    """``oneOf``/``anyOf`` members, known by their ``$ref`` or their shape.

    A request that stops accepting a variant breaks its senders; a response that may return a new
    variant breaks its readers.
    """
    for key in ("oneOf", "anyOf"):
        olds = {_variant_id(m): i for i, m in enumerate(o.get(key) or [])}
        news = {_variant_id(m): i for i, m in enumerate(n.get(key) or [])}
        for variant in (v for v in olds if v not in news):
            message = f"{key} variant {_variant_name(variant)} removed"
            yield Raw("variant-removed", request, child(o_ptr, key, olds[variant]), message)
        for variant in (v for v in news if v not in olds):
            message = f"{key} variant {_variant_name(variant)} added"
            yield Raw("variant-added", not request, child(n_ptr, key, news[variant]), message)


def _variant_id(member: Any) -> str:
    name = ref_name(member)
    return f"#{name}" if name else canonical(member)


def _variant_name(variant: str) -> str:
    return repr(variant[1:]) if variant.startswith("#") else variant


def _types(schema: Mapping[str, Any]) -> frozenset[str] | None:
    """The JSON types a schema allows (None: any); ``number`` includes ``integer``."""
    declared = schema.get("type")
    if declared is None:
        if "properties" in schema or "allOf" in schema:
            declared = "object"
        elif "items" in schema:
            declared = "array"
        else:
            return None
    types = {declared} if isinstance(declared, str) else set(declared)
    if schema.get("nullable") is True:
        types.add("null")
    if "number" in types:
        types.add("integer")
    return frozenset(types)


def _show_types(types: frozenset[str] | None) -> str:
    if types is None:
        return "any"
    return "|".join(sorted(types - ({"integer"} if "number" in types else set())))


def _type_change(
    o: Mapping[str, Any], n: Mapping[str, Any], n_ptr: str, request: bool
) -> Raw | None:
    old, new = _types(o), _types(n)
    if old == new:
        return None
    widened = new is None or (old is not None and old <= new)
    narrowed = old is None or (new is not None and new <= old)
    message = f"type changed from {_show_types(old)} to {_show_types(new)}"
    breaking = not widened if request else not narrowed
    return Raw("type-changed", breaking, child(n_ptr, "type"), message)


def _format_change(
    o: Mapping[str, Any], n: Mapping[str, Any], n_ptr: str, request: bool
) -> Iterator[Raw]:
    old, new = o.get("format"), n.get("format")
    if old == new:
        return
    widened = new is None or (old, new) in _WIDER_FORMATS
    narrowed = old is None or (new, old) in _WIDER_FORMATS
    message = f"format changed from {old!r} to {new!r}"
    yield Raw(
        "format-changed", not widened if request else not narrowed, child(n_ptr, "format"), message
    )


def _enum_changes(
    o: Mapping[str, Any], n: Mapping[str, Any], n_ptr: str, request: bool
) -> Iterator[Raw]:
    old, new = o.get("enum"), n.get("enum")
    at = child(n_ptr, "enum")
    if old is None and new is None:
        return
    if old is None or new is None:
        kind = "enum-added" if old is None else "enum-removed"
        what = "added" if old is None else "removed"
        yield Raw(kind, request == (old is None), at, f"enum constraint {what}")
        return
    o_vals = {json.dumps(v, sort_keys=True): v for v in old}
    n_vals = {json.dumps(v, sort_keys=True): v for v in new}
    gone = [v for k, v in o_vals.items() if k not in n_vals]
    came = [v for k, v in n_vals.items() if k not in o_vals]
    if gone:
        yield Raw("enum-value-removed", request, at, f"enum value(s) removed: {_listing(gone)}")
    if came:
        yield Raw("enum-value-added", not request, at, f"enum value(s) added: {_listing(came)}")


def _listing(values: list[Any]) -> str:
    shown = ", ".join(repr(v) for v in values[:_LISTED])
    return shown + (f" and {len(values) - _LISTED} more" if len(values) > _LISTED else "")


def _bound_changes(
    o: Mapping[str, Any], n: Mapping[str, Any], n_ptr: str, request: bool
) -> Iterator[Raw]:
    """maxLength/maximum/... narrowed on requests or widened on responses break clients."""
    for keys, upper in ((_UPPER, True), (_LOWER, False)):
        for key in keys:
            old, new = _number(o.get(key)), _number(n.get(key))
            if old == new:
                continue
            tighter = new is not None and (old is None or (new < old if upper else new > old))
            kind = re.sub(r"([A-Z])", r"-\1", key).lower()
            kind += "-narrowed" if tighter else "-widened"
            message = f"{key} changed from {_bound(old)} to {_bound(new)}"
            yield Raw(kind, tighter == request, child(n_ptr, key), message)


def _number(value: Any) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _bound(value: float | None) -> str:
    return "none" if value is None else repr(value)
