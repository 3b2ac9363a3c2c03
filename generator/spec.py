"""Load and validate an OpenAPI 3.0/3.1 spec; resolve local ``$ref``s and refs to files next to it."""

from __future__ import annotations

import functools
import importlib.util
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jsonschema_rs

from generator import document
from generator.diagnostics import ApibindError, Diagnostic, Level, Location
from generator.schema_errors import explain

MAX_REPORTED_ERRORS = 20


@dataclass(frozen=True, order=True)
class Pointer:
    """A place in a document: the file and a JSON pointer inside it."""

    file: Path
    pointer: str = ""

    def child(self, *keys: str | int) -> Pointer:
        return Pointer(self.file, document.child(self.pointer, *keys))

    @property
    def location(self) -> Location:
        return Location(file=self.file.name, pointer=self.pointer or "/")

    @property
    def last(self) -> str:
        part = self.pointer.rsplit("/", 1)[-1] if self.pointer else self.file.stem
        return document.unescape(part)


@dataclass
class Spec:
    """A loaded, validated spec plus the documents its ``$ref``s reach."""

    path: Path
    document: dict[str, Any]
    version: str
    # how a file its refs reach is read (default: from disk; a git side reads its revision's)
    reader: Callable[[Path], Any] | None = field(default=None, repr=False)
    _documents: dict[Path, Any] = field(default_factory=dict, repr=False)

    @property
    def root(self) -> Pointer:
        return Pointer(self.path)

    def get(self, where: Pointer) -> Any:
        """The raw value at ``where`` (no ``$ref`` following)."""
        try:
            return document.lookup(self._document(where.file, where), where.pointer)
        except KeyError:
            raise ApibindError.single(
                "spec-bad-ref", f"nothing at {where.pointer!r}", where.location
            ) from None

    def resolve(self, node: Any, where: Pointer) -> tuple[Any, Pointer]:
        """Follow ``$ref`` chains from ``node`` (found at ``where``); return the target and its place."""
        return document.follow(node, where, self.target, self._lookup, self._show, _located)

    def _lookup(self, where: Pointer) -> Any:
        return document.lookup(self._document(where.file, where), where.pointer)

    def _show(self, where: Pointer) -> str:
        return where.pointer if where.file == self.path else f"{where.file.name}#{where.pointer}"

    def target(self, ref: str, where: Pointer) -> Pointer:
        """Where a ``$ref`` string written at ``where`` points."""
        if ref.startswith("#/") or ref == "#":  # within the same file: most refs
            return Pointer(where.file, unquote(ref[1:]))
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
        if file is self.path or file == self.path:  # pointers share the spec's path object
            return self.document
        if file not in self._documents:
            read = self.reader or _read
            self._documents[file] = read(file)
        return self._documents[file]


def _located(where: Pointer) -> Location:
    return where.location


def _read(file: Path) -> Any:
    return document.read(file, file.name, what=file.name)


def load_spec(path: Path) -> Spec:
    """Read, version-check and validate ``path``; every problem is an ``ApibindError`` with a pointer."""
    path = path.resolve()
    loaded = document.require_mapping(document.read(path, path.name), path.name)
    version = _check_version(loaded, path)
    spec = Spec(path=path, document=loaded, version=version)
    _check(spec)
    return spec


def _check_version(loaded: Mapping[str, Any], path: Path) -> str:
    if "swagger" in loaded:
        raise ApibindError.single(
            "spec-swagger2",
            "Swagger 2.0 is not supported",
            Location(file=path.name, pointer="/swagger"),
            hint="convert it to OpenAPI 3 first (for example with swagger2openapi), then rerun",
        )
    version = str(loaded.get("openapi", ""))
    if not version.startswith(("3.0.", "3.1.")) and version not in ("3.0", "3.1"):
        raise ApibindError.single(
            "spec-version",
            f"unsupported openapi version {version!r}: expected 3.0.x or 3.1.x",
            Location(file=path.name, pointer="/openapi"),
        )
    return version


def _walk_refs(node: Any, where: Pointer) -> Iterator[tuple[str, Pointer]]:
    for ref, pointer in document.walk_refs(node, where.pointer):
        yield ref, Pointer(where.file, pointer)


def _check(spec: Spec) -> None:
    """Refs first, then the OpenAPI schema and the semantic checks (one walk finds the refs)."""
    refs = list(_walk_refs(spec.document, spec.root))
    _check_refs(spec, refs)
    _validate(spec, refs)


def _check_refs(spec: Spec, refs: list[tuple[str, Pointer]]) -> None:
    """Reject remote refs and refs leaving the spec folder before anything could fetch them."""
    problems: list[Diagnostic] = []
    for ref, where in refs:
        try:
            spec.target(ref, where)
        except ApibindError as exc:
            problems.extend(exc.diagnostics)
    if problems:
        raise ApibindError(sorted(problems, key=lambda d: str(d.location))[:MAX_REPORTED_ERRORS])


@functools.cache
def _structural(version: str) -> Any:
    """A jsonschema-rs validator of the OpenAPI schema of ``version`` (``3.0``, ``3.1``) without
    ``format`` checks: a ``pattern`` that is no ECMA regex (AWS specs have many) or a malformed
    contact URL must not refuse a whole spec; unsupported patterns are dropped with a warning when
    the models are built. Its errors keep the failing alternatives of a oneOf/anyOf (see
    ``schema_errors.explain``)."""
    return jsonschema_rs.validator_for(_openapi_schema(version), validate_formats=False)


def _openapi_schema(version: str) -> Any:
    """The OpenAPI schema openapi-spec-validator ships, read without importing it (its import
    takes ~0.2 s, on every command)."""
    found = importlib.util.find_spec("openapi_spec_validator")
    folder = Path(next(iter(found.submodule_search_locations or ()))) if found else None
    if folder is None:
        raise RuntimeError("openapi-spec-validator is not installed")
    return json.loads(
        (folder / "resources" / "schemas" / f"v{version}" / "schema.json").read_text()
    )


def from_document(document: dict[str, Any], path: Path) -> Spec:
    """A spec already in memory and already validated (``validation_problems``), as if at ``path``."""
    return Spec(path.resolve(), document, _check_version(document, path))


def validation_problems(document: dict[str, Any], path: Path) -> list[Diagnostic]:
    """What ``load_spec`` would report for ``document`` if it were read from ``path``."""
    try:
        _check(Spec(path.resolve(), document, _check_version(document, path)))
    except ApibindError as exc:
        return list(exc.diagnostics)
    return []


def _validate(spec: Spec, refs: list[tuple[str, Pointer]]) -> None:
    """openapi-spec-validator's OpenAPI schema (jsonschema-rs backend), then the semantic checks.

    Its own semantic pass walks lazily resolved paths and takes ~20 s on GitHub's spec; the checks
    that matter for generation (refs, unique operationIds, declared path parameters) run here.
    """
    validator = _structural("3.1" if spec.version.startswith("3.1") else "3.0")
    problems: list[Diagnostic] = []
    try:
        for error in validator.iter_errors(spec.document):
            message, path = explain(error)
            where = spec.root.child(*path)
            problems.append(Diagnostic(Level.ERROR, "spec-invalid", message, where.location))
            if len(problems) >= MAX_REPORTED_ERRORS:
                break
    except ValueError as exc:  # jsonschema-rs: a value JSON cannot hold; anything else is a bug
        problems.append(
            Diagnostic(Level.ERROR, "spec-invalid", _one_line(str(exc)), spec.root.location)
        )
    if not problems:
        problems = _semantic_problems(spec, refs)[:MAX_REPORTED_ERRORS]
    if problems:
        raise ApibindError(problems)


def _semantic_problems(spec: Spec, refs: list[tuple[str, Pointer]]) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    for ref, where in refs:
        try:
            spec.resolve({"$ref": ref}, where)
        except ApibindError as exc:
            problems.extend(exc.diagnostics)
    problems.sort(key=lambda d: str(d.location))
    found: list[tuple[object, str, str, str]] = []
    for path, raw_item in (spec.document.get("paths") or {}).items():
        try:
            item, item_at = spec.resolve(raw_item, spec.root.child("paths", path))
        except ApibindError:
            continue  # reported with the refs
        for method, operation in document.operations(item):
            where = item_at.child(method)
            found.append((operation.get("operationId"), where.pointer, method, path))
            problems.extend(_path_parameter_problems(spec, path, item, operation, where))
    problems.extend(document.duplicate_operation_ids(found, spec.path.name))
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
