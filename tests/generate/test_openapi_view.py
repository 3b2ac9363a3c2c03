"""The typed view of the OpenAPI input: refs followed, defaults filled in, broken operations held."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import openapi_view as oa
from generator.build import build_api
from generator.diagnostics import Diagnostics
from generator.ir import ModelSet, Parameter, Primitive
from generator.spec import load_spec


def _spec(tmp_path: Path, paths: dict[str, Any], **extra: Any) -> Path:
    document = {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": paths}
    (tmp_path / "api.yaml").write_text(yaml.safe_dump(document | extra))
    return tmp_path / "api.yaml"


def _view(path: Path) -> oa.OpenApi:
    return oa.read_view(load_spec(path))


def test_refs_are_followed_and_defaults_filled_in(tmp_path: Path) -> None:
    components = {
        "parameters": {"Id": {"name": "id", "in": "path", "required": True, "schema": {}}},
        "responses": {
            "Ok": {
                "description": "fine",
                "headers": {"X-Rate": {"$ref": "#/components/headers/Rate"}},
                "content": {"application/json": {"schema": {"type": "integer"}}},
            }
        },
        "headers": {"Rate": {"schema": {"type": "integer"}, "description": "left"}},
        "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
    }
    path = _spec(
        tmp_path,
        {
            "/a/{id}": {
                "get": {
                    "parameters": [{"$ref": "#/components/parameters/Id"}],
                    "responses": {"200": {"$ref": "#/components/responses/Ok"}},
                }
            }
        },
        components=components,
        security=[{"key": []}],
    )
    view = _view(path)
    op = view.operations[0]
    assert isinstance(op, oa.Operation)
    (param,) = op.parameters
    assert (param.name, param.location, param.required, param.style, param.explode) == (
        "id",
        "path",
        True,
        None,
        None,
    )
    assert param.at.pointer == "/components/parameters/Id"
    assert (op.operation_id, op.tags, op.security, op.deprecated) == (None, (), None, False)
    (response,) = op.responses
    assert (response.status, response.description) == ("200", "fine")
    assert response.content[0].schema.node == {"type": "integer"}
    assert response.content[0].schema.at.pointer == (
        "/components/responses/Ok/content/application~1json/schema"
    )
    (header,) = response.headers
    assert (header.name, header.description, header.required) == ("X-Rate", "left", False)
    assert header.at.pointer == "/components/headers/Rate"
    assert view.security == (oa.Requirement(schemes=(("key", ()),)),)
    (scheme,) = view.security_schemes
    assert (scheme.type, scheme.location, scheme.param_name) == ("apiKey", "header", "X-Key")


def test_an_operation_parameter_replaces_the_path_items_of_the_same_name(tmp_path: Path) -> None:
    shared = [
        {"name": "q", "in": "query", "description": "shared", "schema": {}},
        {"name": "q", "in": "header", "schema": {}},
    ]
    own = [{"name": "q", "in": "query", "description": "own", "content": {"text/plain": {}}}]
    path = _spec(tmp_path, {"/a": {"parameters": shared, "get": {"parameters": own}}})
    op = _view(path).operations[0]
    assert isinstance(op, oa.Operation)
    assert [(p.location, p.description) for p in op.parameters] == [
        ("query", "own"),
        ("header", ""),
    ]
    assert op.parameters[0].schema == oa.SchemaAt(
        None, op.at.child("parameters", 0, "content", "text/plain", "schema")
    )


def test_an_unreadable_operation_is_skipped_and_the_rest_generated(tmp_path: Path) -> None:
    # files next to the spec are not validated: a parameter there may lack a valid `in`
    (tmp_path / "common.yaml").write_text(yaml.safe_dump({"Bad": {"name": "x", "in": "body"}}))
    path = _spec(
        tmp_path,
        {
            "/a": {"get": {"operationId": "broken", "parameters": [{"$ref": "common.yaml#/Bad"}]}},
            "/b": {"get": {"operationId": "fine"}},
        },
    )
    skipped, fine = _view(path).operations
    assert isinstance(skipped, oa.SkippedOperation) and isinstance(fine, oa.Operation)
    diagnostics = Diagnostics()
    api = build_api(load_spec(path), name="x", diagnostics=diagnostics)
    assert [op.ident for op in api.operations] == ["fine"]
    assert [(d.code, d.location.pointer) for d in diagnostics if d.location] == [
        ("operation-skipped", "/paths/~1a/get/parameters/0")
    ]


def test_the_ir_is_built_by_keyword_and_the_models_document_is_no_shared_dict(
    tmp_path: Path,
) -> None:
    with pytest.raises(TypeError):
        Parameter("q", "q", "query", False, Primitive("str"), "", "form", True)  # type: ignore[misc]
    schemas = {"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}}
    path = _spec(tmp_path, {}, components={"schemas": schemas})
    models = build_api(load_spec(path), name="x", diagnostics=Diagnostics()).models
    first = models.document()
    first["components"]["schemas"].clear()
    assert list(models.document()["components"]["schemas"]) == ["Pet"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        models.source = json.dumps({})  # type: ignore[misc]
    assert isinstance(models, ModelSet)
