"""Enum members: apibind's linear naming rule, and the enums whose members apibind writes itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from datamodel_code_generator.reference import EnumFieldNameResolver

from generator import enumclasses
from generator.naming import enum_member_names
from tests.generate.generate_helpers import import_models, models_source

ODD = ["a-b", "a_b", "A B", "", "_x", "9z", "class", "mro", "upper", "#", "#hash", "a-b", "x-1"]
ODD += ["x_1", "x_1_1", "None", "Ünïcødé", "ﬁ", "fi", "✓ok"]


def test_member_names_follow_datamodel_code_generators_rule_in_ascii() -> None:
    assert enum_member_names(ODD) == [
        "a_b",
        "a_b_1",
        "A_B",
        "field_",
        "field_x",
        "field_9z",
        "class_",
        "mro_",
        "upper_",
        "field__1",
        "hash",
        "a_b_2",
        "x_1",
        "x_1_1",
        "x_1_1_1",
        "None_",
        "Unicode",
        "fi",
        "fi_1",
        "field_ok",
    ]


def _spec(values: list[str], *, default: str | None = None) -> dict[str, Any]:
    kind: dict[str, Any] = {
        "type": "string",
        "description": 'Kinds of "things"\nsecond line',
        "enum": values,
        "x-enum-descriptions": [f"value {i}" if i % 3 else "" for i in range(len(values))],
    }
    field: dict[str, Any] = {"$ref": "#/components/schemas/Kind"}
    if default is not None:
        field["default"] = default
    thing = {
        "type": "object",
        "properties": {"kind": field, "kinds": {"type": "array", "items": field}},
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Kinds", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Kind": kind, "Thing": thing}},
    }


def test_enums_apibind_writes_come_out_as_datamodel_code_generator_writes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    values = [value for value in ODD if value.isascii()]
    spec = _spec(values, default="x-1")
    spec["components"]["schemas"]["Kind"]["x-enum-varnames"] = ["First one", "", "class"]
    by_them = models_source(spec, tmp_path)
    monkeypatch.setattr(enumclasses, "LARGE_ENUM", 0)
    by_apibind = models_source(spec, tmp_path)
    assert by_apibind == by_them
    assert "kind: Kind | None = Kind.x_1" in by_apibind
    assert "First_one = " in by_apibind and "class__1 = " in by_apibind


def test_a_large_enum_keeps_every_value_and_its_default(tmp_path: Path) -> None:
    values = [f"value-{i}" for i in range(enumclasses.LARGE_ENUM + 500)]
    _, models = import_models(_spec(values, default="value-1200"), tmp_path, "large_enum")
    assert [member.value for member in models.Kind] == values
    assert models.Kind("value-1499").name == "value_1499"
    assert models.Thing().kind is models.Kind.value_1200
    assert models.Thing(kinds=["value-7"]).kinds == [models.Kind.value_7]


def _int_spec(values: list[int], *, default: int | None = None) -> dict[str, Any]:
    spec = _spec([], default=None)
    kind = spec["components"]["schemas"]["Kind"] | {"type": "integer", "format": "int32"}
    kind["enum"] = values
    kind["x-enum-descriptions"] = [f"value {i}" if i % 3 else "" for i in range(len(values))]
    spec["components"]["schemas"]["Kind"] = kind
    if default is not None:
        spec["components"]["schemas"]["Thing"]["properties"]["kind"]["default"] = default
    return spec


def test_integer_enums_are_named_and_written_as_datamodel_code_generator_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = _int_spec([3, -3, 0, 10, 2_000_000_000], default=-3)
    named = models_source(spec, tmp_path)
    assert "integer__3 = -3" in named and "kind: Kind | None = Kind.integer__3" in named
    monkeypatch.setattr(enumclasses, "LARGE_ENUM", 0)
    assert models_source(spec, tmp_path) == named  # written by apibind
    monkeypatch.setattr(enumclasses, "_KINDS", {"string": str})
    assert models_source(spec, tmp_path) == named  # named by datamodel-code-generator


def test_a_large_integer_enum_keeps_every_value_and_its_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """datamodel-code-generator names no member of it (its naming is quadratic in members)."""
    calls: list[str] = []
    named = EnumFieldNameResolver.get_valid_name

    def counted(self: EnumFieldNameResolver, name: str, *args: Any, **kwargs: Any) -> str:
        calls.append(name)
        return named(self, name, *args, **kwargs)

    monkeypatch.setattr(EnumFieldNameResolver, "get_valid_name", counted)
    values = [i if i % 2 else -i for i in range(enumclasses.LARGE_ENUM + 500)]
    _, models = import_models(_int_spec(values, default=1201), tmp_path, "large_int_enum")
    assert len(calls) < 10
    assert [member.value for member in models.Kind] == values
    assert models.Kind(-1200).name == "integer__1200"
    assert models.Thing().kind is models.Kind.integer_1201
    assert models.Thing(kinds=[7]).kinds == [models.Kind.integer_7]
