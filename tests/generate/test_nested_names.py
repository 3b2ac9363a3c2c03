"""Inline schemas get their class names from where they sit, never a generator's ``Model1``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from generate_helpers import import_models, models_text


def obj(field: str) -> dict[str, Any]:
    return {"type": "object", "properties": {field: {"type": "string"}}}


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Nested", "version": "1"},
    "paths": {},
    "components": {
        "schemas": {
            "Bill": {
                "type": "object",
                "required": ["lines"],
                "properties": {
                    "account": {"description": "Owning account", **obj("id")},
                    "status": {"type": "string", "enum": ["C1CF", "P "], "default": "P "},
                    "lines": {
                        "type": "object",
                        "properties": {"_data": {"type": "array", "items": obj("line")}},
                    },
                    "totals": {"type": "object", "additionalProperties": obj("total")},
                    "payer": {"oneOf": [obj("person"), obj("company")]},
                    "note": {"anyOf": [obj("text"), {"type": "null"}]},
                    "payee": obj("id"),  # the same schema as ``account``: the same class
                    "maybe": {"type": ["object", "null"], "properties": {"x": {"type": "integer"}}},
                    "state": {"type": ["string", "null"], "enum": ["open", "closed", None]},
                },
            },
            "Segment": {
                "allOf": [
                    {"$ref": "#/components/schemas/Bill"},
                    {"type": "object", "properties": {"account": obj("segment")}},
                ]
            },
            # a component whose name equals a derived one: the component keeps it
            "BillTotalsValue": {"type": "string"},
        }
    },
}


@pytest.fixture(scope="module")
def nested(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Any]:
    tmp_path: Path = tmp_path_factory.mktemp("nested")
    return import_models(SPEC, tmp_path, "nested")


def test_inline_schemas_are_named_after_parent_and_property(nested: tuple[str, Any]) -> None:
    _, module = nested
    fields = module.Bill.model_fields
    assert fields["account"].annotation == module.BillAccount | None
    assert fields["status"].annotation == module.BillStatus | None
    assert fields["lines"].annotation is module.BillLines
    assert module.BillLines.model_fields["field_data"].annotation == (
        list[module.BillLinesDataItem] | None
    )
    assert fields["totals"].annotation == dict[str, module.BillTotalsValue2] | None
    assert fields["payer"].annotation == module.BillPayerOption1 | module.BillPayerOption2 | None
    assert fields["note"].annotation == module.BillNote | None  # one real member: no "Option"
    assert module.SegmentAccount.model_fields["segment"].annotation == str | None


def test_identical_inline_schemas_share_one_class(nested: tuple[str, Any]) -> None:
    source, module = nested
    assert module.Bill.model_fields["payee"].annotation == module.BillAccount | None
    assert "class BillPayee(" not in source


def test_field_keywords_stay_on_the_field(nested: tuple[str, Any]) -> None:
    source, module = nested
    assert module.Bill.model_fields["status"].default is module.BillStatus.P_
    bill = module.Bill.model_validate({"status": "C1CF", "lines": {}})
    assert bill.status is module.BillStatus.C1CF
    assert '    account: BillAccount | None = None\n    """\n    Owning account\n' in source


def test_nullable_inline_schemas_get_a_class_and_keep_null_on_the_field(
    nested: tuple[str, Any],
) -> None:
    _, module = nested
    assert module.Bill.model_fields["maybe"].annotation == module.BillMaybe | None
    assert module.Bill.model_validate({"lines": {}, "maybe": None}).maybe is None
    assert module.Bill.model_validate({"lines": {}, "maybe": {"x": 1}}).maybe.x == 1
    assert module.Bill.model_fields["state"].annotation == module.BillState | None
    assert [m.value for m in module.BillState] == ["open", "closed"]
    assert module.Bill.model_validate({"lines": {}, "state": None}).state is None


def test_derived_names_never_take_a_component_name(nested: tuple[str, Any]) -> None:
    _, module = nested
    assert module.BillTotalsValue.model_validate("s").root == "s"  # the component keeps its name
    assert module.BillTotalsValue2.model_fields["total"].annotation == str | None


def test_oneof_members_narrowing_their_object_are_not_hoisted(generated) -> None:
    source = models_text(generated("features").files)
    assert "class CheckRunUpdateStatus(StrEnum):" in source
    assert "CheckRunUpdateOption" not in source  # merged by datamodel-code-generator instead


def test_openapi_30_nullable_inline_schemas_keep_null_on_the_field(tmp_path: Path) -> None:
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Old", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "Issue": {
                    "type": "object",
                    "required": ["reason", "owner"],
                    "properties": {
                        "reason": {"type": "string", "nullable": True, "enum": ["done", None]},
                        "owner": {"nullable": True, **obj("login")},
                    },
                }
            }
        },
    }
    _, module = import_models(spec, tmp_path, "old")
    fields = module.Issue.model_fields
    assert fields["reason"].annotation == module.IssueReason | None
    assert fields["owner"].annotation == module.IssueOwner | None
    assert fields["reason"].is_required() and fields["owner"].is_required()
    assert module.Issue.model_validate({"reason": None, "owner": None}).owner is None
