"""The change record, the proposed version bump, and the two sides of a diff (``Doc``)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import document
from generator.diagnostics import ApibindError, Diagnostic
from generator.spec import Pointer, Spec

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
    """One side of a diff: a spec whose ``$ref``s, to files next to it too, are followed by the
    spec layer (``Spec.resolve``), as ``generate`` follows them.

    Places are strings: a JSON pointer in the spec itself, ``other.yaml#/pointer`` in a file next
    to it (relative to the spec's folder).
    """

    def __init__(self, source: Spec) -> None:
        self.source, self.spec = source, source.document

    def check_refs(self, limit: int = 20) -> None:
        """Raise one error listing (up to ``limit``) ``$ref``s that are broken, cyclic or remote."""
        problems: list[Diagnostic] = []
        for ref, pointer in document.walk_refs(self.spec):
            try:
                self.resolve({"$ref": ref}, pointer)
            except ApibindError as exc:
                problems += exc.diagnostics
        if problems:
            raise ApibindError(sorted(problems, key=lambda d: str(d.location))[:limit])

    def resolve(self, node: Any, place: str) -> tuple[Any, str]:
        """Follow a ``$ref`` chain from ``node`` (found at ``place``): the target and its place."""
        target, at = self.source.resolve(node, self._pointer(place))
        return target, self._place(at)

    def _pointer(self, place: str) -> Pointer:
        if not place or place.startswith("/"):
            return Pointer(self.source.path, place)
        file, _, pointer = place.partition("#")
        return Pointer(self.source.path.parent / file, pointer)

    def _place(self, at: Pointer) -> str:
        if at.file == self.source.path:
            return at.pointer
        return f"{at.file.relative_to(self.source.path.parent).as_posix()}#{at.pointer}"


def side(spec: Spec | Mapping[str, Any], label: str) -> Doc:
    """A diff side from a loaded spec, or from a document in memory named ``label``."""
    if isinstance(spec, Spec):
        return Doc(spec)
    return Doc(Spec(Path(label).resolve(), document.require_mapping(spec, label), ""))
