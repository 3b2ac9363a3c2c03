"""Load and validate an OpenAPI 3.0/3.1 spec; resolve local ``$ref``s and refs to files next to it."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jsonschema_rs
import yaml
from lazy_object_proxy import Proxy
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.schemas import schema_v30, schema_v31
from openapi_spec_validator.schemas.backend.jsonschema_rs import JsonschemaRsValidatorWrapper
from openapi_spec_validator.validation.validators import SpecValidator

from generator.diagnostics import ApibindError, Diagnostic, Level, Location
from generator.nesting import check_depth, too_deep_to_read
from generator.specfile import load_yaml

MAX_REPORTED_ERRORS = 20


@dataclass(frozen=True, order=True)
class Pointer:
    """A place in a document: the file and a JSON pointer inside it."""

    file: Path
    pointer: str = ""

    def child(self, *keys: str | int) -> Pointer:
        escaped = (str(k).replace("~", "~0").replace("/", "~1") for k in keys)
        return Pointer(self.file, "/".join((self.pointer, *escaped)))

    @property
    def location(self) -> Location:
        return Location(file=self.file.name, pointer=self.pointer or "/")

    @property
    def last(self) -> str:
        part = self.pointer.rsplit("/", 1)[-1] if self.pointer else self.file.stem
        return part.replace("~1", "/").replace("~0", "~")


@dataclass
class Spec:
    """A loaded, validated spec plus the documents its ``$ref``s reach."""

    path: Path
    document: dict[str, Any]
    version: str
    _documents: dict[Path, Any] = field(default_factory=dict, repr=False)

    @property
    def root(self) -> Pointer:
        return Pointer(self.path)

    def get(self, where: Pointer) -> Any:
        """The raw value at ``where`` (no ``$ref`` following)."""
        node = self._document(where.file, where)
        for raw in where.pointer.split("/")[1:]:
            key = raw.replace("~1", "/").replace("~0", "~")
            try:
                node = node[int(key)] if isinstance(node, list) else node[key]
            except (KeyError, IndexError, ValueError, TypeError):
                raise ApibindError.single(
                    "spec-bad-ref", f"nothing at {where.pointer!r}", where.location
                ) from None
        return node

    def resolve(self, node: Any, where: Pointer) -> tuple[Any, Pointer]:
        """Follow ``$ref`` chains from ``node`` (found at ``where``); return the target and its place."""
        seen: set[Pointer] = set()
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            target = self.target(node["$ref"], where)
            if target in seen:
                raise ApibindError.single("spec-ref-cycle", "$ref cycle", where.location)
            seen.add(target)
            node, where = self.get(target), target
        return node, where

    def target(self, ref: str, where: Pointer) -> Pointer:
        """Where a ``$ref`` string written at ``where`` points."""
        parts = urlsplit(ref)
        if parts.scheme or parts.netloc:
            raise ApibindError.single(
                "spec-remote-ref",
                f"remote $ref {ref!r} is not supported (never fetched)",
                where.location,
            )
        file = where.file
        if parts.path:
            file = (where.file.parent / unquote(parts.path)).resolve()
            if not file.is_relative_to(self.path.parent.resolve()):
                raise ApibindError.single(
                    "spec-ref-outside", f"$ref {ref!r} leaves the spec's folder", where.location
                )
        pointer = unquote(parts.fragment)
        if pointer and not pointer.startswith("/"):
            raise ApibindError.single("spec-bad-ref", f"unsupported $ref {ref!r}", where.location)
        return Pointer(file, pointer)

    def _document(self, file: Path, where: Pointer) -> Any:
        if file == self.path:
            return self.document
        if file not in self._documents:
            self._documents[file] = _read(file, where.location)
        return self._documents[file]


def load_spec(path: Path) -> Spec:
    """Read, version-check and validate ``path``; every problem is an ``ApibindError`` with a pointer."""
    path = path.resolve()
    document = _read(path, Location(file=path.name))
    version = _check_version(document, path)
    spec = Spec(path=path, document=document, version=version)
    _check_refs(spec)
    _validate(spec)
    return spec


def _read(path: Path, where: Location) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ApibindError.single(
            "spec-unreadable", f"cannot read {path.name}: {exc}", where
        ) from exc
    try:
        document = json.loads(text) if path.suffix.lower() == ".json" else load_yaml(text)
    except RecursionError:
        raise too_deep_to_read(path.name) from None
    except json.JSONDecodeError as exc:
        raise ApibindError.single(
            "spec-syntax", f"invalid JSON: {exc.msg}", Location(file=path.name, line=exc.lineno)
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ApibindError.single(
            "spec-syntax",
            f"invalid YAML: {getattr(exc, 'problem', exc)}",
            Location(file=path.name, line=line),
        ) from exc
    check_depth(document, path.name)
    return document


def _check_version(document: Any, path: Path) -> str:
    where = Location(file=path.name, pointer="/")
    if not isinstance(document, dict):
        raise ApibindError.single(
            "spec-not-object", "the spec must be a mapping at its top level", where
        )
    if "swagger" in document:
        raise ApibindError.single(
            "spec-swagger2",
            "Swagger 2.0 is not supported",
            Location(file=path.name, pointer="/swagger"),
            hint="convert it to OpenAPI 3 first (for example with swagger2openapi), then rerun",
        )
    version = str(document.get("openapi", ""))
    if not version.startswith(("3.0.", "3.1.")) and version not in ("3.0", "3.1"):
        raise ApibindError.single(
            "spec-version",
            f"unsupported openapi version {version!r}: expected 3.0.x or 3.1.x",
            Location(file=path.name, pointer="/openapi"),
        )
    return version


def _walk_refs(node: Any, where: Pointer) -> Iterator[tuple[str, Pointer]]:
    stack = [(node, where)]
    while stack:
        node, where = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                yield ref, where
            stack.extend((value, where.child(key)) for key, value in node.items())
        elif isinstance(node, list):
            stack.extend((value, where.child(i)) for i, value in enumerate(node))


def _check_refs(spec: Spec) -> None:
    """Reject remote refs and refs leaving the spec folder before anything could fetch them."""
    problems: list[Diagnostic] = []
    for ref, where in _walk_refs(spec.document, spec.root):
        try:
            spec.target(ref, where)
        except ApibindError as exc:
            problems.extend(exc.diagnostics)
    if problems:
        raise ApibindError(sorted(problems, key=lambda d: str(d.location))[:MAX_REPORTED_ERRORS])


def _structural(schema: Any) -> JsonschemaRsValidatorWrapper:
    """The OpenAPI schema without ``format`` checks: a ``pattern`` that is no ECMA regex (AWS
    specs have many) or a malformed contact URL must not refuse a whole spec; unsupported
    patterns are dropped with a warning when the models are built."""
    schema = dict(schema)  # the validator's schemas are lazy proxies
    return JsonschemaRsValidatorWrapper(
        schema, jsonschema_rs.validator_for(schema, validate_formats=False)
    )


class _V30(OpenAPIV30SpecValidator):
    resolver_handlers = {"file": OpenAPIV30SpecValidator.resolver_handlers["file"]}  # noqa: RUF012
    schema_validator = Proxy(functools.partial(_structural, schema_v30))


class _V31(OpenAPIV31SpecValidator):
    resolver_handlers = {"file": OpenAPIV31SpecValidator.resolver_handlers["file"]}  # noqa: RUF012
    schema_validator = Proxy(functools.partial(_structural, schema_v31))


def _validate(spec: Spec) -> None:
    """openapi-spec-validator's OpenAPI schema (jsonschema-rs backend), then the semantic checks.

    Its own semantic pass walks lazily resolved paths and takes ~20 s on GitHub's spec; the checks
    that matter for generation (refs, unique operationIds, declared path parameters) run here.
    """
    validator_class: type[SpecValidator] = _V31 if spec.version.startswith("3.1") else _V30
    validator = validator_class(spec.document, base_uri=spec.path.as_uri())
    problems: list[Diagnostic] = []
    try:
        for error in validator.schema_validator.iter_errors(spec.document):
            path: tuple[str | int, ...] = tuple(
                getattr(error, "absolute_path", None) or getattr(error, "path", None) or ()
            )
            where = spec.root.child(*path)
            problems.append(
                Diagnostic(Level.ERROR, "spec-invalid", _one_line(error.message), where.location)
            )
            if len(problems) >= MAX_REPORTED_ERRORS:
                break
    except ValueError as exc:  # jsonschema-rs: a value JSON cannot hold; anything else is a bug
        problems.append(
            Diagnostic(Level.ERROR, "spec-invalid", _one_line(str(exc)), spec.root.location)
        )
    if not problems:
        problems = _semantic_problems(spec)[:MAX_REPORTED_ERRORS]
    if problems:
        raise ApibindError(problems)


_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _semantic_problems(spec: Spec) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    for ref, where in _walk_refs(spec.document, spec.root):
        try:
            spec.resolve({"$ref": ref}, where)
        except ApibindError as exc:
            for problem in exc.diagnostics:
                message = f"$ref {ref!r}: {problem.message}"
                problems.append(Diagnostic(Level.ERROR, problem.code, message, where.location))
    seen: dict[str, Pointer] = {}
    for path, item in (spec.document.get("paths") or {}).items():
        item_at = spec.root.child("paths", path)
        for method in _METHODS:
            operation = item.get(method) if isinstance(item, Mapping) else None
            if not isinstance(operation, Mapping):
                continue
            where = item_at.child(method)
            operation_id = operation.get("operationId")
            if operation_id in seen:
                message = f"operationId {operation_id!r} is not unique (also at {seen[operation_id].pointer})"
                problems.append(
                    Diagnostic(
                        Level.ERROR, "spec-invalid", message, where.child("operationId").location
                    )
                )
            elif operation_id is not None:
                seen[operation_id] = where
            problems.extend(_path_parameter_problems(spec, path, item, operation, where))
    return problems


def _path_parameter_problems(
    spec: Spec, path: str, item: Mapping[str, Any], operation: Mapping[str, Any], where: Pointer
) -> list[Diagnostic]:
    declared = set()
    for raw in [*(item.get("parameters") or []), *(operation.get("parameters") or [])]:
        try:
            param, _ = spec.resolve(raw, where)
        except ApibindError:
            continue  # reported with the refs
        if isinstance(param, Mapping) and param.get("in") == "path":
            declared.add(param.get("name"))
    missing = sorted(set(re.findall(r"{([^{}]+)}", path)) - declared)
    return [
        Diagnostic(
            Level.ERROR, "spec-invalid", f"path parameter {name!r} is not declared", where.location
        )
        for name in missing
    ]


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."
