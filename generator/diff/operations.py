"""Walk both specs operation by operation: paths, parameters, bodies, responses, component names."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from generator import document
from generator.diagnostics import ApibindError
from generator.diff.changes import Change, Doc, Raw, canonical, side
from generator.diff.docs import documentation_changes
from generator.diff.schemas import SchemaDiffer
from generator.diff.security import requirement_changes, scheme_changes
from generator.document import child
from generator.ir import serialization
from generator.spec import Spec

_SCHEMAS = "/components/schemas"


def diff_specs(
    old: Spec | Mapping[str, Any],
    new: Spec | Mapping[str, Any],
    *,
    labels: tuple[str, str] = ("old spec", "new spec"),
) -> list[Change]:
    """Every change from ``old`` to ``new``, breaking ones first.

    Each side is a loaded spec (``$ref``s to files next to it are followed) or a document in
    memory, which ``labels`` name in errors.
    """
    old_doc, new_doc = side(old, labels[0]), side(new, labels[1])
    old_doc.check_refs()
    new_doc.check_refs()
    return _Differ(old_doc, new_doc, SchemaDiffer(old_doc, new_doc)).run()


@dataclass(frozen=True)
class _Operation:
    method: str
    path: str
    pointer: str
    node: Mapping[str, Any]
    shared_parameters: tuple[tuple[Any, str], ...]  # path-level (node, pointer)

    @property
    def label(self) -> str:
        return str(self.node.get("operationId") or self.where)

    @property
    def where(self) -> str:
        return f"{self.method.upper()} {self.path}"


def _operations(doc: Doc) -> dict[tuple[str, str], _Operation]:
    """Operations keyed by (method, path with its parameter names blanked)."""
    found: dict[tuple[str, str], _Operation] = {}
    for path, item in (doc.spec.get("paths") or {}).items():
        item, item_ptr = doc.resolve(item, child("/paths", path))
        if not isinstance(item, Mapping):
            continue
        shared = tuple(
            (p, child(item_ptr, "parameters", i))
            for i, p in enumerate(item.get("parameters") or [])
        )
        for method, operation in document.operations(item):
            key = (method, re.sub(r"\{[^}]*\}", "{}", path))
            found[key] = _Operation(method, path, child(item_ptr, method), operation, shared)
    ids = [(op.node.get("operationId"), op.pointer, op.method, op.path) for op in found.values()]
    problems = document.duplicate_operation_ids(ids, doc.source.path.name)
    if problems:
        raise ApibindError(problems)
    return found


@dataclass
class _Differ:
    old: Doc
    new: Doc
    schemas: SchemaDiffer
    changes: list[Change] = field(default_factory=list)

    def run(self) -> list[Change]:
        self._info()
        self._operations()
        self._component_schemas()
        self._add("", scheme_changes(self.old.spec, self.new.spec))
        known = {change.pointer for change in self.changes}  # info title, summaries
        docs = documentation_changes(self.old.spec, self.new.spec)
        self.changes += [change for change in docs if change.pointer not in known]
        return _dedupe(self.changes)

    def _add(self, operation: str, raws: Iterable[Raw]) -> None:
        self.changes += [Change(r.kind, r.breaking, operation, r.pointer, r.message) for r in raws]

    def _info(self) -> None:
        old, new = self.old.spec.get("info") or {}, self.new.spec.get("info") or {}
        for key in ("title", "version"):
            if old.get(key) != new.get(key):
                message = f"info {key} changed from {old.get(key)!r} to {new.get(key)!r}"
                self._add("", [Raw(f"info-{key}-changed", False, f"/info/{key}", message)])

    def _operations(self) -> None:
        old_ops, new_ops = _operations(self.old), _operations(self.new)
        removed = [old_ops[k] for k in sorted(old_ops.keys() - new_ops.keys())]
        added = [new_ops[k] for k in sorted(new_ops.keys() - old_ops.keys())]
        moves = _likely_moves(removed, added)
        for op in removed:
            hint = f" (likely moved to {moves[op.where]})" if op.where in moves else ""
            raw = Raw("operation-removed", True, op.pointer, f"{op.where} removed{hint}")
            self._add(op.label, [raw])
        for op in added:
            hint = f" (likely the new place of {moves[op.where]})" if op.where in moves else ""
            raw = Raw("operation-added", False, op.pointer, f"{op.where} added{hint}")
            self._add(op.label, [raw])
        pairs = [(old_ops[key], new_ops[key]) for key in sorted(old_ops.keys() & new_ops.keys())]
        moved_to = {op.where: op for op in added}
        pairs += [(op, moved_to[moves[op.where]]) for op in removed if op.where in moves]
        for old, new in pairs:  # a moved operation is compared with its likely new place too
            self._add(new.label, self._operation(old, new))

    def _operation(self, old: _Operation, new: _Operation) -> Iterator[Raw]:
        for key, kind, breaking in (
            ("operationId", "operation-id-changed", True),
            ("summary", "summary-changed", False),
        ):
            if old.node.get(key) != new.node.get(key):
                message = f"{key} changed from {old.node.get(key)!r} to {new.node.get(key)!r}"
                yield Raw(kind, breaking, child(new.pointer, key), message)
        if new.node.get("deprecated") and not old.node.get("deprecated"):
            yield Raw("operation-deprecated", False, new.pointer, f"{new.where} deprecated")
        yield from requirement_changes(
            old.node, new.node, self.old.spec, self.new.spec, new.pointer
        )
        yield from self._parameters(old, new)
        yield from self._request_body(old, new)
        yield from self._responses(old, new)

    def _parameters(self, old: _Operation, new: _Operation) -> Iterator[Raw]:
        olds, news = _parameters(self.old, old), _parameters(self.new, new)
        for key in sorted(olds.keys() - news.keys()):
            message = f"{key[0]} parameter {key[1]!r} removed"
            yield Raw("parameter-removed", True, olds[key][1], message)
        for key in sorted(news.keys() - olds.keys()):
            param, ptr = news[key]
            if param.get("required"):
                message = f"required {key[0]} parameter {key[1]!r} added"
                yield Raw("parameter-added-required", True, ptr, message)
            else:
                message = f"optional {key[0]} parameter {key[1]!r} added"
                yield Raw("parameter-added", False, ptr, message)
        for key in sorted(olds.keys() & news.keys()):
            (o, o_ptr), (n, n_ptr) = olds[key], news[key]
            name = f"{key[0]} parameter {key[1]!r}"
            if n.get("required") and not o.get("required"):
                yield Raw("parameter-became-required", True, n_ptr, f"{name} became required")
            elif o.get("required") and not n.get("required"):
                yield Raw("parameter-became-optional", False, n_ptr, f"{name} became optional")
            o_wire = serialization(key[0], o.get("style"), o.get("explode"))
            n_wire = serialization(key[0], n.get("style"), n.get("explode"))
            if o_wire != n_wire:
                message = (
                    f"{name} now sent as style={n_wire[0]}, explode={n_wire[1]}"
                    f" (was style={o_wire[0]}, explode={o_wire[1]})"
                )
                yield Raw("parameter-style-changed", True, n_ptr, message)
            o_schema, n_schema = _parameter_schema(o, o_ptr), _parameter_schema(n, n_ptr)
            found = self.schemas.compare(*o_schema, *n_schema, "request")
            yield from _about(name, found)

    def _request_body(self, old: _Operation, new: _Operation) -> Iterator[Raw]:
        o, o_ptr = self.old.resolve(old.node.get("requestBody"), child(old.pointer, "requestBody"))
        n, n_ptr = self.new.resolve(new.node.get("requestBody"), child(new.pointer, "requestBody"))
        if not isinstance(n, Mapping):
            if isinstance(o, Mapping):
                yield Raw("request-body-removed", True, o_ptr, "request body removed")
        elif not isinstance(o, Mapping):
            required = bool(n.get("required"))
            kind = "request-body-added-required" if required else "request-body-added"
            message = f"{'required' if required else 'optional'} request body added"
            yield Raw(kind, required, n_ptr, message)
        else:
            if n.get("required") and not o.get("required"):
                yield Raw(
                    "request-body-became-required", True, n_ptr, "request body became required"
                )
            yield from self._content(o, o_ptr, n, n_ptr, "request")

    def _responses(self, old: _Operation, new: _Operation) -> Iterator[Raw]:
        olds, news = old.node.get("responses") or {}, new.node.get("responses") or {}
        o_base, n_base = child(old.pointer, "responses"), child(new.pointer, "responses")
        for status in sorted(set(olds) - set(news), key=str):
            success = str(status).startswith("2")
            message = f"{'success' if success else 'non-success'} response status {status} removed"
            yield Raw("response-status-removed", success, child(o_base, status), message)
        for status in sorted(set(news) - set(olds), key=str):
            message = f"response status {status} added"
            yield Raw("response-status-added", False, child(n_base, status), message)
        for status in sorted(set(olds) & set(news), key=str):
            o, o_ptr = self.old.resolve(olds[status], child(o_base, status))
            n, n_ptr = self.new.resolve(news[status], child(n_base, status))
            if isinstance(o, Mapping) and isinstance(n, Mapping):
                yield from self._headers(o, o_ptr, n, n_ptr, status)
                yield from self._content(o, o_ptr, n, n_ptr, "response")

    def _headers(
        self, o: Mapping[str, Any], o_ptr: str, n: Mapping[str, Any], n_ptr: str, status: str
    ) -> Iterator[Raw]:
        """Response headers (names ignore case): removing one breaks clients that read it."""
        olds = {str(k).lower(): k for k in o.get("headers") or {}}
        news = {str(k).lower(): k for k in n.get("headers") or {}}
        for key in sorted(olds.keys() - news.keys()):
            message = f"response {status} header {olds[key]!r} removed"
            yield Raw("response-header-removed", True, child(o_ptr, "headers", olds[key]), message)
        for key in sorted(news.keys() - olds.keys()):
            message = f"response {status} header {news[key]!r} added"
            yield Raw("response-header-added", False, child(n_ptr, "headers", news[key]), message)
        for key in sorted(olds.keys() & news.keys()):
            o_at, n_at = child(o_ptr, "headers", olds[key]), child(n_ptr, "headers", news[key])
            o_header, o_at = self.old.resolve(o["headers"][olds[key]], o_at)
            n_header, n_at = self.new.resolve(n["headers"][news[key]], n_at)
            if isinstance(o_header, Mapping) and isinstance(n_header, Mapping):
                o_schema, n_schema = (
                    _parameter_schema(o_header, o_at),
                    _parameter_schema(n_header, n_at),
                )
                found = self.schemas.compare(*o_schema, *n_schema, "response")
                yield from _about(f"response {status} header {news[key]!r}", found)

    def _content(
        self, o: Mapping[str, Any], o_ptr: str, n: Mapping[str, Any], n_ptr: str, direction: str
    ) -> Iterator[Raw]:
        olds, news = o.get("content") or {}, n.get("content") or {}
        for media in sorted(set(olds) - set(news)):
            message = f"{direction} media type {media!r} removed"
            yield Raw("media-type-removed", True, child(o_ptr, "content", media), message)
        for media in sorted(set(news) - set(olds)):
            message = f"{direction} media type {media!r} added"
            yield Raw("media-type-added", False, child(n_ptr, "content", media), message)
        for media in sorted(set(olds) & set(news)):
            o_at = child(o_ptr, "content", media, "schema")
            n_at = child(n_ptr, "content", media, "schema")
            o_schema, n_schema = (
                (olds[media] or {}).get("schema"),
                (news[media] or {}).get("schema"),
            )
            yield from self.schemas.compare(o_schema, o_at, n_schema, n_at, direction)

    def _component_schemas(self) -> None:
        """Component schemas removed, added or renamed (generated model names change with them)."""
        olds = (self.old.spec.get("components") or {}).get("schemas") or {}
        news = (self.new.spec.get("components") or {}).get("schemas") or {}
        removed, added = sorted(set(olds) - set(news)), sorted(set(news) - set(olds))
        renamed: dict[str, str] = {}
        for name in removed:
            free = [a for a in added if a not in renamed.values()]
            by_ref = [a for a in free if (name, a) in self.schemas.ref_pairs]
            by_shape = [a for a in free if canonical(olds[name]) == canonical(news[a])]
            if by_ref or by_shape:
                renamed[name] = (by_ref or by_shape)[0]
        raws = []
        for name in removed:
            if name in renamed:
                message = f"schema {name!r} renamed to {renamed[name]!r} (its generated model too)"
                raws.append(Raw("schema-renamed", True, child(_SCHEMAS, renamed[name]), message))
            else:
                message = f"schema {name!r} removed"
                raws.append(Raw("schema-removed", True, child(_SCHEMAS, name), message))
        for name in added:
            if name not in renamed.values():
                message = f"schema {name!r} added"
                raws.append(Raw("schema-added", False, child(_SCHEMAS, name), message))
        self._add("", raws)


def _parameters(doc: Doc, op: _Operation) -> dict[tuple[str, str], tuple[Mapping[str, Any], str]]:
    """Path-level then operation-level parameters by (in, name); header names ignore case."""
    own = [
        (p, child(op.pointer, "parameters", i))
        for i, p in enumerate(op.node.get("parameters") or [])
    ]
    params = {}
    for node, ptr in [*op.shared_parameters, *own]:
        node, ptr = doc.resolve(node, ptr)
        if isinstance(node, Mapping) and "name" in node:
            where = str(node.get("in", "query"))
            name = str(node["name"]).lower() if where == "header" else str(node["name"])
            params[(where, name)] = (node, ptr)
    return params


def _about(subject: str, raws: list[Raw]) -> Iterator[Raw]:
    """``raws`` with their subject named (a parameter's pointer only gives its index)."""
    for raw in raws:
        yield Raw(raw.kind, raw.breaking, raw.pointer, f"{subject}: {raw.message}")


def _parameter_schema(param: Mapping[str, Any], ptr: str) -> tuple[Any, str]:
    if "schema" in param:
        return param["schema"], child(ptr, "schema")
    for media, content in (param.get("content") or {}).items():
        return (content or {}).get("schema"), child(ptr, "content", media, "schema")
    return None, ptr


def _likely_moves(removed: list[_Operation], added: list[_Operation]) -> dict[str, str]:
    """Removed and added operations (same method) sharing an operationId, else a summary.

    Maps each side's "METHOD /path" to the other's.
    """
    pairs: dict[str, str] = {}
    for key in ("operationId", "summary"):
        for old in (op for op in removed if op.where not in pairs and op.node.get(key)):
            match = [
                a
                for a in added
                if a.where not in pairs
                and a.method == old.method
                and a.node.get(key) == old.node.get(key)
            ]
            if len(match) == 1:
                pairs[old.where], pairs[match[0].where] = match[0].where, old.where
    return pairs


def _dedupe(changes: list[Change]) -> list[Change]:
    """One entry per change; a shared schema's change says how many more operations it affects."""
    first: dict[tuple[str, bool, str, str], Change] = {}
    others: dict[tuple[str, bool, str, str], set[str]] = {}
    for change in changes:
        key = (change.kind, change.breaking, change.pointer, change.message)
        if key not in first:
            first[key] = change
        elif change.operation != first[key].operation:
            others.setdefault(key, set()).add(change.operation)
    unique = []
    for key, change in first.items():
        if key in others:
            message = f"{change.message} (and {len(others[key])} more operation(s))"
            also = tuple(sorted(others[key]))
            change = Change(
                change.kind, change.breaking, change.operation, change.pointer, message, also
            )
        unique.append(change)
    return sorted(unique, key=lambda c: (not c.breaking, c.operation, c.pointer, c.kind))
