"""Model constructors for type checkers: enum fields take their values, parameters their aliases."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.modelinits import literal_inits

SOURCE = """from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, RootModel


class Kind(StrEnum):
    cat = "cat"
    dog = "dog"


class Size(IntEnum):
    small = 1


class Named(BaseModel):
    name: str


class Pet(Named):
    kind: Kind | None = None
    kinds: list[Kind]
    pet_type: Annotated[str, Field(alias="petType")]
    either: Kind | Size | None = None


class Plain(BaseModel):
    size: int = 0


class Odd(BaseModel):
    kind: Kind
    note: Annotated[str | None, Field(alias="x-note")] = None


class Kinds(RootModel[list[Kind]]):
    root: list[Kind]
"""


def test_enum_and_aliased_fields_get_a_type_checking_constructor() -> None:
    out = literal_inits(SOURCE)
    assert out.startswith("from __future__ import annotations\nfrom typing import TYPE_CHECKING")
    assert out.count("def __init__") == 1  # Pet only
    stub = out[out.index("def __init__") :].splitlines()[0]
    assert stub == (
        "def __init__(self, *, name: str, kind: Kind | Literal['cat', 'dog'] | None = ...,"
        " kinds: list[Kind], petType: str,"
        " either: Kind | Size | Literal['cat', 'dog', 1] | None = ...) -> None: ..."
    )
    compile(out, "models.py", "exec")


def test_a_class_of_inherited_fields_only_loses_its_pass() -> None:
    out = literal_inits(SOURCE + "\n\nclass Puppy(Pet):\n    pass\n")
    puppy = out[out.index("class Puppy(Pet):") :]
    assert "pass" not in puppy and "def __init__(self, *, name: str, kind: Kind" in puppy
    compile(out, "models.py", "exec")


def test_a_module_without_enums_or_aliases_is_left_alone() -> None:
    source = "from pydantic import BaseModel\n\n\nclass A(BaseModel):\n    x: int\n"
    assert literal_inits(source) == source


def test_models_written_before_a_change_of_these_steps_are_not_reused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from generator import enumclasses, modelchunks, modelflatten, modelgen, modelinits, modelsplit
    from generator.ir import ModelSet

    steps = modelgen._own_steps()
    for module in (modelgen, modelinits, modelchunks, modelflatten, modelsplit, enumclasses):
        assert Path(module.__file__ or "").read_text("utf-8") in steps, module.__name__
    models = ModelSet(names=("A",), source="{}")
    before = modelgen.models_digest(models, "")
    monkeypatch.setattr(modelgen, "_own_steps", lambda: steps + "# a changed step")
    assert modelgen.models_digest(models, "") != before


def test_parameters_are_spelled_as_linters_want_them() -> None:
    source = SOURCE.replace(
        "    size: int = 0\n", "    size: int = 0\n    kind: Kind\n    n: str | float | int\n"
    )
    out = literal_inits(source)
    assert (
        "def __init__(self, *, size: int = ..., kind: Kind | Literal['cat', 'dog'], n: str | float)"
        in out
    )


def test_a_module_with_aliases_but_no_enums_gets_the_constructor() -> None:
    source = (
        "from pydantic import BaseModel, Field\n\n\n"
        "class A(BaseModel):\n"
        "    pet_type: str = Field(..., alias='petType')\n"
    )
    out = literal_inits(source)
    assert "def __init__(self, *, petType: str) -> None: ..." in out
    compile(out, "models.py", "exec")
