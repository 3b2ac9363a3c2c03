"""Paged operations: declared by ``x-apibind-pagination``, or inferred where the spec is unambiguous.

On an operation (or, for the overrides' ``spec:`` section, which cannot touch ``paths``, in a
top-level ``x-apibind-pagination`` mapping of operationId to the same value)::

    x-apibind-pagination:
      style: offset        # offset | page | cursor | link
      in: body             # where the offset, page number or cursor goes: query (default) or body
      param: offset        # its name (default: offset, page or cursor, by style)
      items: bills         # dotted path to the items in the answer; omitted: the answer is a list
      next: next_cursor    # cursor: dotted path to the next cursor in the answer
      total: total         # dotted path to the total number of items (optional)

``false`` turns inference off for one operation. Inferred, with query parameters: ``offset`` and
``limit`` (offset style), ``page`` and ``per_page``/``page_size`` (page style; link style when the
answer documents a ``Link`` header), a ``cursor``/``page_token`` parameter with a
``next_cursor``/``next_page_token`` field in the answer (cursor style); the items are the answer
when it is a list, else its only array property.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from generator import openapi_view as oa
from generator.diagnostics import Diagnostics
from generator.ir import ANY, ListOf, ModelRef, Nullable, Pagination, Parameter, Primitive, TypeRef
from generator.schemas import SchemaRegistry
from generator.spec import Pointer, Spec

PAGINATION = "x-apibind-pagination"
_STYLES = ("offset", "page", "cursor", "link")
_KEYS = {"style", "in", "param", "items", "next", "total"}
_DEFAULT_PARAM = {"offset": "offset", "page": "page", "cursor": "cursor", "link": ""}
_SIZES = ("per_page", "page_size", "pageSize", "perPage")
_CURSORS = {"cursor": ("next_cursor", "nextCursor"), "page_token": ("next_page_token",)}
_CURSORS["pageToken"] = ("nextPageToken",)
_TOTALS = ("total", "total_count", "totalCount", "totalResults")


def pagination(
    spec: Spec,
    op: oa.Operation,
    params: tuple[Parameter, ...],
    success: TypeRef | None,
    registry: SchemaRegistry,
    diagnostics: Diagnostics,
) -> Pagination | None:
    """How ``op`` pages, or ``None``; a broken declaration is skipped with a warning."""
    declared, at = _declared(spec, op)
    if declared is False:
        return None
    page, page_at = _success_schema(spec, op)
    if declared is None:
        return _inferred(spec, params, op, page, page_at, success, registry)
    problem = _problem(declared, params)
    if problem is None:
        style = declared["style"]
        items = _path(declared.get("items"))
        item = _item(spec, registry, page, page_at, items, success)
        if item is not None:
            return Pagination(
                style=style,
                location=declared.get("in", "query"),
                param=str(declared.get("param", _DEFAULT_PARAM[style])),
                items=items,
                next=_path(declared.get("next")),
                total=_path(declared.get("total")),
                item=item,
            )
        problem = f"no array at {'.'.join(items) or 'the answer'} in the documented success"
    diagnostics.warning("pagination-invalid", f"{PAGINATION}: {problem}; not paged", at.location)
    return None


def _declared(spec: Spec, op: oa.Operation) -> tuple[Any, Pointer]:
    node = spec.get(op.at)
    if isinstance(node, Mapping) and PAGINATION in node:
        return node[PAGINATION], op.at.child(PAGINATION)
    table = spec.document.get(PAGINATION)
    if isinstance(table, Mapping) and op.operation_id and op.operation_id in table:
        return table[op.operation_id], spec.root.child(PAGINATION, op.operation_id)
    return None, op.at


def _problem(declared: Any, params: tuple[Parameter, ...]) -> str | None:
    if not isinstance(declared, Mapping):
        return "expected a mapping (or false)"
    if unknown := sorted(set(declared) - _KEYS):
        return f"unknown key(s) {', '.join(map(str, unknown))}; use {', '.join(sorted(_KEYS))}"
    style, location = declared.get("style"), declared.get("in", "query")
    if style not in _STYLES:
        return f"style must be one of {', '.join(_STYLES)}"
    if location not in ("query", "body"):
        return "in must be query or body"
    param = declared.get("param", _DEFAULT_PARAM[style])
    query = {p.name for p in params if p.location == "query"}
    if style != "link" and location == "query" and param not in query:
        return f"the operation has no query parameter {param!r}"
    if style == "cursor" and not declared.get("next"):
        return "a cursor style needs next (where the answer gives the next cursor)"
    return None


def _inferred(
    spec: Spec,
    params: tuple[Parameter, ...],
    op: oa.Operation,
    page: Any,
    page_at: Pointer,
    success: TypeRef | None,
    registry: SchemaRegistry,
) -> Pagination | None:
    query = {p.name: p for p in params if p.location == "query"}
    props = _properties(spec, page, page_at)
    style: Any = None
    param = ""
    next_path: tuple[str, ...] = ()
    if _integer(query.get("offset")) and _integer(query.get("limit")):
        style, param = "offset", "offset"
    elif _integer(query.get("page")) and any(_integer(query.get(size)) for size in _SIZES):
        style, param = ("link" if _documents_link(op) else "page"), "page"
    else:
        for name, fields in _CURSORS.items():
            found = [f for f in fields if f in props]
            if name in query and len(found) == 1:
                style, param, next_path = "cursor", name, (found[0],)
    if style is None:
        return None
    arrays = [key for key, value in props.items() if _is_array(spec, value, page_at)]
    items: tuple[str, ...] = (
        () if _list_type(success) else tuple(arrays) if len(arrays) == 1 else ()
    )
    item = _item(spec, registry, page, page_at, items, success)
    if item is None:
        return None
    totals = [key for key in _TOTALS if key in props]
    total = (totals[0],) if len(totals) == 1 else ()
    return Pagination(style, "query", param, items, next_path, total, item)


def _integer(param: Parameter | None) -> bool:
    return param is not None and param.type in (Primitive("int"), Nullable(Primitive("int")))


def _documents_link(op: oa.Operation) -> bool:
    return any(
        h.name.lower() == "link"
        for r in op.responses
        if r.status.startswith("2")
        for h in r.headers
    )


def _success_schema(spec: Spec, op: oa.Operation) -> tuple[Any, Pointer]:
    for response in op.responses:
        if response.status.startswith("2"):
            for media in response.content:
                if "json" in media.name and media.schema.node is not None:
                    return spec.resolve(media.schema.node, media.schema.at)
    return None, op.at


def _properties(spec: Spec, schema: Any, at: Pointer) -> dict[str, Any]:
    if not isinstance(schema, Mapping):
        return {}
    props = schema.get("properties")
    return dict(props) if isinstance(props, Mapping) else {}


def _is_array(spec: Spec, schema: Any, at: Pointer) -> bool:
    resolved, _ = spec.resolve(schema, at) if isinstance(schema, Mapping) else (None, at)
    return isinstance(resolved, Mapping) and resolved.get("type") == "array"


def _list_type(ref: TypeRef | None) -> TypeRef | None:
    inner = ref.inner if isinstance(ref, Nullable) else ref
    return inner.item if isinstance(inner, ListOf) else None


def _item(
    spec: Spec,
    registry: SchemaRegistry,
    page: Any,
    at: Pointer,
    items: tuple[str, ...],
    success: TypeRef | None,
) -> TypeRef | None:
    """The item type: of the answer's list, or of the array at ``items`` (``Any`` if inline)."""
    if not items:
        return _list_type(success)
    schema, where = page, at
    for key in items:
        props = _properties(spec, schema, where)
        if key not in props:
            return None
        schema, where = spec.resolve(props[key], where.child("properties", key))
    if not isinstance(schema, Mapping) or schema.get("type") != "array":
        return None
    inner = schema.get("items")
    if isinstance(inner, Mapping) and ("$ref" in inner or inner.get("type") in _SCALARS):
        found = registry.type_of(inner, where.child("items"), "Item")
        return found if isinstance(found, ModelRef | Primitive) else ANY
    return ANY


_SCALARS = ("string", "integer", "number", "boolean")


def _path(value: Any) -> tuple[str, ...]:
    return tuple(part for part in str(value).split(".") if part) if value else ()
