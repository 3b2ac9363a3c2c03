"""Model constructors as pydantic runs them, for type checkers only.

pydantic turns ``Pet(kind="cat")`` into ``Kind.cat`` at run time, but type checkers read the
constructor from the field annotations (``kind: Kind``) and reject the string. They also name its
parameters after the fields where pydantic takes the aliases: ``Pet(petType=...)`` is rejected and
``Pet(pet_type=...)`` accepted, though pydantic then drops the value. A model class with an enum or
an aliased field therefore gets an ``__init__`` under ``if TYPE_CHECKING:``: keyword parameters
named as pydantic takes them (aliases), with the same defaults, each enum also accepting its
values (``kind: Kind | Literal["cat", "dog"]``). Nothing changes at run time (the field stays the
enum), and the attribute keeps its enum type. Only enums of at most ``MAX_LITERALS`` string or
integer values are widened, and only where the field holds the enum itself (or it or ``None``):
``list[Kind]`` stays, as ``list`` is invariant. A class with an alias that cannot be a parameter
name (``first-name``, ``from``) keeps the constructor type checkers make.
"""

from __future__ import annotations

import ast
import functools
import keyword
from dataclasses import dataclass

MAX_LITERALS = 64  # as for client parameters: a longer enum is accepted as its class only
_ENUM_BASES = frozenset({"Enum", "StrEnum", "IntEnum", "str", "int"})
_IMPORT = "from typing import TYPE_CHECKING, Literal\n"


@dataclass(frozen=True)
class _Field:
    param: str  # the constructor's keyword: the alias, else the field name
    annotation: ast.expr  # without ``Annotated[...]``
    has_default: bool


def literal_inits(source: str) -> str:
    """``source`` (datamodel-code-generator's module) with the constructors described above."""
    tree = ast.parse(source)
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    enums = {c.name: values for c in classes if (values := _enum_values(c)) is not None}
    fields: dict[str, dict[str, _Field]] = {}  # model class -> its fields, inherited ones first
    stubs: list[tuple[int, int, str]] = []  # lines start:end replaced by a stub
    for node in classes:
        inherited = _model_bases(node, fields)
        if inherited is None:
            continue
        fields[node.name] = inherited | _own_fields(node)
        stub = _stub(fields[node.name], enums, node)
        if stub is not None:
            end = node.end_lineno or node.lineno
            only_pass = len(node.body) == 1 and isinstance(node.body[0], ast.Pass)
            stubs.append((node.body[0].lineno - 1 if only_pass else end, end, stub))
    if not stubs:
        return source
    lines = source.splitlines(keepends=True)
    for start, end, stub in sorted(stubs, reverse=True):
        lines[start:end] = [stub]
    future = [n for n in tree.body if isinstance(n, ast.ImportFrom) and n.module == "__future__"]
    after = future[-1].end_lineno or 0 if future else 0
    lines[after:after] = [_IMPORT]  # the formatter's import fixes merge it with the others
    return "".join(lines)


def _enum_values(node: ast.ClassDef) -> tuple[str | int, ...] | None:
    """The member values of an enum class, if it is one that may be spelled by its values."""
    if not any(isinstance(b, ast.Name) and b.id in _ENUM_BASES for b in node.bases):
        return None
    values: list[str | int] = []
    for stmt in node.body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant):
            value = stmt.value.value
            if isinstance(value, bool) or not isinstance(value, str | int):
                return None
            values.append(value)
    return tuple(values) if 0 < len(values) <= MAX_LITERALS else None


def _model_bases(
    node: ast.ClassDef, models: dict[str, dict[str, _Field]]
) -> dict[str, _Field] | None:
    """The fields a ``BaseModel`` subclass inherits, or ``None`` for any other class."""
    inherited: dict[str, _Field] = {}
    found = False
    for base in node.bases:
        if isinstance(base, ast.Name) and base.id == "BaseModel":
            found = True
        elif isinstance(base, ast.Name) and base.id in models:
            found = True
            inherited |= models[base.id]
    return inherited if found else None


def _own_fields(node: ast.ClassDef) -> dict[str, _Field]:
    found = {}
    for stmt in node.body:
        if not isinstance(stmt, ast.AnnAssign) or not isinstance(stmt.target, ast.Name):
            continue
        annotation, call = unannotated(stmt.annotation)
        if isinstance(annotation, ast.Subscript) and _name(annotation.value) == "ClassVar":
            continue
        value = stmt.value
        if isinstance(value, ast.Call) and _name(value.func) == "Field":  # ``x: T = Field(...)``
            call, value = value, None
        alias = _keyword(call, "alias")
        param = alias if isinstance(alias, str) else stmt.target.id
        found[stmt.target.id] = _Field(param, annotation, value is not None or _defaulted(call))
    return found


def unannotated(annotation: ast.expr) -> tuple[ast.expr, ast.Call | None]:
    """``X`` of ``Annotated[X, Field(...)]``, and that ``Field(...)`` call."""
    if not (isinstance(annotation, ast.Subscript) and _name(annotation.value) == "Annotated"):
        return annotation, None
    parts = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
    calls = [p for p in parts[1:] if isinstance(p, ast.Call) and _name(p.func) == "Field"]
    return parts[0], calls[0] if calls else None


def _keyword(call: ast.Call | None, name: str) -> object:
    for item in call.keywords if call is not None else ():
        if item.arg == name and isinstance(item.value, ast.Constant):
            return item.value.value
    return None


def _defaulted(call: ast.Call | None) -> bool:
    """Whether a ``Field(...)`` gives a default (positionally, ``default=`` or a factory)."""
    if call is None:
        return False
    if call.args and not (isinstance(call.args[0], ast.Constant) and call.args[0].value is ...):
        return True
    return any(item.arg in ("default", "default_factory") for item in call.keywords)


def _name(node: ast.expr) -> str | None:
    return node.id if isinstance(node, ast.Name) else None


def union_members(annotation: ast.expr) -> list[ast.expr]:
    """The members of a union spelled with ``|`` (the annotation itself otherwise)."""
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return union_members(annotation.left) + union_members(annotation.right)
    return [annotation]


def _widened(annotation: ast.expr, enums: dict[str, tuple[str | int, ...]]) -> ast.expr:
    """``annotation`` with the values of the enums of its top-level union: one ``Literal[...]``,
    before ``None``."""
    members = union_members(annotation)
    found = [v for m in members if (name := _name(m)) in enums for v in enums[name]]
    if not found:
        return annotation
    values: list[ast.expr] = [ast.Constant(value) for value in dict.fromkeys(found)]
    literal = ast.Subscript(
        ast.Name("Literal"), ast.Tuple(values) if len(values) > 1 else values[0]
    )
    none = [m for m in members if isinstance(m, ast.Constant) and m.value is None]
    parts = [*(m for m in members if not any(m is n for n in none)), literal, *none]
    return functools.reduce(lambda left, right: ast.BinOp(left, ast.BitOr(), right), parts)


def _promoted(annotation: ast.expr) -> ast.expr:
    """``int | float`` as ``float`` (a parameter's spelling: ``int`` is accepted for ``float``)."""
    members = union_members(annotation)
    names = {_name(m) for m in members}
    if not {"int", "float"} <= names:
        return annotation
    kept = [m for m in members if _name(m) != "int"]
    return functools.reduce(lambda left, right: ast.BinOp(left, ast.BitOr(), right), kept)


def _stub(
    fields: dict[str, _Field], enums: dict[str, tuple[str | int, ...]], node: ast.ClassDef
) -> str | None:
    """The ``if TYPE_CHECKING: def __init__`` block of a model class, if it needs one."""
    widened = {name: _widened(f.annotation, enums) for name, f in fields.items()}
    renamed = any(f.param != name for name, f in fields.items())
    if not renamed and all(widened[name] is f.annotation for name, f in fields.items()):
        return None
    params = [f.param for f in fields.values()]
    own = {s.name for s in node.body if isinstance(s, ast.FunctionDef)}
    if (
        "__init__" in own
        or any(not _parameter(p) for p in params)
        or len(set(params)) < len(params)
    ):
        return None
    spelled = [
        f"{f.param}: {ast.unparse(_promoted(widened[name]))}{' = ...' if f.has_default else ''}"
        for name, f in fields.items()
    ]
    signature = ", ".join(["self", "*", *spelled])
    return f"\n    if TYPE_CHECKING:\n\n        def __init__({signature}) -> None: ...\n"


def _parameter(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name) and name != "self"
