"""Loading specs: every problem is an ApibindError located by a JSON pointer, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.diagnostics import ApibindError
from generator.spec import load_spec
from generator.specfile import dumps, load_yaml

SPECS = Path(__file__).parent / "specs"
MINIMAL = {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}}


def write(tmp_path: Path, document: object, name: str = "spec.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document) if name.endswith(".json") else str(document))
    return path


def error_of(path: Path) -> ApibindError:
    with pytest.raises(ApibindError) as caught:
        load_spec(path)
    return caught.value


def test_loads_yaml_and_json_of_both_versions(tmp_path: Path) -> None:
    assert load_spec(SPECS / "petstore.yaml").version == "3.0.4"
    assert load_spec(write(tmp_path, MINIMAL)).version == "3.1.0"


def test_swagger_2_is_refused_with_a_hint(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, {"swagger": "2.0", "info": {}, "paths": {}}))
    [problem] = error.diagnostics
    assert problem.code == "spec-swagger2"
    assert "not supported" in problem.message and "convert" in (problem.hint or "")
    assert problem.location is not None and problem.location.pointer == "/swagger"


def test_unknown_version_is_located(tmp_path: Path) -> None:
    [problem] = error_of(write(tmp_path, {**MINIMAL, "openapi": "4.0.0"})).diagnostics
    assert problem.code == "spec-version" and problem.location.pointer == "/openapi"


def test_validation_errors_carry_json_pointers(tmp_path: Path) -> None:
    bad = {**MINIMAL, "paths": {"/a": {"get": {"responses": {"200": {"content": {}}}}}}}
    problems = error_of(write(tmp_path, bad)).diagnostics
    assert problems and all(p.code == "spec-invalid" for p in problems)
    assert any((p.location.pointer or "").startswith("/paths/~1a/get") for p in problems)


def test_yaml_syntax_error_has_a_line(tmp_path: Path) -> None:
    [problem] = error_of(
        write(tmp_path, "openapi: 3.1.0\ninfo: [unclosed\n", "spec.yaml")
    ).diagnostics
    assert problem.code == "spec-syntax" and problem.location.line is not None


def test_remote_refs_are_refused_before_anything_is_fetched(tmp_path: Path) -> None:
    schema = {"$ref": "https://example.invalid/schema.json#/Pet"}
    document = {**MINIMAL, "components": {"schemas": {"Pet": schema}}}
    [problem] = error_of(write(tmp_path, document)).diagnostics
    assert problem.code == "spec-remote-ref"
    assert problem.location.pointer == "/components/schemas/Pet"


def test_refs_may_not_leave_the_spec_folder(tmp_path: Path) -> None:
    (tmp_path / "inner").mkdir()
    document = {**MINIMAL, "components": {"schemas": {"Pet": {"$ref": "../outside.json"}}}}
    [problem] = error_of(write(tmp_path / "inner", document)).diagnostics
    assert problem.code == "spec-ref-outside"


def test_refs_to_files_next_to_the_spec_resolve(tmp_path: Path) -> None:
    spec = load_spec(SPECS / "features.yaml")
    animal = spec.root.child("components", "schemas", "Animal", "allOf", 1, "properties", "home")
    target, where = spec.resolve(spec.get(animal), animal)
    assert where.file.name == "common.yaml" and where.pointer == "/Address"
    assert target["required"] == ["city"]


def test_missing_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    assert error_of(tmp_path / "nope.yaml").diagnostics[0].code == "spec-unreadable"


def test_duplicate_operation_ids_and_undeclared_path_parameters_are_located(tmp_path: Path) -> None:
    op = {"operationId": "same", "responses": {"200": {"description": "ok"}}}
    document = {**MINIMAL, "paths": {"/a/{id}": {"get": op}, "/b": {"get": op}}}
    problems = {
        (p.message.split(" ")[0], p.location.pointer)
        for p in error_of(write(tmp_path, document)).diagnostics
    }
    assert ("path", "/paths/~1a~1{id}/get") in problems
    assert ("duplicate", "/paths/~1b/get/operationId") in problems


def test_dangling_local_ref_is_located(tmp_path: Path) -> None:
    document = {
        **MINIMAL,
        "components": {"schemas": {"A": {"$ref": "#/components/schemas/Missing"}}},
    }
    [problem] = error_of(write(tmp_path, document)).diagnostics
    assert problem.code == "spec-bad-ref" and problem.location.pointer == "/components/schemas/A"
    assert "#/components/schemas/Missing" in problem.message


def test_yaml_keys_stay_the_text_written(tmp_path: Path) -> None:
    """Unquoted status codes and YAML 1.1 booleans (``on:``) are keys as written, not int/bool."""
    path = tmp_path / "spec.yaml"
    path.write_text(
        "openapi: 3.0.3\n"
        "info: {title: t, version: '1'}\n"
        "paths:\n"
        "  /x:\n"
        "    get:\n"
        "      responses:\n"
        "        200: &ok\n"
        "          description: ok\n"
        "          content:\n"
        "            application/json:\n"
        "              schema: {type: object, properties: {on: {type: boolean}, yes: {}}}\n"
        "        404: {<<: *ok, description: missing}\n"
    )
    spec = load_spec(path)
    responses = spec.document["paths"]["/x"]["get"]["responses"]
    assert list(responses) == ["200", "404"]
    assert responses["404"]["description"] == "missing" and "content" in responses["404"]
    schema = responses["200"]["content"]["application/json"]["schema"]
    assert list(schema["properties"]) == ["on", "yes"] and schema["type"] == "object"


@pytest.mark.parametrize("text", ["0340281111", "12", "-3", "1e5", "0o17", "0x1F", ".5"])
def test_digit_strings_are_quoted_for_yaml_1_2_readers(text: str) -> None:
    """Spectral and redocly read YAML 1.2: `0340281111` unquoted there is a number, not a string."""
    written = dumps({"example": text}, "spec.yaml")
    assert written == f"example: '{text}'\n"
    assert load_yaml(written) == {"example": text}
