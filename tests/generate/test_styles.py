"""Parameter serialization styles: what the client sends is what the server reads back."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.diagnostics import ApibindError
from generator.generate import generate

pytestmark = pytest.mark.usefixtures("on_path")
ARGS: dict[str, Any] = {
    "ids": [3, 4],
    "label": ["a", "b"],
    "matrix": [5, 6],
    "tags": ["x", "y"],
    "pipes": ["p", "q"],
    "spaces": [7, 8],
    "x_ids": [9, 10],
}


def test_client_serializes_each_style_as_openapi_defines_it() -> None:
    import feature_zoo_client as zoo

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    http = httpx.Client(transport=httpx.MockTransport(handler))
    zoo.Client("http://h", http_client=http).echo_styles(**ARGS)
    request = seen[0]
    assert request.url.raw_path.decode().split("?")[0] == "/styles/3,4/.a.b/;matrix=5,6"
    assert request.url.params["tags"] == "x,y"
    assert request.url.params["pipes"] == "p|q"
    assert request.url.params["spaces"] == "7 8"
    assert request.headers["X-Ids"] == "9,10"


def test_server_parses_what_the_client_sends() -> None:
    import feature_zoo_client as zoo
    import feature_zoo_server as server

    class Echo(server.Api):
        async def echo_styles(self, **values: Any) -> dict[str, list[Any]]:
            return {key: value for key, value in values.items() if value is not None}

    async def run() -> dict[str, list[Any]]:
        transport = httpx.ASGITransport(app=server.create_app(Echo()))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            return await zoo.AsyncClient("http://t", http_client=http).echo_styles(**ARGS)

    assert asyncio.run(run()) == ARGS


def test_server_rejects_a_delimited_value_of_the_wrong_type() -> None:
    import feature_zoo_server as server

    async def run() -> httpx.Response:
        transport = httpx.ASGITransport(app=server.create_app(server.Api()))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            return await http.get("/styles/3,x/.a/;matrix=1")

    response = asyncio.run(run())
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "ids"


def test_a_style_the_location_does_not_allow_is_a_located_error(tmp_path: Path) -> None:
    spec = tmp_path / "odd.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: Odd, version: '1'}\npaths:\n  /x:\n    get:\n"
        "      parameters: [{name: q, in: query, style: matrix, schema: {type: string}}]\n"
        "      responses: {'204': {description: none}}\n"
    )
    with pytest.raises(ApibindError) as caught:
        generate(spec)
    assert "odd.yaml#/paths/~1x/get/parameters/0/style" in str(caught.value)


def test_a_oneof_of_scalars_is_a_union_parameter_on_both_sides() -> None:
    import inspect

    import feature_zoo_client as zoo
    import feature_zoo_server as server

    signature = inspect.signature(zoo.Client.get_workflow)
    assert signature.parameters["workflow_id"].annotation == "int | str"
    assert signature.parameters["since"].annotation == "int | None"

    class Echo(server.Api):
        async def get_workflow(self, *, workflow_id: int | str, since: int | None = None) -> Any:
            return {"workflow_id": workflow_id, "since": since}

    async def run(workflow_id: int | str) -> Any:
        transport = httpx.ASGITransport(app=server.create_app(Echo()))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            api = zoo.AsyncClient("http://t", http_client=http)
            return await api.get_workflow(workflow_id=workflow_id, since=5)

    assert asyncio.run(run("ci.yml")) == {"workflow_id": "ci.yml", "since": 5}
    assert asyncio.run(run(42))["workflow_id"] in (42, "42")  # both are valid for int | str


def test_deep_object_parameters_travel_as_name_key_pairs() -> None:
    import feature_zoo_client as zoo
    import feature_zoo_models as models
    import feature_zoo_server as server

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    client = zoo.Client(
        "http://h", http_client=httpx.Client(transport=httpx.MockTransport(handler))
    )
    wanted = models.SearchAnimalsFilter(kind="cat", minAge=2, tags=["a", "b"])
    client.search_animals(filter=wanted, page={"size": 10})
    params = seen[0].url.params
    assert params["filter[kind]"] == "cat" and params["filter[minAge]"] == "2"
    assert params.get_list("filter[tags]") == ["a", "b"] and params["page[size]"] == "10"

    class Echo(server.Api):
        async def search_animals(self, *, filter: Any, page: Any = None) -> Any:
            return {"filter": filter.model_dump(exclude_none=True), "page": page}

    async def run(**kwargs: Any) -> Any:
        transport = httpx.ASGITransport(app=server.create_app(Echo()))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            return await zoo.AsyncClient("http://t", http_client=http).search_animals(**kwargs)

    assert asyncio.run(run(filter=models.SearchAnimalsFilter(kind="dog", minAge=3))) == {
        "filter": {"kind": "dog", "minAge": 3},
        "page": None,
    }


def test_a_bad_or_missing_deep_object_is_a_422_naming_it() -> None:
    import feature_zoo_server as server

    async def get(url: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=server.create_app(server.Api()))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            return await http.get(url)

    bad = asyncio.run(get("/search?filter[kind]=cat&filter[minAge]=old"))
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == [
        "query",
        "filter",
        "minAge",
    ]
    missing = asyncio.run(get("/search"))
    assert missing.status_code == 422 and missing.json()["detail"][0]["loc"][:2] == [
        "query",
        "filter",
    ]
    documented = server.create_app(server.Api()).openapi()["paths"]["/search"]["get"]["parameters"]
    assert {(p["name"], p.get("style")) for p in documented} == {
        ("filter", "deepObject"),
        ("page", "deepObject"),
    }
