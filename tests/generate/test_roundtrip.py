"""The generated client talks to the generated server over real HTTP (uvicorn on 127.0.0.1)."""

from __future__ import annotations

import importlib
import inspect
import typing
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from generate_helpers import serve_on_loopback
from pydantic import BaseModel, TypeAdapter

CASES = ("oracle_utilities", "swagger_petstore", "feature_zoo")


class _Switch:
    """One ASGI app for the whole module whose target app tests swap."""

    def __init__(self) -> None:
        self.app: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await self.app(scope, receive, send)


@pytest.fixture(scope="module")
def server(on_path_module: None) -> Iterator[tuple[str, _Switch]]:
    switch = _Switch()
    with serve_on_loopback(switch) as url:
        yield url, switch


@pytest.fixture(scope="module")
def on_path_module(site: Any) -> Iterator[None]:
    import sys

    sys.path.insert(0, str(site))
    yield
    sys.path.remove(str(site))


def example(schema: dict[str, Any], defs: dict[str, Any]) -> Any:
    """Minimal valid JSON data for a pydantic JSON schema (required fields only)."""
    if "$ref" in schema:
        return example(defs[schema["$ref"].rsplit("/", 1)[1]], defs)
    for key in ("allOf", "anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return example(options[0], defs)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {name: example(props[name], defs) for name in schema.get("required", [])}
    if kind == "array":
        return [example(schema.get("items", {}), defs)]  # one item: exercises its serialization
    fixed = {"integer": 1, "number": 1.5, "boolean": True, "null": None}
    if kind in fixed:
        return fixed[kind]
    length = max(schema.get("minLength", 1), 1)
    return "x" * min(length, schema.get("maxLength", length))


def instance(annotation: Any) -> Any:
    adapter = TypeAdapter(annotation)
    schema = adapter.json_schema()
    return adapter.validate_python(example(schema, schema.get("$defs", {})))


def dump(value: Any) -> Any:
    return (
        TypeAdapter(Any).dump_python(value, mode="json", by_alias=True)
        if value is not None
        else None
    )


def operations(name: str) -> list[tuple[str, dict[str, Any]]]:
    """(method name, type hints) of every operation of the generated client."""
    client = importlib.import_module(f"{name}_client.client")
    with client.Client("http://127.0.0.1") as instance:  # operation modules load on access
        return [
            (method, typing.get_type_hints(getattr(instance, method)))
            for method in sorted(getattr(client.Client, "OPERATIONS", ()))
        ]


def arguments(hints: dict[str, Any], function: Callable[..., Any]) -> dict[str, Any]:
    required = [
        p.name
        for p in inspect.signature(function).parameters.values()
        if p.default is inspect.Parameter.empty
    ]
    return {name: instance(hints[name]) for name in required if name != "self"}


@pytest.mark.parametrize("name", CASES)
def test_every_operation_answers_501_without_an_implementation(server, name: str) -> None:
    url, switch = server
    client_module = importlib.import_module(f"{name}_client")
    server_module = importlib.import_module(f"{name}_server")
    switch.app = server_module.create_app(implementation(name, {}, {}))  # authenticate only
    ops = operations(name)
    assert ops
    with client_module.Client(url, retries=0, **credentials(client_module)) as client:
        for method, hints in ops:
            function = getattr(client_module.Client, method)
            with pytest.raises(client_module.ApiError) as caught:
                getattr(client, method)(**arguments(hints, function))
            assert caught.value.status_code == 501, method
            assert dump(caught.value.body)["status"] == 501


def implementation(name: str, received: dict[str, Any], answers: dict[str, Any]) -> Any:
    """An ``Api`` subclass (test code, outside the package) that records bodies and returns answers."""
    server_module = importlib.import_module(f"{name}_server")

    def make(method: str) -> Callable[..., Any]:
        async def handle(self: Any, **kwargs: Any) -> Any:
            received[method] = kwargs.get("body")
            return answers[method]

        return handle

    async def authenticate(self: Any, scheme: str, credentials: Any) -> Any:
        who = f"{scheme}:{credentials.token or credentials.username}"
        return server_module.Granted(who, credentials.scopes)

    members = {method: make(method) for method in answers}
    if hasattr(server_module.Api, "authenticate"):
        members["authenticate"] = authenticate
    return type("TestApi", (server_module.Api,), members)()


# Constructor keywords of the generated clients that are no credentials.
_SETTINGS = {"base_url", "timeout", "retries", "backoff", "headers", "validation", "deadline"}


def credentials(client_module: Any) -> dict[str, Any]:
    """A credential for every security scheme the client takes (a pair for HTTP basic)."""
    hints = typing.get_type_hints(client_module.Client.__init__)
    found: dict[str, Any] = {}
    for name, hint in hints.items():
        options = typing.get_args(hint)
        if name not in _SETTINGS and tuple[str, str] in options:
            found[name] = ("user", "secret")
        elif name not in _SETTINGS and str in options:
            found[name] = "token"
    return found


@pytest.mark.parametrize("name", CASES)
def test_bodies_survive_the_trip(server, name: str) -> None:
    url, switch = server
    client_module = importlib.import_module(f"{name}_client")
    server_api = importlib.import_module(f"{name}_server.api")
    received: dict[str, Any] = {}
    answers: dict[str, Any] = {}
    calls: dict[str, dict[str, Any]] = {}
    for method, hints in operations(name):
        server_hints = typing.get_type_hints(getattr(server_api.Api, method), vars(server_api))
        answers[method] = (
            instance(server_hints["return"]) if server_hints["return"] is not type(None) else None
        )
        calls[method] = arguments(hints, getattr(client_module.Client, method))
        if "body" in hints and "body" not in calls[method]:
            calls[method]["body"] = instance(server_hints["body"])
    switch.app = importlib.import_module(f"{name}_server").create_app(
        implementation(name, received, answers)
    )
    checked = 0
    with client_module.Client(url, retries=0, **credentials(client_module)) as client:
        for method, kwargs in calls.items():
            result = getattr(client, method)(**kwargs)
            if isinstance(answers[method], (BaseModel, list, dict)):
                assert dump(result) == dump(answers[method]), method
                checked += 1
            if isinstance(kwargs.get("body"), BaseModel):
                assert dump(received[method]) == dump(kwargs["body"]), method
                checked += 1
    assert checked


def _echo_gebuehr(url: str, switch: _Switch) -> Any:
    """A client of the feature zoo's server whose ``get_gebuehr`` echoes its path values."""
    client_module = importlib.import_module("feature_zoo_client")
    server_module = importlib.import_module("feature_zoo_server")

    class Echo(server_module.Api):  # type: ignore[misc, name-defined]
        async def authenticate(self, scheme: str, credentials: Any) -> str:
            return str(credentials.token)

        async def get_gebuehr(self, *, gebuhr_id: str, user_id: int) -> list[str]:
            return [gebuhr_id, str(user_id)]

    switch.app = server_module.create_app(Echo())
    return client_module.Client(url, retries=0, bearer="t")


def test_path_parameters_with_any_characters_in_their_names_route(server) -> None:
    with _echo_gebuehr(*server) as client:
        assert client.get_gebuehr(gebuhr_id="Gebühr 1 ä", user_id=7) == ["Gebühr 1 ä", "7"]


def test_path_values_holding_slashes_dots_and_percents_reach_the_parameter(server) -> None:
    """The client encodes a path value whole (``/`` as ``%2F``, ``..`` as ``%2E%2E``); the server
    routes a ``%2F`` inside a segment to the parameter although Starlette decodes paths first."""
    values = ["a/b", "/", "a%2Fb", "..", ".", "x/../y", "50% off/ä?#", "a b+c"]
    with _echo_gebuehr(*server) as client:
        for value in values:
            assert client.get_gebuehr(gebuhr_id=value, user_id=7) == [value, "7"], value
