"""What every generated FastAPI server shares: strict JSON bodies, errors, parameter parsing.

Copied verbatim into the generated package as ``_runtime.py`` (apibind lints and type-checks it as
part of its own code); it imports nothing from the package it lands in.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Coroutine
from typing import Any

import pydantic_core
from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, TypeAdapter, ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# A number whose float can overflow to infinity has an exponent or more than 308 digits.
_MAYBE_HUGE = re.compile(rb"\d[eE]|\d{309}")


# The docs pages load scripts, styles, images and fonts from the app only (fastapi-offline ships
# them); ReDoc's footer logo, the one asset it would fetch from a CDN, is not requested at all.
DOCS_POLICY = (
    b"default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    b"img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src *"
)


def offline_app(**options: Any) -> FastAPI:
    """A FastAPI app whose ``/docs`` and ``/redoc`` pages work without internet access."""
    app = FastAPIOffline(**options)
    docs = {options.get("docs_url", "/docs"), options.get("redoc_url", "/redoc")} - {None}
    app.add_middleware(DocsPolicy, paths=frozenset(docs))
    app.router.route_class = StrictJsonRoute
    return app


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


class NotImplementedProblem(BaseModel):
    """The body of a 501 answer."""

    title: str = "Not Implemented"
    status: int = 501
    detail: str


class NotImplementedOperation(Exception):
    """Raised by the operations ``Api`` leaves unimplemented; answered with 501."""

    def __init__(self, operation: str) -> None:
        self.operation = operation
        super().__init__(f"operation {operation} is not implemented")


class HttpError(Exception):
    """Raise from an implementation to answer ``status_code`` with ``body`` (a model or JSON data)."""

    def __init__(
        self, status_code: int, body: Any = None, headers: dict[str, str] | None = None
    ) -> None:
        self.status_code = status_code
        self.body = body
        self.headers = headers
        super().__init__(f"HTTP {status_code}")


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
    """The route class of every generated router: bodies are read with ``strict_json``."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def strict_handler(request: Request) -> Response:
            return await handler(StrictJsonRequest(request.scope, request.receive))

        return strict_handler


async def not_implemented(request: Request, exc: Exception) -> Response:
    """The 501 answer of an operation ``Api`` leaves unimplemented."""
    problem = NotImplementedProblem(detail=str(exc))
    return JSONResponse(problem.model_dump(mode="json"), status_code=501)


async def http_error(request: Request, exc: Exception) -> Response:
    """The answer an implementation chose by raising ``HttpError``."""
    assert isinstance(exc, HttpError)
    body = exc.body
    if isinstance(body, BaseModel):
        body = body.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


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
