"""The models module split: groups of classes packed into modules that import each other acyclically."""

from __future__ import annotations

import ast
import re

from generator.modelsplit import split_models

HEADER = "from __future__ import annotations\n\nfrom pydantic import BaseModel\n\n\n"


def source(classes: dict[str, list[str]]) -> str:
    """A flat models module: each class has one field per class it uses, definitions in order."""
    parts = []
    for name, uses in classes.items():
        fields = "".join(f"    f{i}: {used} | None = None\n" for i, used in enumerate(uses))
        parts.append(f"class {name}(BaseModel):\n" + (fields or "    pass\n"))
    return HEADER + "\n\n".join(parts)


def imports(text: str) -> set[str]:
    return set(re.findall(r"^from pkg\.(\w+) import", text, re.M))


# Tree <-> Node refer to each other; Leaf is only used by Node; Shared by Tree and Other
CLASSES = {
    "Shared": [],
    "Leaf": [],
    "Node": ["Tree", "Leaf", "Shared"],
    "Tree": ["Node", "Shared"],
    "Other": ["Shared"],
    "Lone": [],
}


def test_every_class_lands_once_and_modules_import_only_modules_packed_before_them() -> None:
    modules = split_models(source(CLASSES), "pkg", size=1)
    names = [name for module in modules for name in module.names]
    assert sorted(names) == sorted(CLASSES)
    order = [module.name for module in modules]
    for position, module in enumerate(modules):
        assert imports(module.source) <= set(order[:position]), module.name
        ast.parse(module.source)


def test_classes_that_refer_to_each_other_and_what_only_they_use_share_a_module() -> None:
    modules = split_models(source(CLASSES), "pkg", size=1)
    home = {name: module.name for module in modules for name in module.names}
    assert home["Tree"] == home["Node"] == home["Leaf"]
    assert len({home["Shared"], home["Tree"], home["Other"], home["Lone"]}) == 4


def test_small_groups_are_packed_into_few_modules_of_about_the_target_size() -> None:
    many = {f"Model{i:03}": ([f"Model{i - 1:03}"] if i % 10 else []) for i in range(200)}
    one = split_models(source(many), "pkg")
    assert len(one) == 1 and len(one[0].names) == 200
    packed = split_models(source(many), "pkg", size=150)
    assert 5 < len(packed) < 40
    for module in packed:
        assert module.source.count("\n") < 150 + 40  # a group never spans two modules
    assert split_models(source(many), "pkg", size=150) == packed  # deterministic
