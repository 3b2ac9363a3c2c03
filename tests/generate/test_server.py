"""The generated FastAPI server: 501 by default, validation, routers per tag."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.usefixtures("on_path")
SPECS = Path(__file__).parent / "specs"
METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}


# Petstore's operations need its api_key header or an OAuth2 bearer token
CREDENTIALS = {"api_key": "k", "Authorization": "Bearer t"}


def call(app: Any, method: str, url: str, **kwargs: Any) -> httpx.Response:
    async def run() -> httpx.Response:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t", headers=CREDENTIALS
        ) as client:
            return await client.request(method, url, **kwargs)

    return asyncio.run(run())


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (path, method): op
        for path, item in document["paths"].items()
        for method, op in item.items()
        if method in METHODS
    }


def test_component_schemas_keep_their_names() -> None:
    import swagger_petstore_server as server

    schemas = server.create_app(server.Api()).openapi()["components"]["schemas"]
    assert {"Pet", "Order", "User", "Category", "Tag", "Error"} <= set(schemas)


def accepting(server: Any) -> Any:
    """``Api`` with an ``authenticate`` that accepts any credentials, with every scope."""

    class Accepting(server.Api):  # type: ignore[misc, name-defined]
        async def authenticate(self, scheme: str, credentials: Any) -> Any:
            return server.Granted(scheme, credentials.scopes)

    return Accepting


def test_bare_api_answers_501_with_a_documented_body() -> None:
    import swagger_petstore_server as server

    app = server.create_app(accepting(server)())
    response = call(app, "GET", "/pet/7")
    assert response.status_code == 501
    assert response.json() == {
        "title": "Not Implemented",
        "status": 501,
        "detail": "operation getPetById is not implemented",
    }
    assert response.headers["content-type"] == "application/problem+json"  # no error schema here


def test_requests_are_validated_by_the_models() -> None:
    import swagger_petstore_server as server

    app = server.create_app(accepting(server)())
    assert call(app, "POST", "/pet", json={"name": "no photoUrls"}).status_code == 422
    assert call(app, "GET", "/pet/not-a-number").status_code == 422
    assert call(app, "POST", "/pet", json={"name": "x", "photoUrls": []}).status_code == 501


def test_user_subclass_serves_typed_values_and_http_errors() -> None:
    import swagger_petstore_models as models
    import swagger_petstore_server as server

    class Store(accepting(server)):  # type: ignore[misc]
        async def get_pet_by_id(self, *, pet_id: int) -> models.Pet:
            if pet_id == 0:
                raise server.HttpError(404, models.Error(code="missing", message="no pet"))
            return models.Pet(id=pet_id, name="rex", photoUrls=[])

    app = server.create_app(Store())
    assert call(app, "GET", "/pet/3").json() == {"id": 3, "name": "rex", "photoUrls": []}
    missing = call(app, "GET", "/pet/0")
    assert missing.status_code == 404 and missing.json() == {"code": "missing", "message": "no pet"}


def test_one_router_per_tag() -> None:
    import feature_zoo_server.app as app_module

    assert callable(app_module.animals_router) and callable(app_module.files_router)
    router = app_module.files_router(__import__("feature_zoo_server").Api())
    assert {route.tags[0] for route in router.routes} == {"files"}
