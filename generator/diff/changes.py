"""The change record, the proposed version bump, and spec documents that follow local ``$ref``s."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from generator.diagnostics import ApibindError, Diagnostic, Location

ADDITIONS = frozenset(
    {
        "operation-added",
        "parameter-added",
        "request-body-added",
        "media-type-added",
        "response-status-added",
        "property-added",
        "enum-value-added",
        "schema-added",
        "response-header-added",
        "variant-added",
    }
)


@dataclass(frozen=True)
class Change:
    """One difference between two specs, from the point of view of an API client."""

    kind: str
    breaking: bool
    operation: str  # operationId, "METHOD /path", or "" for spec-wide changes
    pointer: str  # JSON pointer in the new spec, or in the old one for removals
    message: str

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "breaking": self.breaking,
            "operation": self.operation,
            "pointer": self.pointer,
            "message": self.message,
        }


@dataclass(frozen=True)
class Raw:
    """A change found inside an operation, before the operation is attached."""

    kind: str
    breaking: bool
    pointer: str
    message: str


def proposed_bump(changes: Iterable[Change]) -> str:
    """Semantic version bump: major if anything breaks, minor for additions, patch otherwise.

    Returns "none" when there are no changes at all.
    """
    changes = list(changes)
    if any(c.breaking for c in changes):
        return "major"
    if any(c.kind in ADDITIONS for c in changes):
        return "minor"
    return "patch" if changes else "none"


def bump_version(version: str, bump: str) -> str:
    """``version`` (MAJOR.MINOR.PATCH; anything else counts as 0.0.0) raised by ``bump``."""
    if bump == "none":
        return version
    found = re.fullmatch(r"v?(\d+)\.(\d+)\.(\d+)", version.strip())
    major, minor, patch = (int(part) for part in found.groups()) if found else (0, 0, 0)
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def child(pointer: str, *keys: object) -> str:
    """``pointer`` extended by ``keys``, escaped as JSON pointer segments."""
    return pointer + "".join("/" + str(k).replace("~", "~0").replace("/", "~1") for k in keys)


def canonical(node: Any) -> str:
    """A text form of a schema for likeness tests, ignoring documentation and ``x-`` keys."""

    def strip(value: Any) -> Any:
        if isinstance(value, Mapping):
            ignored = ("title", "description", "example", "examples")
            return {
                k: strip(v) for k, v in value.items() if k not in ignored and not k.startswith("x-")
            }
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return json.dumps(strip(node), sort_keys=True, default=str)


def ref_name(node: Any) -> str | None:
    """The component schema name a ``$ref`` node points at, if it is one."""
    ref = node.get("$ref") if isinstance(node, Mapping) else None
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        return ref.rsplit("/", 1)[-1]
    return None


class Doc:
    """A spec dict that can follow its local ``$ref``s, with located errors."""

    def __init__(self, spec: Mapping[str, Any], label: str) -> None:
        if not isinstance(spec, Mapping):
            raise ApibindError.single(
                "spec-not-object", "a spec must be a mapping", Location(file=label)
            )
        self.spec, self.label = spec, label

    def check_refs(self, limit: int = 20) -> None:
        """Raise one error listing (up to ``limit``) local ``$ref``s that are broken or cyclic."""
        problems: list[Diagnostic] = []
        stack: list[tuple[Any, str]] = [(self.spec, "")]
        while stack and len(problems) < limit:
            node, pointer = stack.pop()
            if isinstance(node, Mapping):
                if isinstance(node.get("$ref"), str):
                    try:
                        self.resolve(node, pointer)
                    except ApibindError as exc:
                        problems += exc.diagnostics
                stack += [(v, child(pointer, k)) for k, v in node.items()]
            elif isinstance(node, list):
                stack += [(v, child(pointer, i)) for i, v in enumerate(node)]
        if problems:
            raise ApibindError(sorted(problems, key=lambda d: str(d.location)))

    def get(self, pointer: str, at: str) -> Any:
        """The value at ``pointer``; ``at`` is where the ``$ref`` leading there was written."""
        node: Any = self.spec
        for raw in pointer.split("/")[1:]:
            key = raw.replace("~1", "/").replace("~0", "~")
            try:
                node = node[int(key)] if isinstance(node, list) else node[key]
            except (KeyError, IndexError, ValueError, TypeError):
                message = f"$ref to #{pointer} points at nothing"
                raise self._error("spec-bad-ref", message, at) from None
        return node

    def resolve(self, node: Any, pointer: str) -> tuple[Any, str]:
        """Follow a chain of local ``$ref``s; return the target and its pointer."""
        seen: list[str] = []
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if not ref.startswith("#"):
                return node, pointer  # a ref to another file: compared as written
            target = ref[1:]
            if target in seen:
                chain = " -> ".join([*seen, target])
                raise self._error("spec-ref-cycle", f"$ref cycle: {chain}", pointer)
            seen.append(target)
            node, pointer = self.get(target, pointer), target
        return node, pointer

    def _error(self, code: str, message: str, pointer: str) -> ApibindError:
        where = Location(file=self.label, pointer=pointer or "/")
        return ApibindError.single(code, message, where, "fix the $ref in the spec")
