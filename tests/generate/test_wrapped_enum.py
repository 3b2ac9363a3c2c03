"""``allOf: [{$ref: enum}]`` beside a default (ShipEngine's sort_dir): a valid spec that generates."""

from __future__ import annotations

import ast
from pathlib import Path

from generate_helpers import client_text, models_text

from generator.generate import generate

SPEC = Path(__file__).parent / "specs" / "wrapped_enum.yaml"


def test_an_enum_wrapped_in_allof_generates_and_types_the_parameter_as_the_enum() -> None:
    files = generate(SPEC).files
    classes = {
        node.name: node
        for node in ast.parse(models_text(files)).body
        if isinstance(node, ast.ClassDef)
    }
    assert set(classes) == {"SortDir", "Wrapper"}
    assert ast.unparse(classes["Wrapper"].bases[0]) == "RootModel[SortDir]"
    assert 'sort_dir: _m.SortDir | Literal["asc", "desc"] | None = None' in client_text(files)
