"""The models package: where the peers break most (composition, nullability, maps, recursion, enums)."""

from __future__ import annotations

import pytest
from generate_helpers import models_text
from pydantic import ValidationError

pytestmark = pytest.mark.usefixtures("on_path")


def test_enum_members_are_named_from_labels_with_exact_values() -> None:
    from feature_zoo_models import Kind

    assert {m.name: m.value for m in Kind} == {
        "CANCEL_FROZEN": "C1CF",
        "CANCELED": "C ",
        "INCOMPLETE": "10 ",
    }


def test_oracle_enum_labels_become_member_names() -> None:
    import oracle_utilities_models as models

    values = [
        member.value
        for cls in (getattr(models, name) for name in models.__all__)
        if isinstance(cls, type) and hasattr(cls, "__members__")
        for member in cls
    ]
    assert any(v.endswith(" ") for v in values), "trailing spaces of Oracle codes must survive"
    action = models.C1ActionBillAction
    assert "CANCEL_FROZEN" in action.__members__ and action.CANCEL_FROZEN.value == "C1CF"


def test_discriminated_oneof_picks_the_right_class() -> None:
    from feature_zoo_models import Cat, Dog, Pet

    assert isinstance(Pet.model_validate({"petType": "dog"}).root, Dog)
    assert isinstance(Pet.model_validate({"petType": "cat", "lives": 9}).root, Cat)
    with pytest.raises(ValidationError):
        Pet.model_validate({"petType": "cow"})


def test_allof_nullable_versus_optional_and_maps() -> None:
    from feature_zoo_models import Animal

    base = {"name": "n", "pet": {"petType": "dog"}}
    with pytest.raises(ValidationError):
        Animal.model_validate(base)  # nickname is required, though nullable
    animal = Animal.model_validate(
        {**base, "nickname": None, "labels": {"a": "b"}, "home": {"city": "X"}}
    )
    assert animal.nickname is None and animal.age is None and animal.labels == {"a": "b"}
    assert animal.model_dump(exclude_unset=True, mode="json")["nickname"] is None
    with pytest.raises(ValidationError):
        Animal.model_validate({**base, "nickname": None, "labels": {"a": 1}})
    assert "age" not in animal.model_dump(exclude_unset=True)  # optional: omitted, not sent as null


def test_recursive_schema() -> None:
    from feature_zoo_models import TreeNode

    tree = TreeNode.model_validate(
        {"value": "a", "children": [{"value": "b", "children": []}], "parent": None}
    )
    assert tree.children is not None and tree.children[0].value == "b"


def test_petstore_inventory_map_and_optional_fields() -> None:
    from swagger_petstore_models import Order, Pet

    assert Pet.model_validate({"name": "x", "photoUrls": []}).tags is None
    assert Order.model_validate({"status": "approved"}).status is not None


def test_patterns_pydantic_cannot_compile_are_dropped_with_a_warning(tmp_path) -> None:
    import json
    from pathlib import Path

    from generator.generate import generate

    schema = {"type": "object", "properties": {"a": {"type": "string", "pattern": "^(?=x)"}}}
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "p", "version": "1"},
        "paths": {},
        "components": {"schemas": {"A": schema}},
    }
    path = Path(tmp_path) / "spec.json"
    path.write_text(json.dumps(spec))
    result = generate(path)
    assert [d.code for d in result.diagnostics] == ["pattern-dropped"]
    assert "(?=x)" not in "".join(result.files.values())


def test_a_pattern_that_is_no_ecma_regex_does_not_refuse_the_spec(tmp_path) -> None:
    """OpenAPI 3.0's schema says ``format: regex``; AWS specs break it. Structure is what counts."""
    import json
    from pathlib import Path

    from generator.generate import generate

    properties = {
        "key": {"type": "string", "pattern": r"^([\w- ]+)$"},  # no ECMA (unicode) regex
        "arn": {"type": "string", "pattern": r"arn:[\p{Alnum}\-]+"},
    }
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "p", "version": "1", "termsOfService": "not a url"},
        "paths": {},
        "components": {"schemas": {"A": {"type": "object", "properties": properties}}},
    }
    path = Path(tmp_path) / "spec.json"
    path.write_text(json.dumps(spec))
    result = generate(path)
    dropped = [d for d in result.diagnostics if d.code == "pattern-dropped"]
    assert sorted(d.location.pointer for d in dropped) == [
        "/components/schemas/A/properties/arn/pattern",
        "/components/schemas/A/properties/key/pattern",
    ]
    models = models_text(result.files)
    assert "class A(BaseModel):" in models and "Alnum" not in models
