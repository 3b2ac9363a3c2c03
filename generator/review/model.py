"""The review model: every operation, body and property of a parse, with its evidence and state.

Built from the typed operations and page model the spec is emitted from (``ParseResult``), so the
page shows exactly what ``apibind parse`` decided and why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from generator.scrape.pagetypes import Facts
from generator.scrape.tree import Inference, Node

LOW_CONFIDENCE = 0.7  # below this an inference is flagged "low confidence"
INFERRED, PINNED, PRINTED, STALE = "inferred", "pinned", "printed", "stale"
_LINE_REF = re.compile(r"(?:([\w./-]+\.txt):(\d+))|(?:\bline (\d+))")


@dataclass(frozen=True)
class Evidence:
    """One inference (of a name, type or structure) as the page shows it."""

    what: str  # name | type | structure
    source: str
    confidence: float
    text: str
    refs: tuple[tuple[str, int], ...]  # (file, line) the evidence points at


@dataclass(frozen=True)
class Item:
    """One schema node to review: a property, array items, or a body's root."""

    id: str
    operation: str
    pointer: str  # overrides pointer: /requestBody/properties/x/items...
    depth: int
    name: str
    kind: str  # object | array | scalar
    type: str
    constraints: tuple[str, ...]
    description: str
    evidence: tuple[Evidence, ...]
    state: str  # inferred | pinned | printed
    file: str
    lines: tuple[int, int]  # first and last line of the page it was read from
    changed: bool = False
    warned: bool = False
    ambiguous: bool = False

    @property
    def placeholder(self) -> bool:
        return any(e.source == "placeholder" for e in self.evidence)

    @property
    def low(self) -> bool:
        return any(e.confidence < LOW_CONFIDENCE for e in self.evidence if e.source != "override")


@dataclass(frozen=True)
class Alternative:
    """One equally plausible nesting of a body's blocks, as an outline and a pinnable schema."""

    outline: tuple[tuple[str, bool], ...]  # indented lines, and whether apibind's choice lacks it
    schema: dict[str, Any]
    chosen: bool


@dataclass(frozen=True)
class BodyView:
    label: str  # "request body" / "response 200"
    pointer: str  # /requestBody or /responses/200
    media_types: tuple[str, ...]
    items: tuple[Item, ...]
    alternatives: tuple[Alternative, ...]
    pinned: bool  # the whole structure is pinned by an override


@dataclass(frozen=True)
class OperationView:
    id: str
    method: str
    path: str
    title: str
    tag: str
    detail: tuple[str, int] | None  # (file, line) of its detail page
    params: tuple[tuple[str, str, str, bool], ...]  # name, in, type, required
    bodies: tuple[BodyView, ...]

    @property
    def items(self) -> list[Item]:
        return [item for body in self.bodies for item in body.items]


@dataclass(frozen=True)
class Located:
    """A diagnostic, an unplaced line or a stale override, with where it is."""

    kind: str
    message: str
    file: str
    line: int


def evidence_of(node: Node) -> tuple[Evidence, ...]:
    found = (("name", node.name_info), ("type", node.type_info), ("structure", node.structure))
    return tuple(_evidence(what, info) for what, info in found if info is not None)


def _evidence(what: str, info: Inference) -> Evidence:
    refs = tuple(
        (file or "", int(line or bare)) for file, line, bare in _LINE_REF.findall(info.evidence)
    )
    return Evidence(what, info.source, round(info.confidence, 2), info.evidence, refs)


def constraints(facts: Facts, node: Node) -> tuple[str, ...]:
    """The printed constraints and pinned keywords of a node, as short labels."""
    out = [
        f"{label} {value}"
        for label, value in (
            ("format", facts.format),
            ("maxLength", facts.max_length),
            ("minLength", facts.min_length),
            ("minimum", facts.minimum),
            ("maximum", facts.maximum),
            ("pattern", facts.pattern),
            ("default", facts.default),
            ("example", facts.example),
        )
        if value is not None
    ]
    if facts.enum:
        out.append("enum " + " | ".join(repr(v) for v in facts.enum))
    if node.complete is False:
        out.append("property list lost")
    out += [f"pinned {k}: {v}" for k, v in sorted(node.overrides.items())]
    return tuple(out)


def state_of(evidence: tuple[Evidence, ...]) -> str:
    if any(e.source == "override" for e in evidence):
        return PINNED
    return INFERRED if evidence else PRINTED


def type_of(node: Node) -> str:
    if node.kind == "scalar":
        return node.type or "unknown"
    return node.kind


def escape_token(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")
