"""Identifiers apibind had to invent or disambiguate are reported where the spec names them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generate_helpers import client_text

from generator.generate import Generation, generate


def _op(operation_id: str, *params: str) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "parameters": [{"name": p, "in": "query", "schema": {"type": "string"}} for p in params],
        "responses": {"204": {"description": "done"}},
    }


SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Renames", "version": "1"},
    "paths": {
        "/a": {"post": _op("作成")},
        "/a2": {"post": _op("削除")},
        "/b": {"get": _op("get🐶", "名前", "fooBar", "foo_bar", "foo-bar", "Ünïcødé")},
        "/c": {"get": _op("getBill", "plainName")},
    },
    "components": {"schemas": {"fooBar": {"type": "string"}, "FooBar": {"type": "integer"}}},
}


def _generate(spec: dict[str, Any], tmp_path: Path, name: str | None = "renames") -> Generation:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return generate(path, name=name, only=frozenset({"client"}))


def test_every_invented_or_disambiguated_identifier_gets_a_located_warning(tmp_path: Path) -> None:
    warnings = {
        (d.location.pointer if d.location else None): d.message
        for d in _generate(SPEC, tmp_path).diagnostics
        if d.code == "name-changed"
    }
    b = "/paths/~1b/get/parameters"
    assert set(warnings) == {
        "/paths/~1a/post/operationId",
        "/paths/~1a2/post/operationId",
        "/paths/~1b/get/operationId",
        f"{b}/0/name",
        f"{b}/2/name",
        f"{b}/3/name",
        "/components/schemas/FooBar",
    }
    assert "'作成' becomes 'post': no letters or digits" in warnings["/paths/~1a/post/operationId"]
    assert "'削除' becomes 'post_2'" in warnings["/paths/~1a2/post/operationId"]
    assert "'post' is taken" in warnings["/paths/~1a2/post/operationId"]
    assert (
        "'get🐶' becomes 'get': '🐶' has no ASCII spelling"
        in warnings["/paths/~1b/get/operationId"]
    )
    assert "'名前' becomes 'param'" in warnings[f"{b}/0/name"]
    assert "'foo-bar' becomes 'foo_bar_3'" in warnings[f"{b}/3/name"]
    assert "'FooBar' becomes 'FooBar2'" in warnings["/components/schemas/FooBar"]


def test_transliterated_names_keep_their_meaning_without_a_warning(tmp_path: Path) -> None:
    generation = _generate(SPEC, tmp_path)
    client = client_text(generation.files)
    assert "unicode: str | None = None" in client
    assert not any("Ünïcødé" in d.message for d in generation.diagnostics)


def test_a_default_name_taken_by_a_well_known_project_is_warned_about(tmp_path: Path) -> None:
    spec = SPEC | {"info": {"title": "Kubernetes", "version": "1"}}
    generation = _generate(spec, tmp_path, name=None)
    (warning,) = [d for d in generation.diagnostics if d.code == "package-name-taken"]
    assert generation.name == "kubernetes"
    assert warning.hint is not None and "kubernetes-client" in warning.hint
    assert "--name" in warning.hint
    chosen = _generate(spec, tmp_path, name="kube_api")
    assert not [d for d in chosen.diagnostics if d.code == "package-name-taken"]
