"""Spec names equal to Python builtins never shadow them in the generated models."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

from generator.generate import generate

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Shadows", "version": "1"},
    "paths": {},
    "components": {
        "schemas": {
            "Exception": {"type": "object", "properties": {"message": {"type": "string"}}},
            "Page": {
                "type": "object",
                "properties": {
                    "list": {"type": "array", "items": {"type": "string"}},
                    "str": {"type": "string"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "error": {"$ref": "#/components/schemas/Exception"},
                },
            },
        }
    },
}


def test_builtin_names_become_safe_class_and_field_names(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    files = generate(spec, only=frozenset({"models"})).files
    (source,) = [text for path, text in files.items() if path.name == "models.py"]
    assert "class ExceptionModel(BaseModel):" in source and "class Exception(" not in source
    module_path = tmp_path / "models.py"
    module_path.write_text(source, encoding="utf-8")
    spec_ = importlib.util.spec_from_file_location("shadows_models", module_path)
    assert spec_ is not None and spec_.loader is not None
    module = importlib.util.module_from_spec(spec_)
    sys.modules[spec_.name] = module  # pydantic resolves postponed annotations through it
    spec_.loader.exec_module(module)
    page = module.Page.model_validate(
        {"list": ["a"], "str": "s", "tags": ["t"], "error": {"message": "m"}}
    )
    assert page.list_ == ["a"] and page.str_ == "s"
    assert page.model_dump(by_alias=True, exclude_none=True)["list"] == ["a"]
