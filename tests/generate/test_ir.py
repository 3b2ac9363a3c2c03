"""The IR built from a spec: names, parameters, bodies, responses and security, read once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.build import build_api
from generator.diagnostics import Diagnostics
from generator.ir import Api, DictOf, ListOf, ModelRef, Nullable, Operation, Primitive
from generator.render import pytype
from generator.spec import load_spec

SPECS = Path(__file__).parent / "specs"


@pytest.fixture(scope="module")
def zoo() -> Api:
    return build_api(load_spec(SPECS / "features.yaml"), name=None, diagnostics=Diagnostics())


def by_ident(api: Api, ident: str) -> Operation:
    return next(op for op in api.operations if op.ident == ident)


def test_names_come_from_operation_ids_or_method_and_path(zoo: Api) -> None:
    idents = [op.ident for op in zoo.operations]
    assert "list_animals" in idents and "put_animals_animal_id_notes" in idents
    assert zoo.package == "feature_zoo" and zoo.base_url == "https://example.test:8443/zoo"
    assert [(v.name, v.default) for v in zoo.server_variables] == [
        ("host", "example.test"),
        ("port", "8443"),
    ]


def test_parameters_are_typed_and_located(zoo: Api) -> None:
    params = {p.name: p for p in by_ident(zoo, "list_animals").parameters}
    assert params["limit"].type == Primitive("int") and not params["limit"].required
    assert params["kind"].type == ModelRef("Kind")
    assert params["tag"].type == ListOf(Primitive("str"))
    assert (params["X-Trace-Id"].ident, params["X-Trace-Id"].location) == ("x_trace_id", "header")
    assert params["session"].location == "cookie"


def test_bodies_and_responses(zoo: Api) -> None:
    notes = by_ident(zoo, "put_animals_animal_id_notes")
    assert notes.body is not None and notes.body.type == ModelRef("PutAnimalsAnimalIdNotesRequest")
    assert notes.success is not None and notes.success.status == "200"
    assert notes.success.type == Nullable(
        ModelRef("PutAnimalsAnimalIdNotesResponse")
    )  # 204 has no body
    assert [r.status for r in notes.responses] == ["200", "204"]
    assert (
        by_ident(zoo, "login").body.kind == "form" and by_ident(zoo, "login").success.kind == "text"
    )
    assert by_ident(zoo, "upload_file").body.kind == "multipart"
    assert by_ident(zoo, "upload_file").success.type == DictOf(Primitive("int"))
    assert by_ident(zoo, "download_file").success.kind == "binary"
    assert [r.status for r in by_ident(zoo, "list_animals").errors] == ["4XX"]
    assert by_ident(zoo, "create_animal").errors[0].type == ModelRef("Problem")


def test_security_per_operation(zoo: Api) -> None:
    assert by_ident(zoo, "list_animals").security == (("bearer",),)
    assert by_ident(zoo, "get_tree").security == ()
    assert by_ident(zoo, "upload_file").security == (("api_key_query",), ("api_key_cookie",))
    assert {s.ident: s.kind for s in zoo.security_schemes} == {
        "bearer": "bearer",
        "basic": "basic",
        "api_key_query": "apikey",
        "api_key_cookie": "apikey",
        "oauth": "oauth2",
    }


def test_unsupported_schemes_are_left_out_of_the_requirements(tmp_path: Path) -> None:
    security = [{"digest": [], "key": []}, {"mtls": []}, {"key": []}]
    op = {"operationId": "a", "security": security, "responses": {"200": {"description": "ok"}}}
    schemes = {
        "digest": {"type": "http", "scheme": "digest"},
        "mtls": {"type": "mutualTLS"},
        "key": {"type": "apiKey", "in": "header", "name": "K"},
    }
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": op}},
        "components": {"securitySchemes": schemes},
    }
    (tmp_path / "s.json").write_text(json.dumps(spec))
    api = build_api(load_spec(tmp_path / "s.json"), name="x", diagnostics=Diagnostics())
    # the first two keep what the client can send; mTLS is the http_client's: nothing to send
    assert api.operations[0].security == (("key",), ())


def test_pytype_spells_the_type_tree() -> None:
    assert pytype(Nullable(ListOf(ModelRef("Pet")))) == "list[_m.Pet] | None"
    assert pytype(DictOf(Primitive("Any"))) == "dict[str, Any]"


def test_structured_parameters_become_str_with_one_located_warning(tmp_path: Path) -> None:
    param = {"$ref": "#/components/parameters/filter"}
    op = {"operationId": "a", "parameters": [param], "responses": {"200": {"description": "ok"}}}
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": op}, "/b": {"get": {**op, "operationId": "b"}}},
        "components": {
            "parameters": {
                "filter": {
                    "name": "f",
                    "in": "query",
                    "schema": {"type": "object", "properties": {"x": {}}},
                }
            }
        },
    }
    (tmp_path / "s.json").write_text(json.dumps(spec))
    diagnostics = Diagnostics()
    api = build_api(load_spec(tmp_path / "s.json"), name="x", diagnostics=diagnostics)
    assert api.operations[0].parameters[0].type == Primitive("str")
    assert {(d.code, d.location.pointer) for d in diagnostics} == {
        ("parameter-simplified", "/components/parameters/filter")
    }


def test_response_headers_get_one_field_each_over_all_2xx_responses(tmp_path: Path) -> None:
    def header(schema: dict[str, object]) -> dict[str, object]:
        return {"schema": schema}

    structured = {"type": "array", "minItems": 2, "items": {"type": "object"}}
    responses = {
        "200": {"description": "ok", "headers": {"X-Rate-Limit": header({"type": "integer"})}},
        "201": {
            "description": "made",
            "headers": {
                "x-rate-limit": header({"type": "integer"}),  # the same header, other case
                "X_Rate_Limit": header({"type": "string"}),  # another one, the same snake name
                "X-Shape": header(structured),
            },
        },
    }
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"operationId": "a", "responses": responses}}},
    }
    (tmp_path / "s.json").write_text(json.dumps(spec))
    api = build_api(load_spec(tmp_path / "s.json"), name="x", diagnostics=Diagnostics())
    fields = {h.name: h for h in api.operations[0].reply_headers}
    assert {name: h.ident for name, h in fields.items()} == {
        "X-Rate-Limit": "x_rate_limit",
        "X_Rate_Limit": "x_rate_limit_2",
        "X-Shape": "x_shape",
    }
    # a structured header travels as text: the array's minItems is not a text length
    assert fields["X-Shape"].type == Primitive("str") and fields["X-Shape"].constraints == ()
