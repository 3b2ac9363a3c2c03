"""Schemas -> named model classes and the small ``TypeRef`` tree.

Every schema the packages need as a class gets one sanitized name here: component schemas keep
theirs, schemas reached through other refs (other files, deep pointers) and inline object bodies
are hoisted under a derived name. The result is one self-contained document for the models step.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import Field, PydanticUserError, TypeAdapter
from pydantic_core import SchemaError

from generator.diagnostics import Diagnostics
from generator.ir import ANY, DictOf, ListOf, ModelRef, ModelSet, Nullable, Primitive, TypeRef
from generator.naming import RESERVED_CLASS_NAMES, Identifier, Namer, pascal
from generator.spec import Pointer, Spec

_PRIMITIVES: dict[str, Primitive] = {
    "string": Primitive("str"),
    "integer": Primitive("int"),
    "number": Primitive("float"),
    "boolean": Primitive("bool"),
    "null": Primitive("None"),
}
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
        components = spec.root.child("components", "schemas")
        for key in spec.document.get("components", {}).get("schemas", {}) or {}:
            self.named(components.child(key), key)

    def named(self, where: Pointer, hint: str) -> Identifier:
        """The class name for the schema at ``where``, assigning one on first sight."""
        if where not in self._names:
            self._names[where] = self._namer.unique(pascal(hint))
            self._queue.append(where)
        return self._names[where]

    def type_of(
        self, schema: Any, where: Pointer, hint: str, *, inline_refs: bool = False
    ) -> TypeRef:
        """The ``TypeRef`` for ``schema``; compound inline schemas are hoisted under ``hint``.

        With ``inline_refs`` (parameters), refs to plain scalar schemas become the scalar itself.
        """
        if not isinstance(schema, Mapping):
            return ANY
        if isinstance(schema.get("$ref"), str):
            target_schema, target = self.spec.resolve(schema, where)
            if inline_refs and _is_plain_scalar(target_schema):
                return self.type_of(target_schema, target, hint)
            return self._model(target_schema, target, target.last)
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
            if isinstance(extra, Mapping) and extra:
                return DictOf(
                    self.type_of(extra, where.child("additionalProperties"), f"{hint}Value")
                )
            return DictOf(ANY)
        if kind == "string" and schema.get("format") == "binary":
            return Primitive("bytes")
        return _PRIMITIVES.get(kind or "", ANY)

    def model_set(self) -> ModelSet:
        """Convert every named schema (following the refs they reach) into one document."""
        schemas: dict[str, Any] = {}
        while self._queue:
            where = self._queue.pop(0)
            schemas[self._names[where]] = self._convert(self.spec.get(where), where)
        document = {
            "openapi": self.spec.version,
            "info": {"title": "models", "version": "0"},
            "paths": {},
            "components": {"schemas": schemas},
        }
        return ModelSet(document=document, names=tuple(schemas))

    def _convert(self, node: Any, where: Pointer) -> Any:
        """A copy of ``node`` whose refs all point at named component schemas."""
        if isinstance(node, list):
            return [self._convert(item, where.child(i)) for i, item in enumerate(node)]
        if not isinstance(node, Mapping):
            return node
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                out[key] = self._ref_to(value, where)
            elif key == "discriminator" and isinstance(value, Mapping):
                out[key] = self._discriminator(value, where.child(key))
            elif key == "pattern" and isinstance(value, str) and not _pydantic_accepts(value):
                message = (
                    f"pattern {value!r} is not supported by pydantic's regex engine; not enforced"
                )
                self.diagnostics.warning("pattern-dropped", message, where.child(key).location)
            else:
                out[key] = self._convert(value, where.child(key))
        return out

    def _ref_to(self, ref: str, where: Pointer) -> str:
        _, target = self.spec.resolve({"$ref": ref}, where)
        return f"#/components/schemas/{self.named(target, target.last)}"

    def _discriminator(self, value: Mapping[str, Any], where: Pointer) -> dict[str, Any]:
        out = dict(value)
        mapping = value.get("mapping")
        if isinstance(mapping, Mapping):
            components = "#/components/schemas/"
            out["mapping"] = {
                key: self._ref_to(ref if "#" in ref or "." in ref else components + ref, where)
                for key, ref in mapping.items()
                if isinstance(ref, str)
            }
        return out


def _is_plain_scalar(schema: Any) -> bool:
    if not isinstance(schema, Mapping) or any(key in schema for key in _COMPOUND):
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
    if not isinstance(schema, Mapping) or not isinstance(schema.get("enum"), list):
        return False
    compound = any(key in schema for key in _COMPOUND if key != "enum")
    return not compound and all(
        isinstance(v, str | int | float | bool) or v is None for v in schema["enum"]
    )
