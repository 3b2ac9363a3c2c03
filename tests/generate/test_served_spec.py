"""The generated server's /openapi.json is the source spec: ``apibind diff`` finds no change."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from click.testing import CliRunner

from generator import served
from generator.cli import main
from generator.generate import Generation
from generator.served import served_document
from generator.spec import from_document, load_spec
from tests.generate.conftest import INSTALLED, SPECS, Live

pytestmark = pytest.mark.usefixtures("on_path")
# every test spec that is an API (common.yaml only holds schemas features.yaml refers to)
CASES = sorted(
    path.stem for path in SPECS.glob("*.yaml") if "openapi" in yaml.safe_load(path.read_text())
)


def _diff(old: Path, new: Path) -> list[dict[str, Any]]:
    result = CliRunner().invoke(main, ["diff", str(old), str(new), "--format", "json"])
    assert result.exit_code == 0, result.output
    changes: list[dict[str, Any]] = json.loads(result.output)["changes"]
    return changes


@pytest.mark.parametrize("case", [*CASES, "oracle"])
def test_apibind_diff_finds_no_change_between_source_and_served_spec(
    live: Live,
    generated: Callable[[str], Generation],
    server_of: Callable[[str], Any],
    tmp_path: Path,
    case: str,
) -> None:
    if case in INSTALLED:
        url = live.serve(generated(case).name)
    else:
        server = server_of(case)
        live.app = server.create_app(server.Api())
        url = live.url
    answer = httpx.get(f"{url}/openapi.json")
    assert answer.status_code == 200
    served = tmp_path / "served.json"
    served.write_text(answer.text, encoding="utf-8")
    source = INSTALLED.get(case, SPECS / f"{case}.yaml")
    assert _diff(source, served) == []
    # the check can fail: the same diff sees an edited description
    edited = answer.json()
    operation = next(iter(next(iter(edited["paths"].values())).values()))
    operation["description"] = "edited " + str(operation.get("description", ""))
    served.write_text(json.dumps(edited), encoding="utf-8")
    assert _diff(source, served) != []


def test_the_first_server_is_the_app_itself(live: Live) -> None:
    url = live.serve("swagger_petstore")
    servers = httpx.get(f"{url}/openapi.json").json()["servers"]
    assert servers == [{"url": "/", "description": "this server"}, {"url": "/api/v3"}]


def test_schemas_in_sibling_files_are_inlined() -> None:
    served = json.loads(served_document(load_spec(SPECS / "features.yaml")))
    assert "common.yaml" not in json.dumps(served)
    home = next(_properties_named("home", served))
    assert home["required"] == ["city"]
    # a property whose name looks like apibind's provenance is a name, kept
    assert next(_properties_named("x-apibind-note", served))


def _properties_named(name: str, node: Any) -> Iterator[Any]:
    if isinstance(node, dict):
        if name in (node.get("properties") or {}):
            yield node["properties"][name]
        for value in node.values():
            yield from _properties_named(name, value)
    elif isinstance(node, list):
        for value in node:
            yield from _properties_named(name, value)


def test_routes_added_by_hand_are_documented_too() -> None:
    import swagger_petstore_server as server

    app = server.create_app(server.Api())

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    document = app.openapi()
    assert "/health" in document["paths"] and "/pet/{petId}" in document["paths"]


def test_apibind_provenance_is_not_served() -> None:
    source = INSTALLED["oracle"].read_text(encoding="utf-8")
    assert "x-apibind-source" in source
    assert '"x-apibind-source":' not in served_document(load_spec(INSTALLED["oracle"]))


def test_openid_connect_schemes_are_served_as_openid_connect(
    live: Live, server_of: Callable[[str], Any]
) -> None:
    server = server_of("security")
    live.app = server.create_app(server.Api())
    schemes = httpx.get(f"{live.url}/openapi.json").json()["components"]["securitySchemes"]
    assert schemes["oidc"]["type"] == "openIdConnect" and schemes["oauth"]["type"] == "oauth2"


def _no_bundling(*_args: object) -> None:
    raise AssertionError("the document was copied")


@pytest.mark.parametrize("case", ["petstore", "security"])
def test_a_spec_with_nothing_to_inline_is_served_as_dumped_without_a_copy(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = load_spec(SPECS / f"{case}.yaml")
    monkeypatch.setattr(served, "_Bundler", _no_bundling)
    dumped = json.dumps(spec.document, ensure_ascii=False, indent=1, default=str) + "\n"
    assert served_document(spec) == dumped


def test_only_a_ref_to_another_file_or_provenance_makes_a_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = load_spec(SPECS / "petstore.yaml").document
    monkeypatch.setattr(served, "_Bundler", _no_bundling)
    for extra in ({"x-apibind-source": "a.txt:1"}, {"$ref": "other.yaml#/Pet"}, {"$ref": ""}):
        document = {**source, "components": {"schemas": {"Extra": extra}}}
        with pytest.raises(AssertionError, match="copied"):
            served_document(from_document(document, tmp_path / "spec.yaml"))


def test_values_json_has_no_type_for_are_served_as_valid_json(tmp_path: Path) -> None:
    source = load_spec(SPECS / "petstore.yaml").document
    examples = {
        "day": dt.date(2024, 2, 29),
        "moment": dt.datetime(2024, 2, 29, 13, 5, 9, tzinfo=dt.UTC),
        "nan": float("nan"),
        "huge": 2**70,
        "text": "é \u2028 \x01",
    }
    document = {**source, "x-examples": examples}
    text = served_document(from_document(document, tmp_path / "spec.yaml"))
    assert json.loads(text)["x-examples"] == {
        "day": "2024-02-29",
        "moment": "2024-02-29T13:05:09Z",
        "nan": None,  # JSON has no NaN: strict readers refuse the json module's ``NaN``
        "huge": 2**70,
        "text": "é \u2028 \x01",
    }
    assert '\n "x-examples": {\n  "day": "2024-02-29",\n' in text  # one space per level


def test_a_lone_surrogate_is_served_escaped(tmp_path: Path) -> None:
    source = load_spec(SPECS / "petstore.yaml").document
    text = served_document(from_document({**source, "x-odd": "\ud800"}, tmp_path / "spec.yaml"))
    assert '"x-odd": "\\ud800"' in text
    assert json.loads(text)["x-odd"] == "\ud800"
