"""Model subclasses that retype an inherited field, flattened.

For ``allOf: [{$ref: Order}, {properties: {items: ...}}]`` datamodel-code-generator writes
``class HydratedOrder(Order)`` and annotates ``items`` again. When the two annotations differ, the
subclass breaks its base's type (a ``HydratedOrder`` read as an ``Order`` has items of the other
class), and ``mypy --strict`` rejects the override. Such a class is written without the base
instead: the base's own bases, and every inherited statement (fields with their docstrings,
``model_config``) that the class does not redefine, copied in order before its own. Validation is
unchanged (pydantic validates the subclass's fields either way); only ``isinstance`` against the
base is lost, as the base's type is not kept.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from generator.modelinits import unannotated, union_members


@dataclass(frozen=True)
class _Unit:
    name: str | None  # the field (or ``model_config``) it defines; None for other statements
    text: str  # its lines, with a field docstring that follows it
    annotation: frozenset[str] | None  # the members of the field's type union, as source


@dataclass(frozen=True)
class _Model:
    bases: str  # the root bases of its model chain, as source
    units: tuple[_Unit, ...]  # its statements with inherited ones, class docstring excluded


def flatten_retyped(source: str) -> str:
    """``source`` (a models module) with every subclass that retypes an inherited field flattened."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    models: dict[str, _Model] = {}
    edits: list[tuple[int, int, str]] = []  # lines start:end replaced
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        own = _units(node, lines)
        parents = [b.id for b in node.bases if isinstance(b, ast.Name) and b.id in models]
        if len(parents) != 1 or len(node.bases) != 1 or node.decorator_list or node.keywords:
            models[node.name] = _Model(", ".join(ast.unparse(b) for b in node.bases), own)
            continue
        parent = models[parents[0]]
        merged = _merged(parent.units, own)
        models[node.name] = _Model(parent.bases, merged)
        if _retypes(parent.units, own):
            edits.append(_flattened(node, lines, parent.bases, merged))
    for start, end, text in sorted(edits, reverse=True):
        lines[start:end] = [text]
    return "".join(lines)


def _units(node: ast.ClassDef, lines: list[str]) -> tuple[_Unit, ...]:
    body = list(node.body)
    if body and _is_docstring(body[0]):
        body = body[1:]
    units: list[_Unit] = []
    index = 0
    while index < len(body):
        stmt = body[index]
        end = stmt.end_lineno or stmt.lineno
        if index + 1 < len(body) and _is_docstring(body[index + 1]) and _field(stmt):
            index += 1
            end = body[index].end_lineno or end
        text = "".join(lines[stmt.lineno - 1 : end])
        if not isinstance(stmt, ast.Pass):
            name, annotation = _field(stmt) or (None, None)
            units.append(_Unit(name, text, annotation))
        index += 1
    return tuple(units)


def _members(annotation: ast.expr) -> frozenset[str]:
    """The members of a type union, ``Annotated[...]`` taken off, as source."""
    return frozenset(ast.unparse(m) for m in union_members(unannotated(annotation)[0]))


def _field(stmt: ast.stmt) -> tuple[str, frozenset[str] | None] | None:
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        return stmt.target.id, _members(stmt.annotation)
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        target = stmt.targets[0]
        if isinstance(target, ast.Name):
            return target.id, None
    return None


def _is_docstring(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    )


def _merged(inherited: tuple[_Unit, ...], own: tuple[_Unit, ...]) -> tuple[_Unit, ...]:
    """Inherited statements the class does not redefine, then its own (pydantic's field order)."""
    redefined = {unit.name for unit in own if unit.name is not None}
    kept = tuple(unit for unit in inherited if unit.name is None or unit.name not in redefined)
    return kept + own


def _retypes(inherited: tuple[_Unit, ...], own: tuple[_Unit, ...]) -> bool:
    annotations = {u.name: u.annotation for u in inherited if u.annotation is not None}
    return any(
        unit.name in annotations and not unit.annotation <= annotations[unit.name]
        for unit in own
        if unit.annotation is not None
    )


def _flattened(
    node: ast.ClassDef, lines: list[str], bases: str, units: tuple[_Unit, ...]
) -> tuple[int, int, str]:
    """The replacement lines of ``node``: its docstring, then every unit, under ``bases``."""
    first = node.decorator_list[0].lineno if node.decorator_list else node.lineno
    end = node.end_lineno or node.lineno
    head = f"class {node.name}({bases}):\n"
    doc = node.body[0] if node.body and _is_docstring(node.body[0]) else None
    docstring = "".join(lines[doc.lineno - 1 : doc.end_lineno]) if doc is not None else ""
    body = "".join(unit.text for unit in units) if units else "    pass\n"
    return first - 1, end, head + (docstring + "\n" if docstring else "") + body
