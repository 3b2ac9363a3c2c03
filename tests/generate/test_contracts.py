"""Documented constraints on parameters, bodies and answers are enforced by the generated server:
422 naming the field for requests, a documented 500 for an off-contract answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from generator.constraints import constraints
from tests.generate.conftest import Live


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "integer", "minimum": 1, "maximum": 100}, (("ge", 1), ("le", 100))),
        ({"type": "integer", "minimum": 0, "exclusiveMinimum": True}, (("gt", 0),)),
        ({"type": "number", "exclusiveMaximum": 2.5}, (("lt", 2.5),)),
        (
            {"type": "string", "minLength": 2, "maxLength": 5},
            (("max_length", 5), ("min_length", 2)),
        ),
        ({"type": "string", "pattern": "^[a-z]+$"}, (("pattern", "^[a-z]+$"),)),
        ({"type": "string", "pattern": "(unclosed"}, ()),
        ({"type": "array", "maxItems": 3, "items": {"type": "string"}}, (("max_length", 3),)),
        ({"type": "number", "maximum": float("inf"), "minimum": True}, ()),
        ("not a schema", ()),
    ],
)
def test_constraints_become_fastapi_keywords(schema: Any, expected: tuple[Any, ...]) -> None:
    assert constraints(schema) == expected


ANSWERS: dict[str, Any] = {
    "too-old": {"name": "rex", "age": 31},
    "no-name": {"age": 3},
    "not-a-pet": ["rex"],
    # built without validation (``model_construct``): validated again before it is answered
    "constructed": lambda pet: pet.model_construct(name="far too long"),
    "constructed-label": lambda pet: pet.model_construct(name="rex", labels=["far too long"]),
}


@pytest.fixture(scope="module")
def contracts_app(server_of: Callable[[str], Any]) -> Any:
    server = server_of("contracts")

    class Pets(server.Api):
        async def list_pets(self, **arguments: Any) -> list[str]:
            return sorted(arguments)

        async def create_pet(self, *, body: Any) -> Any:
            # the request's "answer" field says what to answer: the body, or something else
            answer = ANSWERS.get(body.tags[0] if body.tags else "", body)
            return answer(type(body)) if callable(answer) else answer

        async def add_scores(self, *, body: list[int]) -> list[int]:
            return [*body, 11] if body == [7] else body  # 7: an answer off its item maximum

    return server.create_app(Pets())


@pytest.mark.parametrize(
    ("query", "headers", "field"),
    [
        ({"limit": "1000"}, {}, "limit"),
        ({"limit": "0"}, {}, "limit"),
        ({"above": "0"}, {}, "above"),
        ({"code": "a"}, {}, "code"),
        ({"code": "abcdef"}, {}, "code"),
        ({"code": "AB"}, {}, "code"),
        ({"tags": ["a", "b", "c"]}, {}, "tags"),
        ({}, {"X-Trace": "123456789"}, "X-Trace"),
        ({"ids": "1,2,3"}, {}, "ids"),  # parsed by the route (a joined list), checked there too
    ],
)
def test_documented_parameter_constraints_answer_422_naming_the_field(
    live: Live, contracts_app: Any, query: dict[str, Any], headers: dict[str, str], field: str
) -> None:
    live.app = contracts_app
    answer = httpx.get(f"{live.url}/pets", params=query, headers=headers)
    assert answer.status_code == 422, answer.text
    assert [error["loc"][-1] for error in answer.json()["detail"]] == [field]


def test_values_inside_the_constraints_are_served(live: Live, contracts_app: Any) -> None:
    live.app = contracts_app
    query = {"limit": "100", "above": "0.5", "code": "ab", "tags": ["a", "b"]}
    answer = httpx.get(f"{live.url}/pets", params=query, headers={"X-Trace": "12345678"})
    assert answer.status_code == 200, answer.text
    schema = contracts_app.openapi()["paths"]["/pets"]["get"]["parameters"][0]["schema"]
    bounded = next(s for s in schema.get("anyOf", [schema]) if s.get("type") == "integer")
    assert (bounded["minimum"], bounded["maximum"]) == (1, 100)  # documented in /openapi.json


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "toolong"}, ["body", "name"]),
        ({"name": ""}, ["body", "name"]),
        ({"name": "rex", "age": 31}, ["body", "age"]),
        ({"name": "rex", "tags": ["a", "b", "c"]}, ["body", "tags"]),
        ({"age": 3}, ["body", "name"]),
    ],
)
def test_documented_body_constraints_answer_422_naming_the_field(
    live: Live, contracts_app: Any, body: dict[str, Any], field: list[str]
) -> None:
    live.app = contracts_app
    answer = httpx.post(f"{live.url}/pets", json=body)
    assert answer.status_code == 422, answer.text
    assert [error["loc"] for error in answer.json()["detail"]] == [field]


@pytest.mark.parametrize(
    ("method", "path", "sent", "loc"),
    [
        ("GET", "/pets", {"params": {"codes": ["ab", "abcd"]}}, ["query", "codes", 1]),
        ("GET", "/pets", {"params": {"ids": "1,0"}}, ["ids", 1]),  # parsed by the route
        ("POST", "/scores", {"json": [1, 11]}, ["body", 1]),
        ("POST", "/scores", {"json": [1, 2, 3, 4]}, ["body"]),
        ("POST", "/pets", {"json": {"name": "rex", "labels": ["ok", "toolong"]}}, None),
    ],
)
def test_constraints_on_array_items_answer_422_naming_the_item(
    live: Live, contracts_app: Any, method: str, path: str, sent: Any, loc: list[Any] | None
) -> None:
    live.app = contracts_app
    answer = httpx.request(method, f"{live.url}{path}", **sent)
    assert answer.status_code == 422, answer.text
    found = [error["loc"] for error in answer.json()["detail"]]
    assert found == [loc] if loc else found[0][:4] == ["body", "labels", 1], found
    ok = {"codes": ["ab", "abc"], "ids": "1,2"} if method == "GET" else None
    good = httpx.request(
        method, f"{live.url}{path}", params=ok, json=[1, 10] if ok is None else None
    )
    assert (path == "/pets" and method == "POST") or good.status_code == 200, good.text


def test_an_off_contract_array_item_in_an_answer_is_a_500(live: Live, contracts_app: Any) -> None:
    live.app = contracts_app
    assert httpx.post(f"{live.url}/scores", json=[7]).status_code == 500


def test_an_answer_inside_the_contract_is_served(live: Live, contracts_app: Any) -> None:
    live.app = contracts_app
    answer = httpx.post(f"{live.url}/pets", json={"name": "rex", "age": 3})
    assert (answer.status_code, answer.json()) == (201, {"name": "rex", "age": 3})


@pytest.mark.parametrize("answer", sorted(ANSWERS))
def test_an_off_contract_answer_is_a_documented_500(
    live: Live, contracts_app: Any, answer: str
) -> None:
    live.app = contracts_app
    response = httpx.post(f"{live.url}/pets", json={"name": "rex", "tags": [answer]})
    assert response.status_code == 500, response.text
    # the spec documents no error body: RFC 9457 problem details
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "title": "Internal Server Error",
        "status": 500,
        "detail": "the implementation's answer does not match the documented response schema",
    }
