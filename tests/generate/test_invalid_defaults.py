"""A default its own schema rejects (ShipEngine's ``insured_value``) is dropped with a warning."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generate_helpers import import_models, models_text

from generator.generate import generate

MONEY = {
    "type": "object",
    "properties": {"amount": {"type": "number"}, "currency": {"type": "string"}},
}


def _spec(version: str) -> dict[str, Any]:
    wrapped = {"allOf": [{"$ref": "#/components/schemas/monetary_value"}]}
    package = {
        "type": "object",
        "properties": {
            # ShipEngine: a list for an object field, written by the models as the field's value
            "insured_value": wrapped | {"default": [{"amount": 0, "currency": "usd"}]},
            "declared_value": wrapped | {"default": {"amount": 1, "currency": "usd"}},
            "weight": {"type": "integer", "minimum": 1, "default": 0},
            "count": {"type": "integer", "default": 2},
            "note": {
                "type": "string",
                "default": None,
                **({"nullable": True} if version < "3.1" else {}),
            },
        },
    }
    return {
        "openapi": version,
        "info": {"title": "Defaults", "version": "1"},
        "paths": {},
        "components": {"schemas": {"monetary_value": MONEY, "package": package}},
    }


def test_a_default_its_schema_rejects_is_dropped_with_a_located_warning(tmp_path: Path) -> None:
    for version in ("3.0.3", "3.1.0"):
        path = tmp_path / f"spec{version}.json"
        path.write_text(json.dumps(_spec(version)), encoding="utf-8")
        generation = generate(path, only=frozenset({"models"}))
        dropped = {
            d.location.pointer: d.message
            for d in generation.diagnostics
            if d.code == "default-invalid" and d.location is not None
        }
        properties = "/components/schemas/package/properties"
        assert set(dropped) == {
            f"{properties}/insured_value/default",
            f"{properties}/weight/default",
        }, version
        assert "is not of type" in dropped[f"{properties}/insured_value/default"]
        text = models_text(generation.files)
        assert "insured_value: MonetaryValue | None = None" in text, version
        assert "weight: Annotated[int | None, Field(ge=1)] = None" in text, version

    (tmp_path / "models").mkdir()
    _, models = import_models(_spec("3.0.3"), tmp_path / "models", "defaults")
    package = models.Package()
    assert package.insured_value is None and package.weight is None
    assert package.declared_value.amount == 1 and package.count == 2 and package.note is None
