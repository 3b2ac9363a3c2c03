"""Spec names equal to Python builtins never shadow them in the generated models."""

from __future__ import annotations

from pathlib import Path

from generate_helpers import import_models

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
    source, module = import_models(SPEC, tmp_path, "shadows")
    assert "class ExceptionModel(BaseModel):" in source and "class Exception(" not in source
    page = module.Page.model_validate(
        {"list": ["a"], "str": "s", "tags": ["t"], "error": {"message": "m"}}
    )
    assert page.list_ == ["a"] and page.str_ == "s"
    assert page.model_dump(by_alias=True, exclude_none=True)["list"] == ["a"]
