"""Lend names, types and enum labels from evidence operations to the run's trees (see evidence.py)."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

from generator.diagnostics import Diagnostics, Location
from generator.scrape.evidence import EVIDENCE_THRESHOLD, EvidenceOp
from generator.scrape.names import align, similarity
from generator.scrape.operations import Operation
from generator.scrape.pagetypes import Param
from generator.scrape.paths import match_key, path_params
from generator.scrape.tree import Inference, Node

_WEAK = frozenset(["placeholder", "label"])  # guesses that evidence may replace
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "is",
        "are",
        "defines",
        "define",
        "contains",
        "this",
        "that",
        "of",
        "for",
        "to",
        "which",
        "it",
        "its",
    ]
)
_TRAILING_EXAMPLE = re.compile(r"\b(?:for example|e\.g\.|example)\b.*$", re.IGNORECASE)


def lend(operations: list[Operation], evidence: list[EvidenceOp], diagnostics: Diagnostics) -> None:
    """Name what the run's pages lost from the evidence of the same operations, in place."""
    by_key: dict[tuple[str, str], list[EvidenceOp]] = {}
    by_title: dict[str, list[EvidenceOp]] = {}
    for ev in evidence:
        by_key.setdefault(match_key(ev.method, ev.path), []).append(ev)
        for label in {ev.title, ev.operation_id} - {""}:
            by_title.setdefault(label, []).append(ev)
    for op in operations:
        found = by_key.get(match_key(op.method, op.path)) or [
            ev
            for ev in by_title.get(op.title, []) or by_title.get(op.operation_id, [])
            if ev.method == op.method
        ]
        if not found or op.detail is None:
            continue
        page = op.detail.file
        _lend_params(op, found, diagnostics)
        for place, tree in _places(op):
            theirs = [(ev.file, ev.trees[place]) for ev in found if place in ev.trees]
            if theirs:
                _lend_node(tree, theirs, page, diagnostics)


def _lend_params(op: Operation, found: list[EvidenceOp], diag: Diagnostics) -> None:
    """Parameters the page lost: path parameters its path names but it does not describe, and
    the lists under `Query/Header/Cookie Parameters` headings it prints empty."""
    assert op.detail is not None
    printed = {(p.location, p.name) for p in op.params}
    lost = {loc for loc in op.detail.param_sections if loc not in {p.location for p in op.params}}
    wanted = {("path", n) for n in path_params(op.path)} - printed
    offers: dict[tuple[str, str], list[tuple[str, Param]]] = {}
    for ev in found:
        for p in ev.params:
            key = (p.location, p.name)
            if (key in wanted and _says_more(p)) or (p.location != "path" and p.location in lost):
                offers.setdefault(key, []).append((ev.file, p))
    for key, offered in offers.items():
        file, theirs = offered[0]
        others = sorted({p.type for _, p in offered} - {theirs.type})
        evidence = f"{file}:{theirs.line}: {theirs.location} parameter `{theirs.name}`"
        if others:
            diag.warning(
                "evidence-disagrees",
                f"evidence disagrees on the type of {theirs.location} parameter `{theirs.name}`: "
                f"{theirs.type} ({file}:{theirs.line}) or {', '.join(others)}; took "
                f"{theirs.type} with low confidence",
                Location(op.detail.file, op.detail.line),
            )
        op.params.append(replace(theirs, line=op.detail.line, facts=replace(theirs.facts)))
        op.lent_params[key] = Inference("evidence", 0.5 if others else 0.9, evidence)


def _says_more(param: Param) -> bool:
    """Whether a path parameter tells more than its name in the path (`{billId}`: a string)."""
    facts = param.facts
    return (
        param.type != "string"
        or any(
            x is not None
            for x in (facts.format, facts.example, facts.max_length, facts.minimum, facts.maximum)
        )
        or bool(facts.description or facts.enum)
    )


def _places(op: Operation) -> list[tuple[str, Node]]:
    out = [("requestBody", b.tree) for b in op.request]
    return out + [(f"responses/{r.response.status}", r.tree) for r in op.responses if r.tree]


def _lend_node(node: Node, theirs: list[tuple[str, Node]], page: str, diag: Diagnostics) -> None:
    if node.kind == "array" and node.items is not None:
        items = [(f, t.items) for f, t in theirs if t.kind == "array" and t.items is not None]
        if items:
            _lend_node(node.items, items, page, diag)
        return
    if node.kind != "object":
        return
    proposals: dict[int, list[tuple[float, str, Node]]] = {}
    for file, other in theirs:
        if other.kind != "object":
            continue
        pairs = align(node.children, other.children, _score, EVIDENCE_THRESHOLD)
        for i, j, score in pairs + _gaps(node.children, other.children, pairs):
            if other.children[j].name is not None:
                proposals.setdefault(i, []).append((score, file, other.children[j]))
    for i, child in enumerate(node.children):
        if child.name is not None and not _weak(child):
            _report_conflict(child, proposals.get(i, []), page, diag)
        elif i in proposals:
            _take(node, i, proposals[i], page, diag)
        named = [(f, p) for _, f, p in proposals.get(i, []) if p.name == child.name]
        if child.name is not None and named:
            _lend_node(child, named, page, diag)


def _gaps(
    mine: list[Node], theirs: list[Node], pairs: list[tuple[int, int, float]]
) -> list[tuple[int, int, float]]:
    """One unmatched property on each side between the same two matched neighbours: the same
    property by its place in the block (reworded beyond recognition), weakly."""
    bounds = [(-1, -1), *((i, j) for i, j, _ in pairs), (len(mine), len(theirs))]
    found = []
    for (i0, j0), (i1, j1) in itertools.pairwise(bounds):
        if i1 - i0 == 2 and j1 - j0 == 2:
            a, b = mine[i0 + 1], theirs[j0 + 1]
            if _weak(a) and a.kind == b.kind == "scalar" and a.type in (None, b.type):
                found.append((i0 + 1, j0 + 1, EVIDENCE_THRESHOLD))
    return found


def _weak(child: Node) -> bool:
    return child.name is None or (child.name_info is not None and child.name_info.source in _WEAK)


def _score(mine: Node, theirs: Node) -> float:
    if theirs.name is None or mine.kind != theirs.kind:
        return 0.0
    if mine.name == theirs.name:
        return 1.0
    if mine.kind != "scalar":
        return 0.0
    score = similarity(
        replace(mine.facts, description=_loose(mine.facts.description)),
        replace(theirs.facts, description=_loose(theirs.facts.description)),
    )
    printed = mine.name is not None and not _weak(mine)
    if not printed and _bare(mine) and _bare(theirs) and mine.type in (None, theirs.type):
        return EVIDENCE_THRESHOLD  # nothing printed on either side: the place alone, weakly
    return score if not printed or score >= 0.9 else 0.0  # a printed name: only a clear conflict


def _bare(node: Node) -> bool:
    """A scalar printed with no description and no constraints (`_link: string`)."""
    facts = node.facts
    return (
        not facts.description
        and not facts.enum
        and facts.max_length is None
        and (facts.minimum is None and facts.maximum is None)
    )


def _loose(text: str) -> str:
    """Descriptions as the docs reword them between versions: no example text, no filler words."""
    words = re.findall(r"[a-z0-9]+", _TRAILING_EXAMPLE.sub("", text.lower()))
    return " ".join(w for w in words if w not in _STOP)


def _take(
    node: Node, i: int, found: list[tuple[float, str, Node]], page: str, diag: Diagnostics
) -> None:
    child = node.children[i]
    found = sorted(found, key=lambda f: -f[0])
    score, file, theirs = found[0]
    name = theirs.name or ""
    if child.name == name or not _keeps_order(node, i, name):
        return
    others = sorted({n for _, _, t in found if (n := t.name) and n != name})
    confidence = 0.9 if score >= 0.9 else 0.8 if score >= 0.75 else 0.6
    if theirs.name_info is not None and theirs.name_info.source == "evidence":
        info = theirs.name_info  # known from an earlier version: keep that record
    else:
        if theirs.name_info is not None:
            confidence = min(confidence, theirs.name_info.confidence)
        info = Inference(
            "evidence", confidence, f"{file}:{theirs.line}: `{name}` at the same place"
        )
    if others:
        info = Inference(
            "evidence",
            min(info.confidence, 0.5),
            f"{info.evidence}; other evidence says `{'`, `'.join(others)}`",
        )
        diag.warning(
            "evidence-disagrees",
            f"evidence disagrees on the name of the property at line {child.line}: `{name}` "
            f"({file}:{theirs.line}) or `{'`, `'.join(others)}`; took `{name}` with low confidence",
            Location(page, child.line),
        )
    child.name, child.name_info = name, info
    if child.type is None and theirs.type is not None:
        child.type, child.facts.format = theirs.type, child.facts.format or theirs.facts.format
        child.type_info = Inference("evidence", info.confidence, info.evidence)
    if child.facts.enum and not child.facts.enum_labels and theirs.facts.enum == child.facts.enum:
        child.facts.enum_labels = dict(theirs.facts.enum_labels)
    if not child.facts.description:
        child.facts.description = theirs.facts.description


def _keeps_order(node: Node, i: int, name: str) -> bool:
    """Whether ``name`` at position ``i`` keeps the block's alphabetical order and is unique."""
    key = name.lower()
    others = [c.name.lower() for k, c in enumerate(node.children) if k != i and c.name]
    if key in others:
        return False
    strong = [(k, c.name.lower()) for k, c in enumerate(node.children) if c.name and not _weak(c)]
    before = [n for k, n in strong if k < i]
    after = [n for k, n in strong if k > i]
    return all(b < key for b in before) and all(key < a for a in after)


def _report_conflict(
    child: Node, found: list[tuple[float, str, Node]], page: str, diag: Diagnostics
) -> None:
    for _, file, theirs in found:
        if theirs.name != child.name:
            diag.warning(
                "evidence-conflict",
                f"the page prints `{child.name}` where evidence {file}:{theirs.line} says "
                f"`{theirs.name}`; the printed name wins",
                Location(page, child.line),
            )
