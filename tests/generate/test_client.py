"""The generated client against a mock transport: URLs, parameters, auth, bodies, retries, errors."""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

pytestmark = pytest.mark.usefixtures("on_path")
# a credential for every scheme the zoo's operations require (one requirement is chosen per call)
KEYS: dict[str, Any] = {"bearer": "tok", "basic": ("u", "p"), "api_key_query": "k", "oauth": "o"}


def recording(
    answer: Callable[[httpx.Request], httpx.Response],
) -> tuple[list[httpx.Request], httpx.Client]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        return answer(request)

    return seen, httpx.Client(transport=httpx.MockTransport(handler))


def ok(body: Any = None, status: int = 200) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(status, json=body)


def test_base_url_comes_from_servers_with_variables_filled() -> None:
    import feature_zoo_client as zoo

    assert zoo.BASE_URL == "https://example.test:8443/zoo"
    assert zoo.server_url(host="api.local", port="1") == "https://api.local:1/zoo"


def test_a_relative_server_needs_an_explicit_base_url() -> None:
    import swagger_petstore_client as pets

    assert pets.BASE_URL == "/api/v3"
    with pytest.raises(ValueError, match="absolute"):
        pets.Client()


def test_parameters_go_where_the_spec_says(on_path: None) -> None:
    import feature_zoo_client as zoo
    import feature_zoo_models as models

    seen, http = recording(ok([]))
    client = zoo.Client("http://h/base", http_client=http, headers={"X-Extra": "1"}, **KEYS)
    assert (
        client.list_animals(
            limit=5, kind=models.Kind.CANCELED, tag=["a", "b"], x_trace_id="t", session="s"
        )
        == []
    )
    request = seen[0]
    assert request.url.path == "/base/animals"
    assert request.url.params.get_list("tag") == ["a", "b"]
    assert request.url.params["kind"] == "C " and request.url.params["limit"] == "5"
    assert request.headers["X-Trace-Id"] == "t" and request.headers["X-Extra"] == "1"
    assert request.headers["Cookie"] == "session=s"


def test_each_security_scheme_is_applied_only_where_required() -> None:
    import feature_zoo_client as zoo

    answers = {"/trees/a%2Fb": {"value": "v"}, "/animals": []}
    seen, http = recording(
        lambda r: httpx.Response(200, json=answers.get(r.url.raw_path.decode(), {}))
    )
    client = zoo.Client(
        "http://h",
        http_client=http,
        bearer="tok",
        basic=("u", "p"),
        api_key_query="k",
        api_key_cookie="c",
        oauth="o",
    )
    client.get_tree(tree_id="a/b")
    client.list_animals()
    client.upload_file(body={"file": b"data", "title": "t"})
    client.download_file(name="n")
    tree, animals, upload, download = seen
    assert tree.url.raw_path == b"/trees/a%2Fb" and "Authorization" not in tree.headers
    assert animals.headers["Authorization"] == "Bearer tok"
    assert upload.url.params["api_key"] == "k" and "Cookie" not in upload.headers  # the first
    assert download.headers["Authorization"] == "Bearer o"
    seen.clear()
    client.login(body={"user": "me"})
    assert seen[0].headers["Authorization"].startswith("Basic ")


def test_bodies_are_sent_with_their_media_types() -> None:
    import feature_zoo_client as zoo
    import feature_zoo_models as models

    answers = {
        "/forms/login": httpx.Response(200, text="hello"),
        "/files/x/raw": httpx.Response(200, content=b"\0\1"),
    }
    seen, http = recording(lambda r: answers.get(r.url.path) or httpx.Response(200, json={"a": 1}))
    client = zoo.Client("http://h", http_client=http, **KEYS)
    assert client.login(body=models.LoginRequest(user="me", remember=True)) == "hello"
    assert client.upload_file(body={"file": b"\0bytes", "title": "t"}) == {"a": 1}
    assert client.download_file(name="x") == b"\0\1"
    client.replace_file(name="x", body=b"raw")
    login, upload, _, replace = seen
    assert login.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert login.content == b"user=me&remember=true"
    assert upload.headers["Content-Type"].startswith("multipart/form-data")
    assert b"\0bytes" in upload.content and b'name="title"' in upload.content
    assert (
        replace.headers["Content-Type"] == "application/octet-stream" and replace.content == b"raw"
    )


def test_json_body_from_a_model_or_a_dict_and_parsed_result() -> None:
    import feature_zoo_client as zoo
    import feature_zoo_models as models

    data = {"name": "Tom", "pet": {"petType": "cat", "lives": 9}, "nickname": None, "kind": "C "}
    seen, http = recording(ok(data, 201))
    client = zoo.Client("http://h", http_client=http, **KEYS)
    created = client.create_animal(body=models.Animal.model_validate(data))
    assert json.loads(seen[0].content) == data
    assert isinstance(created.pet.root, models.Cat) and created.kind is models.Kind.CANCELED
    client.create_animal(body=data)
    assert json.loads(seen[1].content) == data


def test_errors_carry_status_parsed_body_and_response() -> None:
    import feature_zoo_client as zoo
    import feature_zoo_models as models

    problem = {"title": "bad", "status": 404}
    _, http = recording(lambda r: httpx.Response(404, json=problem))
    with pytest.raises(zoo.ClientError) as caught:
        zoo.Client("http://h", http_client=http, **KEYS).list_animals()
    assert caught.value.status_code == 404 and caught.value.response.status_code == 404
    assert caught.value.body == models.Problem(title="bad", status=404)
    _, http = recording(lambda r: httpx.Response(500, text="boom"))
    with pytest.raises(zoo.ServerError) as server_error:
        zoo.Client("http://h", http_client=http, retries=0, **KEYS).get_tree(tree_id="t")
    assert server_error.value.body == "boom"


def test_retries_idempotent_requests_and_keyed_posts_only() -> None:
    import feature_zoo_client as zoo

    statuses = iter([503, 503, 200, 429, 503, 201])
    answer = {"name": "n", "pet": {"petType": "dog"}, "nickname": None}
    seen, http = recording(
        lambda r: httpx.Response(
            next(statuses), json=answer if r.method == "POST" else {"value": "v"}
        )
    )
    client = zoo.Client("http://h", http_client=http, retries=2, backoff=0, **KEYS)
    assert client.get_tree(tree_id="t").value == "v"
    assert len(seen) == 3
    with pytest.raises(zoo.ClientError):
        client.create_animal(body=answer)  # a POST without an idempotency key: not even on 429
    keyed = client.with_options(idempotency_header="Idempotency-Key")
    assert keyed.create_animal(body=answer).name == "n"  # retried after the 503
    first, second = seen[-2:]
    assert first.headers["Idempotency-Key"] == second.headers["Idempotency-Key"]
    assert len(seen) == 6


def test_with_response_gives_the_raw_response() -> None:
    import feature_zoo_client as zoo

    _, http = recording(lambda r: httpx.Response(200, json={"value": "v"}, headers={"X-Rate": "9"}))
    client = zoo.Client("http://h", http_client=http, **KEYS)
    result = zoo.with_response(client.get_tree)(tree_id="t")
    assert (
        result.parsed.value == "v"
        and result.response.headers["X-Rate"] == "9"
        and result.status_code == 200
    )


def test_async_client_has_the_same_surface_and_works() -> None:
    import feature_zoo_client as zoo

    def public(client: object) -> dict[str, list[str]]:  # operations load on first access
        return {
            name: list(inspect.signature(method).parameters)
            for name, method in inspect.getmembers(client, inspect.ismethod)
            if not name.startswith("_") and name not in ("close", "aclose")
        }

    with zoo.Client("http://h") as sync_client:
        surface = public(sync_client)
    assert len(surface) > 10 and surface == public(zoo.AsyncClient("http://h"))

    async def run() -> Any:
        transport = httpx.MockTransport(lambda r: httpx.Response(200, json={"value": "a"}))
        async with zoo.AsyncClient(
            "http://h", http_client=httpx.AsyncClient(transport=transport)
        ) as client:
            return await zoo.with_response_async(client.get_tree)(tree_id="t")

    result = asyncio.run(run())
    assert result.parsed.value == "a" and result.status_code == 200


def test_a_success_without_content_returns_none() -> None:
    import feature_zoo_client as zoo

    answers = iter([httpx.Response(204), httpx.Response(200, json={"id": 1, "text": "t"})])
    _, http = recording(lambda r: next(answers))
    client = zoo.Client("http://h", http_client=http, **KEYS)
    assert client.put_animals_animal_id_notes(animal_id=1, body={"text": "t"}) is None
    assert client.put_animals_animal_id_notes(animal_id=1, body={"text": "t"}).id == 1
