"""datamodel-code-generator's one module, split into modules of classes that are loaded together.

Statements that refer to each other (a strongly connected component of the reference graph) stay
together, and so does every class whose users all stay together (the inline classes of a schema,
an enum only one class uses). These groups are then packed, in an order that puts each group right
after what it uses, into modules of about ``MODULE_LINES`` lines: few enough modules that importing
every class costs no more than one flat module, small enough that a first use loads little. Each
module only imports modules packed before it, so modules import each other without cycles.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from generator.naming import Identifier, Namer, snake

MODULE_LINES = 1000  # target size of a module: a group never spans two, so some are larger


@dataclass(frozen=True)
class ModelModule:
    """One module of the models package: ``name`` (``_pet``) defines ``names`` in ``source``.

    ``root`` is the class it is named after: the first one it defines.
    """

    name: str
    root: str
    names: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Statement:
    """One top-level statement of the models: its text, the names it defines and uses."""

    text: str
    defines: tuple[str, ...]
    uses: frozenset[str]


def split_models(source: str, package: str, size: int | None = None) -> tuple[ModelModule, ...]:
    """The top-level statements of ``source`` packed into modules of package ``package``.

    ``size``: the target lines of a module (default ``MODULE_LINES``).
    """
    lines = source.splitlines(keepends=True)
    imports: list[str] = []
    statements: list[Statement] = []
    for node in ast.parse(source).body:
        first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        text = "".join(lines[first - 1 : node.end_lineno]).rstrip()
        if isinstance(node, ast.Import | ast.ImportFrom):
            imports.append(text)
        else:
            uses = frozenset(n.id for n in ast.walk(node) if isinstance(n, ast.Name))
            statements.append(Statement(text, defined_names(node), uses))
    return split_statements(imports, statements, package, size)


def split_statements(
    imports: list[str], statements: list[Statement], package: str, size: int | None = None
) -> tuple[ModelModule, ...]:
    """``statements`` (each after what it uses where they do not use each other) in modules."""
    packed = _pack(_groups(statements), statements, size or MODULE_LINES)
    where = {
        name: m
        for m, members in enumerate(packed)
        for i in members
        for name in statements[i].defines
    }
    namer = Namer()
    names = [namer.unique(Identifier("_" + snake(statements[m[0]].defines[0]))) for m in packed]
    modules = []
    for m, members in enumerate(packed):
        needed: dict[int, set[str]] = {}
        for i in members:
            for name in statements[i].uses:
                if name in where and where[name] != m:
                    needed.setdefault(where[name], set()).add(name)
        cross = [
            f"from {package}.{names[other]} import {', '.join(sorted(used))}"
            for other, used in sorted(needed.items())
        ]
        body = "\n\n\n".join(statements[i].text for i in members)
        defined = tuple(name for i in members for name in statements[i].defines)
        text = "\n".join([*imports, *cross]) + f"\n\n\n{body}\n"
        modules.append(ModelModule(names[m], defined[0], defined, text))
    return tuple(modules)


def _pack(groups: list[list[int]], statements: list[Statement], size: int) -> list[list[int]]:
    """``groups`` in modules of about ``size`` lines, each group after the groups it uses.

    The order is a depth-first walk from the groups in source order, what a group uses first: a
    class and what it uses are mostly packed together, and every module imports earlier ones only.
    """
    group_of = {
        name: g
        for g, members in enumerate(groups)
        for i in members
        for name in statements[i].defines
    }
    uses = [
        sorted({group_of[n] for i in members for n in statements[i].uses if n in group_of} - {g})
        for g, members in enumerate(groups)
    ]
    order: list[int] = []
    seen: set[int] = set()
    for start in range(len(groups)):
        stack = [(start, iter(uses[start]))] if start not in seen else []
        seen.add(start)
        while stack:
            group, pending = stack[-1]
            used = next((u for u in pending if u not in seen), None)
            if used is None:
                order.append(group)
                stack.pop()
            else:
                seen.add(used)
                stack.append((used, iter(uses[used])))
    modules: list[list[int]] = [[]]
    filled = 0
    for group in order:
        length = sum(statements[i].text.count("\n") + 3 for i in groups[group])
        if filled and filled + length > size:
            modules.append([])
            filled = 0
        modules[-1].extend(groups[group])
        filled += length
    return [sorted(members) for members in modules if members]


def defined_names(node: ast.stmt) -> tuple[str, ...]:
    if isinstance(node, ast.ClassDef):
        return (node.name,)
    targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
    return tuple(t.id for t in targets if isinstance(t, ast.Name))


def _groups(statements: list[Statement]) -> list[list[int]]:
    """Statements that are loaded together (indices in source order), groups in source order."""
    import networkx as nx  # only needed when datamodel-code-generator ran: not on every import

    defined_by = {name: i for i, s in enumerate(statements) for name in s.defines}
    graph: nx.DiGraph[int] = nx.DiGraph()  # an edge runs from what is used to its user
    graph.add_nodes_from(i for i, s in enumerate(statements) if s.defines)
    for i, statement in enumerate(statements):
        for name in statement.uses:
            used = defined_by.get(name)
            if used is not None and used != i and statement.defines:
                graph.add_edge(used, i)
    components = nx.condensation(graph)
    members = {c: sorted(components.nodes[c]["members"]) for c in components}
    order = list(nx.lexicographical_topological_sort(components, key=lambda c: members[c][0]))
    group_of: dict[int, int] = {}
    groups: list[list[int]] = []
    for component in reversed(order):  # users before what they use
        users = {group_of[user] for user in components.successors(component)}
        if len(users) != 1:
            groups.append([])
            users = {len(groups) - 1}
        group_of[component] = users.pop()
        groups[group_of[component]].extend(members[component])
    owner = {i: group_of[components.graph["mapping"][i]] for i in graph}
    for i, statement in enumerate(statements):  # ``X.model_rebuild()``: with X
        if i not in owner:
            refs = [defined_by[name] for name in statement.uses if name in defined_by]
            owner[i] = owner[max(refs)] if refs else owner[min(owner)]
            groups[owner[i]].append(i)
    return sorted(sorted(g) for g in groups)


def module_names(init: str) -> list[str]:
    """The modules a models package's ``__init__`` source lists in its ``_MODULES`` table."""
    for node in ast.parse(init).body:
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == "_MODULES"
            and isinstance(node.value, ast.Dict)
        ):
            return [str(key.value) for key in node.value.keys if isinstance(key, ast.Constant)]
    return []
