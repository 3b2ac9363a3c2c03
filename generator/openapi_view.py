"""A typed view of the parts of an OpenAPI document apibind reads, built once from a loaded spec.

``$ref``s to path items, parameters, request bodies, responses, headers and security schemes are
followed here and OpenAPI's defaults filled in, so the IR builder reads typed fields instead of
coercing raw mappings. Schemas stay JSON (``SchemaAt``): the schema registry names and converts
them. An operation that cannot be read (a broken ``$ref`` in a file next to the spec, a parameter
without a valid ``in``) becomes a ``SkippedOperation`` holding the problems.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator import document
from generator.diagnostics import ApibindError, Diagnostic
from generator.extensions import UNDOCUMENTED
from generator.ir import ParamLocation
from generator.spec import Pointer, Spec

PARAM_LOCATIONS: tuple[ParamLocation, ...] = ("path", "query", "header", "cookie")


@dataclass(frozen=True)
class SchemaAt:
    """A schema as written (``None`` when there is none; maybe a ``$ref``) and its place."""

    node: Any
    at: Pointer


@dataclass(frozen=True)
class MediaType:
    name: str  # as written in ``content``: ``application/json; charset=utf-8``
    schema: SchemaAt


@dataclass(frozen=True)
class Parameter:
    name: str
    location: ParamLocation
    required: bool
    description: str
    style: str | None  # as written; ``ir.serialization`` fills in the defaults
    explode: bool | None
    schema: SchemaAt  # ``schema``, else the schema of its first ``content`` entry
    at: Pointer


@dataclass(frozen=True)
class Header:
    name: str
    required: bool
    description: str
    schema: SchemaAt
    at: Pointer


@dataclass(frozen=True)
class RequestBody:
    required: bool
    description: str
    content: tuple[MediaType, ...]
    at: Pointer


@dataclass(frozen=True)
class Response:
    status: str  # as written: "200", "4XX", "default"
    description: str
    content: tuple[MediaType, ...]
    headers: tuple[Header, ...]
    at: Pointer


@dataclass(frozen=True)
class Requirement:
    """One security requirement: every scheme it names, with the scopes asked for."""

    schemes: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Operation:
    method: str  # lower case
    path: str
    at: Pointer
    operation_id: str | None
    summary: str
    description: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]  # the path item's, overridden by the operation's own
    request_body: RequestBody | None
    responses: tuple[Response, ...]  # in document order
    security: tuple[Requirement, ...] | None  # None: not given, the document's applies
    deprecated: bool
    undocumented: bool  # marked ``x-apibind-undocumented`` by the parser (no detail page)


@dataclass(frozen=True)
class SkippedOperation:
    method: str
    path: str
    problems: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class OAuthFlow:
    kind: str  # clientCredentials, authorizationCode, implicit, password
    token_url: str
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class SecurityScheme:
    key: str  # its name in ``components.securitySchemes``
    type: str  # "" when not given (or the scheme is no mapping), as every field here
    scheme: str  # the HTTP scheme (``bearer``), as written
    location: str  # ``in`` of an apiKey scheme
    param_name: str  # ``name`` of an apiKey scheme
    description: str
    flows: tuple[OAuthFlow, ...]
    at: Pointer
    open_id_url: str = ""  # ``openIdConnectUrl`` of an openIdConnect scheme


@dataclass(frozen=True)
class ServerVariable:
    name: str
    default: str


@dataclass(frozen=True)
class Server:
    url: str
    variables: tuple[ServerVariable, ...]


@dataclass(frozen=True)
class Tag:
    name: str
    description: str


@dataclass(frozen=True)
class Info:
    title: str
    version: str
    description: str


@dataclass(frozen=True)
class OpenApi:
    info: Info
    servers: tuple[Server, ...]
    tags: tuple[Tag, ...]
    operations: tuple[Operation | SkippedOperation, ...]  # in path, then method order
    security: tuple[Requirement, ...] | None
    security_schemes: tuple[SecurityScheme, ...]


def read_view(spec: Spec) -> OpenApi:
    """The typed view of ``spec``; a path item whose ``$ref`` is broken stops with its error."""
    doc = spec.document
    info = _mapping(doc.get("info"))
    return OpenApi(
        info=Info(str(info.get("title", "")), str(info.get("version", "")), _text(info)),
        servers=tuple(_server(_mapping(server)) for server in _list(doc.get("servers"))),
        tags=tuple(Tag(str(t.get("name")), _text(t)) for t in _mappings(doc.get("tags"))),
        operations=_operations(spec),
        security=_requirements(doc["security"]) if "security" in doc else None,
        security_schemes=_security_schemes(spec),
    )


def _operations(spec: Spec) -> tuple[Operation | SkippedOperation, ...]:
    found: list[Operation | SkippedOperation] = []
    for path, raw_item in _mapping(spec.document.get("paths")).items():
        item, item_at = spec.resolve(raw_item, spec.root.child("paths", path))
        for method, node in document.operations(item):
            try:
                found.append(_operation(spec, str(path), method, item, item_at, node))
            except ApibindError as exc:
                found.append(SkippedOperation(method, str(path), tuple(exc.diagnostics)))
    return tuple(found)


def _operation(
    spec: Spec,
    path: str,
    method: str,
    item: Mapping[str, Any],
    item_at: Pointer,
    node: Mapping[str, Any],
) -> Operation:
    at = item_at.child(method)
    operation_id = node.get("operationId")
    places = [
        (p, item_at.child("parameters", i)) for i, p in enumerate(_list(item.get("parameters")))
    ]
    places += [(p, at.child("parameters", i)) for i, p in enumerate(_list(node.get("parameters")))]
    responses = _mapping(node.get("responses"))
    return Operation(
        method=method,
        path=path,
        at=at,
        operation_id=str(operation_id) if operation_id else None,
        summary=_text(node, "summary"),
        description=_text(node),
        tags=tuple(str(t) for t in _list(node.get("tags"))),
        parameters=_parameters(spec, places),
        request_body=_request_body(spec, node["requestBody"], at.child("requestBody"))
        if node.get("requestBody") is not None
        else None,
        responses=tuple(
            _response(spec, str(status), raw, at.child("responses", str(status)))
            for status, raw in responses.items()
        ),
        security=_requirements(node["security"]) if "security" in node else None,
        deprecated=bool(node.get("deprecated", False)),
        undocumented=node.get(UNDOCUMENTED) is True,
    )


def _parameters(spec: Spec, places: list[tuple[Any, Pointer]]) -> tuple[Parameter, ...]:
    """Parameters by (name, in): an operation's own replaces the path item's of the same key."""
    found: dict[tuple[str, ParamLocation], Parameter] = {}
    for raw, written_at in places:
        node, at = spec.resolve(raw, written_at)
        location = next((loc for loc in PARAM_LOCATIONS if _get(node, "in") == loc), None)
        if location is None:
            raise ApibindError.single(
                "bad-parameter", "parameter without a valid 'in'", written_at.location
            )
        style, explode = node.get("style"), node.get("explode")
        found[(str(node.get("name")), location)] = Parameter(
            name=str(node.get("name")),
            location=location,
            required=bool(node.get("required", False)),
            description=_text(node),
            style=style if isinstance(style, str) else None,
            explode=explode if isinstance(explode, bool) else None,
            schema=_schema_of(node, at),
            at=at,
        )
    return tuple(found.values())


def _schema_of(node: Mapping[str, Any], at: Pointer) -> SchemaAt:
    """A parameter's or header's schema: ``schema``, else its first ``content`` entry's."""
    content = node.get("content")
    if node.get("schema") is None and isinstance(content, Mapping) and content:
        media = next(iter(content))
        return SchemaAt(_get(content[media], "schema"), at.child("content", media, "schema"))
    return SchemaAt(node.get("schema"), at.child("schema"))


def _request_body(spec: Spec, raw: Any, written_at: Pointer) -> RequestBody:
    node, at = spec.resolve(raw, written_at)
    body = _mapping(node)
    return RequestBody(bool(body.get("required", False)), _text(body), _content(body, at), at)


def _response(spec: Spec, status: str, raw: Any, written_at: Pointer) -> Response:
    node, at = spec.resolve(raw, written_at)
    response = _mapping(node)
    headers = []
    for name, raw_header in _mapping(response.get("headers")).items():
        header, header_at = spec.resolve(raw_header, at.child("headers", name))
        header = _mapping(header)
        required = bool(header.get("required", False))
        schema = _schema_of(header, header_at)
        headers.append(Header(str(name), required, _text(header), schema, header_at))
    return Response(status, _text(response), _content(response, at), tuple(headers), at)


def _content(node: Mapping[str, Any], at: Pointer) -> tuple[MediaType, ...]:
    return tuple(
        MediaType(str(name), SchemaAt(_get(media, "schema"), at.child("content", name, "schema")))
        for name, media in _mapping(node.get("content")).items()
    )


def _requirements(raw: Any) -> tuple[Requirement, ...]:
    return tuple(
        Requirement(tuple((str(k), tuple(map(str, _list(v)))) for k, v in req.items()))
        for req in _mappings(raw)
    )


def _security_schemes(spec: Spec) -> tuple[SecurityScheme, ...]:
    where = spec.root.child("components", "securitySchemes")
    raw = _mapping(_mapping(spec.document.get("components")).get("securitySchemes"))
    schemes = []
    for key, value in raw.items():
        node, at = spec.resolve(value, where.child(key))
        scheme = _mapping(node)
        flows = tuple(
            OAuthFlow(str(name), str(flow.get("tokenUrl", "")), tuple(_mapping(flow.get("scopes"))))
            for name, flow in _mapping(scheme.get("flows")).items()
            if isinstance(flow, Mapping)
        )
        schemes.append(
            SecurityScheme(
                key=str(key),
                type=str(scheme.get("type", "")),
                scheme=str(scheme.get("scheme", "")),
                location=str(scheme.get("in", "")),
                param_name=str(scheme.get("name", "")),
                description=_text(scheme),
                flows=flows,
                at=at,
                open_id_url=str(scheme.get("openIdConnectUrl", "") or ""),
            )
        )
    return tuple(schemes)


def _server(server: Mapping[str, Any]) -> Server:
    variables = tuple(
        ServerVariable(str(name), str(_mapping(value).get("default", "")))
        for name, value in _mapping(server.get("variables")).items()
    )
    return Server(str(server.get("url", "/")), variables)


def _text(node: Mapping[str, Any], key: str = "description") -> str:
    """A text field; absent or empty is ``""``."""
    return str(node.get(key, "") or "")


def _get(node: Any, key: str) -> Any:
    return node.get(key) if isinstance(node, Mapping) else None


def _mapping(node: Any) -> Mapping[str, Any]:
    return node if isinstance(node, Mapping) else {}


def _list(node: Any) -> list[Any]:
    return node if isinstance(node, list) else []


def _mappings(node: Any) -> list[Mapping[str, Any]]:
    return [item for item in _list(node) if isinstance(item, Mapping)]
