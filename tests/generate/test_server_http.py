"""The generated server over real HTTP (uvicorn on 127.0.0.1): strict JSON, offline docs, README."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import yaml

from generator.generate import Generation
from tests.browser import OfflinePage
from tests.generate.conftest import INSTALLED, Live

pytestmark = pytest.mark.usefixtures("on_path")
METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}
# Bodies that are not JSON a server can answer back: each must be a 4xx, never a 500.
BAD_BODIES = {
    "nan": b'{"name": NaN, "photoUrls": []}',
    "infinity": b'{"name": "x", "photoUrls": [], "id": Infinity}',
    "minus-infinity": b'{"name": "x", "photoUrls": [], "id": -Infinity}',
    "out-of-range": b'{"name": "x", "photoUrls": [], "category": {"id": 1e400}}',
    "long-integer-as-float": b'{"name": "x", "photoUrls": [], "id": 1' + b"0" * 400 + b".5}",
    "lone-surrogate": b'{"name": "\\ud800", "photoUrls": []}',
    "raw-surrogate": b'{"name": "\xed\xa0\x80", "photoUrls": []}',
    "not-utf8": b'{"name": "\xff", "photoUrls": []}',
}


@pytest.mark.parametrize("body", sorted(BAD_BODIES))
def test_bodies_a_server_cannot_answer_back_are_a_422(live: Live, body: str) -> None:
    url = live.serve("swagger_petstore")
    headers = {"content-type": "application/json"}
    answer = httpx.post(f"{url}/pet", content=BAD_BODIES[body], headers=headers)
    assert answer.status_code == 422, answer.text
    # POST /pet documents `default: Error {code, message}`: the validation error in that shape
    error = answer.json()
    assert error["code"] == "422" and "JSON decode error" in error["message"], error


def test_a_rejected_surrogate_does_not_poison_later_answers(live: Live) -> None:
    import swagger_petstore_models as models
    import swagger_petstore_server as server

    seen: list[models.Pet] = []

    class Store(server.Api):
        async def authenticate(self, scheme: str, credentials: Any) -> server.Granted:
            return server.Granted(scheme, credentials.scopes)

        async def add_pet(self, *, body: models.Pet) -> models.Pet:
            seen.append(body)
            return body

        async def find_pets_by_status(self, *, status: Any = None) -> list[models.Pet]:
            return seen

    url = live.serve("swagger_petstore", Store())
    token = {"Authorization": "Bearer t"}
    bad = httpx.post(
        f"{url}/pet",
        content=BAD_BODIES["lone-surrogate"],
        headers={"content-type": "application/json", **token},
    )
    good = httpx.post(
        f"{url}/pet", json={"name": "rex 🐶", "photoUrls": [], "id": 1.5e3}, headers=token
    )
    assert (bad.status_code, good.status_code) == (422, 200)
    listed = httpx.get(f"{url}/pet/findByStatus", headers=token)
    assert listed.status_code == 200 and listed.json()[0]["name"] == "rex 🐶"


def test_the_oracle_server_rejects_nan_bodies_too(live: Live) -> None:
    url = live.serve("oracle_utilities")
    paths = live.app.openapi()["paths"]
    posts = [
        p for p, item in paths.items() if "requestBody" in item.get("post", {}) and "{" not in p
    ]
    assert posts
    answer = httpx.post(
        f"{url}{posts[0]}", content=b'{"a": [1, NaN]}', headers={"content-type": "application/json"}
    )
    assert answer.status_code == 422, answer.text


def _operation_count(app: Any) -> int:
    return sum(len(set(item) & METHODS) for item in app.openapi()["paths"].values())


def test_swagger_ui_lists_the_operations_without_network(
    live: Live, offline_page: OfflinePage
) -> None:
    url = live.serve("swagger_petstore")
    page = offline_page.page
    page.goto(f"{url}/docs")
    page.wait_for_selector(".opblock-summary", timeout=20_000)
    listed = page.locator(".opblock-summary-path").all_inner_texts()
    assert len(listed) == _operation_count(live.app)
    assert any("/pet/{petId}" in text.replace("\u200b", "") for text in listed)
    assert offline_page.blocked == []


def test_redoc_lists_the_operations_without_network(live: Live, offline_page: OfflinePage) -> None:
    url = live.serve("swagger_petstore")
    page = offline_page.page
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.goto(f"{url}/redoc")
    page.locator("h2", has_text="Find pet by ID").first.wait_for(timeout=20_000)
    assert page.locator("h2", has_text="Add a new pet to the store").count() == 1
    assert offline_page.blocked == []
    # the page's policy keeps ReDoc's footer logo, its one CDN asset, from being requested
    assert all("logo-mini.svg" in message for message in refused), refused


def _readme_example(generation: Generation, package: str) -> str:
    readme = generation.files[_path(generation, f"{package}_server/README.md")]
    block = re.search(r"## Implement.*?```python\n(.*?)```", readme, flags=re.DOTALL)
    assert block is not None
    return block.group(1)


def test_the_readme_headers_example_runs_and_sets_the_header(
    live: Live, generated: Callable[[str], Generation]
) -> None:
    readme = generated("petstore").files[
        _path(generated("petstore"), "swagger_petstore_server/README.md")
    ]
    block = re.search(r"## Response headers.*?```python\n(.*?)```", readme, flags=re.DOTALL)
    assert block is not None
    namespace: dict[str, Any] = {"__name__": "readme_example"}
    exec(
        compile(_readme_example(generated("petstore"), "swagger_petstore"), "README.md", "exec"),
        namespace,
    )
    exec(compile(block.group(1), "README.md", "exec"), namespace)  # it extends the first example
    live.app = namespace["app"]
    answer = httpx.get(f"{live.url}/user/login")
    assert (answer.status_code, answer.json(), answer.headers["X-Rate-Limit"]) == (200, "text", "1")


def _path(generation: Generation, name: str) -> Any:
    return next(path for path in generation.files if str(path) == name)


@pytest.mark.parametrize(
    ("case", "package", "body"),
    [
        ("petstore", "swagger_petstore", {"name": "x", "photoUrls": []}),
        ("oracle", "oracle_utilities", None),
        ("features", "feature_zoo", None),
    ],
)
def test_the_readme_example_runs_and_serves(
    live: Live, generated: Callable[[str], Generation], case: str, package: str, body: Any
) -> None:
    namespace: dict[str, Any] = {"__name__": "readme_example"}
    example = compile(_readme_example(generated(case), package), "README.md", "exec")
    exec(example, namespace)  # running the README example is the test
    live.app = namespace["app"]
    path, item = next(iter(yaml.safe_load(INSTALLED[case].read_text())["paths"].items()))
    method = next(m for m in item if m in METHODS)  # the example overrides the first operation
    path = re.sub(r"\{[^}]*\}", "1", path)  # any value for path parameters
    bearer = {"Authorization": "Bearer t"}  # what the example's authenticate accepts, if any
    answer = httpx.request(method, f"{live.url}{path}", json=body, headers=bearer)
    assert answer.status_code == 404, answer.text  # what the example's method raises
