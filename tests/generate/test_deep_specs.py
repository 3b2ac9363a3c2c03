"""Specs nested deeper than apibind's recursive stages go are refused with a pointer (issue 9)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from generate_helpers import models_source

from generator.cli import main
from generator.diagnostics import ApibindError
from generator.nesting import MAX_DEPTH, first_too_deep
from generator.spec import load_spec


def nested_spec(levels: int) -> dict[str, Any]:
    """A spec whose one component nests ``levels`` objects (two JSON levels each)."""
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(levels):
        schema = {"type": "object", "properties": {"a": schema}}
    ok = {
        "description": "ok",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Deep"}}},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Deep", "version": "1.0.0"},
        "paths": {"/x": {"get": {"operationId": "getX", "responses": {"200": ok}}}},
        "components": {"schemas": {"Deep": schema}},
    }


def test_a_schema_nested_300_deep_is_refused_with_a_pointer(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(nested_spec(300)))
    with pytest.raises(ApibindError) as caught:
        load_spec(path)
    [problem] = caught.value.diagnostics
    assert problem.code == "spec-too-deep"
    assert problem.location is not None
    assert problem.location.pointer == "/components/schemas/Deep/properties/a/properties"


def test_json_nested_past_the_reader_is_a_located_error_in_every_command(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"a":' * 5000 + "1" + "}" * 5000)  # json.loads gives up (RecursionError)
    runner = CliRunner()
    for args in (
        ["generate", str(path), "-o", str(tmp_path / "out")],
        ["diff", str(path), str(path)],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 1, result.output
        assert "deep.json: error: nested too deep to read" in result.output
        assert "[spec-too-deep]" in result.output


def test_a_spec_at_the_limit_generates(tmp_path: Path) -> None:
    levels = (MAX_DEPTH - 4) // 2  # the component itself sits 3 levels down
    assert first_too_deep(nested_spec(levels + 1)) is not None
    source = models_source(nested_spec(levels), tmp_path)
    assert "class Deep(" in source
