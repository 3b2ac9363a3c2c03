"""Spec -> ``Api``: the typed view of the spec (``openapi_view``) read once into the frozen IR."""

from __future__ import annotations

import dataclasses
import re

from generator import openapi_view as oa
from generator.constraints import constraints
from generator.diagnostics import Diagnostics, Location
from generator.ir import (
    ANY,
    UNDOCUMENTED_SUCCESS,
    Api,
    Body,
    BodyKind,
    Constraints,
    DictOf,
    ListOf,
    ModelRef,
    Nullable,
    Operation,
    Parameter,
    Primitive,
    Response,
    ResponseHeader,
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
from generator.pagination import pagination
from generator.schemas import SchemaRegistry
from generator.security import security_schemes
from generator.spec import Pointer, Spec
from generator.text import description as doc_text

RESERVED_METHODS = ("close", "aclose", "with_options", "with_auth", "paginate")
RESERVED_PARAMS = ("self", "body", "impl")
# statuses whose responses carry no body (RFC 9110): FastAPI refuses a route that declares one
_BODILESS = ("204", "205", "304")


def build_api(spec: Spec, *, name: str | None, diagnostics: Diagnostics) -> Api:
    """Read ``spec`` once into the frozen ``Api`` model; broken operations are skipped with a warning."""
    view = oa.read_view(spec)
    registry = SchemaRegistry(spec, diagnostics)
    schemes = security_schemes(view.security_schemes, diagnostics)
    builder = _OperationBuilder(spec, registry, {s.key: s.ident for s in schemes}, diagnostics)
    operations = []
    for found in view.operations:
        if isinstance(found, oa.SkippedOperation):
            for problem in found.problems:
                diagnostics.warning("operation-skipped", problem.message, problem.location)
        else:
            operations.append(builder.build(found, view.security))
    url, template, variables = _server(view.servers)
    package = snake(name) if name else package_name(view.info.title or "api")
    if not name and (taken := well_known_projects(package)):
        message = f"the package name {package!r} from info.title meets well-known PyPI projects"
        hint = (
            f"{', '.join(taken)} exist; choose another name with --name (or `name` in the config)"
        )
        diagnostics.warning("package-name-taken", message, Location(pointer="/info/title"), hint)
    return Api(
        title=view.info.title,
        version=view.info.version,
        package_version=_package_version(view.info.version),
        description=view.info.description,
        spec_version=spec.version,
        package=package,
        base_url=url,
        server_url=template,
        server_variables=variables,
        operations=tuple(operations),
        tags=_tags(view.tags, operations),
        security_schemes=schemes,
        models=registry.model_set(),
    )


def _package_version(version: str) -> str:
    dotted = re.sub(r"[-_ ]", ".", version.strip().lstrip("vV"))
    return dotted if re.fullmatch(r"\d+(\.\d+)*", dotted) else "0.0.0"


def _server(servers: tuple[oa.Server, ...]) -> tuple[str, str, tuple[ServerVariable, ...]]:
    """The first server's URL (variables filled with their defaults), template and variables."""
    server = servers[0] if servers else oa.Server(url="/", variables=())
    template = server.url.rstrip("/")
    namer = Namer(("self",))
    variables = tuple(
        ServerVariable(name=v.name, ident=namer.unique(snake(v.name)), default=v.default)
        for v in server.variables
    )
    url = template
    for variable in variables:
        url = url.replace("{" + variable.name + "}", variable.default)
    return url, template, variables


def _tags(described: tuple[oa.Tag, ...], operations: list[Operation]) -> tuple[Tag, ...]:
    descriptions = {tag.name: tag.description for tag in described}
    order = list(descriptions)
    for op in operations:
        order.extend(t for t in op.tags if t not in order)
    namer = Namer()
    tags = []
    for tag in dict.fromkeys(order):
        ops = tuple(op for op in operations if op.tags[0] == tag)
        if ops:
            ident = namer.unique(snake(tag, fallback="default"))
            tags.append(
                Tag(name=tag, ident=ident, description=descriptions.get(tag, ""), operations=ops)
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
        # the server's ``Api`` has an ``authenticate`` method when the spec declares schemes
        self.namer = Namer(RESERVED_METHODS + (("authenticate",) if schemes else ()))
        self.classes = Namer(separator="")  # the server's headers classes (each ends in "Headers")

    def build(
        self, op: oa.Operation, default_security: tuple[oa.Requirement, ...] | None
    ) -> Operation:
        where = op.at
        fallback = f"{op.method} {re.sub(r'[{}]', '', op.path)}"
        wanted = snake(op.operation_id or fallback, fallback=op.method)
        ident = self.namer.unique(wanted)
        if note := renamed(op.operation_id or fallback, wanted, ident):
            at = where.child("operationId") if op.operation_id else where
            self.diagnostics.warning("name-changed", f"method name: {note}", at.location)
        hint = pascal(ident)
        params = self._parameters(op.parameters, hint)
        responses = self._responses(op.responses, hint)
        successes = [r for r in responses if r.status.startswith("2")]
        security = op.security if op.security is not None else default_security
        success = _success(successes)
        paging = pagination(self.spec, op, params, success.type, self.registry, self.diagnostics)
        return Operation(
            ident=ident,
            operation_id=op.operation_id,
            method=op.method,
            path=op.path,
            summary=doc_text(op.summary, where.child("summary")),
            description=doc_text(op.description, where.child("description")),
            tags=op.tags or ("default",),
            parameters=params,
            body=self._body(op.request_body, hint) or _undocumented_body(op),
            success=success,
            responses=responses,
            security=self._security(security or ()),
            deprecated=op.deprecated,
            requirements=tuple(requirement.schemes for requirement in security or ()),
            pagination=paging,
            headers_class=self._headers_class(hint, successes),
        )

    def _headers_class(self, hint: str, successes: list[Response]) -> Identifier | None:
        if not any(r.headers for r in successes):
            return None
        return self.classes.unique(Identifier(f"{hint}Headers"))

    def _parameters(self, found: tuple[oa.Parameter, ...], hint: str) -> tuple[Parameter, ...]:
        namer = Namer(RESERVED_PARAMS)
        params = []
        for param in found:
            wanted = snake(param.name, fallback="param")
            ident = namer.unique(wanted)
            if note := renamed(param.name, wanted, ident):
                message = f"{param.location} parameter name: {note}"
                self.diagnostics.warning("name-changed", message, param.at.child("name").location)
            params.append(self._parameter(param, ident, hint))
        params.sort(key=lambda p: not p.required)
        return tuple(params)

    def _parameter(self, param: oa.Parameter, ident: Identifier, hint: str) -> Parameter:
        style, explode = serialization(param.location, param.style, param.explode)
        schema = param.schema
        own = _shared_hint(param.at, f"{hint}{pascal(param.name)}")
        type_ = self.registry.type_of(schema.node, schema.at, own, inline_refs=True)
        deep_object = style == "deepObject" and _object(type_, self.registry.enums)
        if not deep_object:
            type_ = self._plain_type(type_, f"{param.location} parameter", param.at)
        documented, items = self._constraints(schema, type_)
        return Parameter(
            name=param.name,
            ident=ident,
            location=param.location,
            required=param.location == "path" or param.required,
            type=type_,
            description=doc_text(param.description, param.at.child("description")),
            style=style,
            explode=explode,
            deep_object=deep_object,
            constraints=documented,
            item_constraints=items,
        )

    def _constraints(self, schema: oa.SchemaAt, type_: TypeRef) -> tuple[Constraints, Constraints]:
        """The constraints ``schema`` documents for a value of ``type_`` and, for an array of
        scalars, for each item (those of model classes are the models' own)."""
        if schema.node is None or _model(type_):
            return (), ()
        resolved, at = self.spec.resolve(schema.node, schema.at)
        inner = type_.inner if isinstance(type_, Nullable) else type_
        items = resolved.get("items") if isinstance(resolved, dict) else None
        if not isinstance(inner, ListOf) or _model(inner.item) or not isinstance(items, dict):
            return constraints(resolved), ()
        return constraints(resolved), constraints(self.spec.resolve(items, at.child("items"))[0])

    def _plain_type(self, type_: TypeRef, what: str, at: Pointer) -> TypeRef:
        """Scalars, enums and lists of them; anything else travels as text (what FastAPI accepts)."""
        if type_ == ANY:
            return Primitive("str")  # no schema: the text as sent
        if not _simple(type_, self.registry.enums, allow_list=True):
            message = f"{what} has a structured schema; typed as str"
            self.diagnostics.warning("parameter-simplified", message, at.location)
            return Primitive("str")
        return type_

    def _body(self, body: oa.RequestBody | None, hint: str) -> Body | None:
        picked = _pick_media(body.content) if body else None
        if body is None or picked is None:
            return None
        media, kind = picked
        type_ = self._media_type(media, kind, _shared_hint(body.at, f"{hint}Request"))
        own, items = self._constraints(media.schema, type_) if kind == "json" else ((), ())
        return Body(
            media_type=media.name,
            kind=kind,
            type=type_,
            required=body.required,
            description=doc_text(body.description, body.at.child("description")),
            constraints=own,
            item_constraints=items,
        )

    def _media_type(
        self, media: oa.MediaType, kind: BodyKind, hint: str, *, containers: bool = False
    ) -> TypeRef:
        if kind == "binary":
            return Primitive("bytes")
        if kind == "text":
            return Primitive("str")
        return self.registry.type_of(
            media.schema.node, media.schema.at, hint, containers=containers
        )

    def _responses(self, found: tuple[oa.Response, ...], hint: str) -> tuple[Response, ...]:
        responses = []
        header_fields = _HeaderFields()  # one headers class merges every 2xx response's
        for response in sorted(found, key=lambda r: r.status):
            content = response.content
            if content and response.status in _BODILESS:
                message = (
                    f"a {response.status} response has no body in HTTP;"
                    " its documented content is ignored"
                )
                self.diagnostics.warning("response-content-ignored", message, response.at.location)
                content = ()
            responses.append(self._response(response, content, hint, header_fields))
        return tuple(responses)

    def _response(
        self,
        response: oa.Response,
        content: tuple[oa.MediaType, ...],
        hint: str,
        header_fields: _HeaderFields,
    ) -> Response:
        status = response.status
        picked = _pick_media(content)
        type_ = media_type = None
        kind: ResultKind = "none"
        bounds: Constraints = ()
        item_bounds: Constraints = ()
        if picked is not None:
            media, body_kind = picked
            body_kind = "text" if body_kind in ("form", "multipart") else body_kind
            suffix = "" if status.startswith("2") else status.title()
            own = _shared_hint(response.at, f"{hint}Response{suffix}")
            type_ = self._media_type(media, body_kind, own, containers=True)
            media_type = media.name
            kind = "json" if body_kind == "json" else "binary" if body_kind == "binary" else "text"
            if kind == "json":
                bounds, item_bounds = self._constraints(media.schema, type_)
        code = status.upper() if status.upper() != "DEFAULT" else "default"
        return Response(
            status=code,
            description=response.description,
            type=type_,
            media_type=media_type,
            kind=kind,
            headers=self._headers(response.headers, hint, header_fields)
            if code.startswith("2")
            else (),
            constraints=bounds,
            item_constraints=item_bounds,
        )

    def _headers(
        self, found: tuple[oa.Header, ...], hint: str, fields: _HeaderFields
    ) -> tuple[ResponseHeader, ...]:
        """The documented headers of a 2xx response, ``Content-Type`` aside (OpenAPI ignores it)."""
        headers = []
        for header in found:
            if header.name.lower() == "content-type":
                continue
            schema = header.schema
            own = _shared_hint(header.at, f"{hint}{pascal(header.name)}Header")
            type_ = self.registry.type_of(schema.node, schema.at, own, inline_refs=True)
            plain = self._plain_type(type_, "response header", header.at)
            headers.append(
                ResponseHeader(
                    name=header.name,
                    ident=fields.ident(header.name),
                    required=header.required,
                    type=plain,
                    description=doc_text(header.description, header.at.child("description")),
                    # a structured header travels as text: its schema's bounds are not the text's
                    constraints=self._constraints(schema, plain)[0] if plain is type_ else (),
                )
            )
        return tuple(headers)

    def _security(
        self, requirements: tuple[oa.Requirement, ...]
    ) -> tuple[tuple[Identifier, ...], ...]:
        alternatives = (
            tuple(self.schemes[key] for key, _ in req.schemes if key in self.schemes)
            for req in requirements
        )
        return tuple(dict.fromkeys(alternatives))


def _pick_media(content: tuple[oa.MediaType, ...]) -> tuple[oa.MediaType, BodyKind] | None:
    """The media type to use and how to send it: JSON first, then forms, then raw."""
    by_kind: dict[BodyKind, oa.MediaType] = {}
    for media in content:
        base = media.name.split(";")[0].strip().lower()
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


def _undocumented_body(op: oa.Operation) -> Body | None:
    """Any JSON, for a POST/PUT/PATCH the parser marked ``x-apibind-undocumented`` (no detail page)."""
    if not op.undocumented or op.method not in ("post", "put", "patch"):
        return None
    return Body(
        media_type="application/json",
        kind="json",
        type=ANY,
        required=False,
        description="Not documented on the scraped pages",
    )


def _success(successes: list[Response]) -> Response:
    """The first 2xx response; its type is nullable when another 2xx answers without content."""
    if not successes:
        return UNDOCUMENTED_SUCCESS
    first = successes[0]
    if first.type is not None and any(r.type is None for r in successes[1:]):
        return dataclasses.replace(first, type=Nullable(first.type))
    return first


def _model(ref: TypeRef) -> bool:
    """Whether a value of this type is checked by a model class (which carries its constraints)."""
    inner = ref.inner if isinstance(ref, Nullable) else ref
    return isinstance(inner, ModelRef | DictOf) or ref == ANY


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


_SHARED = ("parameters", "responses", "requestBodies")


def _shared_hint(at: Pointer, hint: str) -> str:
    """The name hint of inline schemas: a shared component's own name (``#/components/parameters/
    sort`` -> ``Sort``), so that every operation using it agrees; else the operation's ``hint``."""
    parts = at.pointer.split("/")
    if len(parts) == 4 and parts[1] == "components" and parts[2] in _SHARED:
        return pascal(at.last)
    return hint


class _HeaderFields:
    """The fields of one operation's headers class: a header (by name, case-insensitive) keeps
    one field over all its 2xx responses, and two headers never share one."""

    def __init__(self) -> None:
        self._namer = Namer(("self",))
        self._idents: dict[str, Identifier] = {}

    def ident(self, name: str) -> Identifier:
        key = name.lower()
        if key not in self._idents:
            self._idents[key] = self._namer.unique(snake(name, fallback="header"))
        return self._idents[key]
