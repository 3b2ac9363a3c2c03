"""The frozen intermediate model the templates render: meaning, not code.

Identifiers are already sanitized (``Identifier``); text is kept as text and escaped by the
render filters. Types are a small tree (``TypeRef``) spelled in Python by the ``pytype`` filter.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from generator.naming import Identifier

PrimitiveName = Literal["str", "int", "float", "bool", "bytes", "None", "Any", "date", "datetime"]
Scalar = str | int | bool
ResultKind = Literal["json", "text", "binary", "none", "auto"]  # auto: decoded by content type
ParamLocation = Literal["path", "query", "header", "cookie"]
BodyKind = Literal["json", "form", "multipart", "binary", "text"]
AuthKind = Literal["basic", "bearer", "apikey", "oauth2"]


@dataclass(frozen=True)
class Primitive:
    name: PrimitiveName


@dataclass(frozen=True)
class ListOf:
    item: TypeRef


@dataclass(frozen=True)
class DictOf:
    value: TypeRef


@dataclass(frozen=True)
class ModelRef:
    """A class of the models package; for an enum of scalars, its values too."""

    name: Identifier
    # what the client also accepts for an enum (``Literal``); the name alone identifies the class
    literals: tuple[Scalar, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Nullable:
    inner: TypeRef


@dataclass(frozen=True)
class UnionOf:
    """One of several scalars (``int | str``): parameters whose schema is a ``oneOf`` of them."""

    options: tuple[Primitive, ...]


TypeRef = Primitive | ListOf | DictOf | ModelRef | Nullable | UnionOf
ANY = Primitive("Any")
Requirement = tuple[tuple[str, tuple[str, ...]], ...]  # ((scheme key, scopes), ...): all needed
Constraints = tuple[tuple[str, int | float | str], ...]  # FastAPI / pydantic ``Field`` keywords


# The default serialization style of each parameter location (OpenAPI 3 "style").
_DEFAULT_STYLES = {"path": "simple", "query": "form", "header": "simple", "cookie": "form"}
# the parameter names Starlette's path templates recognize
_ROUTE_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")


def serialization(location: str, style: Any = None, explode: Any = None) -> tuple[str, bool]:
    """A parameter's wire format as ``(style, explode)``, OpenAPI's defaults filled in."""
    chosen = style if isinstance(style, str) and style else _DEFAULT_STYLES.get(location, "form")
    return chosen, explode if isinstance(explode, bool) else chosen == "form"


@dataclass(frozen=True, kw_only=True)
class Parameter:
    name: str  # as sent on the wire
    ident: Identifier
    location: ParamLocation
    required: bool
    type: TypeRef
    description: str
    style: str  # with OpenAPI's defaults filled in (``serialization``)
    explode: bool
    deep_object: bool = False  # an object sent as ``name[key]=value`` (query, style deepObject)
    # documented bounds, lengths and pattern as FastAPI keywords (``("le", 100)``), sorted
    constraints: Constraints = ()
    item_constraints: Constraints = ()  # an array's, on each of its (scalar) items

    @property
    def route_key(self) -> str:
        """The name the server route reads the parameter by: in a path template Starlette only
        recognizes ASCII identifiers (``{petId}``), so another name (``{gebührId}``) is replaced
        by the parameter's identifier there; any other parameter is read by its wire name."""
        routable = self.location != "path" or _ROUTE_NAME.fullmatch(self.name)
        return self.name if routable else self.ident

    @property
    def styled(self) -> bool:
        """Whether the value travels in another way than its location's default serialization."""
        return (self.style, self.explode) != serialization(self.location)

    @property
    def parsed_by_route(self) -> bool:
        """Whether the server route reads the raw text and parses it (FastAPI cannot)."""
        return self.joined or self.style in ("label", "matrix")

    @property
    def is_list(self) -> bool:
        inner = self.type.inner if isinstance(self.type, Nullable) else self.type
        return isinstance(inner, ListOf)

    @property
    def joined(self) -> bool:
        """Whether a list value travels as one delimited string (``a,b``) rather than repeated."""
        if not self.is_list:
            return False
        if self.location == "query":
            delimited = self.style in ("spaceDelimited", "pipeDelimited")
            return delimited or (self.style == "form" and not self.explode)
        return True


@dataclass(frozen=True, kw_only=True)
class Body:
    media_type: str
    kind: BodyKind
    type: TypeRef
    required: bool
    description: str
    # a scalar or array body's own constraints, and an array's on its scalar items (a model
    # body's are the model's own)
    constraints: Constraints = ()
    item_constraints: Constraints = ()


@dataclass(frozen=True, kw_only=True)
class ResponseHeader:
    """A header a response documents (``Content-Type`` aside: OpenAPI ignores it)."""

    name: str  # as sent on the wire
    ident: Identifier  # its field in the server's headers class
    required: bool
    type: TypeRef  # a scalar, an enum or a list of them (as parameters); else ``str``
    description: str
    constraints: Constraints = ()  # as ``Parameter.constraints``


@dataclass(frozen=True, kw_only=True)
class Response:
    status: str  # "200", "4XX" or "default"
    description: str
    type: TypeRef | None
    media_type: str | None
    kind: ResultKind  # how the client reads the body
    headers: tuple[ResponseHeader, ...] = ()
    constraints: Constraints = ()  # as ``Body.constraints``
    item_constraints: Constraints = ()

    @property
    def status_code(self) -> int:
        """The numeric code, or 0 for ranges and ``default``."""
        return int(self.status) if self.status.isdigit() else 0


# An operation whose spec documents no 2xx response returns whatever the server sends.
UNDOCUMENTED_SUCCESS = Response(
    status="2XX", description="Not documented in the spec", type=ANY, media_type=None, kind="auto"
)


@dataclass(frozen=True)
class Pagination:
    """How an operation pages (``x-apibind-pagination``, or inferred), for ``client.paginate``."""

    style: Literal["offset", "page", "cursor", "link"]
    location: Literal["query", "body"]  # where the offset, page number or cursor goes
    param: str  # its wire name ("" for link)
    items: tuple[str, ...]  # the path to the items in a page; () when the page is the list
    next: tuple[str, ...]  # cursor: the path to the next cursor in a page
    total: tuple[str, ...]  # the path to the total number of items, if documented
    item: TypeRef  # the type of one item


@dataclass(frozen=True, kw_only=True)
class Operation:
    ident: Identifier
    operation_id: str | None
    method: str  # lower case
    path: str
    summary: str
    description: str
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    body: Body | None
    success: Response  # the first documented 2xx response, else ``UNDOCUMENTED_SUCCESS``
    responses: tuple[Response, ...]  # every documented response
    # the requirements as the client applies them, in spec order: each the idents of the
    # supported schemes it needs (unsupported ones are left to the user's httpx client); ``()``
    # for an open operation, and an empty alternative when credentials are optional
    security: tuple[tuple[Identifier, ...], ...]
    deprecated: bool
    # the spec's security requirements, any one of which suffices: each the scheme keys it needs
    # with the scopes; () when the operation is open (no ``security``, or ``security: []``)
    requirements: tuple[Requirement, ...] = ()
    pagination: Pagination | None = None
    # the server's class of the headers the 2xx responses document (``ListPetsHeaders``)
    headers_class: Identifier | None = None

    @property
    def successes(self) -> tuple[Response, ...]:
        """The documented 2xx responses (``UNDOCUMENTED_SUCCESS`` when there is none)."""
        found = tuple(r for r in self.responses if r.status.startswith("2"))
        return found or (self.success,)

    @property
    def reply_headers(self) -> tuple[ResponseHeader, ...]:
        """The headers of the 2xx responses, one per name (case-insensitive), in order; required
        when every 2xx response requires it."""
        merged: dict[str, ResponseHeader] = {}
        for response in self.successes:
            for header in response.headers:
                merged.setdefault(header.name.lower(), header)
        return tuple(
            dataclasses.replace(
                h, required=h.required and all(_requires(r, h.name) for r in self.successes)
            )
            for h in merged.values()
        )

    @property
    def replies(self) -> bool:
        """Whether the server's implementation may return a ``Reply`` (documented headers, or a
        choice of 2xx status codes), rather than only the body."""
        return bool(self.headers_class) or len(self.successes) > 1

    @property
    def must_reply(self) -> bool:
        """Whether it must: a documented 2xx header is required."""
        return any(h.required for h in self.reply_headers)

    @property
    def route_path(self) -> str:
        """The path template of the server route: each ``{name}`` spelled by its ``route_key``."""
        keys = {p.name: p.route_key for p in self.parameters if p.location == "path"}
        return re.sub(r"\{([^}]*)\}", lambda m: "{" + keys.get(m[1], m[1]) + "}", self.path)

    @property
    def deep_objects(self) -> tuple[Parameter, ...]:
        """The parameters the server route reads from the raw query string itself."""
        return tuple(p for p in self.parameters if p.deep_object)

    @property
    def reads_request(self) -> bool:
        """Whether the server route needs the ``Request`` (raw bodies, deepObject parameters)."""
        raw_body = self.body is not None and self.body.kind in ("binary", "text")
        return raw_body or bool(self.deep_objects)

    @property
    def errors(self) -> tuple[Response, ...]:
        """The documented responses that are not 2xx."""
        return tuple(r for r in self.responses if not r.status.startswith("2"))

    @property
    def types(self) -> tuple[TypeRef, ...]:
        """Every type the operation mentions."""
        found = [p.type for p in self.parameters] + [
            r.type for r in (self.success, *self.errors) if r.type
        ]
        if self.pagination:
            found.append(self.pagination.item)
        return (*found, self.body.type) if self.body else tuple(found)

    @property
    def mentions_any(self) -> bool:
        """Whether its signature spells ``Any`` (an untyped parameter, body or result)."""
        return any(mentions(t, ANY) for t in self.types)

    @property
    def mentions_models(self) -> bool:
        """Whether its signature refers to a model class."""
        return any(mentions(t, ModelRef) for t in self.types)

    @property
    def signature_mentions_models(self) -> bool:
        """Whether its parameters, body or success type refer to a model class (its errors'
        types aside: the server's ``Api`` method does not spell them)."""
        found = [p.type for p in self.parameters] + [self.success.type or ANY]
        return any(
            mentions(t, ModelRef) for t in (*found, *([self.body.type] if self.body else []))
        )

    @property
    def mentions_dates(self) -> bool:
        """Whether a parameter is a ``date`` or ``datetime`` (its module imports ``datetime``)."""
        wanted = (Primitive("date"), Primitive("datetime"))
        return any(mentions(p.type, w) for p in self.parameters for w in wanted)

    @property
    def mentions_literals(self) -> bool:
        """Whether a client parameter also accepts an enum's values (``Literal[...]``)."""
        return any(_literals(p.type) for p in self.parameters)

    @property
    def idempotent(self) -> bool:
        return self.method in {"get", "head", "options", "put", "delete", "trace"}

    @property
    def idempotency_header(self) -> str | None:
        """The wire name of an ``Idempotency-Key`` header parameter the operation documents."""
        return next(
            (
                p.name
                for p in self.parameters
                if p.location == "header" and p.name.lower() == "idempotency-key"
            ),
            None,
        )


@dataclass(frozen=True, kw_only=True)
class SecurityScheme:
    key: str  # name in components.securitySchemes
    ident: Identifier
    kind: AuthKind
    location: ParamLocation | None  # apiKey only
    param_name: str | None  # apiKey only
    description: str
    token_url: str | None = None  # oauth2: the clientCredentials (else another) flow's tokenUrl
    discovery_url: str | None = None  # openIdConnect: the openIdConnectUrl
    openid: bool = False  # an openIdConnect scheme (its kind is ``oauth2``: bearer tokens)


@dataclass(frozen=True, kw_only=True)
class ServerVariable:
    name: str
    ident: Identifier
    default: str


@dataclass(frozen=True, kw_only=True)
class Tag:
    name: str
    ident: Identifier
    description: str
    operations: tuple[Operation, ...]


@dataclass(frozen=True, kw_only=True)
class ModelSet:
    """What the models package is built from: one OpenAPI document of named component schemas."""

    source: str  # that document as JSON text: immutable, and what the models digest hashes
    names: tuple[Identifier, ...]  # every class name client and server may reference

    def document(self) -> dict[str, Any]:
        """A fresh copy of the document (datamodel-code-generator takes a dict)."""
        parsed: dict[str, Any] = json.loads(self.source)
        return parsed


@dataclass(frozen=True, kw_only=True)
class Api:
    title: str
    version: str
    package_version: str  # ``version`` as a PEP 440 version, ``0.0.0`` if it cannot be one
    description: str
    spec_version: str
    package: Identifier  # NAME
    base_url: str  # the first server's URL, variables filled with their defaults
    server_url: str  # the same URL with ``{variable}`` placeholders
    server_variables: tuple[ServerVariable, ...]
    operations: tuple[Operation, ...]
    tags: tuple[Tag, ...]
    security_schemes: tuple[SecurityScheme, ...]
    models: ModelSet

    @property
    def server_imports(self) -> list[str]:
        """The FastAPI parameter functions the server routes need, sorted."""
        names = {
            p.location.title() for op in self.operations for p in op.parameters if not p.deep_object
        }
        for op in self.operations:
            if op.body and op.body.kind in ("json", "form", "multipart"):
                names.add("Body" if op.body.kind == "json" else "Form")
        return sorted(names)

    @property
    def parses_parameters(self) -> bool:
        """Whether a server route parses a parameter itself (see ``Parameter.parsed_by_route``)."""
        return any(p.parsed_by_route for op in self.operations for p in op.parameters)

    @property
    def secured(self) -> bool:
        """Whether an operation has security requirements (the server checks them)."""
        return any(op.requirements for op in self.operations)

    @property
    def constrains_parsed_parameters(self) -> bool:
        """Whether a parameter the route parses itself has documented constraints to check."""
        return any(
            p.parsed_by_route and p.constraints for op in self.operations for p in op.parameters
        )

    @property
    def constrains_types(self) -> bool:
        """Whether a server route spells constraints in a type (``Field``): array items, bodies
        and responses, and the parameters it parses itself."""
        return (
            self.constrains_parsed_parameters
            or any(
                part.constraints or part.item_constraints
                for op in self.operations
                for part in (op.body, op.success)
                if part is not None
            )
            or any(p.item_constraints for op in self.operations for p in op.parameters)
        )

    @property
    def reads_deep_objects(self) -> bool:
        return any(op.deep_objects for op in self.operations)

    @property
    def uses_any(self) -> bool:
        """Whether the client spells ``Any``: untyped values, or ``dict[str, Any]`` for model bodies."""
        bodies = any(op.body and isinstance(op.body.type, ModelRef) for op in self.operations)
        return bodies or any(mentions(t, ANY) for op in self.operations for t in op.types)

    @property
    def paged(self) -> tuple[Operation, ...]:
        """The operations ``client.paginate`` walks."""
        return tuple(op for op in self.operations if op.pagination)

    @property
    def uses_dates(self) -> bool:
        """Whether a parameter is a ``date`` or ``datetime`` (the modules import ``datetime``)."""
        return any(op.mentions_dates for op in self.operations)

    @property
    def uses_literals(self) -> bool:
        """Whether a client parameter also accepts an enum's values (``Literal[...]``)."""
        return any(op.mentions_literals for op in self.operations)

    @property
    def uses_models(self) -> bool:
        """Whether any operation refers to a model class."""
        return any(op.mentions_models for op in self.operations)

    @property
    def header_types(self) -> tuple[TypeRef, ...]:
        """The types of the headers the server's headers classes hold."""
        return tuple(h.type for op in self.operations for h in op.reply_headers)

    @property
    def headers_use_dates(self) -> bool:
        wanted = (Primitive("date"), Primitive("datetime"))
        return any(mentions(t, w) for t in self.header_types for w in wanted)

    @property
    def headers_use_models(self) -> bool:
        return any(mentions(t, ModelRef) for t in self.header_types)

    @property
    def headers_constrained(self) -> bool:
        return any(h.constraints for op in self.operations for h in op.reply_headers)


def _requires(response: Response, name: str) -> bool:
    """Whether ``response`` documents the header ``name`` as required."""
    return any(h.required for h in response.headers if h.name.lower() == name.lower())


def mentions(ref: TypeRef, wanted: TypeRef | type) -> bool:
    """Whether ``ref`` is or contains ``wanted`` (a ``TypeRef`` or a ``TypeRef`` class)."""
    if ref == wanted or (isinstance(wanted, type) and isinstance(ref, wanted)):
        return True
    match ref:
        case ListOf(item=inner) | DictOf(value=inner) | Nullable(inner=inner):
            return mentions(inner, wanted)
    return False


def _literals(ref: TypeRef) -> bool:
    match ref:
        case ModelRef(literals=literals):
            return bool(literals)
        case ListOf(item=inner) | DictOf(value=inner) | Nullable(inner=inner):
            return _literals(inner)
    return False
