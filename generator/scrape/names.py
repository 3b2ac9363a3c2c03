"""Recover property names the bullet layout lost, from evidence only, and record the evidence.

Evidence, strongest first: the name printed on the page (nested-block headings, one-word reference
bullets — already set by the tree rebuild); a named page for the same schema in the same run
(aligned on description, constraints and position); the label a description starts with. Every
block lists its properties in alphabetical order of their names, which every assignment must keep.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from generator.scrape.pagetypes import Facts
from generator.scrape.tree import Inference, Node

MATCH_THRESHOLD = 0.7
LABEL_THRESHOLD = 0.5
PLACEHOLDER = "unnamedProperty{position}"
_VERBS = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "defines",
        "define",
        "displays",
        "contains",
        "identifies",
        "controls",
        "indicates",
        "specifies",
        "shows",
        "represents",
        "describes",
        "determines",
        "holds",
        "stores",
        "can",
        "will",
        "has",
        "must",
    ]
)
_ARTICLES = frozenset(["The", "A", "An", "If", "This", "These", "That", "When", "For"])
_WORD = re.compile(r"^[A-Za-z][A-Za-z0-9'/&-]*$")


@dataclass(frozen=True)
class NamedNode:
    """An object node from a page that printed its property names."""

    file: str
    node: Node


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def similarity(a: Facts, b: Facts) -> float:
    """0..1: how likely two printed properties are the same property."""
    da, db = _norm(a.description), _norm(b.description)
    if da and db:
        if da == db:
            desc = 1.0
        else:
            ta, tb = set(da.split()), set(db.split())
            desc = len(ta & tb) / len(ta | tb)
    else:
        desc = 0.5 if da == db else 0.0
    agree = only_one = 0
    for x, y in (
        (a.max_length, b.max_length),
        (a.minimum, b.minimum),
        (a.maximum, b.maximum),
        (tuple(a.enum or ()), tuple(b.enum or ())) if a.enum or b.enum else (None, None),
    ):
        if x is not None and y is not None:
            if x != y:
                return 0.0
            agree += 1
        elif x is not None or y is not None:
            only_one += 1
    constraints = agree / (agree + only_one) if agree + only_one else 0.5
    return 0.6 * desc + 0.4 * constraints


def _pair_score(a: Node, b: Node) -> float:
    if a.name is not None:  # printed on both sides: must be the same name
        return 1.0 if a.name == b.name else 0.0
    if b.kind != "scalar" or b.name is None:
        return 0.0
    return similarity(a.facts, b.facts)


def align(
    mine: list[Node],
    theirs: list[Node],
    pair_score: Callable[[Node, Node], float] | None = None,
    threshold: float = MATCH_THRESHOLD,
) -> list[tuple[int, int, float]]:
    """Order-preserving matching of two property lists maximizing total similarity."""
    score_of = pair_score or _pair_score
    n, m = len(mine), len(theirs)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            score = score_of(mine[i], theirs[j])
            take = best[i + 1][j + 1] + score if score >= threshold else -1.0
            best[i][j] = max(take, best[i + 1][j], best[i][j + 1])
    pairs = []
    i = j = 0
    while i < n and j < m:
        score = score_of(mine[i], theirs[j])
        if score >= threshold and best[i][j] == best[i + 1][j + 1] + score:
            pairs.append((i, j, score))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def label_name(description: str) -> tuple[str, float, str] | None:
    """`Accounting Date defines ...` -> ("accountingDate", 0.7, "Accounting Date")."""
    text = description.strip()
    if m := re.match(r"^([A-Z][\w'/&-]*(?: [A-Za-z][\w'/&-]*){0,5})\s*:", text):
        return _camel(m.group(1)), 0.7, m.group(1)
    words = text.rstrip(".").split()
    if not words or words[0] in _ARTICLES or not words[0][0].isupper():
        return None
    for i, word in enumerate(words[:7]):
        if word in _VERBS and i > 0:
            label = words[:i]
            if all(_WORD.match(w) for w in label):
                return _camel(" ".join(label)), 0.7, " ".join(label)
            return None
    if len(words) <= 4 and all(_WORD.match(w) and w[0].isupper() for w in words):
        return _camel(" ".join(words)), 0.6, " ".join(words)
    run = []
    for word in words:
        if not (_WORD.match(word) and word[0].isupper()):
            break
        run.append(word)
    if len(run) >= 2:
        return _camel(" ".join(run)), 0.5, " ".join(run)
    return None


def _camel(label: str) -> str:
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", label) if p]
    head, *tail = parts
    return head.lower() + "".join(
        p[:1].upper() + p[1:].lower() if p.isupper() else p[:1].upper() + p[1:] for p in tail
    )


class NameRecovery:
    """Recover names across all trees of one run."""

    def __init__(self, named: list[NamedNode]) -> None:
        self.by_name: dict[str, list[NamedNode]] = {}
        for item in named:
            key = item.node.source_name or item.node.name
            if key:
                self.by_name.setdefault(key, []).append(item)
        self.scalars: dict[tuple[object, ...], list[tuple[NamedNode, Node]]] = {}
        for item in named:
            for child in item.node.children:
                if child.kind == "scalar" and child.name and child.facts.description:
                    self.scalars.setdefault(_signature(child.facts), []).append((item, child))

    def recover(self, node: Node) -> None:
        """Name the unnamed children of ``node`` (and below) in place."""
        for child in [*node.children, *([node.items] if node.items else [])]:
            self.recover(child)
        if node.kind != "object" or all(c.name is not None for c in node.children):
            return
        candidates: dict[int, tuple[str, Inference, Node | None]] = {}
        self._from_named_page(node, candidates)
        self._from_identical(node, candidates)
        self._from_labels(node, candidates)
        self._keep_alphabetical(node, candidates)
        for position, child in enumerate(node.children, start=1):
            if child.name is not None:
                continue
            if position - 1 in candidates:
                name, info, source = candidates[position - 1]
                child.name, child.name_info = name, info
                if source is not None and child.type is None:
                    child.type, child.facts.format = (
                        source.type,
                        child.facts.format or source.facts.format,
                    )
                    child.type_info = Inference(info.source, info.confidence, info.evidence)
            else:
                child.name = PLACEHOLDER.format(position=position)
                child.name_info = child.name_info or Inference(
                    "placeholder", 0.0, _placeholder_evidence(child)
                )

    def _from_named_page(
        self, node: Node, out: dict[int, tuple[str, Inference, Node | None]]
    ) -> None:
        key = node.source_name or node.name
        best: tuple[float, NamedNode, list[tuple[int, int, float]]] | None = None
        for item in self.by_name.get(key or "", []):
            if item.node is node:
                continue
            pairs = align(node.children, item.node.children)
            total = sum(s for i, _, s in pairs if node.children[i].name is None)
            if total > 0 and (best is None or total > best[0]):
                best = (total, item, pairs)
        if best is None:
            return
        _, item, pairs = best
        for i, j, score in pairs:
            if node.children[i].name is not None:
                continue
            theirs = item.node.children[j]
            confidence = 0.9 if score >= 0.95 else 0.8
            evidence = (
                f"{item.file}:{theirs.line} `{key}.{theirs.name}` (named layout) has the same "
                f"{_what_matched(node.children[i].facts, theirs.facts)} at the same position"
            )
            out[i] = (theirs.name, Inference("named-page", confidence, evidence), theirs)  # type: ignore[assignment]

    def _from_identical(
        self, node: Node, out: dict[int, tuple[str, Inference, Node | None]]
    ) -> None:
        for i, child in enumerate(node.children):
            if child.name is not None or i in out or not child.facts.description:
                continue
            matches = self.scalars.get(_signature(child.facts), [])
            names = sorted({c.name for _, c in matches if c.name})
            if len(names) == 1:
                item, theirs = matches[0]
                evidence = (
                    f"{item.file}:{theirs.line} `{theirs.name}` (named layout, in "
                    f"`{item.node.source_name or item.node.name}`) has the identical description and constraints"
                )
                out[i] = (names[0], Inference("named-page", 0.75, evidence), theirs)

    def _from_labels(self, node: Node, out: dict[int, tuple[str, Inference, Node | None]]) -> None:
        for i, child in enumerate(node.children):
            if child.name is not None or i in out:
                continue
            found = label_name(child.facts.description)
            if found and found[1] >= LABEL_THRESHOLD:
                name, confidence, label = found
                evidence = f"line {child.line}: the description starts with the label '{label}'"
                out[i] = (name, Inference("label", confidence, evidence), None)

    def _keep_alphabetical(
        self, node: Node, out: dict[int, tuple[str, Inference, Node | None]]
    ) -> None:
        """Drop inferred names that break the alphabetical order or repeat a name."""
        entries = []
        for i, child in enumerate(node.children):
            if child.name is not None:
                entries.append((i, child.name, 100.0))
            elif i in out:
                entries.append((i, out[i][0], out[i][1].confidence))
        keep = _heaviest_increasing(entries)
        for i, name, _ in entries:
            if i in out and i not in keep:
                rejected = out.pop(i)
                node.children[i].name_info = Inference(
                    "placeholder",
                    0.0,
                    f"{rejected[1].source} evidence suggested `{name}` ({rejected[1].evidence}), "
                    "but that breaks the alphabetical order of the block's properties",
                )


def _heaviest_increasing(entries: list[tuple[int, str, float]]) -> set[int]:
    """Indices of the max-weight subsequence whose names strictly increase (case-insensitive).

    O(n log n): a Fenwick tree over the names' ranks holds, for every prefix of ranks, the
    heaviest chain ending there as (weight, -position), so ties go to the earliest entry.
    """
    n = len(entries)
    if not n:
        return set()
    ranks = {key: r for r, key in enumerate(sorted({e[1].lower() for e in entries}), start=1)}
    none = (float("-inf"), 0)
    tree = [none] * (len(ranks) + 1)
    weight = [0.0] * n
    back = [-1] * n
    for i, (_, name, own) in enumerate(entries):
        best, r = none, ranks[name.lower()] - 1
        while r > 0:  # the heaviest chain among strictly smaller names
            best, r = max(best, tree[r]), r & (r - 1)
        weight[i] = own
        if best[0] + own > own:  # -inf: no smaller name before it
            weight[i], back[i] = best[0] + own, -best[1]
        r = ranks[name.lower()]
        while r < len(tree):
            tree[r], r = max(tree[r], (weight[i], -i)), r + (r & -r)
    i = max(range(n), key=lambda k: (weight[k], -k))
    keep = set()
    while i >= 0:
        keep.add(entries[i][0])
        i = back[i]
    return keep


def _signature(facts: Facts) -> tuple[object, ...]:
    return (
        _norm(facts.description),
        facts.max_length,
        facts.minimum,
        facts.maximum,
        tuple(facts.enum or ()),
    )


def _what_matched(a: Facts, b: Facts) -> str:
    parts = [
        "description" if _norm(a.description) == _norm(b.description) else "similar description"
    ]
    for label, x, y in (
        ("maxLength", a.max_length, b.max_length),
        ("minimum", a.minimum, b.minimum),
        ("maximum", a.maximum, b.maximum),
    ):
        if x is not None and x == y:
            parts.append(f"{label} {x}")
    if a.enum and a.enum == b.enum:
        parts.append("allowed values")
    return ", ".join(parts)


def _placeholder_evidence(child: Node) -> str:
    return f"line {child.line}: the page printed no name and no label or named page identifies this property"
