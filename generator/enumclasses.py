"""Enums for datamodel-code-generator: member names given, large or unsafe ones written here.

apibind names the members of every string and integer enum itself (``naming.enum_member_names``,
linear; from the spec's ``x-enum-varnames`` where it gives them, else from the value: integers as
datamodel-code-generator names them, ``integer_3``, ``integer__3`` for -3) and hands the names over
as ``x-enum-varnames``. Two kinds of enum datamodel-code-generator cannot
write well get their members written here instead: large ones (its per-member work, about 0.3 ms,
plus a copy of every name taken so far for each member: 20 s for 20,000 values) and ones whose
values hold characters Python source must not carry raw (U+202E, U+200B, U+FEFF, form feeds: it
writes them as they are). It then sees a stub of the enum: the same schema with only the values a
default or discriminator needs, so fields, defaults and docstrings come out as for any enum, and
the members of its class are replaced by all of them, each value an escaped literal.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from generator.naming import Identifier, enum_member_names

LARGE_ENUM = 1000  # members: datamodel-code-generator takes ~0.3 s for this many, then grows fast
_NAMES = "x-enum-varnames"
_DESCRIPTIONS = "x-enum-descriptions"
# keywords an enum datamodel-code-generator renders as a plain ``StrEnum``/``IntEnum`` may carry
_ENUM_KEYS = frozenset({"type", "enum", "description", "title", "default", "example", "examples"})
_KINDS = {"string": str, "integer": int}  # the enum types named and written here
_GIVEN = (_NAMES, "x-enumNames")  # names the spec gives the members (the rule still applies)
_ENUM_KEYS |= {"deprecated", "readOnly", "writeOnly", _DESCRIPTIONS, *_GIVEN}


@dataclass(frozen=True)
class EnumClass:
    """An enum class whose members apibind writes: ``(name, value, description)`` each."""

    name: str
    members: tuple[tuple[Identifier, str | int, str | None], ...]

    def body(self) -> str:
        """The member lines of the class, as datamodel-code-generator lays them out."""
        lines = []
        for name, value, description in self.members:
            lines.append(f"    {name} = {value!r}\n")
            if description and description.strip():
                lines.append(f"    {_docstring(description)}\n")
        return "".join(lines)


def prepare(document: Mapping[str, Any]) -> tuple[dict[str, Any], tuple[EnumClass, ...]]:
    """``document`` with member names on its string and integer enums, and the enum classes
    written here."""
    schemas: Mapping[str, Any] = document.get("components", {}).get("schemas", {})
    out: dict[str, Any] = {}
    written: list[EnumClass] = []
    needed: set[str | int] | None = None  # values defaults and discriminators use
    for name, schema in schemas.items():
        if not _scalar_enum(schema):
            out[name] = schema
            continue
        values: list[str | int] = schema["enum"]
        names = enum_member_names(_given_names(schema))
        plain = {key: value for key, value in schema.items() if key not in _GIVEN}
        if len(values) <= LARGE_ENUM and all(str(value).isprintable() for value in values):
            out[name] = plain | {_NAMES: names}
            continue
        needed = _needed_values(document) if needed is None else needed
        kept = [i for i, value in enumerate(values) if value in needed] or [0]
        stub = {key: value for key, value in plain.items() if key != _DESCRIPTIONS}
        out[name] = stub | {"enum": [values[i] for i in kept], _NAMES: [names[i] for i in kept]}
        descriptions = schema.get(_DESCRIPTIONS) or []
        described = [descriptions[i] if i < len(descriptions) else None for i in range(len(values))]
        members = tuple(zip(names, values, map(_text, described), strict=True))
        written.append(EnumClass(name, members))
    components = {**document.get("components", {}), "schemas": out}
    return {**document, "components": components}, tuple(written)


def write_members(source: str, classes: Sequence[EnumClass]) -> str:
    """``source`` (datamodel-code-generator's module) with every stub's members replaced."""
    if not classes:
        return source
    by_name = {enum.name: enum for enum in classes}
    lines = source.splitlines(keepends=True)
    spans = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef) and node.name in by_name:
            members = [stmt for stmt in node.body if isinstance(stmt, ast.Assign)]
            start = members[0].lineno - 1 if members else node.end_lineno or node.lineno
            spans.append((start, node.end_lineno or node.lineno, by_name[node.name]))
    for start, end, enum in sorted(spans, key=lambda span: span[0], reverse=True):
        lines[start:end] = [enum.body()]
    return "".join(lines)


def _scalar_enum(schema: Any) -> bool:
    """A string enum of strings, or an integer enum of integers (``format`` allowed)."""
    if not isinstance(schema, Mapping) or schema.get("type") not in _KINDS:
        return False
    kind, values = _KINDS[schema["type"]], schema.get("enum")
    keys = _ENUM_KEYS | {"format"} if kind is int else _ENUM_KEYS
    return (
        isinstance(values, list)
        and bool(values)
        and all(isinstance(value, kind) and not isinstance(value, bool) for value in values)
        and all(key in keys or _free_extension(key) for key in schema)
    )


def _free_extension(key: str) -> bool:
    """An ``x-`` keyword datamodel-code-generator does not read for enums."""
    return key.startswith("x-") and key not in _GIVEN


def _given_names(schema: Mapping[str, Any]) -> list[str]:
    """What each member is named after: the name the spec gives it, else its value (an integer
    as datamodel-code-generator names it: ``integer_3``)."""
    given = schema.get(_NAMES) or schema.get(_GIVEN[1])
    given = given if isinstance(given, list) else []
    return [
        given[i]
        if i < len(given) and isinstance(given[i], str) and given[i]
        else value
        if isinstance(value, str)
        else f"integer_{value}"
        for i, value in enumerate(schema["enum"])
    ]


def _needed_values(document: Mapping[str, Any]) -> set[str | int]:
    """Values some field may need as a member: defaults, consts and discriminator values."""
    found: set[str | int] = set()
    for key, value in _items(document):
        if key in ("default", "const"):
            values = value if isinstance(value, list) else [value]
            found.update(
                item
                for item in values
                if isinstance(item, str | int) and not isinstance(item, bool)
            )
        elif key == "mapping" and isinstance(value, Mapping):
            found.update(str(item) for item in value)
    return found


def _items(node: Any) -> Iterator[tuple[str, Any]]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Mapping):
            for key, value in current.items():
                yield str(key), value
                stack.append(value)
        elif isinstance(current, list):
            stack.extend(current)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _docstring(text: str) -> str:
    """A member docstring as datamodel-code-generator writes it (PEP 257, multi-line)."""
    escaped = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').replace("\0", "\\x00")
    body = "\n".join(f"    {line}" if line else "" for line in escaped.split("\n"))
    return f'"""\n{body}\n    """'
