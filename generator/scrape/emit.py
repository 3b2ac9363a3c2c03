"""Emit OpenAPI 3.1 from operations and their rebuilt schema trees.

Root schemas become components (named roots keep their printed name in PascalCase; anonymous
request roots are named after the operation); identical structures share one component, and a
response used by several operations becomes a shared ``components.responses`` entry.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from generator.diagnostics import Diagnostics, Location
from generator.extensions import UNDOCUMENTED
from generator.naming import pascal_case
from generator.scrape.operations import UNINDEXED_TAG, Operation
from generator.scrape.pagetypes import IndexPage, Param
from generator.scrape.paths import API_ROOT, path_params
from generator.scrape.scalars import scalar_schema
from generator.scrape.tree import Node

EXT_NAME, EXT_TYPE, EXT_STRUCTURE = "x-apibind-name", "x-apibind-type", "x-apibind-structure"
DEFAULT_MEDIA = ["application/json", "application/xml"]
_HTTP_REASONS = {
    "200": "OK",
    "201": "Created",
    "204": "NoContent",
    "400": "BadRequest",
    "401": "Unauthorized",
    "403": "Forbidden",
    "404": "NotFound",
    "409": "Conflict",
    "500": "InternalServerError",
}


def _schema_name(text: str) -> str:
    """`problemDetailDocument` -> `ProblemDetailDocument`; `C1-BillSegm` -> `C1BillSegm`."""
    return pascal_case(text, fallback="Schema", digit_prefix="Schema")


_DOC_KEYWORDS = frozenset({"description", "example", "title", "x-enum-descriptions"})


def structure_of(value: Any) -> Any:
    """What makes two schemas the same: names, types, constraints — not prose or examples."""
    if isinstance(value, list):
        return [structure_of(v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        if key.startswith("x-apibind-") or key in _DOC_KEYWORDS:
            continue
        out[key] = (
            {n: structure_of(s) for n, s in item.items()}
            if key == "properties"
            else structure_of(item)
        )
    return out


def _count_inferences(value: Any) -> int:
    if isinstance(value, dict):
        own: int = sum(k.startswith("x-apibind-") for k in value)
        return own + sum(_count_inferences(v) for v in value.values())
    if isinstance(value, list):
        return sum(_count_inferences(v) for v in value)
    return 0


@dataclass
class Recovered:
    file: str
    line: int
    pointer: str
    name: str
    info: dict[str, object]


@dataclass
class Emitter:
    diagnostics: Diagnostics
    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)
    shapes: dict[str, str] = field(default_factory=dict)  # canonical structure -> component name
    recovered: list[Recovered] = field(default_factory=list)
    notes: list[tuple[Location, str]] = field(default_factory=list)
    schemas_by_file: dict[str, set[str]] = field(default_factory=dict)
    printed: set[str] = field(default_factory=set)  # component names printed on a page
    refs: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # for renames
    renamed: dict[str, str] = field(default_factory=dict)
    problems: list[tuple[Location, str, str, str]] = field(
        default_factory=list
    )  # reported by finish()

    # -- schemas -----------------------------------------------------------------------------
    def schema(self, node: Node, file: str, pointer: str) -> dict[str, Any]:
        if node.replacement is not None:
            schema = dict(node.replacement)
        elif node.kind == "scalar":
            schema, problem, note = scalar_schema(node)
            if problem:
                self.problems.append(
                    (Location(file, problem.line), problem.example, pointer, problem.reason)
                )
            if note:
                self.notes.append((Location(file, node.line), note))
        elif node.kind == "array":
            schema = {
                "type": "array",
                "items": self.schema(node.items, file, pointer + "/items") if node.items else {},
            }
            if node.facts.description:
                schema["description"] = node.facts.description
        else:
            schema = self._object(node, file, pointer)
        self._evidence(schema, node, file, pointer)
        return schema

    def _object(self, node: Node, file: str, pointer: str) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "object"}
        if node.facts.description:
            schema["description"] = node.facts.description
        properties: dict[str, Any] = {}
        for child in node.children:
            name = child.name or "unnamedProperty"
            if name in properties:
                self.diagnostics.warning(
                    "property-duplicate",
                    f"property `{name}` printed twice under {pointer}; the second is renamed",
                    Location(file, child.line),
                )
                name = f"{name}Duplicate{child.line}"
            properties[name] = self.schema(child, file, f"{pointer}/properties/{name}")
        if properties:
            schema["properties"] = properties
        if not node.complete:
            schema["x-apibind-incomplete"] = (
                "the scraped page lost this object's full property list"
            )
        return schema

    def _evidence(self, schema: dict[str, Any], node: Node, file: str, pointer: str) -> None:
        if node.name_info is not None:
            schema[EXT_NAME] = node.name_info.as_dict()
            self.recovered.append(
                Recovered(file, node.line, pointer, node.name or "", node.name_info.as_dict())
            )
        if node.type_info is not None and node.kind == "scalar":
            schema[EXT_TYPE] = node.type_info.as_dict()
        if node.structure is not None:
            schema[EXT_STRUCTURE] = node.structure.as_dict()
        if node.overrides:
            schema.update(node.overrides)

    def component(self, node: Node, name: str, file: str, printed: bool) -> dict[str, str]:
        """Register a root schema as a component, sharing identical structures.

        ``printed``: the name was printed on the page (it wins over names made up from operations).
        """
        schema = self.schema(node, file, f"/components/schemas/{name}")
        shape = json.dumps(structure_of(schema), sort_keys=True)
        existing = self.shapes.get(shape)
        if existing is not None:
            if _count_inferences(schema) < _count_inferences(self.schemas[existing]):
                self.schemas[existing] = schema  # keep the best-evidenced copy
            if printed and existing not in self.printed and name not in self.schemas:
                existing = self._rename(existing, name)
            self.schemas_by_file.setdefault(file, set()).add(existing)
            return self._ref(existing)
        unique = name
        while unique in self.schemas:
            unique = f"{name}{len([n for n in self.schemas if n.startswith(name)]) + 1}"
        if unique != name:
            self.diagnostics.info(
                "schema-variant",
                f"`{name}` printed with a different structure elsewhere; this one is `{unique}`",
                Location(file, node.line),
            )
        self.schemas[unique] = schema
        self.shapes[shape] = unique
        if printed:
            self.printed.add(unique)
        self.schemas_by_file.setdefault(file, set()).add(unique)
        return self._ref(unique)

    def _ref(self, name: str) -> dict[str, str]:
        ref = {"$ref": f"#/components/schemas/{name}"}
        self.refs.setdefault(name, []).append(ref)
        return ref

    def _rename(self, old: str, new: str) -> str:
        self.renamed[old] = new
        self.schemas[new] = self.schemas.pop(old)
        self.shapes = {k: (new if v == old else v) for k, v in self.shapes.items()}
        self.printed.add(new)
        for ref in self.refs.pop(old, []):
            ref["$ref"] = f"#/components/schemas/{new}"
            self.refs.setdefault(new, []).append(ref)
        for names in self.schemas_by_file.values():
            if old in names:
                names.discard(old)
                names.add(new)
        return new

    def finish(self) -> None:
        """Once component names are final: fix recorded pointers, report example problems."""
        for item in self.recovered:
            item.pointer = self._final(item.pointer)
        for location, example, pointer, reason in self.problems:
            self.diagnostics.warning(
                "example-contradicts",
                f"example `{example}` left out of {self._final(pointer)}: {reason}",
                location,
            )

    def _final(self, pointer: str) -> str:
        prefix = "/components/schemas/"
        if not pointer.startswith(prefix):
            return pointer
        name, slash, rest = pointer[len(prefix) :].partition("/")
        return f"{prefix}{self.renamed.get(name, name)}{slash}{rest}"

    # -- operations --------------------------------------------------------------------------
    def operation(self, op: Operation) -> dict[str, Any]:
        out: dict[str, Any] = {
            "tags": [op.tag],
            "summary": op.title,
            "operationId": op.operation_id,
        }
        if op.description:
            out["description"] = op.description
        params = self._parameters(op)
        if params:
            out["parameters"] = params
        if op.request:
            out["requestBody"] = self._request(op)
        out["responses"] = self._responses(op)
        if op.detail is None:  # bodies and results unknown: generated code accepts and returns any
            out[UNDOCUMENTED] = True
        out["x-apibind-source"] = [str(s) for s in op.sources]
        return out

    def _parameters(self, op: Operation) -> list[dict[str, Any]]:
        """Path parameters from the path template (documented where the page says more)."""
        printed = {p.name: p for p in op.params}
        out = []
        for name in path_params(op.path):
            doc = printed.pop(name, None)
            documented = self._parameter(op, doc) if doc else {"schema": {"type": "string"}}
            param = {"name": safe_param_name(name), "in": "path", "required": True, **documented}
            if safe_param_name(name) != name:
                param["x-apibind-original-name"] = name
            out.append(param)
        for doc in printed.values():
            if doc.location == "path":
                self.diagnostics.warning(
                    "param-not-in-path",
                    f"path parameter `{doc.name}` is not in the path {op.path}",
                    Location(op.detail.file if op.detail else None, doc.line),
                )
                continue
            out.append(
                {
                    "name": doc.name,
                    "in": doc.location,
                    "required": doc.required,
                    **self._parameter(op, doc),
                }
            )
        return out

    def _parameter(self, op: Operation, doc: Param) -> dict[str, Any]:
        """Description, example and schema of a printed parameter."""
        file = op.detail.file if op.detail else ""
        node = Node(
            "scalar", doc.name, doc.line, facts=replace(doc.facts, description=""), type=doc.type
        )
        schema = self.schema(node, file, f"/paths/{op.operation_id}/parameters/{doc.name}")
        out: dict[str, Any] = {}
        if doc.facts.description:
            out["description"] = doc.facts.description
        lent = op.lent_params.get((doc.location, doc.name))
        if lent is not None:  # the page lost it: the name (or, for a path parameter, the rest)
            out[EXT_TYPE if doc.location == "path" else EXT_NAME] = lent.as_dict()
            if doc.location != "path":
                pointer = f"/paths/{op.operation_id}/parameters/{doc.name}"
                self.recovered.append(Recovered(file, doc.line, pointer, doc.name, lent.as_dict()))
        if "example" in schema:
            out["example"] = schema.pop("example")
        out["schema"] = schema
        return out

    def _request(self, op: Operation) -> dict[str, Any]:
        assert op.detail is not None
        content: dict[str, Any] = {}
        refs: list[dict[str, str]] = []
        for body in op.request:
            printed = body.tree.source_name not in (None, "schema")
            name = (
                _schema_name(body.tree.source_name or "")
                if printed
                else _schema_name(op.operation_id) + "Request"
            )
            ref = self.component(body.tree, name, op.detail.file, printed)
            refs.append(ref)
            for media in body.media_types or DEFAULT_MEDIA:
                content.setdefault(media, {"schema": ref})
        if len({r["$ref"] for r in refs}) > 1:
            self.diagnostics.warning(
                "request-bodies-differ",
                "the page prints request bodies of different structure per media type; each keeps its own schema",
                Location(op.detail.file, op.request[0].line),
            )
        return {"required": True, "content": dict(sorted(content.items()))}

    def _responses(self, op: Operation) -> dict[str, Any]:
        if op.detail is None:
            return {
                "default": {
                    "description": "Not documented: no detail page was scraped for this operation."
                }
            }
        out: dict[str, Any] = {}
        for item in op.responses:
            response: dict[str, Any] = {"description": item.response.description or "Response"}
            if item.tree is not None:
                printed = item.tree.source_name not in (None, "schema")
                name = (
                    _schema_name(item.tree.source_name or "")
                    if printed
                    else (f"{_schema_name(op.operation_id)}Response{item.response.status}")
                )
                ref = self.component(item.tree, name, op.detail.file, printed)
                response["content"] = {
                    media: {"schema": ref} for media in sorted(item.media_types or DEFAULT_MEDIA)
                }
            out[item.response.status] = response
        return out or {"default": {"description": "The detail page documents no response."}}


def safe_param_name(name: str) -> str:
    """A path parameter name usable in a template and as an identifier (`account id` -> `accountId`)."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        return name
    words = re.findall(r"[A-Za-z0-9]+", name) or ["param"]
    head, *tail = words
    out = head[:1].lower() + head[1:] + "".join(w[:1].upper() + w[1:] for w in tail)
    return out if not out[0].isdigit() else f"p{out}"


def safe_path(path: str) -> str:
    """The path with every template name made safe (see safe_param_name)."""
    return re.sub(r"\{([^{}]+)\}", lambda m: "{" + safe_param_name(m.group(1)) + "}", path)


def share_responses(paths: dict[str, Any]) -> dict[str, Any]:
    """Hoist responses used by two or more operations into components.responses."""
    counts: Counter[str] = Counter()
    for item in paths.values():
        for operation in item.values():
            for status, response in operation["responses"].items():
                if "content" in response:
                    counts[json.dumps([status, response], sort_keys=True)] += 1
    shared: dict[str, Any] = {}
    names: dict[str, str] = {}
    for key, count in sorted(counts.items()):
        if count < 2:
            continue
        status, response = json.loads(key)
        base = _HTTP_REASONS.get(status) or _schema_name(response["description"])
        name = base if base not in shared else f"{base}{status}"
        shared[name] = response
        names[key] = name
    for item in paths.values():
        for operation in item.values():
            for status, response in list(operation["responses"].items()):
                key = json.dumps([status, response], sort_keys=True)
                if key in names:
                    operation["responses"][status] = {
                        "$ref": f"#/components/responses/{names[key]}"
                    }
    return shared


def servers(prefixes: list[str]) -> list[dict[str, Any]]:
    """One server with variables: host, port and the context path seen before /rest/apis."""
    contexts = Counter(re.sub(r"^https?://[^/]+", "", p) for p in prefixes)
    default = next(
        (c for c, _ in sorted(contexts.items(), key=lambda kv: (-kv[1], kv[0])) if c), ""
    )
    choices = sorted(set(contexts) | {default, ""})
    return [
        {
            "url": "https://{host}:{port}{contextPath}",
            "description": f"An Oracle Utilities installation; paths start at {API_ROOT}.",
            "variables": {
                "host": {
                    "default": "localhost",
                    "description": "Host name (the documentation prints `server`).",
                },
                "port": {
                    "default": "443",
                    "description": "HTTPS port (the documentation prints `port`).",
                },
                "contextPath": {
                    "default": default,
                    "enum": choices,
                    "description": "Context path before /rest/apis, as printed on the pages.",
                },
            },
        }
    ]


def tags(
    indexes: list[IndexPage], operations: list[Operation]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Tags (one per category, described) and Redoc's x-tagGroups (by top-level category)."""
    used = {op.tag for op in operations}
    described: dict[str, str] = {}
    for page in indexes:
        for group in page.groups:
            described.setdefault(group.category, group.description)
    if UNINDEXED_TAG in used:
        described[UNINDEXED_TAG] = "Operations with a detail page but no entry on any index page."
    tag_list = []
    groups: dict[str, list[str]] = {}
    for name, description in described.items():
        if name not in used:
            continue
        tag = {"name": name, "x-displayName": name.rsplit("/", 1)[-1]}
        if description:
            tag["description"] = description
        tag_list.append(tag)
        groups.setdefault(name.split("/", 1)[0], []).append(name)
    return tag_list, [{"name": group, "tags": names} for group, names in groups.items()]
