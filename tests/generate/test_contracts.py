"""Documented parameter constraints are enforced by the generated server (422 naming the field)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from generator.constraints import constraints
from generator.generate import generate
from tests.generate.conftest import SPECS, Live, write_files


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


@pytest.fixture(scope="module")
def contracts_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    root = tmp_path_factory.mktemp("contracts")
    write_files(generate(SPECS / "contracts.yaml").files, root)
    paths = [str(root / "contracts_models"), str(root / "contracts_server")]
    sys.path[:0] = paths
    server = importlib.import_module("contracts_server")

    class Pets(server.Api):
        async def list_pets(self, **arguments: Any) -> list[str]:
            return sorted(arguments)

    yield server.create_app(Pets())
    del sys.path[:2]


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
