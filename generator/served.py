"""The document a generated server answers at ``/openapi.json``: the source spec itself, in one file.

Serving the source (rather than what FastAPI infers from the routes) keeps every description,
constraint, response header and security scheme. What a ``$ref`` to a file next to the spec
reaches is inlined (a schema that refers back to itself is copied into ``components/schemas``
instead). apibind's own provenance (``x-apibind-*``) is left out: it describes the scrape, not
the API.
"""

from __future__ import annotations

import json
import re
from typing import Any

import msgspec

from generator import document
from generator.spec import Pointer, Spec

_PROVENANCE = "x-apibind-"
# in the dumped text: a ``$ref`` that is no local pointer (JSON escapes every quote inside strings)
_NON_LOCAL_REF = re.compile(r'"\$ref": "(?!#)')
# keywords whose value maps names (of properties, paths, components...) to objects
_NAME_MAPS = frozenset(
    {
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "dependentSchemas",
        "paths",
        "webhooks",
        "schemas",
        "responses",
        "parameters",
        "examples",
        "requestBodies",
        "headers",
        "securitySchemes",
        "links",
        "callbacks",
        "pathItems",
        "content",
        "encoding",
        "scopes",
        "variables",
        "mapping",
    }
)


def served_document(spec: Spec) -> str:
    """``spec`` as the JSON text the server serves (deterministic: the source's key order)."""
    text = _dumped(spec.document)
    if '"' + _PROVENANCE not in text and not _NON_LOCAL_REF.search(text):
        return text  # the common case: nothing to inline or leave out, no copy made
    bundler = _Bundler(spec)
    served = bundler.node(spec.document, spec.root)
    if bundler.copied:
        components = served.setdefault("components", {})
        components["schemas"] = {**components.get("schemas", {}), **bundler.copied}
    return _dumped(served)


def _dumped(value: Any) -> str:
    """``value`` as JSON text indented by one space per level, UTF-8 kept (msgspec: ~6x faster
    than the json module's pure-Python indenting). Values JSON has no type for are text (dates
    as ISO 8601, binary as base64), NaN is null; a lone surrogate, which UTF-8 cannot hold,
    takes the json module's way (``\\udxxx`` escapes)."""
    try:
        data = msgspec.json.encode(value, enc_hook=str)
    except UnicodeEncodeError:
        return json.dumps(value, indent=1, default=str) + "\n"
    return msgspec.json.format(data, indent=1).decode() + "\n"


class _Bundler:
    """Copies a document, turning ``$ref``s into other files into values (or refs) of this one."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        own = (spec.document.get("components") or {}).get("schemas") or {}
        self.taken = set(own)
        self.names: dict[Pointer, str] = {}
        self.copied: dict[str, Any] = {}
        self.inlining: set[Pointer] = set()

    def node(self, value: Any, where: Pointer, *, names: bool = False) -> Any:
        """A copy of ``value``; ``names``: its keys are names (properties, paths), not keywords."""
        if isinstance(value, list):
            return [self.node(item, where.child(i)) for i, item in enumerate(value)]
        if not isinstance(value, dict):
            return value
        ref = value.get("$ref")
        local = where.file == self.spec.path and str(ref).startswith("#")
        if not names and isinstance(ref, str) and not local:
            return self.reference(ref, where)
        return {
            key: self.node(item, where.child(key), names=not names and key in _NAME_MAPS)
            for key, item in value.items()
            if names or not str(key).startswith(_PROVENANCE)
        }

    def reference(self, ref: str, where: Pointer) -> Any:
        """A ``$ref`` into another file: its target inlined, or (a cycle) copied into
        ``components/schemas`` and referred to there."""
        target = self.spec.target(ref, where)
        if target.file == self.spec.path:
            return {"$ref": "#" + target.pointer}
        if target not in self.inlining:
            self.inlining.add(target)
            inlined = self.node(self.spec.get(target), target)
            self.inlining.discard(target)
            return inlined
        if target not in self.names:
            self.names[target] = name = self._unique(target.last)
            self.copied[name] = None  # reserved first: the schema refers to itself
            self.copied[name] = self.node(self.spec.get(target), target)
        return {"$ref": document.child("#/components/schemas", self.names[target])}

    def _unique(self, wanted: str) -> str:
        name, n = wanted, 2
        while name in self.taken:
            name, n = f"{wanted}{n}", n + 1
        self.taken.add(name)
        return name
