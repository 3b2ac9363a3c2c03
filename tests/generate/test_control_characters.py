"""Control characters in enum values, names, titles, defaults and examples: escaped, kept exactly."""

from __future__ import annotations

import ast
import json
import subprocess
from pathlib import Path
from typing import Any

from ruff.__main__ import find_ruff_bin

from generator.generate import generate
from tests.generate.conftest import write_files
from tests.generate.generate_helpers import import_models

RAW = (
    "\u202e\u200b\ufeff\x0c"  # right-to-left override, zero-width space, byte-order mark, form feed
)


def _text(word: str) -> str:
    return f"{word}{RAW}end"


def _spec() -> dict[str, Any]:
    thing = {
        "type": "object",
        "title": _text("Title"),
        "required": [_text("req")],
        "properties": {
            _text("prop"): {
                "type": "string",
                "default": _text("default"),
                "example": _text("example"),
                "examples": [_text("examples")],
            },
            _text("req"): {"type": "integer"},
            "kind": {"type": "string", "enum": [_text("a"), "b"], "default": _text("a")},
            "fixed": {"const": _text("const")},
            "ref": {"$ref": "#/components/schemas/Kind"},
        },
    }
    parameters = [
        {"name": _text("q"), "in": "query", "schema": {"type": "string", "enum": [_text("qa")]}},
        {"name": f"X-Head{RAW}", "in": "header", "schema": {"type": "string"}},
    ]
    ok = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Controls", "version": "1"},
        "paths": {
            "/things": {
                "get": {
                    "operationId": "getThings",
                    "parameters": parameters,
                    "responses": {"200": {"description": "ok", **ok}},
                }
            }
        },
        "components": {
            "schemas": {"Thing": thing, "Kind": {"type": "string", "enum": [_text("k"), "\x0c"]}}
        },
    }


def test_control_characters_in_spec_values_are_escaped_and_kept_exactly(tmp_path: Path) -> None:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(_spec()), encoding="utf-8")
    files = generate(path, name="controls").files
    python = {p: text for p, text in files.items() if p.suffix == ".py"}
    for p, text in python.items():
        assert not any(char in text for char in RAW), p
    write_files(files, tmp_path / "out")
    for project in sorted((tmp_path / "out").iterdir()):
        check = [find_ruff_bin(), "check", "--no-cache", "--extend-select", "PLE", "."]
        done = subprocess.run(check, cwd=project, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout

    (tmp_path / "exact").mkdir()
    _, models = import_models(_spec(), tmp_path / "exact", "controls_exact")
    assert [member.value for member in models.Kind] == [_text("k"), "\x0c"]
    thing = models.Thing.model_validate({_text("req"): 1})
    assert thing.model_dump(by_alias=True)[_text("prop")] == _text("default")
    assert thing.kind is not None and thing.kind.value == _text("a")
    assert models.Thing.model_validate({_text("req"): 1, "fixed": _text("const")}).fixed == _text(
        "const"
    )
    field = models.Thing.model_fields[next(iter(models.Thing.model_fields))]
    assert field.examples == [_text("examples")]

    (client,) = [text for p, text in python.items() if p.name == "client.py"]
    literals = {
        node.value
        for node in ast.walk(ast.parse(client))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    assert {_text("q"), f"X-Head{RAW}"} <= literals
