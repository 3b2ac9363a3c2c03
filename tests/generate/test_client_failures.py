"""Typed failures and the total deadline, against a fake server over real HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import functools
import socket
import time
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from generate_helpers import call_client, serve_on_loopback

pytestmark = pytest.mark.usefixtures("on_path")


def fake_petstore() -> FastAPI:
    """Pet 1 breaks its model (no name, no photoUrls), pet 2 hangs, pet 3 is fine."""
    app = FastAPI()

    @app.get("/api/v3/pet/{pet_id}")
    async def pet(pet_id: int) -> Response:
        if pet_id == 2:
            await asyncio.sleep(5)
        if pet_id == 1:
            return JSONResponse({"id": 1})
        return JSONResponse({"id": pet_id, "name": "Rex", "photoUrls": []})

    @app.get("/api/v3/user/{username}")
    async def user(username: str, request: Request) -> Response:
        return JSONResponse({"username": username, "firstName": request.headers.get("X-Test")})

    return app


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve_on_loopback(fake_petstore()) as url:
        yield f"{url}/api/v3"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture(params=["Client", "AsyncClient"])
def make(request: pytest.FixtureRequest) -> Any:
    import swagger_petstore_client as pets

    return functools.partial(getattr(pets, request.param), api_key="k")  # pets need a key


def test_every_failure_shares_one_base() -> None:
    import swagger_petstore_client as pets

    for kind in (
        pets.ApiError,
        pets.ClientError,
        pets.ServerError,
        pets.ResponseValidationError,
        pets.ApiConnectionError,
        pets.ApiTimeoutError,
    ):
        assert issubclass(kind, pets.BaseApiError)
    assert issubclass(pets.ApiTimeoutError, pets.ApiConnectionError)


def test_a_body_that_breaks_its_model_raises_with_response_and_data(
    base_url: str, make: Any
) -> None:
    import swagger_petstore_client as pets

    assert call_client(make(base_url), "get_pet_by_id", pet_id=3).name == "Rex"
    with pytest.raises(pets.ResponseValidationError) as caught:
        call_client(make(base_url), "get_pet_by_id", pet_id=1)
    assert caught.value.data == {"id": 1}
    assert caught.value.response.status_code == 200
    assert {e["loc"] for e in caught.value.errors.errors()} == {("name",), ("photoUrls",)}
    assert "/pet/1 -> 200" in str(caught.value)


def test_lenient_validation_warns_and_returns_the_data(base_url: str, make: Any) -> None:
    import swagger_petstore_client as pets

    with pytest.warns(pets.ResponseValidationWarning, match="does not match"):
        assert call_client(make(base_url, validation="lenient"), "get_pet_by_id", pet_id=1) == {
            "id": 1
        }
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert call_client(make(base_url, validation="lenient"), "get_pet_by_id", pet_id=3).id == 3
    with pytest.raises(ValueError, match="strict"):
        make(base_url, validation="loose")


def test_a_refused_connection_raises_with_the_request(make: Any) -> None:
    import swagger_petstore_client as pets

    url = f"http://127.0.0.1:{closed_port()}/api/v3"
    with pytest.raises(pets.ApiConnectionError) as caught:
        call_client(make(url, retries=0), "get_pet_by_id", pet_id=3)
    assert not isinstance(caught.value, pets.ApiTimeoutError)
    assert caught.value.request.url == f"{url}/pet/3"
    assert caught.value.__cause__ is not None


def test_a_timeout_raises_timeout_error(base_url: str, make: Any) -> None:
    import swagger_petstore_client as pets

    with pytest.raises(pets.ApiTimeoutError) as caught:
        call_client(make(base_url, timeout=0.2, retries=0), "get_pet_by_id", pet_id=2)
    assert caught.value.request.url.path == "/api/v3/pet/2"


def test_the_deadline_bounds_the_whole_call_retries_included(base_url: str, make: Any) -> None:
    """Per attempt, 1 s timeouts and 3 retries would take over 4 s; the deadline stops it at ~0.6 s."""
    import swagger_petstore_client as pets

    started = time.monotonic()
    with pytest.raises(pets.ApiTimeoutError):
        call_client(
            make(base_url, timeout=1.0, retries=3, backoff=0.1, deadline=0.6),
            "get_pet_by_id",
            pet_id=2,
        )
    assert 0.5 < time.monotonic() - started < 1.5
    assert call_client(make(base_url, deadline=5.0), "get_pet_by_id", pet_id=3).id == 3


def test_with_options_changes_one_call_and_shares_the_connections(base_url: str) -> None:
    import swagger_petstore_client as pets

    with pets.Client(base_url, headers={"X-Test": "client"}, timeout=5.0, api_key="k") as client:
        fast = client.with_options(timeout=0.2, retries=0, headers={"X-Test": "call"})
        assert fast._http is client._http
        with fast:
            assert fast.get_user_by_name(username="u").firstName == "call"
        with pytest.raises(pets.ApiTimeoutError):
            fast.get_pet_by_id(pet_id=2)
        assert client.get_user_by_name(username="u").firstName == "client"


def test_with_options_on_the_async_client(base_url: str) -> None:
    import swagger_petstore_client as pets

    async def run() -> None:
        async with pets.AsyncClient(base_url, headers={"X-Test": "client"}, api_key="k") as client:
            fast = client.with_options(timeout=0.2, retries=0, headers={"X-Test": "call"})
            async with fast:
                assert (await fast.get_user_by_name(username="u")).firstName == "call"
            with pytest.raises(pets.ApiTimeoutError):
                await fast.get_pet_by_id(pet_id=2)
            assert (await client.get_user_by_name(username="u")).firstName == "client"

    asyncio.run(run())
