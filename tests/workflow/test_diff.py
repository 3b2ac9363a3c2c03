"""diff_specs: oasdiff-style classification on fixture pairs and small inline specs."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
import yaml

from generator.diagnostics import ApibindError
from generator.diff import (
    bump_version,
    diff_specs,
    proposed_bump,
    render_json,
    render_markdown,
    render_text,
)
from tests.workflow.conftest import FIXTURES

BASE = FIXTURES / "diff" / "base.yaml"


def load(name: str) -> dict[str, Any]:
    return yaml.safe_load((FIXTURES / "diff" / f"{name}.yaml").read_text())


def kinds(changes) -> set[tuple[str, bool]]:
    return {(c.kind, c.breaking) for c in changes}


@pytest.mark.parametrize(
    ("case", "expected", "bump"),
    [
        (
            "path_action_to_lifecycle",
            {("operation-removed", True), ("operation-added", False)},
            "major",
        ),
        ("schema_renamed", {("schema-renamed", True)}, "major"),
        ("title_changed", {("info-title-changed", False), ("summary-changed", False)}, "patch"),
        ("property_removed", {("property-removed", True)}, "major"),
        (
            "enum_value_removed",
            {("enum-value-removed", True), ("enum-value-removed", False)},
            "major",
        ),
        ("max_length_narrowed", {("max-length-narrowed", True)}, "major"),
        ("parameter_required", {("parameter-became-required", True)}, "major"),
        (
            "additions",
            {
                ("operation-added", False),
                ("parameter-added", False),
                ("property-added", False),
                ("enum-value-added", False),
            },
            "minor",
        ),
    ],
)
def test_fixture_pairs(case, expected, bump):
    changes = diff_specs(load("base"), load(case))
    assert kinds(changes) == expected
    assert proposed_bump(changes) == bump


def test_moved_operation_is_reported_as_removed_and_added_with_a_hint():
    changes = diff_specs(load("base"), load("path_action_to_lifecycle"))
    removed, added = sorted(changes, key=lambda c: c.kind, reverse=True)
    assert removed.operation == "stopServiceAgreement"
    assert (
        removed.pointer
        == "/paths/~1rest~1apis~1customer~1serviceAgreements~1{saId}~1action~1stop/post"
    )
    assert (
        "likely moved to POST /rest/apis/customer/serviceAgreements/{saId}/lifecycle/stop"
        in removed.message
    )
    assert "likely the new place of POST" in added.message and "/action/stop" in added.message


def test_move_is_detected_by_summary_when_operation_ids_differ():
    old, new = load("base"), load("path_action_to_lifecycle")
    new["paths"]["/rest/apis/customer/serviceAgreements/{saId}/lifecycle/stop"]["post"][
        "operationId"
    ] = "stopSa"
    messages = " ".join(c.message for c in diff_specs(old, new))
    assert "likely moved to" in messages


def test_pointers_and_messages_name_the_place():
    [removed] = diff_specs(load("base"), load("property_removed"))
    assert removed.pointer == "/components/schemas/Account/properties/balance"
    assert removed.operation == "getAccount"
    assert removed.message == "response property 'balance' removed"
    [renamed] = diff_specs(load("base"), load("schema_renamed"))
    assert "'Person' renamed to 'ContactPerson'" in renamed.message
    assert renamed.pointer == "/components/schemas/ContactPerson"


@pytest.mark.parametrize(
    ("version", "bump", "expected"),
    [
        ("1.2.3", "major", "2.0.0"),
        ("1.2.3", "minor", "1.3.0"),
        ("1.2.3", "patch", "1.2.4"),
        ("1.2.3", "none", "1.2.3"),
        ("unversioned", "minor", "0.1.0"),
        ("v2.0.9", "patch", "2.0.10"),
    ],
)
def test_bump_version(version, bump, expected):
    assert bump_version(version, bump) == expected


def test_identical_specs_have_no_changes():
    assert diff_specs(load("base"), load("base")) == []
    assert proposed_bump([]) == "none"


# --- inline specs for each rule -----------------------------------------------------------------


def op_spec(
    *, request: dict | None = None, response: dict | None = None, params: list | None = None
) -> dict[str, Any]:
    """A one-operation spec: POST /items with an optional request and 200 response schema."""
    operation: dict[str, Any] = {
        "operationId": "createItem",
        "responses": {"200": {"description": "ok"}},
    }
    if request is not None:
        operation["requestBody"] = {"content": {"application/json": {"schema": request}}}
    if response is not None:
        operation["responses"]["200"]["content"] = {"application/json": {"schema": response}}
    if params is not None:
        operation["parameters"] = params
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/items": {"post": operation}},
    }


def obj(required: list[str] | None = None, **props: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props, **({"required": required} if required else {})}


def one(old: dict, new: dict) -> tuple[str, bool]:
    [change] = diff_specs(old, new)
    return change.kind, change.breaking


@pytest.mark.parametrize(
    ("side", "old", "new", "expected"),
    [
        # types: widening a request or narrowing a response is safe
        ("request", {"type": "integer"}, {"type": "number"}, ("type-changed", False)),
        ("response", {"type": "integer"}, {"type": "number"}, ("type-changed", True)),
        ("request", {"type": "string"}, {"type": "integer"}, ("type-changed", True)),
        ("request", {"type": "string"}, {"type": ["string", "null"]}, ("type-changed", False)),
        (
            "response",
            {"type": "string"},
            {"type": "string", "nullable": True},
            ("type-changed", True),
        ),
        # formats
        (
            "request",
            {"type": "integer", "format": "int32"},
            {"type": "integer", "format": "int64"},
            ("format-changed", False),
        ),
        (
            "response",
            {"type": "integer", "format": "int32"},
            {"type": "integer", "format": "int64"},
            ("format-changed", True),
        ),
        (
            "request",
            {"type": "string", "format": "date"},
            {"type": "string", "format": "date-time"},
            ("format-changed", True),
        ),
        # enums: removing from a request breaks senders; adding to a response breaks parsers
        ("request", {"enum": ["A", "B"]}, {"enum": ["A"]}, ("enum-value-removed", True)),
        ("response", {"enum": ["A", "B"]}, {"enum": ["A"]}, ("enum-value-removed", False)),
        ("request", {"enum": ["A"]}, {"enum": ["A", "B"]}, ("enum-value-added", False)),
        ("response", {"enum": ["A"]}, {"enum": ["A", "B"]}, ("enum-value-added", True)),
        ("request", {"type": "string"}, {"type": "string", "enum": ["A"]}, ("enum-added", True)),
        # bounds: narrowed on requests, widened on responses
        ("request", {"maxLength": 50}, {"maxLength": 30}, ("max-length-narrowed", True)),
        ("response", {"maxLength": 50}, {"maxLength": 30}, ("max-length-narrowed", False)),
        ("response", {"maxLength": 30}, {"maxLength": 50}, ("max-length-widened", True)),
        ("request", {"maxLength": 30}, {}, ("max-length-widened", False)),
        ("request", {}, {"maximum": 9}, ("maximum-narrowed", True)),
        ("response", {"maximum": 9}, {}, ("maximum-widened", True)),
        ("request", {"minLength": 1}, {"minLength": 3}, ("min-length-narrowed", True)),
        (
            "request",
            {"type": "string"},
            {"type": "string", "pattern": "^[A-Z]+$"},
            ("pattern-changed", True),
        ),
    ],
)
def test_schema_rules(side, old, new, expected):
    key = "request" if side == "request" else "response"
    assert one(op_spec(**{key: obj(value=old)}), op_spec(**{key: obj(value=new)})) == expected


@pytest.mark.parametrize(
    ("side", "old", "new", "expected"),
    [
        ("request", obj(a={}), obj(["b"], a={}, b={}), ("required-property-added", True)),
        ("request", obj(a={}), obj(a={}, b={}), ("property-added", False)),
        ("response", obj(a={}), obj(["b"], a={}, b={}), ("property-added", False)),
        ("request", obj(a={}), obj(["a"], a={}), ("property-became-required", True)),
        ("request", obj(["a"], a={}), obj(a={}), ("property-became-optional", False)),
        ("response", obj(["a"], a={}), obj(a={}), ("property-became-optional", True)),
        ("response", obj(a={}), obj(["a"], a={}), ("property-became-required", False)),
        ("request", obj(a={}, b={}), obj(a={}), ("property-removed", True)),
        ("response", obj(accountId={}), obj(accountID={}), ("property-renamed", True)),
        (
            "response",
            obj(x={"type": "integer", "maximum": 3}),
            obj(y={"type": "integer", "maximum": 3}),
            ("property-renamed", True),
        ),
        ("request", obj(a={}), obj(["b"], a={}, b={"readOnly": True}), None),
        ("response", obj(a={}, b={"writeOnly": True}), obj(a={}), None),
        (
            "request",
            {"allOf": [obj(a={}), obj(b={})]},
            {"allOf": [obj(a={}), obj(["b"], b={})]},
            ("property-became-required", True),
        ),
        (
            "response",
            {"type": "array", "items": obj(a={}, b={})},
            {"type": "array", "items": obj(a={})},
            ("property-removed", True),
        ),
    ],
)
def test_property_rules(side, old, new, expected):
    """readOnly properties do not exist in requests, nor writeOnly ones in responses."""
    key = "request" if side == "request" else "response"
    changes = diff_specs(op_spec(**{key: old}), op_spec(**{key: new}))
    assert kinds(changes) == ({expected} if expected else set())


def test_placeholder_names_replaced_by_recovered_names_are_renames():
    placeholder = {"x-apibind-name": {"source": "placeholder"}}
    old = obj(
        unnamedProperty1={"type": "string", "maxLength": 60, **placeholder},
        unnamedProperty2={"type": "number", "maximum": 9999, **placeholder},
        status={"type": "string"},
    )
    new = obj(
        detail={"type": "string", "maxLength": 60},
        httpStatus={"type": "number", "maximum": 9999},
        status={"type": "string"},
    )
    messages = [c.message for c in diff_specs(op_spec(response=old), op_spec(response=new))]
    assert messages == [
        "response property 'unnamedProperty1' renamed to 'detail'",
        "response property 'unnamedProperty2' renamed to 'httpStatus'",
    ]


def param(name: str, required: bool = False, where: str = "query", **schema: Any) -> dict:
    return {"name": name, "in": where, "required": required, "schema": {"type": "string", **schema}}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ([], [param("q", required=True)], ("parameter-added-required", True)),
        ([], [param("q")], ("parameter-added", False)),
        ([param("q")], [], ("parameter-removed", True)),
        ([param("q")], [param("q", required=True)], ("parameter-became-required", True)),
        ([param("q", required=True)], [param("q")], ("parameter-became-optional", False)),
        ([param("q", maxLength=9)], [param("q", maxLength=5)], ("max-length-narrowed", True)),
        ([param("X-Id", where="header")], [param("x-id", where="header")], None),
        ([param("q")], [{**param("q"), "explode": False}], ("parameter-style-changed", True)),
        (
            [param("q")],
            [{**param("q"), "style": "pipeDelimited"}],
            ("parameter-style-changed", True),
        ),
        ([param("q")], [{**param("q"), "style": "form", "explode": True}], None),  # the defaults
        (
            [param("id", where="path", required=True)],
            [{**param("id", where="path", required=True), "style": "label"}],
            ("parameter-style-changed", True),
        ),
    ],
)
def test_parameter_rules(old, new, expected):
    changes = diff_specs(op_spec(params=old), op_spec(params=new))
    assert kinds(changes) == ({expected} if expected else set())


def test_operation_level_rules():
    old = op_spec(request=obj(a={}), response=obj(a={}))
    new = copy.deepcopy(old)
    post = new["paths"]["/items"]["post"]
    post["operationId"] = "makeItem"
    post["requestBody"]["required"] = True
    post["requestBody"]["content"]["application/xml"] = post["requestBody"]["content"].pop(
        "application/json"
    )
    post["responses"]["201"] = post["responses"].pop("200")
    post["responses"]["400"] = {"description": "bad"}
    assert kinds(diff_specs(old, new)) == {
        ("operation-id-changed", True),
        ("request-body-became-required", True),
        ("media-type-removed", True),
        ("media-type-added", False),
        ("response-status-removed", True),
        ("response-status-added", False),
    }
    back = kinds(diff_specs(new, old))
    assert ("response-status-removed", False) in back  # 400 is not a success status


def test_response_headers():
    old = op_spec(response=obj(a={}))
    old["paths"]["/items"]["post"]["responses"]["200"]["headers"] = {
        "X-Rate-Limit": {"schema": {"type": "integer"}},
        "ETag": {"schema": {"type": "string"}},
    }
    new = copy.deepcopy(old)
    headers = new["paths"]["/items"]["post"]["responses"]["200"]["headers"]
    del headers["X-Rate-Limit"]
    headers["etag"] = headers.pop("ETag")  # header names ignore case
    headers["etag"]["schema"]["enum"] = ["a"]
    headers["Location"] = {"schema": {"type": "string"}}
    assert kinds(diff_specs(old, new)) == {
        ("response-header-removed", True),
        ("response-header-added", False),
        ("enum-added", False),  # a response that narrows to an enum breaks nobody
    }


@pytest.mark.parametrize(("side", "breaking_if_removed"), [("request", True), ("response", False)])
def test_one_of_variants(side, breaking_if_removed):
    cat, dog = {"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}
    schemas = {"Cat": obj(meow={}), "Dog": obj(bark={})}

    def spec(*variants):
        document = op_spec(**{side: {"oneOf": list(variants)}})
        document["components"] = {"schemas": schemas}
        return document

    [removed] = diff_specs(spec(cat, dog), spec(cat))
    assert (removed.kind, removed.breaking) == ("variant-removed", breaking_if_removed)
    assert removed.message == "oneOf variant 'Dog' removed"
    [added] = diff_specs(spec(cat), spec(cat, dog))
    assert (added.kind, added.breaking) == ("variant-added", not breaking_if_removed)


def test_request_body_added_or_removed():
    bare, with_body = op_spec(), op_spec(request=obj(a={}))
    assert kinds(diff_specs(with_body, bare)) == {("request-body-removed", True)}
    assert kinds(diff_specs(bare, with_body)) == {("request-body-added", False)}
    with_body["paths"]["/items"]["post"]["requestBody"]["required"] = True
    assert kinds(diff_specs(bare, with_body)) == {("request-body-added-required", True)}


def test_renamed_path_parameter_keeps_the_operation():
    old = {"openapi": "3.1.0", "paths": {"/a/{id}": {"get": {"responses": {}}}}}
    new = {"openapi": "3.1.0", "paths": {"/a/{accountId}": {"get": {"responses": {}}}}}
    assert diff_specs(old, new) == []


def test_recursive_schemas_terminate_and_shared_changes_are_listed_once():
    node = {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
        },
    }
    old = {
        "openapi": "3.1.0",
        "paths": {
            f"/{name}": {
                "get": {
                    "operationId": name,
                    "responses": {
                        "200": {
                            "description": "",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Node"}
                                }
                            },
                        }
                    },
                }
            }
            for name in ("a", "b", "c")
        },
        "components": {"schemas": {"Node": node}},
    }
    new = copy.deepcopy(old)
    del new["components"]["schemas"]["Node"]["properties"]["id"]
    [change] = diff_specs(old, new)
    assert change.kind == "property-removed" and change.operation == "a"
    assert change.message.endswith("(and 2 more operation(s))")
    assert json.loads(render_json([change]))["changes"][0]["operations"] == ["a", "b", "c"]


def test_broken_ref_is_an_error_with_a_pointer():
    bad = op_spec(response={"$ref": "#/components/schemas/Nope"})
    with pytest.raises(ApibindError) as caught:
        diff_specs(op_spec(response=obj(a={})), bad)
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.code == "spec-bad-ref"
    assert "#/components/schemas/Nope points at nothing" in diagnostic.message
    assert (
        str(diagnostic.location)
        == "new spec#/paths/~1items/post/responses/200/content/application~1json/schema"
    )


def test_ref_cycle_is_an_error_naming_the_chain():
    bad = op_spec(response={"$ref": "#/components/schemas/A"})
    bad["components"] = {
        "schemas": {
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"$ref": "#/components/schemas/A"},
        }
    }
    with pytest.raises(
        ApibindError,
        match=r"\$ref cycle: /components/schemas/A -> /components/schemas/B -> /components/schemas/A",
    ):
        diff_specs(bad, bad)


def test_renderers():
    changes = diff_specs(load("base"), load("max_length_narrowed"))
    text = render_text(changes)
    first, second = text.splitlines()[:2]
    assert first.startswith(
        "BREAKING getAccount: path parameter 'accountId': maxLength changed from 10 to 8 (and 1 more"
    )
    assert second == (
        "BREAKING updateAccount: request property 'name': maxLength changed from 50 to 30 "
        "[max-length-narrowed] "
        "at #/components/schemas/AccountUpdate/properties/name/maxLength"
    )
    assert text.rstrip().endswith("proposed version bump: major.")
    markdown = render_markdown(diff_specs(load("base"), load("enum_value_removed")))
    assert "### Breaking changes" in markdown and "| updateAccount |" in markdown
    assert "### Non-breaking changes" in markdown and "| getAccount |" in markdown
    document = json.loads(render_json(changes))
    assert document["proposed_bump"] == "major" and document["breaking"] == 2
    assert set(document["changes"][0]) == {
        "kind",
        "breaking",
        "operation",
        "operations",
        "pointer",
        "message",
    }
    assert "No changes" in render_text([])


def test_markdown_escapes_table_cells():
    old = op_spec(request=obj(value={"enum": ["a|b", "c"]}))
    new = op_spec(request=obj(value={"enum": ["c"]}))
    assert "'a\\|b'" in render_markdown(diff_specs(old, new))


def secured(operation: list | None = None, top: list | None = None, **schemes: Any) -> dict:
    spec = op_spec()
    if operation is not None:
        spec["paths"]["/items"]["post"]["security"] = operation
    if top is not None:
        spec["security"] = top
    spec["components"] = {
        "securitySchemes": schemes
        or {
            "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
            "oauth": {"type": "oauth2", "flows": {}},
        }
    }
    return spec


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (secured(), secured(top=[{"key": []}]), {("security-added", True)}),
        (
            secured(operation=[{}, {"key": []}]),
            secured(operation=[{"key": []}]),
            {("security-added", True)},
        ),
        (secured(top=[{"key": []}]), secured(operation=[]), {("security-removed", False)}),
        (
            secured(operation=[{"key": []}, {"oauth": ["read"]}]),
            secured(operation=[{"key": []}]),
            {("security-requirement-removed", True)},
        ),
        (
            secured(operation=[{"oauth": ["read"]}]),
            secured(operation=[{"oauth": ["read", "write"]}]),
            {("security-requirement-removed", True), ("security-requirement-added", False)},
        ),
        (secured(top=[{"key": []}]), secured(operation=[{"key": []}]), set()),  # same, moved
    ],
)
def test_security_requirement_rules(old, new, expected):
    assert kinds(diff_specs(old, new)) == expected


def test_security_scheme_meaning_changes_are_breaking():
    old = secured(top=[{"key": []}], key={"type": "apiKey", "in": "header", "name": "X-Key"})
    new = secured(top=[{"key": []}], key={"type": "apiKey", "in": "query", "name": "key"})
    (change,) = diff_specs(old, new)
    assert (change.kind, change.breaking) == ("security-scheme-changed", True)
    assert change.pointer == "/components/securitySchemes/key"
    assert "in 'header' -> 'query'" in change.message and "name 'X-Key' -> 'key'" in change.message


def test_description_only_changes_propose_a_patch_with_their_places():
    old, new = load("base"), load("base")
    new["info"]["description"] = "Now documented."
    new["paths"]["/rest/apis/customer/accounts/{accountId}"]["get"]["description"] = "Longer."
    changes = diff_specs(old, new)
    assert kinds(changes) == {("documentation-changed", False)}
    by_pointer = {c.pointer: c.operation for c in changes}
    assert by_pointer == {
        "/info/description": "",
        "/paths/~1rest~1apis~1customer~1accounts~1{accountId}/get/description": (
            "GET /rest/apis/customer/accounts/{accountId}"
        ),
    }
    assert proposed_bump(changes) == "patch"


def test_a_property_named_description_is_a_schema_not_documentation():
    old = op_spec(response={"type": "object", "properties": {"description": {"type": "string"}}})
    new = copy.deepcopy(old)
    prop = new["paths"]["/items"]["post"]["responses"]["200"]["content"]["application/json"]
    prop["schema"]["properties"]["description"]["type"] = "integer"
    assert "documentation-changed" not in {c.kind for c in diff_specs(old, new)}


def test_changes_inside_a_moved_operation_are_reported():
    """/pets became /animals: its parameter made required and retyped is reported too."""
    query = {"name": "limit", "in": "query", "schema": {"type": "string"}}

    def spec(path: str, param: dict[str, Any]) -> dict[str, Any]:
        operation = {
            "operationId": "listPets",
            "parameters": [param],
            "responses": {"200": {"description": "ok"}},
        }
        return {
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {path: {"get": operation}},
        }

    changes = diff_specs(
        spec("/pets", query),
        spec("/animals", query | {"required": True, "schema": {"type": "integer"}}),
    )
    inside = [c for c in changes if c.kind not in ("operation-removed", "operation-added")]
    assert [(c.kind, c.operation, c.pointer) for c in inside] == [
        ("parameter-became-required", "listPets", "/paths/~1animals/get/parameters/0"),
        ("type-changed", "listPets", "/paths/~1animals/get/parameters/0/schema/type"),
    ]
    assert "query parameter 'limit'" in inside[1].message
