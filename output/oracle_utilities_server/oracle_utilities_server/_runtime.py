"""What every generated FastAPI server shares: the served spec, strict JSON, errors, parameters.

Copied verbatim into the generated package as ``_runtime.py`` (apibind lints and type-checks it as
part of its own code); it imports nothing from the package it lands in.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Awaitable, Callable, Collection, Coroutine, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from http import HTTPStatus
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Any, Literal
from urllib.parse import unquote

import pydantic_core
from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError, ResponseValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi.security import (
    APIKeyCookie,
    APIKeyHeader,
    APIKeyQuery,
    HTTPAuthorizationCredentials,
    HTTPBasic,
    HTTPBasicCredentials,
    HTTPBearer,
)
from fastapi.security.base import SecurityBase
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, TypeAdapter, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

_log = logging.getLogger(__name__)
# A number whose float can overflow to infinity has an exponent or more than 308 digits.
_MAYBE_HUGE = re.compile(rb"\d[eE]|\d{309}")


# The docs pages load scripts, styles, images and fonts from the app only (fastapi-offline ships
# them); ReDoc's footer logo, the one asset it would fetch from a CDN, is not requested at all.
DOCS_POLICY = (
    b"default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    b"img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src *"
)


def offline_app(document: Traversable, **options: Any) -> FastAPI:
    """A FastAPI app serving ``document`` (the source spec) at ``/openapi.json``, whose ``/docs``
    and ``/redoc`` pages work without internet access, answering errors with documented bodies."""
    app = FastAPIOffline(**options)
    app.openapi = SpecDocument(app, document)  # type: ignore[method-assign]
    docs = {options.get("docs_url", "/docs"), options.get("redoc_url", "/redoc")} - {None}
    app.add_middleware(DocsPolicy, paths=frozenset(docs))
    app.router.route_class = StrictJsonRoute
    for exception, handler in ERROR_HANDLERS.items():
        app.add_exception_handler(exception, handler)
    return app


class SpecDocument:
    """The app's ``openapi()``: the source spec, plus what FastAPI infers for routes added by
    hand. The first server listed is the app itself, so "Try it out" on ``/docs`` calls it."""

    def __init__(self, app: FastAPI, document: Traversable) -> None:
        self.app = app
        self.document = document

    def __call__(self) -> dict[str, Any]:
        if self.app.openapi_schema is None:
            served: dict[str, Any] = json.loads(self.document.read_text(encoding="utf-8"))
            here = {"url": self.app.root_path or "/", "description": "this server"}
            served["servers"] = [here, *served.get("servers", [])]
            _add_inferred(served, self.app)
            self.app.openapi_schema = served
        return self.app.openapi_schema


def _add_inferred(served: dict[str, Any], app: FastAPI) -> None:
    """Operations and schemas of the routes not generated from the spec, where the spec has none."""
    extra = [r for r in app.routes if isinstance(r, APIRoute) and not isinstance(r, SpecRoute)]
    if not any(route.include_in_schema for route in extra):
        return
    inferred = get_openapi(title=app.title, version=app.version, routes=extra)
    paths = served.setdefault("paths", {})
    for path, item in inferred.get("paths", {}).items():
        paths[path] = {**item, **paths.get(path, {})}
    schemas = served.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in inferred.get("components", {}).get("schemas", {}).items():
        schemas.setdefault(name, schema)


class DocsPolicy:
    """ASGI middleware: the docs pages get ``DOCS_POLICY`` as their Content-Security-Policy."""

    def __init__(self, app: ASGIApp, paths: frozenset[str]) -> None:
        self.app = app
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return

        async def send_with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", []), (b"content-security-policy", DOCS_POLICY)]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_policy)


def strict_json(raw: bytes) -> Any:
    """``raw`` decoded as JSON that can be answered back: no NaN, infinities or lone surrogates.

    Raises ``json.JSONDecodeError``, which FastAPI answers with a 422 ``json_invalid`` error.
    """
    try:
        value = pydantic_core.from_json(raw, allow_inf_nan=False)
    except ValueError as exc:
        raise json.JSONDecodeError(str(exc), raw.decode(errors="replace"), 0) from exc
    if _MAYBE_HUGE.search(raw) and not _finite(value):
        raise json.JSONDecodeError("number out of range", raw.decode(errors="replace"), 0)
    return value


def _finite(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(_finite(item) for item in value)
    if isinstance(value, dict):
        return all(_finite(item) for item in value.values())
    return True


class StrictJsonRequest(Request):
    """A request whose ``json()`` is ``strict_json``."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = strict_json(await self.body())
        return self._json


class StrictJsonRoute(APIRoute):
    """The route class of every generated router: bodies are read with ``strict_json``, and a
    ``%2F`` inside a path segment is part of a parameter's value (``/files/a%2Fb`` gives ``a/b``).

    Starlette routes the decoded path, where that slash would split the segment; a request whose
    raw path holds one is matched against the raw path decoded segment by segment instead.
    """

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        raw = scope.get("raw_path")
        if scope["type"] != "http" or not raw or (b"%2f" not in raw and b"%2F" not in raw):
            return super().matches(scope)
        segments = raw.decode("latin-1").split("/")
        # each segment decoded, then only "%" and "/" escaped again: the regex sees one segment
        path = "/".join(unquote(s).replace("%", "%25").replace("/", "%2F") for s in segments)
        root = scope.get("root_path", "")
        match, child = super().matches(
            {**scope, "path": path if path.startswith(root) else root + path}
        )
        if match is not Match.NONE:
            params = dict(child.get("path_params", {}))
            for name in self.param_convertors:
                if isinstance(params.get(name), str):
                    params[name] = unquote(params[name])
            child["path_params"] = params
        return match, child

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict_handler(request: Request) -> Response:
            return await handler(StrictJsonRequest(request.scope, request.receive))

        return strict_handler


class SpecRoute(StrictJsonRoute):
    """The route class of the generated routers: operations the source spec documents."""


def parse_styled(
    raw: str | None, name: str, style: str, explode: bool, joined: bool, adapter: TypeAdapter[Any]
) -> Any:
    """A parameter FastAPI cannot read (delimited lists, label and matrix paths), parsed here."""
    if raw is None:
        return None
    delimiter = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
    if style == "label":
        raw = raw.removeprefix(".")
        delimiter = "." if explode else ","
    elif style == "matrix":
        raw = ",".join(part.partition("=")[2] for part in raw.split(";")[1:])
    return _validated(adapter, raw.split(delimiter) if joined else raw, (name,))


def deep_object(request: Request, name: str, required: bool, adapter: TypeAdapter[Any]) -> Any:
    """A ``name[key]=value`` object (style deepObject) from the query string, validated."""
    prefix = name + "["
    found = {
        key[len(prefix) : -1]: value
        for key, value in request.query_params.items()
        if key.startswith(prefix) and key.endswith("]")
    }
    if not found and not required:
        return None
    return _validated(adapter, found, ("query", name))


def _validated(adapter: TypeAdapter[Any], value: Any, where: tuple[str, ...]) -> Any:
    try:
        return adapter.validate_python(value)
    except ValidationError as exc:
        errors = [
            {**error, "loc": (*where, *error["loc"])} for error in exc.errors(include_url=False)
        ]
        raise RequestValidationError(errors) from exc


class Problem(BaseModel):
    """An error answer (RFC 9457 problem details) where the spec documents no error body."""

    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = None


class NotImplementedOperation(Exception):
    """Raised by the operations ``Api`` leaves unimplemented; answered with 501."""

    def __init__(self, operation: str) -> None:
        self.operation = operation
        super().__init__(f"operation {operation} is not implemented")


class HttpError(Exception):
    """Raise from an implementation to answer ``status_code``.

    With a ``body`` (a model or JSON data) that body is sent; without one, the operation's
    documented error schema for that status is filled with the status, its title and ``detail``.
    """

    def __init__(
        self,
        status_code: int,
        body: Any = None,
        headers: dict[str, str] | None = None,
        *,
        detail: str | None = None,
    ) -> None:
        self.status_code = status_code
        self.body = body
        self.headers = headers
        self.detail = detail or HTTPStatus(status_code).phrase
        super().__init__(f"HTTP {status_code}: {self.detail}")


# Field names (lower case, without "_" and "-") of error schemas, by what they receive.
_ROLES = {
    **dict.fromkeys(("status", "statuscode", "httpstatus", "httpstatuscode", "code"), "status"),
    **dict.fromkeys(("title", "message", "error", "reason", "errormessage"), "title"),
    **dict.fromkeys(("detail", "details", "description", "errordescription"), "detail"),
    **dict.fromkeys(("type", "problemtype"), "type"),
    **dict.fromkeys(("instance", "probleminstance", "path"), "instance"),
    **dict.fromkeys(("errors", "invalidparams", "violations"), "errors"),
}


def error_response(
    request: Request, problem: Problem, headers: Mapping[str, str] | None = None
) -> Response:
    """``problem`` in the operation's documented error schema for its status, where one fits;
    otherwise as ``application/problem+json``."""
    model = documented_error(request, problem.status)
    body = _fill(model, problem, request.url.path) if model is not None else None
    if body is not None:
        return JSONResponse(body, status_code=problem.status, headers=headers)
    content = problem.model_dump(mode="json", exclude_none=True)
    return JSONResponse(
        content, problem.status, headers=headers, media_type="application/problem+json"
    )


def documented_error(request: Request, status: int) -> Any:
    """The model the matched route documents for ``status``: that status, its range
    (``4XX``), ``default``, else another documented response of the same class."""
    responses: Mapping[int | str, Any] = getattr(request.scope.get("route"), "responses", {})
    for key in (status, str(status), f"{status // 100}XX", "default"):
        if "model" in responses.get(key, {}):
            return responses[key]["model"]
    for key, response in responses.items():
        if str(key)[:1] == str(status)[:1] and "model" in response:
            return response["model"]
    return None


def _fill(model: Any, problem: Problem, path: str) -> Any:
    """An instance of ``model`` carrying ``problem``, as JSON data; None when none validates."""
    if not isinstance(model, type) or not issubclass(model, BaseModel) or model is Problem:
        return None
    values: dict[str, Any] = {
        "status": problem.status,
        "title": problem.title,
        "detail": problem.detail,
        "type": "about:blank",
        "instance": path,
        "errors": problem.errors,
    }
    roles = {
        field.alias or name: _ROLES.get(re.sub(r"[-_]", "", (field.alias or name).lower()))
        for name, field in model.model_fields.items()
    }
    if "detail" not in roles.values():  # {code, message}: the message says what happened
        values["title"] = problem.detail
    candidate = {
        key: values[role] for key, role in roles.items() if role and values[role] is not None
    }
    for _ in range(len(candidate) + 1):
        try:
            return model.model_validate(candidate).model_dump(
                mode="json", by_alias=True, exclude_unset=True
            )
        except ValidationError as exc:
            if not _adjusted(candidate, exc):
                return None
    return None


def _adjusted(candidate: dict[str, Any], exc: ValidationError) -> bool:
    """Make ``candidate`` closer to valid: numbers as text, text cut to length, else drop the
    field. False when the errors are about fields it does not set (required ones it cannot fill)."""
    changed = False
    for error in exc.errors(include_url=False):
        key = error["loc"][0] if error["loc"] else None
        if key not in candidate:
            continue
        if error["type"] == "string_type" and isinstance(candidate[key], int):
            candidate[key] = str(candidate[key])
        elif error["type"] == "string_too_long" and isinstance(candidate[key], str):
            candidate[key] = candidate[key][: error["ctx"]["max_length"]]
        else:
            del candidate[key]
        changed = True
    return changed


def _problem(status: int, detail: str, errors: list[dict[str, Any]] | None = None) -> Problem:
    return Problem(title=HTTPStatus(status).phrase, status=status, detail=detail, errors=errors)


def _summary(errors: Sequence[Any]) -> str:
    """Validation errors as one line: ``query.limit: Input should be ...; ...``."""
    parts = [
        ".".join(str(part) for part in error.get("loc", ())) + ": " + str(error.get("msg", ""))
        for error in errors
    ]
    return "; ".join(parts)


def _errors(errors: Sequence[Any]) -> list[dict[str, Any]]:
    return [
        {
            "loc": [str(part) for part in e.get("loc", ())],
            "msg": e.get("msg"),
            "type": e.get("type"),
        }
        for e in errors
    ]


async def not_implemented(request: Request, exc: Exception) -> Response:
    """The 501 answer of an operation ``Api`` leaves unimplemented."""
    return error_response(request, _problem(501, str(exc)))


async def http_error(request: Request, exc: Exception) -> Response:
    """The answer an implementation chose by raising ``HttpError``."""
    assert isinstance(exc, HttpError)
    if exc.body is None:
        return error_response(request, _problem(exc.status_code, exc.detail), exc.headers)
    body = exc.body
    if isinstance(body, BaseModel):
        body = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


async def invalid_request(request: Request, exc: Exception) -> Response:
    """A 422 in the documented error schema; FastAPI's ``{"detail": [...]}`` where none is."""
    assert isinstance(exc, RequestValidationError)
    if documented_error(request, 422) is None:
        return await request_validation_exception_handler(request, exc)
    errors = exc.errors()
    return error_response(request, _problem(422, _summary(errors), _errors(errors)))


async def invalid_response(request: Request, exc: Exception) -> Response:
    """A 500: the implementation answered something its response schema does not allow."""
    assert isinstance(exc, ResponseValidationError)
    _log.error("%s %s: off-contract answer: %s", request.method, request.url.path, exc.errors())
    detail = "the implementation's answer does not match the documented response schema"
    return error_response(request, _problem(500, detail))


async def http_exception(request: Request, exc: Exception) -> Response:
    """FastAPI's and Starlette's own errors (404, 405, ...) in the documented error schema."""
    assert isinstance(exc, StarletteHTTPException)
    if documented_error(request, exc.status_code) is None:
        return await http_exception_handler(request, exc)
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    return error_response(request, _problem(exc.status_code, detail), exc.headers)


async def unexpected(request: Request, exc: Exception) -> Response:
    """A 500 for an exception the implementation did not handle (logged, never shown)."""
    return error_response(request, _problem(500, "unexpected error while serving the request"))


ERROR_HANDLERS: dict[type[Exception], Callable[[Request, Exception], Awaitable[Response]]] = {
    NotImplementedOperation: not_implemented,
    HttpError: http_error,
    RequestValidationError: invalid_request,
    ResponseValidationError: invalid_response,
    StarletteHTTPException: http_exception,
    Exception: unexpected,
}


Kind = Literal["basic", "bearer", "apikey", "oauth2", "openidconnect"]


@dataclass(frozen=True)
class Credentials:
    """What a request sent for one security scheme, and the scopes the operation requires."""

    kind: Kind
    token: str = ""  # the bearer token or API key
    username: str = ""  # HTTP basic only
    password: str = ""
    scopes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Granted:
    """What ``authenticate`` returns for credentials that carry scopes (an OAuth 2.0 token's):
    the caller, and the scopes it was granted. The server compares them with the scopes the
    operation requires and answers 403 ``insufficient_scope`` when some are missing."""

    caller: Any
    scopes: Collection[str] = ()


@dataclass(frozen=True)
class Scheme:
    """One declared security scheme: how its credentials travel, read by FastAPI's class."""

    kind: Kind
    reader: SecurityBase
    challenge: str  # its WWW-Authenticate challenge

    @classmethod
    def of(cls, key: str, kind: Kind, location: str | None = None, name: str = "") -> Scheme:
        if kind == "basic":
            return cls(kind, HTTPBasic(scheme_name=key, auto_error=False), "Basic")
        if kind == "apikey":
            readers = {"query": APIKeyQuery, "cookie": APIKeyCookie, "header": APIKeyHeader}
            reader = readers[location or "header"](name=name, scheme_name=key, auto_error=False)
            return cls(kind, reader, "APIKey")
        return cls(kind, HTTPBearer(scheme_name=key, auto_error=False), "Bearer")

    async def read(self, request: Request, scopes: tuple[str, ...]) -> Credentials | None:
        """The credentials the request sent for this scheme; None when it sent none."""
        try:
            found = await self.reader(request)  # type: ignore[operator]
        except StarletteHTTPException:  # malformed (HTTP basic that is no base64 "user:pass")
            return Credentials(self.kind, scopes=scopes)
        if isinstance(found, HTTPBasicCredentials):
            return Credentials(self.kind, "", found.username, found.password, scopes)
        if isinstance(found, HTTPAuthorizationCredentials):
            return Credentials(self.kind, found.credentials, scopes=scopes)
        return Credentials(self.kind, found, scopes=scopes) if found else None


_CALLER: ContextVar[Mapping[str, Any]] = ContextVar("caller", default=MappingProxyType({}))
Authenticate = Callable[[str, Credentials], Awaitable[Any]]
Requirement = Sequence[tuple[str, tuple[str, ...]]]


def caller() -> Mapping[str, Any]:
    """What ``authenticate`` returned for the request being served, by security scheme
    (the ``caller`` of a ``Granted``)."""
    return _CALLER.get()


def guard(
    authenticate: Authenticate, schemes: Mapping[str, Scheme], requirements: Sequence[Requirement]
) -> Callable[[Request], Awaitable[None]]:
    """The dependency of an operation with security requirements: one of them must be met.

    Missing credentials answer 401 and rejected ones (``authenticate`` returns None) 401 too,
    with a ``WWW-Authenticate`` challenge per scheme. Accepted credentials that lack a required
    scope (see ``Granted``) answer 403 ``insufficient_scope``; ``authenticate`` raises
    ``HttpError(403)`` for other valid credentials that are not enough. An empty requirement
    (``{}``) makes credentials optional: a request that sends none is served anonymously.
    """
    challenges = ", ".join(
        dict.fromkeys(schemes[k].challenge for r in requirements for k, _ in r if k in schemes)
    )
    anonymous = any(not requirement for requirement in requirements)  # `{}`: credentials optional

    async def check(request: Request) -> None:
        sent, lacking = False, None
        for requirement in filter(None, requirements):
            if not all(key in schemes for key, _ in requirement):
                continue  # a scheme this server cannot read: the requirement cannot be met
            found = {key: await schemes[key].read(request, scopes) for key, scopes in requirement}
            present = {key: c for key, c in found.items() if c is not None}
            sent = sent or bool(present)
            if len(present) < len(found):
                continue
            accepted = {key: await authenticate(key, c) for key, c in present.items()}
            if any(value is None for value in accepted.values()):
                continue
            missing = _missing_scopes(requirement, accepted)
            if not missing:
                _CALLER.set(
                    {k: v.caller if isinstance(v, Granted) else v for k, v in accepted.items()}
                )
                return
            lacking = lacking or (requirement, missing)
        if lacking is not None:
            raise _insufficient_scope(schemes, *lacking)
        if anonymous and not sent:
            return
        detail = "credentials rejected" if sent else "credentials missing"
        headers = {"WWW-Authenticate": challenges} if challenges else None
        raise HttpError(401, headers=headers, detail=detail)

    return check


def _missing_scopes(requirement: Requirement, accepted: Mapping[str, Any]) -> tuple[str, ...]:
    """The scopes ``requirement`` asks for that the accepted callers were not granted (a caller
    that is no ``Granted`` was granted none)."""
    missing: list[str] = []
    for key, scopes in requirement:
        value = accepted[key]
        granted = set(value.scopes) if isinstance(value, Granted) else set()
        missing.extend(scope for scope in scopes if scope not in granted)
    return tuple(dict.fromkeys(missing))


def _insufficient_scope(
    schemes: Mapping[str, Scheme], requirement: Requirement, missing: tuple[str, ...]
) -> HttpError:
    """The 403 of RFC 6750: the scopes the first such requirement asks for, in the challenge."""
    needed = " ".join(dict.fromkeys(scope for _, scopes in requirement for scope in scopes))
    quoted = needed.replace("\\", "\\\\").replace('"', '\\"')
    bearer = any(schemes[key].challenge == "Bearer" for key, _ in requirement)
    challenge = f'Bearer error="insufficient_scope", scope="{quoted}"'
    headers = {"WWW-Authenticate": challenge} if bearer else None
    return HttpError(403, headers=headers, detail="insufficient scope: needs " + " ".join(missing))
