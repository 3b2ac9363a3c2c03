"""Rebuild every detail page's schema trees, recover lost names, attach them to operations."""

from __future__ import annotations

from collections.abc import Sequence

from generator.diagnostics import Diagnostics, Location
from generator.scrape.evidence import EvidenceOp
from generator.scrape.lend import lend
from generator.scrape.names import NamedNode, NameRecovery
from generator.scrape.operations import BodyTree, Operation, ResponseTree
from generator.scrape.pagetypes import Body, DetailPage, Layout
from generator.scrape.tree import (
    Hints,
    Node,
    TreeResult,
    borrow_lost_props,
    leaf_names,
    rebuild,
    wrapper_names,
)

MAX_SCHEMA_DEPTH = 40  # nested schemas per body; the bundled pages nest at most 7


def attach_trees(
    operations: list[Operation],
    diagnostics: Diagnostics,
    evidence: Sequence[EvidenceOp] = (),
) -> None:
    pages = {id(op.detail): op.detail for op in operations if op.detail is not None}
    bodies = {key: _bodies(page) for key, page in pages.items()}
    for key, page in pages.items():
        _borrow(page, bodies[key], diagnostics)
    run_leaves = frozenset().union(*(leaf_names(b) for b in bodies.values()))
    wrappers = frozenset().union(*(wrapper_names(b) for b in bodies.values()))
    for op in operations:
        if op.detail is not None:
            hints = Hints(leaf_names(bodies[id(op.detail)]), run_leaves, wrappers)
            _page_trees(op, op.detail, hints, diagnostics)
    named: list[NamedNode] = []
    for op in operations:
        for tree in _trees(op):
            named += _named_nodes(op.detail.file if op.detail else "", tree)
    recovery = NameRecovery(named)
    for op in operations:
        for tree in _trees(op) + _alternatives(op):
            recovery.recover(tree)
    if evidence:
        lend(operations, list(evidence), diagnostics)


def _bodies(page: DetailPage) -> list[Body]:
    return page.request + [r.body for r in page.responses if r.body is not None]


def _borrow(page: DetailPage, bodies: list[Body], diagnostics: Diagnostics) -> None:
    for line, source in sorted(borrow_lost_props(bodies).items()):
        diagnostics.info(
            "props-borrowed",
            f"block `{source.name}` lost its property list; using the list printed at line {source.line}",
            Location(page.file, line),
        )


def _trees(op: Operation) -> list[Node]:
    return [b.tree for b in op.request] + [r.tree for r in op.responses if r.tree is not None]


def _alternatives(op: Operation) -> list[Node]:
    return [n for b in op.request for n in b.alternatives] + [
        n for r in op.responses for n in r.alternatives
    ]


def _page_trees(op: Operation, page: DetailPage, hints: Hints, diagnostics: Diagnostics) -> None:
    request_media = sorted({m for body in page.request for m in body.media_types})
    op.params = list(page.params)
    op.description = page.description
    for body in page.request:
        result = _rebuilt(page, body, hints, diagnostics)
        if result is not None:
            op.request.append(
                BodyTree(
                    body.media_types, result.root, body.line, result.ambiguity, result.alternatives
                )
            )
    for response in page.responses:
        tree, alternatives = None, []
        if response.body is not None:
            result = _rebuilt(page, response.body, hints, diagnostics)
            if result is not None:
                tree, alternatives = result.root, result.alternatives
        media = response.media_types or request_media
        if tree is not None and not response.media_types:
            diagnostics.info(
                "media-assumed",
                f"{response.status} response prints no media types; using "
                f"{', '.join(media) if media else 'application/json and application/xml'}",
                Location(page.file, response.line),
            )
        op.responses.append(ResponseTree(response, media, tree, alternatives))


def _rebuilt(
    page: DetailPage, body: Body, hints: Hints, diagnostics: Diagnostics
) -> TreeResult | None:
    """The body's schema tree, or None with a located error when its blocks nest too deep."""
    try:
        result = rebuild(body, hints)
    except RecursionError:  # the block grammar is parsed recursively, one frame per level
        line = body.line
    else:
        deep = _deeper_than(result.root, MAX_SCHEMA_DEPTH)
        if deep is None:
            _report_tree(page, body, result, diagnostics)
            return result
        line = deep.line
    diagnostics.error(
        "schema-too-deep",
        f"schema `{body.root.name}` nests more than {MAX_SCHEMA_DEPTH} levels deep; apibind "
        "refuses schemas this deep",
        Location(page.file, line),
        hint="the page is probably damaged: compare it with the documentation page",
    )
    return None


def _deeper_than(root: Node, limit: int) -> Node | None:
    """The first node nested more than ``limit`` levels below ``root``, or None."""
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return node
        below = [*node.children, *([node.items] if node.items else [])]
        stack.extend((child, depth + 1) for child in reversed(below))
    return None


def _report_tree(
    page: DetailPage, body: Body, result: TreeResult, diagnostics: Diagnostics
) -> None:
    line, name, ambiguity = body.line, body.root.name, result.ambiguity
    if result.capped:
        diagnostics.warning(
            "structure-search-capped",
            f"schema `{name}`: too many of its blocks lost their property lists to weigh every "
            "nesting; each block took the longest run of blocks after it",
            Location(page.file, line),
            hint="check the nesting against the documentation page and pin it in the overrides file",
        )
    if ambiguity > 1:
        diagnostics.warning(
            "structure-ambiguous",
            f"schema `{name}`: {ambiguity} equally plausible nestings of its blocks (the page lost "
            "property lists); the one chosen is marked x-apibind-structure",
            Location(page.file, line),
            hint="pin the structure in the overrides file",
        )
    for block in result.unplaced:
        diagnostics.warning(
            "block-unplaced",
            f"block `{block.name}` fits nowhere in schema `{name}`; left out",
            Location(page.file, block.line),
        )


def _named_nodes(file: str, node: Node) -> list[NamedNode]:
    found = (
        [NamedNode(file, node)]
        if node.kind == "object" and node.layout == str(Layout.NAMED)
        else []
    )
    for child in [*node.children, *([node.items] if node.items else [])]:
        found += _named_nodes(file, child)
    return found
