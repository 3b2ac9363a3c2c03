"""An ``allOf`` that retypes an inherited field (fulfillment.com's hydrated order) type-checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from generate_helpers import import_models

from generator.modelflatten import flatten_retyped

ITEM = {"type": "object", "properties": {"sku": {"type": "string"}}}
ORDER = {
    "type": "object",
    "description": "An order.",
    "required": ["id"],
    "properties": {
        "id": {"type": "integer"},
        "note": {"type": "string", "description": "Free text."},
        "items": {"type": "array", "items": ITEM},
    },
}
HYDRATED = {
    "description": "An order with its items filled in.",
    "allOf": [
        {"$ref": "#/components/schemas/Order"},
        {
            "type": "object",
            "properties": {
                "items": {
                    "type": "array",
                    "items": {
                        **ITEM,
                        "properties": {**ITEM["properties"], "qty": {"type": "integer"}},
                    },
                },
                "extra": {"type": "boolean"},
            },
        },
    ],
}
SAME_TYPE = {
    "allOf": [{"$ref": "#/components/schemas/Order"}, {"properties": {"more": {"type": "string"}}}]
}
SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Orders", "version": "1"},
    "paths": {},
    "components": {"schemas": {"Order": ORDER, "HydratedOrder": HYDRATED, "LongOrder": SAME_TYPE}},
}


def test_a_subclass_that_retypes_a_field_is_flattened_and_passes_mypy(tmp_path: Path) -> None:
    text, models = import_models(SPEC, tmp_path, "orders")
    assert "class HydratedOrder(BaseModel):" in text  # not a subclass of Order any more
    assert "class LongOrder(Order):" in text  # a subclass that only adds fields stays one
    hydrated = models.HydratedOrder.model_validate(
        {"id": 1, "note": "n", "items": [{"sku": "a", "qty": 2}], "extra": True}
    )
    assert hydrated.items[0].qty == 2 and hydrated.note == "n" and hydrated.extra is True
    assert list(models.HydratedOrder.model_fields) == ["id", "note", "items", "extra"]
    hydrated_text = text.split("class HydratedOrder(")[1].split("\nclass ")[0]
    assert "Free text." in hydrated_text  # an inherited field keeps its docstring
    assert models.HydratedOrder.__doc__.strip() == "An order with its items filled in."

    site = tmp_path / "orders_models"
    mypy = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull]
    result = subprocess.run(
        [*mypy, "-p", "orders_models"],
        cwd=site,
        env={**os.environ, "MYPYPATH": str(site)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout


def test_flattening_keeps_inherited_statements_in_order_and_drops_redefined_ones() -> None:
    source = (
        "class A(BaseModel):\n"
        '    """A."""\n\n'
        "    model_config = ConfigDict(extra='forbid')\n"
        "    x: int\n"
        '    """The x."""\n'
        "    y: str | None = None\n\n\n"
        "class B(A):\n"
        "    y: bytes | None = None\n\n\n"
        "class C(B):\n"
        "    pass\n"
    )
    flattened = flatten_retyped(source)
    assert flattened.split("class B")[0] == source.split("class B")[0]
    assert (
        "class B(BaseModel):\n"
        "    model_config = ConfigDict(extra='forbid')\n"
        "    x: int\n"
        '    """The x."""\n'
        "    y: bytes | None = None\n"
    ) in flattened
    assert "class C(B):\n    pass\n" in flattened  # C keeps B's types: nothing to flatten
