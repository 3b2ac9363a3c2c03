"""Spec -> ``Api``: the one walk over the raw spec; everything after it reads the frozen IR."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from generator import document
from generator.constraints import constraints
from generator.diagnostics import ApibindError, Diagnostics, Location
from generator.extensions import UNDOCUMENTED
from generator.ir import (
    ANY,
    UNDOCUMENTED_SUCCESS,
    Api,
    Body,
    BodyKind,
    DictOf,
    ListOf,
    ModelRef,
    Nullable,
    Operation,
    Parameter,
    ParamLocation,
    Primitive,
    Response,
    ResultKind,
    ServerVariable,
    Tag,
    TypeRef,
    UnionOf,
    serialization,
)
from generator.naming import (
    Identifier,
    Namer,
    package_name,
    pascal,
    renamed,
    snake,
    well_known_projects,
)
from generator.schemas import SchemaRegistry
from generator.security import security_schemes
from generator.spec import Pointer, Spec
from generator.text import description as doc_text

RESERVED_METHODS = ("close", "aclose")
RESERVED_PARAMS = ("self", "body", "impl")
# statuses whose responses carry no body (RFC 9110): FastAPI refuses a route that declares one
_BODILESS = ("204", "205", "304")
_PARAM_LOCATIONS: tuple[ParamLocation, ...] = ("path", "query", "header", "cookie")


def build_api(spec: Spec, *, name: str | None, diagnostics: Diagnostics) -> Api:
    """Read ``spec`` once into the frozen ``Api`` model; broken operations are skipped with a warning."""
    doc = spec.document
    info = doc.get("info") or {}
    registry = SchemaRegistry(spec, diagnostics)
    schemes = security_schemes(spec, diagnostics)
    builder = _OperationBuilder(spec, registry, {s.key: s.ident for s in schemes}, diagnostics)
    operations = []
    for path, method, where in _operation_places(spec):
        try:
            operations.append(builder.build(path, method, where))
        except ApibindError as exc:
            for problem in exc.diagnostics:
                diagnostics.warning("operation-skipped", problem.message, problem.location)
    url, template, variables = _server(doc)
    package = snake(name) if name else package_name(str(info.get("title", "api")))
    if not name and (taken := well_known_projects(package)):
        message = f"the package name {package!r} from info.title meets well-known PyPI projects"
        hint = (
            f"{', '.join(taken)} exist; choose another name with --name (or `name` in the config)"
        )
        diagnostics.warning("package-name-taken", message, Location(pointer="/info/title"), hint)
    return Api(
        title=str(info.get("title", "")),
        version=str(info.get("version", "")),
        package_version=_package_version(str(info.get("version", ""))),
        description=str(info.get("description", "") or ""),
        spec_version=spec.version,
        package=package,
        base_url=url,
        server_url=template,
        server_variables=variables,
        operations=tuple(operations),
        tags=_tags(doc, operations),
        security_schemes=schemes,
        models=registry.model_set(),
    )


def _package_version(version: str) -> str:
    dotted = re.sub(r"[-_ ]", ".", version.strip().lstrip("vV"))
    return dotted if re.fullmatch(r"\d+(\.\d+)*", dotted) else "0.0.0"


def _operation_places(spec: Spec) -> list[tuple[str, str, Pointer]]:
    places = []
    paths = spec.document.get("paths") or {}
    for path, item in paths.items():
        resolved, where = spec.resolve(item, spec.root.child("paths", path))
        places += [(path, method, where) for method, _ in document.operations(resolved)]
    return places


def _server(doc: Mapping[str, Any]) -> tuple[str, str, tuple[ServerVariable, ...]]:
    servers = doc.get("servers") or [{"url": "/"}]
    server: Mapping[str, Any] = servers[0] if isinstance(servers[0], Mapping) else {"url": "/"}
    template = str(server.get("url", "/")).rstrip("/")
    namer = Namer(("self",))
    variables = tuple(
        ServerVariable(
            str(key), namer.unique(snake(str(key))), str((value or {}).get("default", ""))
        )
        for key, value in (server.get("variables") or {}).items()
    )
    url = template
    for variable in variables:
        url = url.replace("{" + variable.name + "}", variable.default)
    return url, template, variables


def _tags(doc: Mapping[str, Any], operations: list[Operation]) -> tuple[Tag, ...]:
    described = {
        str(t.get("name")): str(t.get("description", "") or "") for t in doc.get("tags") or []
    }
    order = list(described)
    for op in operations:
        order.extend(t for t in op.tags if t not in order)
    namer = Namer()
    tags = []
    for tag in dict.fromkeys(order):
        ops = tuple(op for op in operations if op.tags[0] == tag)
        if ops:
            tags.append(
                Tag(tag, namer.unique(snake(tag, fallback="default")), described.get(tag, ""), ops)
            )
    return tuple(tags)


class _OperationBuilder:
    def __init__(
        self,
        spec: Spec,
        registry: SchemaRegistry,
        schemes: dict[str, Identifier],
        diagnostics: Diagnostics,
    ) -> None:
        self.spec = spec
        self.diagnostics = diagnostics
        self.registry = registry
        self.schemes = schemes
        self.namer = Namer(RESERVED_METHODS)
        self.global_security = spec.document.get("security")

    def build(self, path: str, method: str, item_at: Pointer) -> Operation:
        item = self.spec.get(item_at)
        where = item_at.child(method)
        raw = item[method]
        operation_id = raw.get("operationId")
        fallback = f"{method} {re.sub(r'[{}]', '', path)}"
        wanted = snake(str(operation_id or fallback), fallback=method)
        ident = self.namer.unique(wanted)
        if note := renamed(str(operation_id or fallback), wanted, ident):
            at = where.child("operationId") if operation_id else where
            self.diagnostics.warning("name-changed", f"method name: {note}", at.location)
        hint = pascal(ident)
        params = self._parameters(
            item.get("parameters") or [], raw.get("parameters") or [], item_at, where, hint
        )
        responses = self._responses(raw.get("responses") or {}, where.child("responses"), hint)
        successes = [r for r in responses if r.status.startswith("2")]
        return Operation(
            ident=ident,
            operation_id=str(operation_id) if operation_id else None,
            method=method,
            path=path,
            summary=doc_text(str(raw.get("summary", "") or ""), where.child("summary")),
            description=doc_text(str(raw.get("description", "") or ""), where.child("description")),
            tags=tuple(str(t) for t in raw.get("tags") or ["default"]),
            parameters=params,
            body=self._body(raw.get("requestBody"), where.child("requestBody"), hint)
            or _undocumented_body(raw, method),
            success=_success(successes),
            responses=responses,
            security=self._security(raw.get("security", self.global_security)),
            deprecated=bool(raw.get("deprecated", False)),
        )

    def _parameters(
        self, shared: list[Any], own: list[Any], item_at: Pointer, where: Pointer, hint: str
    ) -> tuple[Parameter, ...]:
        found: dict[tuple[str, ParamLocation], tuple[Mapping[str, Any], Pointer]] = {}
        places = [(p, item_at.child("parameters", i)) for i, p in enumerate(shared)]
        places += [(p, where.child("parameters", i)) for i, p in enumerate(own)]
        for raw, at in places:
            param, param_at = self.spec.resolve(raw, at)
            if not isinstance(param, Mapping) or param.get("in") not in _PARAM_LOCATIONS:
                raise ApibindError.single(
                    "bad-parameter", "parameter without a valid 'in'", at.location
                )
            location = next(loc for loc in _PARAM_LOCATIONS if loc == param["in"])
            found[(str(param.get("name")), location)] = (param, param_at)
        namer = Namer(RESERVED_PARAMS)
        params = []
        for (name, location), (param, at) in found.items():
            schema, schema_at = param.get("schema"), at.child("schema")
            if schema is None and isinstance(param.get("content"), Mapping) and param["content"]:
                media = next(iter(param["content"]))
                schema, schema_at = (
                    param["content"][media].get("schema"),
                    at.child("content", media, "schema"),
                )
            wanted = snake(name, fallback="param")
            ident = namer.unique(wanted)
            if note := renamed(name, wanted, ident):
                message = f"{location} parameter name: {note}"
                self.diagnostics.warning("name-changed", message, at.child("name").location)
            style, explode = serialization(location, param.get("style"), param.get("explode"))
            type_ = self.registry.type_of(
                schema, schema_at, f"{hint}{pascal(name)}", inline_refs=True
            )
            deep_object = style == "deepObject" and _object(type_, self.registry.enums)
            if not deep_object:
                type_ = self._plain_parameter_type(type_, location, at)
            required = location == "path" or bool(param.get("required", False))
            description = doc_text(str(param.get("description", "") or ""), at.child("description"))
            params.append(
                Parameter(
                    name=name,
                    ident=ident,
                    location=location,
                    required=required,
                    type=type_,
                    description=description,
                    style=style,
                    explode=explode,
                    deep_object=deep_object,
                    constraints=()
                    if schema is None
                    else constraints(self.spec.resolve(schema, schema_at)[0]),
                )
            )
        params.sort(key=lambda p: not p.required)
        return tuple(params)

    def _plain_parameter_type(self, type_: TypeRef, location: str, at: Pointer) -> TypeRef:
        """Scalars, enums and lists of them; anything else travels as text (what FastAPI accepts)."""
        if type_ == ANY:
            return Primitive("str")  # no schema: the text as sent
        if not _simple(type_, self.registry.enums, allow_list=True):
            message = f"{location} parameter has a structured schema; typed as str"
            self.diagnostics.warning("parameter-simplified", message, at.location)
            return Primitive("str")
        return type_

    def _body(self, raw: Any, where: Pointer, hint: str) -> Body | None:
        if raw is None:
            return None
        body, at = self.spec.resolve(raw, where)
        content = body.get("content") or {}
        picked = _pick_media(content)
        if picked is None:
            return None
        media, kind = picked
        schema_at = at.child("content", media, "schema")
        type_ = self._media_type(content[media], kind, schema_at, f"{hint}Request")
        return Body(
            media,
            kind,
            type_,
            bool(body.get("required", False)),
            doc_text(str(body.get("description", "") or ""), at.child("description")),
        )

    def _media_type(self, media: Any, kind: BodyKind, where: Pointer, hint: str) -> TypeRef:
        if kind == "binary":
            return Primitive("bytes")
        if kind == "text":
            return Primitive("str")
        schema = media.get("schema") if isinstance(media, Mapping) else None
        return self.registry.type_of(schema, where, hint)

    def _responses(self, raw: Mapping[str, Any], where: Pointer, hint: str) -> tuple[Response, ...]:
        responses = []
        for status in sorted(raw, key=str):
            response, at = self.spec.resolve(raw[status], where.child(str(status)))
            content = response.get("content") or {} if isinstance(response, Mapping) else {}
            if content and str(status) in _BODILESS:
                message = (
                    f"a {status} response has no body in HTTP; its documented content is ignored"
                )
                self.diagnostics.warning("response-content-ignored", message, at.location)
                content = {}
            picked = _pick_media(content)
            type_ = media = None
            kind: ResultKind = "none"
            if picked is not None:
                media, body_kind = picked
                body_kind = "text" if body_kind in ("form", "multipart") else body_kind
                suffix = "" if str(status).startswith("2") else str(status).title()
                schema_at = at.child("content", media, "schema")
                type_ = self._media_type(
                    content[media], body_kind, schema_at, f"{hint}Response{suffix}"
                )
                kind = (
                    "json" if body_kind == "json" else "binary" if body_kind == "binary" else "text"
                )
            description = str(response.get("description", "") or "")
            code = str(status).upper() if str(status).upper() != "DEFAULT" else "default"
            responses.append(Response(code, description, type_, media, kind))
        return tuple(responses)

    def _security(self, requirements: Any) -> tuple[Identifier, ...]:
        keys = {key for req in requirements or [] if isinstance(req, Mapping) for key in req}
        return tuple(sorted(self.schemes[key] for key in keys if key in self.schemes))


def _pick_media(content: Mapping[str, Any]) -> tuple[str, BodyKind] | None:
    """The media type to use and how to send it: JSON first, then forms, then raw."""
    if not isinstance(content, Mapping) or not content:
        return None
    by_kind: dict[BodyKind, str] = {}
    for media in content:
        base = str(media).split(";")[0].strip().lower()
        if base == "application/json" or base.endswith("+json") or base == "*/*":
            by_kind.setdefault("json", media)
        elif base == "application/x-www-form-urlencoded":
            by_kind.setdefault("form", media)
        elif base == "multipart/form-data":
            by_kind.setdefault("multipart", media)
        elif base.startswith("text/"):
            by_kind.setdefault("text", media)
        else:
            by_kind.setdefault("binary", media)
    kinds: tuple[BodyKind, ...] = ("json", "form", "multipart", "text", "binary")
    for kind in kinds:
        if kind in by_kind:
            return by_kind[kind], kind
    return None


def _undocumented_body(raw: Mapping[str, Any], method: str) -> Body | None:
    """Any JSON, for a POST/PUT/PATCH the parser marked ``x-apibind-undocumented`` (no detail page)."""
    if raw.get(UNDOCUMENTED) is not True or method not in ("post", "put", "patch"):
        return None
    return Body("application/json", "json", ANY, False, "Not documented on the scraped pages")


def _success(successes: list[Response]) -> Response:
    """The first 2xx response; its type is nullable when another 2xx answers without content."""
    if not successes:
        return UNDOCUMENTED_SUCCESS
    first = successes[0]
    if first.type is not None and any(r.type is None for r in successes[1:]):
        return dataclasses.replace(first, type=Nullable(first.type))
    return first


def _object(ref: TypeRef, enums: set[Identifier]) -> bool:
    """Whether a parameter of this type is an object (a model that is no enum, or a map)."""
    inner = ref.inner if isinstance(ref, Nullable) else ref
    return isinstance(inner, DictOf) or (isinstance(inner, ModelRef) and inner.name not in enums)


def _simple(ref: TypeRef, enums: set[Identifier], *, allow_list: bool) -> bool:
    """Whether a parameter of this type can travel as plain text (what FastAPI accepts)."""
    match ref:
        case Primitive(name=name):
            return name not in ("Any", "bytes", "None")
        case Nullable(inner=inner):
            return _simple(inner, enums, allow_list=allow_list)
        case UnionOf():
            return True
        case ListOf(item=item):
            return allow_list and _simple(item, enums, allow_list=False)
        case ModelRef(name=name):
            return name in enums
    return False
