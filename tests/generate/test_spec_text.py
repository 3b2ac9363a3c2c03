"""Spec text in generated files: no control characters, escaped Markdown, UTF-8 TOML, capped docs."""

from __future__ import annotations

import json
import subprocess
import tomllib
from pathlib import Path
from typing import Any

from generate_helpers import models_text
from ruff.__main__ import find_ruff_bin

from generator.generate import Generation, generate
from tests.generate.conftest import write_files

CONTROLS = "\u202e rtl \u2066 isolate \u200b zero-width \ufeff bom \x0c form feed \x1b escape"


def _spec(title: str = "Things", **extra: Any) -> dict[str, Any]:
    thing = {
        "type": "object",
        "title": f"Thing {CONTROLS}",
        "description": f"A thing {CONTROLS}",
        "properties": {
            "kind": {
                "type": "string",
                "description": f"kind {CONTROLS}",
                "enum": ["a", "b"],
                "x-enum-varnames": ["A", "B"],
                "x-enum-descriptions": [f"first {CONTROLS}", "second"],
            },
            "name": {"type": "string", "description": f"name {CONTROLS}"},
        },
    }
    get = {
        "operationId": "getThing",
        "summary": "Get a <b>thing</b> | [link](http://x) `code`",
        "description": f"op {CONTROLS}",
        "responses": {
            "200": {
                "description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
            }
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": "1.0"},
        "paths": {"/things/`x`": {"get": get}},
        "components": {"schemas": {"Thing": thing}},
    } | extra


def _generate(spec: dict[str, Any], tmp_path: Path) -> Generation:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return generate(path, name="things")


def test_control_characters_of_descriptions_never_reach_generated_python(tmp_path: Path) -> None:
    generation = _generate(_spec(), tmp_path)
    write_files(generation.files, tmp_path / "out")
    for path, text in generation.files.items():
        if path.suffix == ".py":
            assert not any(c in text for c in "\u202e\u2066\u200b\ufeff\x0c\x1b"), path
    for project in sorted((tmp_path / "out").iterdir()):
        check = [find_ruff_bin(), "check", "--no-cache", "--extend-select", "PLE", "."]
        done = subprocess.run(check, cwd=project, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout


HOSTILE_TITLE = "Pets\n# Injected heading\n<script>alert(1)</script>\n```\n[project]\nname = 'x'"


def test_readmes_show_spec_text_as_escaped_text(tmp_path: Path) -> None:
    files = _generate(_spec(HOSTILE_TITLE), tmp_path).files
    readmes = {path: text for path, text in files.items() if path.name == "README.md"}
    assert len(readmes) == 3
    for path, text in readmes.items():
        lines = text.splitlines()
        assert not any(line.startswith("# Injected") for line in lines), path
        assert "<script>" not in text and "\\<script\\>" in text, path
        assert not any(line.startswith("[project]") for line in lines), path
        assert sum(line.startswith("```") for line in lines) % 2 == 0, path
    client = next(text for path, text in readmes.items() if "client" in str(path))
    row = next(line for line in client.splitlines() if line.startswith("| `get_thing`"))
    assert "<b>" not in row and "\\<b\\>thing\\</b\\>" in row
    assert "\\[link\\]\\(http://x\\)" in row and "\\`code\\`" in row
    assert row.count(" | ") == 2  # the summary's | does not add a column
    assert "`` GET /things/`x` ``" in row


def test_pyproject_is_utf8_toml_text(tmp_path: Path) -> None:
    files = _generate(_spec("Pets 🐶 Café API"), tmp_path).files
    for path, text in files.items():
        if path.name == "pyproject.toml":
            assert "\\u" not in text and "\\U" not in text, path
            description = tomllib.loads(text)["project"]["description"]
            assert description.endswith("Pets 🐶 Café API"), path


def test_huge_descriptions_are_capped_with_the_place_of_the_full_text(tmp_path: Path) -> None:
    spec = _spec()
    huge = "word " * 200_000  # 1 MB
    spec["paths"]["/things/`x`"]["get"]["description"] = huge
    spec["components"]["schemas"]["Thing"]["properties"]["name"]["description"] = huge
    files = _generate(spec, tmp_path).files
    client = next(text for path, text in files.items() if path.name == "client.py")
    models = models_text(files)
    assert len(client) < 40_000 and len(models) < 20_000
    assert client.count("more characters in the spec at spec.json#/paths/~1things~1`x`/get") == 2
    assert (
        "in the spec at spec.json#/components/schemas/Thing/properties/name/description" in models
    )
