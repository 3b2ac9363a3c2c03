"""The OpenAPI document layer: spec text, JSON pointers, ``$ref`` chains, operations, operationIds.

The only code that parses spec files, escapes pointers, follows ``$ref`` chains, lists operations
and checks operationIds. ``spec`` (generate, build), ``diff`` and ``scrape`` all use it, so one
problem gives one message and one code whichever command finds it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml

from generator.diagnostics import ApibindError, Diagnostic, Level, Location
from generator.nesting import check_depth, too_deep_to_read
from generator.specfile import is_json, load_yaml, not_a_mapping, yaml_syntax_error

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
REF_HINT = "fix the $ref in the spec"

W = TypeVar("W", bound=Hashable)


def escape(key: object) -> str:
    """One JSON pointer segment: ``~`` -> ``~0``, ``/`` -> ``~1``."""
    text = str(key)
    if "~" in text or "/" in text:
        return text.replace("~", "~0").replace("/", "~1")
    return text


def unescape(segment: str) -> str:
    return segment.replace("~1", "/").replace("~0", "~")


def child(pointer: str, *keys: object) -> str:
    """``pointer`` extended by ``keys``, each escaped as a JSON pointer segment."""
    if len(keys) == 1:  # the common case, without a generator
        return f"{pointer}/{escape(keys[0])}"
    return pointer + "".join("/" + escape(key) for key in keys)


def lookup(node: Any, pointer: str) -> Any:
    """The value at ``pointer`` inside ``node``; ``KeyError`` when there is none."""
    for segment in pointer.split("/")[1:]:
        key = unescape(segment)
        try:
            node = node[int(key)] if isinstance(node, list) else node[key]
        except (KeyError, IndexError, ValueError, TypeError):
            raise KeyError(pointer) from None
    return node


def parse(text: str, name: str) -> Any:
    """A spec's text as data: JSON for ``*.json`` names, YAML otherwise; errors at ``name:line``."""
    try:
        document = json.loads(text) if is_json(name) else load_yaml(text)
    except RecursionError:
        raise too_deep_to_read(name) from None
    except json.JSONDecodeError as exc:
        where = Location(file=name, line=exc.lineno)
        raise ApibindError.single("spec-syntax", f"invalid JSON: {exc.msg}", where) from exc
    except yaml.YAMLError as exc:
        raise yaml_syntax_error(exc, text, name) from exc
    check_depth(document, name)
    return document


def read(path: Path, name: str, *, what: str = "the spec") -> Any:
    """Read and parse the file at ``path``; ``name`` is how messages show it."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        where = Location(file=name)
        raise ApibindError.single("spec-unreadable", f"cannot read {what}: {exc}", where) from exc
    return parse(text, name)


def require_mapping(document: Any, name: str) -> dict[str, Any]:
    """The top level of a spec, which must be a mapping."""
    if not isinstance(document, dict):
        raise not_a_mapping(document, name)
    return document


def operations(item: Any) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """The ``(method, operation)`` pairs of one path item, in OpenAPI's method order."""
    if isinstance(item, Mapping):
        for method in HTTP_METHODS:
            operation = item.get(method)
            if isinstance(operation, Mapping):
                yield method, operation


def walk_refs(node: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """Every ``$ref`` string in ``node`` with the pointer of the object that holds it.

    ``node`` is parsed JSON or YAML (dicts and lists), and only its containers are visited.
    Pointers are spelled only for the objects holding a ref: each node carries its path as a
    linked (parent path, key) pair, which makes no string for the other 95 % of a spec's nodes.
    """
    stack: list[tuple[Any, tuple[Any, ...]]] = [(node, ())] if isinstance(node, dict | list) else []
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                yield ref, _spelled(pointer, path)
            items: Iterable[tuple[Any, Any]] = node.items()
        else:
            items = enumerate(node)
        stack.extend((value, (path, key)) for key, value in items if isinstance(value, dict | list))


def _spelled(pointer: str, path: tuple[Any, ...]) -> str:
    """``pointer`` extended by the keys of a linked ``(parent path, key)`` path."""
    keys = []
    while path:
        path, key = path
        keys.append(key)
    return child(pointer, *reversed(keys))


def follow(
    node: Any,
    where: W,
    target: Callable[[str, W], W | None],
    get: Callable[[W], Any],
    show: Callable[[W], str],
    located: Callable[[W], Location],
) -> tuple[Any, W]:
    """Follow the ``$ref`` chain from ``node`` (at ``where``): the first value that is no ref.

    ``target`` says where a ref written at a place points (``None``: not followed), ``get``
    reads a place (``KeyError`` when empty), ``show`` spells a place in a message and
    ``located`` turns a place into a location. Errors are located where the chain starts.
    """
    start = where
    seen: list[W] = []
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        goal = target(ref, where)
        if goal is None:
            break
        if goal in seen:
            chain = " -> ".join(show(place) for place in [*seen, goal])
            raise ApibindError.single(
                "spec-ref-cycle", f"$ref cycle: {chain}", located(start), REF_HINT
            )
        seen.append(goal)
        try:
            node, where = get(goal), goal
        except KeyError:
            message = f"$ref to {ref} points at nothing"
            raise ApibindError.single("spec-bad-ref", message, located(start), REF_HINT) from None
    return node, where


def duplicate_operation_ids(
    found: Iterable[tuple[object, str, str, str]], name: str
) -> list[Diagnostic]:
    """Errors for operationIds used twice; ``found``: (operationId, pointer, method, path)."""
    first: dict[object, str] = {}
    problems = []
    for operation_id, pointer, method, path in found:
        if operation_id is None or operation_id == "":
            continue
        if operation_id in first:
            message = f"duplicate operationId {operation_id!r} (also used by {first[operation_id]})"
            where = Location(file=name, pointer=child(pointer, "operationId"))
            hint = "give every operation its own operationId"
            problems.append(
                Diagnostic(Level.ERROR, "spec-duplicate-operation-id", message, where, hint)
            )
        else:
            first[operation_id] = f"{method.upper()} {path}"
    return problems
