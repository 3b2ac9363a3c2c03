"""The change record, the proposed version bump, and spec documents that follow local ``$ref``s."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from generator import document
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
    also: tuple[str, ...] = ()  # the other operations a shared schema's change affects

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "breaking": self.breaking,
            "operation": self.operation,
            "operations": [o for o in (self.operation, *self.also) if o],
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
    """A spec dict that follows its local ``$ref``s (refs to other files are compared as written)."""

    def __init__(self, spec: Mapping[str, Any], label: str) -> None:
        self.spec, self.label = document.require_mapping(spec, label), label

    def check_refs(self, limit: int = 20) -> None:
        """Raise one error listing (up to ``limit``) local ``$ref``s that are broken or cyclic."""
        problems: list[Diagnostic] = []
        for ref, pointer in document.walk_refs(self.spec):
            try:
                self.resolve({"$ref": ref}, pointer)
            except ApibindError as exc:
                problems += exc.diagnostics
        if problems:
            raise ApibindError(sorted(problems, key=lambda d: str(d.location))[:limit])

    def resolve(self, node: Any, pointer: str) -> tuple[Any, str]:
        """Follow a chain of local ``$ref``s; return the target and its pointer."""
        return document.follow(node, pointer, _local, self._get, str, self._located)

    def _get(self, pointer: str) -> Any:
        return document.lookup(self.spec, pointer)

    def _located(self, pointer: str) -> Location:
        return Location(file=self.label, pointer=pointer or "/")


def _local(ref: str, _at: str) -> str | None:
    return ref[1:] if ref.startswith("#") else None
