"""ParseResult (+ the last spec) -> the review model the page is rendered from."""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostic, Diagnostics, Level
from generator.review.model import (
    PINNED,
    Alternative,
    BodyView,
    Item,
    Located,
    OperationView,
    constraints,
    escape_token,
    evidence_of,
    state_of,
    type_of,
)
from generator.review.previous import changed
from generator.scrape import ParseResult
from generator.scrape.emit import Emitter
from generator.scrape.operations import Operation
from generator.scrape.pagetypes import DetailPage
from generator.scrape.tree import Node

MAX_SPAN = 12  # lines highlighted for one property at most


@dataclass
class _Context:
    """What building items needs besides the tree: page line spans, warnings, the last spec."""

    starts: dict[str, list[int]]  # file -> sorted first lines of every node and block
    warned: set[tuple[str, int]]
    previous: dict[str, Any] | None
    counter: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class Review:
    """Everything the review page shows."""

    title: str
    operations: tuple[OperationView, ...]
    sources: dict[str, tuple[str, ...]]  # file -> its lines as printed
    warnings: tuple[Located, ...]
    unplaced: tuple[Located, ...]
    stale: tuple[Located, ...]

    @property
    def items(self) -> list[Item]:
        return [item for op in self.operations for item in op.items]

    def names_by_source(self) -> dict[str, Counter[str]]:
        """Inferred names per source, counted per confidence band (high, medium, low)."""
        out: dict[str, Counter[str]] = {}
        for item in self.items:
            for e in item.evidence:
                if e.what == "name":
                    band = (
                        "high"
                        if e.confidence >= 0.85
                        else "medium"
                        if e.confidence >= 0.6
                        else "low"
                    )
                    out.setdefault(e.source, Counter())[band] += 1
        return dict(sorted(out.items()))

    def warnings_by_kind(self) -> dict[str, int]:
        return dict(sorted(Counter(w.kind for w in self.warnings).items()))


def build_review(result: ParseResult, previous: dict[str, Any] | None, root: Path) -> Review:
    """The review model of one parse; ``previous`` is the spec of the last build (for "changed").

    Page files are named relative to ``root`` (the folder the parse ran in).
    """
    warnings = [d for d in result.diagnostics.items if d.level is not Level.INFO]
    context = _Context(_starts(result.operations), _warned(warnings), previous)
    operations = tuple(_operation(op, context) for op in result.operations)
    sources = {
        page.file: tuple(_read(root / page.file)) for page in result.pages if page.page is not None
    }
    return Review(
        title=str(result.spec.get("info", {}).get("title", "")),
        operations=operations,
        sources=sources,
        warnings=tuple(_located(d) for d in warnings if d.code != "override-unmatched"),
        unplaced=tuple(
            Located("unplaced", line.text, page.file, line.no)
            for page in result.pages
            for line in page.unplaced
        ),
        stale=tuple(_located(d) for d in warnings if d.code == "override-unmatched"),
    )


def _read(file: Path) -> list[str]:
    try:
        return file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def _located(d: Diagnostic) -> Located:
    where = d.location
    return Located(
        d.code,
        d.message,
        (where.file if where else None) or "",
        (where.line if where else None) or 0,
    )


def _warned(diagnostics: list[Diagnostic]) -> set[tuple[str, int]]:
    return {
        (d.location.file, d.location.line)
        for d in diagnostics
        if d.location and d.location.file and d.location.line
    }


def _starts(operations: list[Operation]) -> dict[str, list[int]]:
    """Per page, the first line of everything printed on it: a property ends before the next."""
    starts: dict[str, set[int]] = {}
    for op in operations:
        if op.detail is None:
            continue
        lines = starts.setdefault(op.detail.file, set())
        lines.update(p.line for p in op.detail.params)
        lines.update(r.line for r in op.detail.responses)
        for body in op.detail.request + [r.body for r in op.detail.responses if r.body]:
            lines.add(body.line)
            lines.update(b.line for b in body.blocks)
            lines.update(p.line for b in body.blocks for p in b.props or [])
    return {file: sorted(lines) for file, lines in starts.items()}


def _span(context: _Context, file: str, line: int) -> tuple[int, int]:
    starts = context.starts.get(file, [])
    at = bisect.bisect_right(starts, line)
    end = starts[at] - 1 if at < len(starts) else line + MAX_SPAN
    return line, max(line, min(end, line + MAX_SPAN))


def _operation(op: Operation, context: _Context) -> OperationView:
    detail: DetailPage | None = op.detail
    bodies: list[BodyView] = []
    walk = _Walk(op, detail.file if detail else "", context)
    if detail is not None and op.request:  # one schema, printed once per media type
        first = op.request[0]
        media = tuple(m for body in op.request for m in body.media_types)
        request = _Printed("request body", "/requestBody", media, first.tree, first.alternatives)
        bodies.append(walk.body(request))
    for response in op.responses:
        if response.tree is not None:
            status = response.response.status
            printed = _Printed(
                f"response {status}",
                f"/responses/{status}",
                tuple(response.media_types),
                response.tree,
                response.alternatives,
            )
            bodies.append(walk.body(printed))
    return OperationView(
        id=op.operation_id,
        method=op.method,
        path=op.path,
        title=op.title,
        tag=op.tag,
        detail=(detail.file, detail.line) if detail else None,
        params=tuple((p.name, p.location, p.type, p.required) for p in op.params),
        bodies=tuple(bodies),
    )


@dataclass(frozen=True)
class _Printed:
    """One body of an operation, as rebuilt."""

    label: str
    pointer: str
    media: tuple[str, ...]
    tree: Node
    alternatives: list[Node]


@dataclass
class _Walk:
    """Turns the trees of one operation into review items."""

    op: Operation
    file: str
    context: _Context

    def body(self, printed: _Printed) -> BodyView:
        tree, pointer = printed.tree, printed.pointer
        pinned = tree.replacement is not None
        ambiguous = bool(printed.alternatives)
        if pinned:
            items = [self.item(tree, pointer, 0, ambiguous, state=PINNED)]
        else:
            items = self.items(tree, pointer, 0, ambiguous)
        options: tuple[Alternative, ...] = ()
        if printed.alternatives and not pinned:
            chosen = set(_paths(_outline(tree, 0)))
            options = tuple(
                Alternative(
                    tuple(
                        (line, path not in chosen)
                        for line, path in zip(outline, _paths(outline), strict=True)
                    ),
                    _clean(Emitter(Diagnostics()).schema(node, self.file, pointer)),
                    node is tree,
                )
                for node in [tree, *printed.alternatives]
                for outline in [_outline(node, 0)]
            )
        media = tuple(dict.fromkeys(printed.media))
        return BodyView(printed.label, pointer, media, tuple(items), options, pinned)

    def items(self, node: Node, pointer: str, depth: int, ambiguous: bool) -> list[Item]:
        found = [self.item(node, pointer, depth, ambiguous)]
        for child in node.children:
            step = f"{pointer}/properties/{escape_token(child.name or '')}"
            found += self.items(child, step, depth + 1, ambiguous)
        if node.items is not None:
            found += self.items(node.items, f"{pointer}/items", depth + 1, ambiguous)
        return found

    def item(
        self, node: Node, pointer: str, depth: int, ambiguous: bool, state: str | None = None
    ) -> Item:
        evidence = evidence_of(node)
        context, file = self.context, self.file
        context.counter["item"] += 1
        lines = _span(context, file, node.line)
        name = node.name or (node.source_name if depth == 0 else "items") or "(root)"
        return Item(
            id=f"i{context.counter['item']}",
            operation=self.op.operation_id,
            pointer=pointer,
            depth=depth,
            name=name,
            kind=node.kind,
            type=type_of(node),
            constraints=constraints(node.facts, node),
            description=node.facts.description,
            evidence=evidence,
            state=state or state_of(evidence),
            file=file,
            lines=lines,
            changed=changed(context.previous, self.op, pointer, node),
            warned=any((file, n) in context.warned for n in range(lines[0], lines[1] + 1)),
            ambiguous=ambiguous and depth == 0,
        )


def _outline(node: Node, depth: int) -> list[str]:
    if node.kind == "scalar":
        return []
    scalars = sum(c.kind == "scalar" for c in node.children)
    label = (node.name or node.source_name or "items") + (" []" if node.kind == "array" else "")
    suffix = f"  ({scalars} scalar{'s' if scalars != 1 else ''})" if scalars else ""
    lines = ["  " * depth + label + suffix]
    for child in [*node.children, *([node.items] if node.items else [])]:
        lines += _outline(child, depth + 1)
    return lines


def _paths(outline: list[str]) -> list[str]:
    """Each outline line as the path of names leading to it (to compare two outlines)."""
    stack: list[str] = []
    paths = []
    for line in outline:
        depth = (len(line) - len(line.lstrip())) // 2
        stack[depth:] = [line.strip()]
        paths.append("/".join(stack))
    return paths


def _clean(value: Any) -> Any:
    """A schema without apibind's provenance keywords: what a pinned structure says."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if not k.startswith("x-apibind-")}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value
