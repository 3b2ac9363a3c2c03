"""Schemas -> named model classes and the small ``TypeRef`` tree.

Every schema the packages need as a class gets one sanitized name here: component schemas keep
theirs, schemas reached through other refs (other files, deep pointers) and inline object bodies
are hoisted under a derived name. The result is one self-contained document for the models step.
Spec documents are read as plain dicts, so nodes are tested with ``isinstance(node, dict)``: on
these hot paths the ``Mapping`` ABC check took three times as long.
"""

from __future__ import annotations

import functools
import json
import reprlib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import jsonschema_rs
from pydantic import Field, PydanticUserError, TypeAdapter
from pydantic_core import SchemaError

from generator import extensions
from generator.diagnostics import Diagnostics
from generator.ir import (
    ANY,
    DictOf,
    ListOf,
    ModelRef,
    ModelSet,
    Nullable,
    Primitive,
    TypeRef,
    UnionOf,
)
from generator.naming import RESERVED_CLASS_NAMES, Identifier, Namer, pascal, renamed
from generator.spec import Pointer, Spec
from generator.text import description

_PRIMITIVES: dict[str, Primitive] = {
    "string": Primitive("str"),
    "integer": Primitive("int"),
    "number": Primitive("float"),
    "boolean": Primitive("bool"),
    "null": Primitive("None"),
}
_DATES = {"date": Primitive("date"), "date-time": Primitive("datetime")}
_MAX_LITERALS = 64  # a longer enum is accepted as its class only (signatures stay readable)
# schema keywords holding one sub-schema hoisted under its own name, and the name's suffix
_SCHEMA_SUFFIX = {"items": "item", "additionalProperties": "value"}
# keywords of a hoisted schema that describe the field using it: they stay next to its ``$ref``
_FIELD_KEYS = (
    "description",
    "default",
    "example",
    "examples",
    "readOnly",
    "writeOnly",
    "deprecated",
)
# text keywords datamodel-code-generator copies into docstrings: cleaned and capped first
_TEXT_KEYS = ("description", "title")
_ENUM_DESCRIPTIONS = "x-enum-descriptions"
_COMPOUND = ("properties", "allOf", "oneOf", "anyOf", "enum", "const", "not", "patternProperties")


class SchemaRegistry:
    """Assigns class names to schema locations and rewrites their ``$ref``s to those names."""

    def __init__(self, spec: Spec, diagnostics: Diagnostics) -> None:
        self.spec = spec
        self.diagnostics = diagnostics
        self._names: dict[Pointer, Identifier] = {}
        self._namer = Namer(RESERVED_CLASS_NAMES, separator="")
        self._queue: list[Pointer] = []
        self.enums: set[Identifier] = set()  # names of the classes that are enums of scalars
        self._shapes: dict[tuple[Path, str], Identifier] = {}  # hoisted inline schema -> its class
        self._members: set[Pointer] = set()  # where the hoisted inline schemas are
        self._defaults: list[tuple[dict[str, Any], Pointer]] = []  # schemas given with a default
        components = spec.root.child("components", "schemas")
        for key in spec.document.get("components", {}).get("schemas", {}) or {}:
            given = self.named(components.child(key), key)
            if note := renamed(key, pascal(key), given):
                where = components.child(key).location
                diagnostics.warning("name-changed", f"model class name: {note}", where)

    def named(self, where: Pointer, hint: str) -> Identifier:
        """The class name for the schema at ``where``, assigning one on first sight."""
        if where not in self._names:
            self._names[where] = self._namer.unique(pascal(hint))
            self._queue.append(where)
        return self._names[where]

    def type_of(
        self,
        schema: Any,
        where: Pointer,
        hint: str,
        *,
        inline_refs: bool = False,
        containers: bool = False,
    ) -> TypeRef:
        """The ``TypeRef`` for ``schema``; compound inline schemas are hoisted under ``hint``.

        With ``inline_refs`` (parameters), refs to plain scalar schemas become the scalar itself;
        with ``containers`` (responses), refs to plain arrays and maps become ``list``/``dict``
        of their items (no root model to unwrap).
        """
        if not isinstance(schema, dict):
            return ANY
        if (ref := _wrapped_ref(schema)) is not None:  # ``allOf: [$ref]`` beside a default: the ref
            schema, where = ref, where.child("allOf", 0)
        if isinstance(schema.get("$ref"), str):
            target_schema, target = self.spec.resolve(schema, where)
            if inline_refs and _is_plain_scalar(target_schema):
                return self.type_of(target_schema, target, hint)
            if containers and _is_plain_container(target_schema):
                return self.type_of(target_schema, target, target.last)
            return self._model(target_schema, target, target.last)
        if inline_refs and (union := _scalar_union(schema)) is not None:
            return union
        if any(key in schema for key in _COMPOUND):
            return self._model(schema, where, hint)
        kind = schema.get("type")
        kinds = [kind] if isinstance(kind, str) else list(kind) if isinstance(kind, list) else []
        nullable = schema.get("nullable") is True or "null" in kinds
        kinds = [k for k in kinds if k != "null"]
        if len(kinds) > 1:
            return ModelRef(self.named(where, hint))
        result = self._plain(schema, kinds[0] if kinds else None, where, hint, inline_refs)
        return Nullable(result) if nullable and result != ANY else result

    def _model(self, schema: Any, where: Pointer, hint: str) -> ModelRef:
        name = self.named(where, hint)
        if _is_scalar_enum(schema):
            self.enums.add(name)
            return ModelRef(name, _literals(schema["enum"]))
        return ModelRef(name)

    def _plain(
        self,
        schema: Mapping[str, Any],
        kind: str | None,
        where: Pointer,
        hint: str,
        inline_refs: bool,
    ) -> TypeRef:
        if kind == "array":
            items = schema.get("items")
            return ListOf(
                self.type_of(items, where.child("items"), f"{hint}Item", inline_refs=inline_refs)
            )
        if kind == "object" or (kind is None and "additionalProperties" in schema):
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra:
                return DictOf(
                    self.type_of(extra, where.child("additionalProperties"), f"{hint}Value")
                )
            return DictOf(ANY)
        if kind == "string" and schema.get("format") == "binary":
            return Primitive("bytes")
        if kind == "string" and inline_refs and schema.get("format") in _DATES:
            return _DATES[schema["format"]]  # parameters: sent as ISO 8601 text
        return _PRIMITIVES.get(kind or "", ANY)

    def model_set(self) -> ModelSet:
        """Convert every named schema (following the refs they reach) into one document."""
        schemas: dict[Identifier, Any] = {}
        while self._queue:
            where = self._queue.pop(0)
            name = self._names[where]
            node = self.spec.get(where)
            if where in self._members:  # what describes the field stays on the field
                node = _class_shape(node)
            if _wrapped_enum(self.spec, node, where):
                # datamodel-code-generator drops a class that only wraps an enum, unless a ``$ref``
                node = {k: v for k, v in node.items() if k != "allOf"} | node["allOf"][0]
            schemas[name] = self._schema(node, where, name)
        document = {
            "openapi": self.spec.version,
            "info": {"title": "models", "version": "0"},
            "paths": {},
            "components": {"schemas": schemas},
        }
        self._drop_invalid_defaults(document)
        # ``default=str``: YAML dates and other values JSON has no type for travel as text
        return ModelSet(source=json.dumps(document, default=str), names=tuple(schemas))

    def _schema(self, node: Any, where: Pointer, hint: str) -> Any:
        """A copy of the schema ``node`` with its inline object and enum schemas hoisted.

        A hoisted schema is named after where it sits (``hint``): its parent's class name plus the
        property (``BillCurrency``), ``Item`` for array items, ``Value`` for map values. Names are
        then stable across versions and never left to datamodel-code-generator's ``Model1``.
        """
        if not isinstance(node, dict):
            return self._convert(node, where)
        out: dict[str, Any] = {}
        for key, value in node.items():
            at = where.child(key)
            if key == "properties" and isinstance(value, dict):
                out[key] = {
                    prop: self._member(sub, at.child(prop), f"{hint} {prop}")
                    for prop, sub in value.items()
                }
            elif key in _SCHEMA_SUFFIX and isinstance(value, dict):
                out[key] = self._member(value, at, f"{hint} {_SCHEMA_SUFFIX[key]}")
            elif key in ("oneOf", "anyOf") and _refines(node):
                # members that refine the object around them are merged into it: left as they are
                out[key] = self._convert(value, at)
            elif key in ("oneOf", "anyOf") and isinstance(value, list):
                single = sum(not _is_null(member) for member in value) == 1
                out[key] = [
                    self._member(member, at.child(i), hint if single else f"{hint} option {i + 1}")
                    for i, member in enumerate(value)
                ]
            elif key == "allOf" and isinstance(value, list):
                # members merge into the class itself: their inner schemas are hoisted, they are not
                out[key] = [
                    self._schema(member, at.child(i), hint) for i, member in enumerate(value)
                ]
            elif not self._unsupported_pattern(key, value, at):
                out[key] = self._keyword(key, value, at)
        if "default" in out:
            self._defaults.append((out, where))
        return out

    def _member(self, node: Any, where: Pointer, hint: str) -> Any:
        """A schema inside another: a ``$ref`` to its own class when it would become one.

        Identical inline schemas (same file, same JSON but for the field's own keywords and
        apibind's provenance notes) share the class of the first one, as in openapi-generator's
        inline model resolver: GitHub's spec repeats hundreds of them.
        """
        if not _hoistable(node):
            return self._schema(node, where, hint)
        shape = (where.file, _shape_text(_class_shape(node)))
        if shape not in self._shapes:
            self._shapes[shape] = self._model(node, where, hint).name
            self._members.add(where)
        ref: dict[str, Any] = {"$ref": f"#/components/schemas/{self._shapes[shape]}"}
        if _is_nullable(node):  # null stays with the field: ``BillStatus | None``
            ref = {"anyOf": [ref, {"type": "null"}]}
        field = ref | {
            key: self._keyword(key, node[key], where.child(key))
            for key in _FIELD_KEYS
            if key in node
        }
        if "default" in field:
            self._defaults.append((field, where))
        return field

    def _drop_invalid_defaults(self, document: dict[str, Any]) -> None:
        """Drop each default that its own schema rejects, with a located warning: the models would
        carry it as the field's value (ShipEngine: a list for an object field fails mypy)."""
        checked = [(out, where) for out, where in self._defaults if out["default"] is not None]
        if not checked:  # null defaults are left to the models (OpenAPI 3.0's ``nullable``)
            return
        resource = {
            "components": document["components"],
            "checks": [{k: v for k, v in out.items() if k != "default"} for out, _ in checked],
        }
        resource = json.loads(json.dumps(resource, default=str))  # plain str keys, JSON values
        draft, validator = (
            (jsonschema_rs.Draft202012, jsonschema_rs.Draft202012Validator)
            if self.spec.version.startswith("3.1")
            else (jsonschema_rs.Draft4, jsonschema_rs.Draft4Validator)
        )
        try:
            registry = jsonschema_rs.Registry([("urn:apibind:models", resource)], draft=draft)
        except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError, ValueError):
            return  # a schema JSON Schema cannot read: the models step reports it
        for i, (out, where) in enumerate(checked):
            try:
                check = validator({"$ref": f"urn:apibind:models#/checks/{i}"}, registry=registry)
                error = next(check.iter_errors(out["default"]), None)
            except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError, ValueError):
                continue
            if error is not None:
                value = reprlib.repr(out.pop("default"))
                self.diagnostics.warning(
                    "default-invalid",
                    f"default {value} does not validate against its own schema "
                    f"({error.message}); left out of the models",
                    where.child("default").location,
                    hint="fix the default in the spec",
                )

    def _keyword(self, key: str, value: Any, where: Pointer) -> Any:
        if key in _TEXT_KEYS and isinstance(value, str):
            return description(value, where)
        if key == _ENUM_DESCRIPTIONS and isinstance(value, list):
            return [
                description(text, where.child(i)) if isinstance(text, str) else text
                for i, text in enumerate(value)
            ]
        if key == "$ref" and isinstance(value, str):
            return self._ref_to(value, where)
        if key == "discriminator" and isinstance(value, dict):
            return self._discriminator(value, where)
        return self._convert(value, where)

    def _unsupported_pattern(self, key: str, value: Any, where: Pointer) -> bool:
        """Whether this is a ``pattern`` pydantic cannot compile (warned about, then left out)."""
        if key != "pattern" or not isinstance(value, str) or _pydantic_accepts(value):
            return False
        message = f"pattern {value!r} is not supported by pydantic's regex engine; not enforced"
        self.diagnostics.warning("pattern-dropped", message, where.location)
        return True

    def _convert(self, node: Any, where: Pointer) -> Any:
        """A copy of ``node`` whose refs all point at named component schemas."""
        if isinstance(node, list):  # scalars need no pointer (an enum may hold 50,000 values)
            return [
                self._convert(item, where.child(i)) if isinstance(item, dict | list) else item
                for i, item in enumerate(node)
            ]
        if not isinstance(node, dict):
            return node
        return {
            key: self._keyword(key, value, where.child(key))
            for key, value in node.items()
            if not self._unsupported_pattern(key, value, where.child(key))
        }

    def _ref_to(self, ref: str, where: Pointer) -> str:
        _, target = self.spec.resolve({"$ref": ref}, where)
        return f"#/components/schemas/{self.named(target, target.last)}"

    def _discriminator(self, value: Mapping[str, Any], where: Pointer) -> dict[str, Any]:
        out = dict(value)
        mapping = value.get("mapping")
        if isinstance(mapping, dict):
            components = "#/components/schemas/"
            out["mapping"] = {
                key: self._ref_to(ref if "#" in ref or "." in ref else components + ref, where)
                for key, ref in mapping.items()
                if isinstance(ref, str)
            }
        return out


def _wrapped_ref(schema: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """The ``$ref`` of a schema that is only ``allOf: [{$ref}]`` plus field keywords (a default)."""
    members = schema.get("allOf")
    if not isinstance(members, list) or len(members) != 1 or not isinstance(members[0], dict):
        return None
    if set(members[0]) != {"$ref"} or any(key not in (*_FIELD_KEYS, "allOf") for key in schema):
        return None
    return members[0]


def _wrapped_enum(spec: Spec, node: Any, where: Pointer) -> bool:
    """Whether the class schema ``node`` only wraps an enum of scalars through ``allOf``."""
    ref = _wrapped_ref(node) if isinstance(node, dict) else None
    return ref is not None and _is_scalar_enum(spec.resolve(ref, where.child("allOf", 0))[0])


def _hoistable(schema: Any) -> bool:
    """An inline object with properties, or an enum of scalars."""
    if not isinstance(schema, dict) or "$ref" in schema:
        return False
    return (bool(schema.get("properties")) and isinstance(schema["properties"], dict)) or (
        _is_scalar_enum(schema)
    )


def _refines(schema: Mapping[str, Any]) -> bool:
    """Whether the ``oneOf`` / ``anyOf`` of ``schema`` narrows an object ``schema`` describes."""
    return any(key in schema for key in ("properties", "required", "additionalProperties", "allOf"))


def _shape_text(schema: Mapping[str, Any]) -> str:
    """``schema`` as JSON text without apibind's provenance notes (the copy without them is only
    made when the text has one: most specs have none)."""
    text = json.dumps(schema, default=str)
    if f'"{extensions.PREFIX}' in text:
        text = json.dumps(_without_provenance(schema), default=str)
    return text


def _without_provenance(node: Any) -> Any:
    """``node`` without the ``x-apibind-*`` notes the parser leaves (evidence, not shape)."""
    if isinstance(node, list):
        return [_without_provenance(item) for item in node]
    if not isinstance(node, dict):
        return node
    return {
        key: _without_provenance(value)
        for key, value in node.items()
        if not str(key).startswith(extensions.PREFIX)
    }


def _class_shape(schema: Mapping[str, Any]) -> dict[str, Any]:
    """A hoisted schema as its class sees it: without the field's keywords and without null."""
    shape = {key: value for key, value in schema.items() if key not in (*_FIELD_KEYS, "nullable")}
    kind = shape.get("type")
    if isinstance(kind, list) and "null" in kind:
        kinds = [k for k in kind if k != "null"]
        shape["type"] = kinds[0] if len(kinds) == 1 else kinds
    if isinstance(shape.get("enum"), list) and None in shape["enum"]:
        shape["enum"] = [value for value in shape["enum"] if value is not None]
    return shape


def _is_nullable(schema: Mapping[str, Any]) -> bool:
    kind = schema.get("type")
    return (
        schema.get("nullable") is True
        or (isinstance(kind, list) and "null" in kind)
        or (isinstance(schema.get("enum"), list) and None in schema["enum"])
    )


def _is_null(schema: Any) -> bool:
    return isinstance(schema, dict) and schema.get("type") == "null" and len(schema) == 1


def _scalar_union(schema: Mapping[str, Any]) -> TypeRef | None:
    """``int | str`` for a ``oneOf`` / ``anyOf`` of plain scalars (null makes it nullable)."""
    key = "oneOf" if "oneOf" in schema else "anyOf" if "anyOf" in schema else None
    members = schema.get(key) if key else None
    if not isinstance(members, list) or not members or len(schema.keys() & set(_COMPOUND)) > 1:
        return None
    if not all(_is_plain_scalar(m) and isinstance(m["type"], str) for m in members):
        return None
    kinds = list(dict.fromkeys(m["type"] for m in members))
    options = tuple(_PRIMITIVES[k] for k in kinds if k != "null")
    if not options:
        return None
    union: TypeRef = options[0] if len(options) == 1 else UnionOf(options)
    return Nullable(union) if "null" in kinds else union


def _is_plain_scalar(schema: Any) -> bool:
    if not isinstance(schema, dict) or any(key in schema for key in _COMPOUND):
        return False
    kind = schema.get("type")
    kinds = [kind] if isinstance(kind, str) else list(kind) if isinstance(kind, list) else []
    return bool(kinds) and all(k in _PRIMITIVES for k in kinds)


@functools.cache
def _pydantic_accepts(pattern: str) -> bool:
    """Whether pydantic can compile ``pattern`` (an unsupported one would break the import)."""
    try:
        TypeAdapter(Annotated[str, Field(pattern=pattern)])
    except (SchemaError, PydanticUserError, ValueError):
        return False
    return True


def _is_scalar_enum(schema: Any) -> bool:
    if not isinstance(schema, dict) or not isinstance(schema.get("enum"), list):
        return False
    compound = any(key in schema for key in _COMPOUND if key != "enum")
    return not compound and all(
        isinstance(v, str | int | float | bool) or v is None for v in schema["enum"]
    )


def _literals(values: list[Any]) -> tuple[str | int | bool, ...]:
    """An enum's values as ``Literal`` members: strings, integers and booleans, not too many."""
    kept = tuple(v for v in values if v is not None)
    if len(kept) > _MAX_LITERALS or not all(isinstance(v, str | int | bool) for v in kept):
        return ()
    return tuple(dict.fromkeys(kept))


def _is_plain_container(schema: Any) -> bool:
    """An array, or a map with only ``additionalProperties``: a ``list`` / ``dict`` as it is."""
    if not isinstance(schema, dict) or any(key in schema for key in _COMPOUND):
        return False
    kind = schema.get("type")
    return kind == "array" or (
        kind == "object" and "additionalProperties" in schema and not schema.get("required")
    )
