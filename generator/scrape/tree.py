"""Rebuild schema trees from the flat list of blocks a page prints.

The documentation prints a schema as: the root's property list, then for each complex property its
block, then — child by child — the same again one level down (children, then their subtrees). The
scrape keeps the blocks but not their parent links, and may lose whole property lists or blocks.
We parse the block sequence with that grammar: every complete parse is a candidate tree, the
cheapest (by the costs below) wins, and ties are reported as ambiguities.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from generator.scrape.pagetypes import Block, Body, Facts, Layout, Prop

# Costs of unusual shapes; the parse with the lowest total wins.
COST_DATA_SINGULAR_OWNER = 1.0  # `_data` under an object whose name is not plural
COST_ITEMS_AS_PROPERTY = 1.0  # an `items` block under an object instead of an array
COST_ARRAY_WITHOUT_ITEMS = 1.5  # an array block whose `items` block is not the next block
COST_SYNTHESIZED_DATA = 0.3  # a lost `_data` wrapper inferred between X and an orphan `items`
COST_RUN_CUT = 0.7  # a sibling run that stops although the next block could continue it
COST_CONTRADICTS_PAGE = 2.0  # children for a block the same page prints elsewhere as a leaf
COST_CONTRADICTS_RUN = 1.0  # children for a block another page of the run prints as a leaf
MAX_ALTERNATIVES = 6  # equally cheap parses kept besides the chosen one (for the review page)
# Parse extensions weighed per body before the search stops weighing every nesting (~0.5 s).
# The bundled pages and the 16 KB page without bullets need at most 0.6 million; blocks that all
# lost their property lists need about n^5 (40 such blocks: 36 million), so past this budget each
# block takes the longest run it can.
WORK_BUDGET = 1_000_000


@dataclass(frozen=True)
class Hints:
    """What the rest of the run says about block names (evidence for ambiguous nestings)."""

    page_leaves: frozenset[str] = frozenset()  # this page prints them as plain objects
    run_leaves: frozenset[str] = frozenset()  # another page prints them as plain objects
    wrappers: frozenset[str] = frozenset()  # a named page prints them as collection wrappers


@dataclass
class Inference:
    source: str  # page | named-page | label | order | convention | placeholder | override
    confidence: float
    evidence: str

    def as_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "confidence": round(self.confidence, 2),
            "evidence": self.evidence,
        }


@dataclass
class Node:
    """One schema in a rebuilt tree."""

    kind: str  # object | array | scalar
    name: str | None  # property name (None for a root or array items)
    line: int
    facts: Facts = field(default_factory=Facts)
    type: str | None = None  # scalar type, None when the page lost it
    children: list[Node] = field(default_factory=list)
    items: Node | None = None
    complete: bool = True  # False: the page lost this object's property list
    name_info: Inference | None = None  # set when the name was not printed next to the property
    type_info: Inference | None = None  # set when the type was inferred
    structure: Inference | None = None  # set when the parent link was inferred
    source_name: str | None = None  # a root block's printed name (C1-BillSegm)
    layout: str | None = None
    overrides: dict[str, Any] = field(
        default_factory=dict
    )  # schema keywords pinned by a maintainer
    replacement: dict[str, Any] | None = None  # a whole schema pinned by a maintainer


ROOT = -1  # the block index of a body's root block


@dataclass(frozen=True)
class Slot:
    """A schema whose subtree the block sequence may describe next."""

    block: int | None = None  # index of its block (ROOT for the root); None: its block was lost
    element: bool = False  # it is the items of an array
    parent: int = ROOT  # lost block: the block whose property list printed the reference
    prop: int = -1  # lost block: the index of that reference among the parent's properties
    kind: str = ""  # lost block: the printed type (object, array) or "" when not printed


@dataclass(frozen=True)
class Step:
    """One decision of a parse: this slot's subtree is read by ``plan``."""

    slot: Slot
    plan: Plan
    via_lost_data: bool = False  # an orphan `items` read as the items of a lost `_data` array


# A parse's steps as a linked list, last step first: extending a plan copies nothing.
Plan = tuple["Plan", Step] | tuple[()]


def _steps(plan: Plan) -> list[Step]:
    """The steps of ``plan`` in reading order."""
    out = []
    while plan:
        plan, step = plan
        out.append(step)
    return out[::-1]


PLAN_LIMIT = MAX_ALTERNATIVES + 1  # plans listed per parse end: the chosen one and the others

# How a ``_Best`` lists its plans: (prefix, slot, sub, via_lost_data) stands for every plan of
# ``prefix`` followed by ``slot`` read by each plan of ``sub``; with ``slot`` None, ``prefix``'s own.
_Part = tuple["_Best", Slot | None, "_Best | None", bool]


class _Best:
    """The cheapest parses to one end position: their cost, their number and, listed only when
    asked (few are: the winner's and its alternatives' ancestors), their first ``PLAN_LIMIT`` plans.

    Listing lazily keeps the search to costs and counts; building every kept plan eagerly made
    1.7 million plan extensions on a 16 KB page that lost its property lists.
    """

    __slots__ = ("_parts", "_plans", "cost", "count")

    def __init__(
        self, cost: float, count: int, parts: tuple[_Part, ...] = (), plans: tuple[Plan, ...] = ()
    ) -> None:
        self.cost = cost
        self.count = count  # number of equally cheap parses
        self._parts = parts[:PLAN_LIMIT]  # each part lists at least one plan
        self._plans: tuple[Plan, ...] | None = plans or None

    @property
    def plans(self) -> tuple[Plan, ...]:
        """The first ``PLAN_LIMIT`` plans, in the order the search met them."""
        pending = [self]
        while pending:  # depth-first without recursion: a long sibling run chains many parts
            best = pending[-1]
            if best._plans is not None:
                pending.pop()
                continue
            needed = [b for part in best._parts for b in (part[0], part[2]) if b is not None]
            missing = [b for b in needed if b._plans is None]
            if missing:
                pending.extend(missing)
                continue
            best._plans = tuple(itertools.islice(_listed(best._parts), PLAN_LIMIT))
            best._parts = ()
            pending.pop()
        assert self._plans is not None
        return self._plans


def _listed(parts: tuple[_Part, ...]) -> Iterator[Plan]:
    """The plans ``parts`` stand for, their prefixes' and subs' plans already listed."""
    for prefix, slot, sub, via in parts:
        if slot is None or sub is None:
            yield from prefix.plans
        else:
            for mine in prefix.plans:
                for theirs in sub.plans:
                    yield (mine, Step(slot, theirs, via))


LEAF: tuple[Plan, ...] = ((),)  # the plans of a parse that reads no block
NO_PLAN = _Best(0.0, 1, plans=LEAF)  # the prefix of a subtree read as one step


@dataclass
class TreeResult:
    root: Node
    ambiguity: int  # number of equally cheap parses (1: unambiguous)
    unplaced: list[Block]  # blocks no parse could place
    alternatives: list[Node] = field(default_factory=list)  # other equally cheap trees
    capped: bool = False  # too many nestings to weigh: each block took the longest run it could
    work: int = 0  # parse extensions weighed (bounded: at most WORK_BUDGET, then linear)


def _plural(name: str) -> bool:
    return name.lower().endswith("s")


def _key(name: str) -> str:
    return name.lower()


def _merge(into: dict[int, _Best], end: int, best: _Best, prefer_new: bool = False) -> None:
    """Keep the cheapest parse per end position; on a tie count both and list both's plans."""
    old = into.get(end)
    if old is None or best.cost < old.cost - 1e-9:
        into[end] = best
    elif abs(best.cost - old.cost) <= 1e-9:
        first, second = (best, old) if prefer_new else (old, best)
        parts: tuple[_Part, ...] = ((first, None, None, False), (second, None, None, False))
        into[end] = _Best(old.cost, old.count + best.count, parts)


class _OverBudget(Exception):
    """The exact search met more than ``WORK_BUDGET`` parse extensions."""


class _Parser:
    def __init__(self, root: Block, blocks: list[Block], hints: Hints, greedy: bool) -> None:
        self.root = root
        self.hints = hints
        self.blocks = blocks
        self.n = len(blocks)
        self.greedy = greedy  # one parse only: each block takes the longest run, one end per slot
        self.work = 0  # parse extensions weighed so far
        self.expand = lru_cache(maxsize=None)(self._greedy if greedy else self._expand)
        self.ends = lru_cache(maxsize=None)(self._ends)

    def block(self, index: int) -> Block:
        return self.root if index == ROOT else self.blocks[index]

    def name(self, pos: int) -> str | None:
        return self.blocks[pos].name if pos < self.n else None

    def _greedy(self, slot: Slot, pos: int) -> dict[int, _Best]:
        """``_expand`` cut to one parse: the cheapest, the longest on a tie."""
        found = self._expand(slot, pos)
        end = min(found, key=lambda e: (found[e].cost, -e))
        return {end: found[end]}

    def _expand(self, slot: Slot, pos: int) -> dict[int, _Best]:
        """Every way the blocks from ``pos`` on can describe ``slot``'s subtree, by end position."""
        if slot.block is None:
            return self._lost(slot, pos)
        block = self.block(slot.block)
        if block.type == "array":
            if self.name(pos) == "items":
                return self._take(Slot(pos, element=True), pos)
            cost = COST_ARRAY_WITHOUT_ITEMS if block.props is None else 0.0
            return {pos: _Best(cost, 1, plans=LEAF)}
        if block.props is not None:
            return self._known(slot.block, block.props, pos)
        return self._unknown(block, pos, slot.element)

    def _ends(self, slot: Slot, pos: int) -> tuple[tuple[int, _Best], ...]:
        """``expand`` by end position, in order."""
        return tuple(sorted(self.expand(slot, pos).items()))

    def _take(
        self, slot: Slot, pos: int, extra: float = 0.0, via_lost_data: bool = False
    ) -> dict[int, _Best]:
        """``slot`` is the block at ``pos``: its subtree follows it."""
        return {
            end: _Best(b.cost + extra, b.count, ((NO_PLAN, slot, b, via_lost_data),))
            for end, b in self.expand(slot, pos + 1).items()
        }

    def _known(self, index: int, props: list[Prop], pos: int) -> dict[int, _Best]:
        slots: list[Slot] = []
        for i, prop in enumerate(props):
            if not prop.ref:
                continue
            if self.name(pos) == prop.name:
                slots.append(Slot(pos))
                pos += 1
            else:
                slots.append(Slot(None, parent=index, prop=i, kind=prop.type or ""))
        return self._sequence(slots, pos, 0.0)

    def _unknown(self, block: Block, pos: int, element: bool) -> dict[int, _Best]:
        """A block whose property list was lost: its children are some ascending run of blocks."""
        results: dict[int, _Best] = {}
        run: list[int] = []
        cost = 0.0
        leaf_cost = (
            COST_CONTRADICTS_PAGE
            if block.name in self.hints.page_leaves
            else COST_CONTRADICTS_RUN
            if block.name in self.hints.run_leaves
            else 0.0
        )
        k = pos
        while True:
            if self.greedy and self._extends(run, k, element):
                run.append(k)  # greedy: only the longest run
                k += 1
                continue
            cut = (
                COST_RUN_CUT
                if run and self._extends(run, k, element) and not self._claims(run[-1], k)
                else 0.0
            )
            for end, best in self._sequence([Slot(j) for j in run], k, cost + cut).items():
                _merge(
                    results, end, best, prefer_new=True
                )  # ties: the earliest owner takes the run
            if not self._extends(run, k, element):
                return results
            name = self.blocks[k].name
            if (
                name == "_data"
                and not _plural(block.name)
                and block.name not in self.hints.wrappers
            ):
                cost += COST_DATA_SINGULAR_OWNER
            if name == "items":
                cost += COST_ITEMS_AS_PROPERTY
            if not run:
                cost += leaf_cost
            run.append(k)
            k += 1

    def _claims(self, last: int, k: int) -> bool:
        """An array ending a run claims an `items` block right after the run."""
        return self.blocks[last].type == "array" and self.name(k) == "items"

    def _extends(self, run: list[int], k: int, element: bool) -> bool:
        if k >= self.n:
            return False
        name = self.blocks[k].name
        if name == "_data" and element:
            return False
        return not run or _key(name) > _key(self.blocks[run[-1]].name)

    def _lost(self, slot: Slot, pos: int) -> dict[int, _Best]:
        """A printed reference without its block: it may still own the blocks that follow."""
        options = {pos: _Best(0.0, 1, plans=LEAF)}
        nxt = self.name(pos)
        if slot.kind == "array" and nxt == "items":
            found = self._take(Slot(pos, element=True), pos)
        elif slot.kind != "array" and nxt == "_data":
            found = self._take(Slot(pos), pos)
        elif slot.kind != "array" and nxt == "items":
            found = self._take(
                Slot(pos, element=True), pos, COST_SYNTHESIZED_DATA, via_lost_data=True
            )
        else:
            found = {}
        for end, best in found.items():
            _merge(options, end, best)
        return options

    def _sequence(self, slots: list[Slot], pos: int, base: float) -> dict[int, _Best]:
        states = {pos: _Best(base, 1, plans=LEAF)}
        for slot in slots:
            states = self._step(states, slot)
        return states

    def _step(self, states: dict[int, _Best], slot: Slot) -> dict[int, _Best]:
        """Every parse of a sequence extended by ``slot``, cheapest per end position (the hot loop
        on pages that lost their property lists: ``_merge`` inlined, plans only described)."""
        nxt: dict[int, list[Any]] = {}  # end: [cost, count, parts]
        for start, state in sorted(states.items(), reverse=True):  # ties: earlier slots own more
            ends = self.ends(slot, start)
            self.work += len(ends)
            if self.work > WORK_BUDGET and not self.greedy:
                raise _OverBudget
            for end, sub in ends:
                cost = state.cost + sub.cost
                old = nxt.get(end)
                if old is None or cost < old[0] - 1e-9:
                    nxt[end] = [cost, state.count * sub.count, [(state, slot, sub, False)]]
                elif cost <= old[0] + 1e-9:
                    old[1] += state.count * sub.count
                    if len(old[2]) < PLAN_LIMIT:
                        old[2].append((state, slot, sub, False))
        return {end: _Best(cost, count, tuple(parts)) for end, (cost, count, parts) in nxt.items()}


GENERIC_BLOCK_NAMES = frozenset({"items", "_data", "schema"})


def borrow_lost_props(bodies: list[Body]) -> dict[int, Block]:
    """Give blocks that lost their property list the list of a same-named block on the same page.

    Returns {line of the borrowing block: the block lent from}, for the record.
    """
    printed: dict[tuple[str, str | None], Block] = {}
    for body in bodies:
        for block in body.blocks[1:]:
            if block.props is not None and block.name not in GENERIC_BLOCK_NAMES:
                printed.setdefault((block.name, block.type), block)
    lent: dict[int, Block] = {}
    for body in bodies:
        for block in body.blocks[1:]:
            source = printed.get((block.name, block.type))
            if block.props is None and source is not None:
                block.props = [replace(p, facts=replace(p.facts)) for p in source.props or []]
                lent[block.line] = source
    return lent


def leaf_names(bodies: list[Body]) -> frozenset[str]:
    """Names of blocks printed with a property list that refers to no nested block."""
    return frozenset(
        b.name
        for body in bodies
        for b in body.blocks[1:]
        if b.props and b.name not in GENERIC_BLOCK_NAMES and not any(p.ref for p in b.props)
    )


def wrapper_names(bodies: list[Body]) -> frozenset[str]:
    """Named-layout references to objects whose block is missing: collection wrappers whose only
    property, `_data`, the scrape drops (`calcLines: object` with an orphan `items` block later)."""
    found: set[str] = set()
    for body in bodies:
        present = {b.name for b in body.blocks}
        for block in body.blocks:
            if block.layout is Layout.NAMED:
                found.update(
                    p.name
                    for p in block.props or []
                    if p.ref and p.type == "object" and p.name and p.name not in present
                )
    return frozenset(found)


def rebuild(body: Body, hints: Hints = Hints()) -> TreeResult:
    """Parse a body's blocks into a tree; the root is ``body.blocks[0]``.

    Every nesting is weighed up to ``WORK_BUDGET`` extensions; past it, one greedy parse is made
    (each block takes the longest run of blocks it can), in time linear in the blocks' nesting.
    """
    work = 0
    try:
        parser = _Parser(body.blocks[0], body.blocks[1:], hints, greedy=False)
        options = parser.expand(Slot(ROOT), 0)
    except _OverBudget:
        work = parser.work
        parser = _Parser(body.blocks[0], body.blocks[1:], hints, greedy=True)
        options = parser.expand(Slot(ROOT), 0)
    end = parser.n if parser.n in options else max(options)  # else: the longest prefix that parses
    best = options[end]
    builder = _Builder(parser, best.count)
    chosen, *rest = best.plans
    root = builder.block(ROOT, chosen, element=False)
    others = [builder.block(ROOT, plan, element=False) for plan in rest]
    capped = parser.greedy
    return TreeResult(root, best.count, parser.blocks[end:], others, capped, work + parser.work)


class _Builder:
    """Turn a winning parse plan into Nodes."""

    def __init__(self, parser: _Parser, count: int) -> None:
        self.parser = parser
        self.count = count

    def block(self, index: int, linked: Plan, element: bool) -> Node:
        block = self.parser.block(index)
        plan = _steps(linked)
        node = Node(
            "object",
            None if block.root or element else block.name,
            block.line,
            layout=str(block.layout),
        )
        node.facts.description = block.description
        if block.root:
            node.source_name = block.name
        if block.type == "array":
            node.kind = "array"
            node.items = next(
                (self.block(s.slot.block, s.plan, True) for s in plan if s.slot.block is not None),
                None,
            )
            return node
        if block.type not in (None, "object"):
            node.kind, node.type = "scalar", block.type
            return node
        if block.props is None:
            node.complete = False
            node.children = [self._child(step, block) for step in plan]
            return node
        steps = iter(plan)
        node.children = [
            self._child(next(steps), block) if prop.ref else _scalar(prop) for prop in block.props
        ]
        return node

    def _child(self, step: Step, parent: Block) -> Node:
        if step.slot.block is None:
            prop = (parent.props or [])[step.slot.prop]
            node = self._lost(prop, step.plan)
            if parent.layout is not Layout.NAMED:
                node.name_info = Inference(
                    "page", 1.0, f"line {prop.line}: one-word reference bullet `{prop.name}`"
                )
            return node
        block = self.parser.block(step.slot.block)
        node = self.block(step.slot.block, step.plan, step.slot.element)
        node.name = block.name
        if parent.layout is not Layout.NAMED:
            node.name_info = Inference(
                "page", 1.0, f"line {block.line}: nested-block heading `{block.name}`"
            )
        if parent.props is None:
            node.structure = _order_inference(parent, block, self.count, self.parser.greedy)
        return node

    def _lost(self, prop: Prop, plan: Plan) -> Node:
        """A reference whose block was lost; it owns what the plan gave it."""
        node = Node(
            "array" if prop.type == "array" else "object", prop.name, prop.line, facts=prop.facts
        )
        node.complete = False
        for step in _steps(plan):
            assert step.slot.block is not None
            inner = self.block(step.slot.block, step.plan, step.slot.element)
            if prop.type == "array":
                node.items = inner
            elif not step.via_lost_data:  # a `_data` block right after a lost wrapper block
                inner.name = "_data"
                node.children = [inner]
            else:  # an orphan `items`: the wrapper's `_data` array was lost too
                data = Node("array", "_data", inner.line, items=inner)
                data.structure = Inference(
                    "convention",
                    0.6,
                    f"line {inner.line}: an `items` block follows `{prop.name}` whose own block was "
                    "lost; collection wrappers read `X -> _data (array) -> items`",
                )
                node.children = [data]
        return node


def _order_inference(parent: Block, child: Block, count: int, greedy: bool) -> Inference:
    confidence = 0.4 if greedy else 0.8 if count == 1 else 0.5
    tail = (
        "; too many nestings to weigh, each block took the longest run of blocks after it"
        if greedy
        else ""
        if count == 1
        else f"; {count} equally plausible structures"
    )
    return Inference(
        "order",
        confidence,
        f"line {child.line}: block `{child.name}` placed under `{parent.name}` (line {parent.line}) "
        f"from the order of blocks, the parent's property list being lost{tail}",
    )


def _scalar(prop: Prop) -> Node:
    return Node("scalar", prop.name, prop.line, facts=prop.facts, type=prop.type)
