"""datamodel-code-generator run per chunk of schemas (in parallel and cached: ``modelworkers``).

The models document's schemas are cut into chunks at content-defined boundaries (a schema whose
name hashes to a boundary ends its chunk), so a new API version that changes a few schemas moves
no boundary and changes few chunks. Each chunk's document holds its own schemas (its *owners*) in
full, in full too what datamodel-code-generator reads from other schemas when writing them (the
schemas they inherit from through ``allOf`` and the members of a discriminated union, both ways,
transitively), and every other schema they reference as a stub: an object stub is an empty
object, anything else is kept whole. Only the owners' classes (and the classes
datamodel-code-generator invents for them, "extras") are kept from its output.

Extras are named by datamodel-code-generator within one chunk; ``assemble`` renames them once
over all chunks (its name without trailing digits, then ``1``, ``2``... where taken), so the
names do not depend on which schemas share a chunk, and orders every statement after what it
uses. A chunk's result is a pure function of its document and apibind's own code, so a
regeneration runs datamodel-code-generator on the changed chunks only.
"""

from __future__ import annotations

import ast
import hashlib
import itertools
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import datamodel_code_generator as dcg

from generator import enumclasses, modelflatten, modelinits
from generator.enumclasses import EnumClass
from generator.modelsplit import Statement, defined_names

CHUNK = 80  # schemas per chunk on average (content-defined boundaries): see bench/chunk_sizes.py
_MIN = CHUNK // 4  # no boundary before this many schemas
_MAX = CHUNK * 4  # a boundary at the latest after this many
_REF = "#/components/schemas/"
_STRONG = ("allOf", "discriminator")  # keywords whose refs datamodel-code-generator reads through
_UNIONS = ("oneOf", "anyOf")


@dataclass(frozen=True)
class Chunk:
    """The schemas ``owners`` and the document datamodel-code-generator sees for them."""

    owners: tuple[str, ...]
    document: dict[str, Any]
    enums: tuple[EnumClass, ...]


def plan(document: Mapping[str, Any], enums: Sequence[EnumClass]) -> list[Chunk]:
    """``document``'s schemas (prepared by ``enumclasses.prepare``) in chunks, in document order."""
    schemas: Mapping[str, Any] = document["components"]["schemas"]
    strong: dict[str, set[str]] = {name: set(_strong_refs(s)) for name, s in schemas.items()}
    for name, schema in schemas.items():  # a union member is written with its discriminator
        for member in _discriminated(schema):
            if member in strong:
                strong[member].add(name)
    written = {enum.name: enum for enum in enums}
    chunks = []
    for owners in _cuts(list(schemas)):
        full = _closure(owners, strong)
        kept = {name: schemas[name] for name in full}
        pending = [ref for name in full for ref in _refs(schemas[name])]
        while pending:
            name = pending.pop()
            if name in kept or name not in schemas:
                continue
            stub = _stub(schemas[name])
            kept[name] = stub
            if stub is schemas[name]:
                pending.extend(_refs(stub))
        sub = {**document, "components": {"schemas": {n: kept[n] for n in schemas if n in kept}}}
        chunk_enums = tuple(written[n] for n in kept if n in written)
        chunks.append(Chunk(tuple(owners), sub, chunk_enums))
    return chunks


def _cuts(names: list[str]) -> Iterator[list[str]]:
    current: list[str] = []
    for name in names:
        current.append(name)
        mark = int.from_bytes(hashlib.sha256(name.encode()).digest()[:4], "big") % CHUNK == 0
        if (mark and len(current) >= _MIN) or len(current) >= _MAX:
            yield current
            current = []
    if current:
        yield current


def _closure(owners: Iterable[str], strong: Mapping[str, set[str]]) -> set[str]:
    seen: set[str] = set()
    stack = list(owners)
    while stack:
        name = stack.pop()
        if name not in seen and name in strong:
            seen.add(name)
            stack.extend(strong[name])
    return seen


def _stub(schema: Any) -> Any:
    """What a schema referenced by a chunk's owners needs to be there: an object's name only."""
    if not isinstance(schema, dict) or "enum" in schema:
        return schema
    if schema.get("type") == "object" or any(
        k in schema for k in ("properties", "allOf", *_UNIONS)
    ):
        stub: dict[str, Any] = {"type": "object"}
        if schema.get("nullable") is True:
            stub["nullable"] = True
        return stub
    return schema


def _refs(node: Any) -> Iterator[str]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            ref = current.get("$ref")
            if isinstance(ref, str) and ref.startswith(_REF):
                yield ref[len(_REF) :]
        stack.extend(_inner(current))


def _inner(node: Any) -> Iterator[Any]:
    """The containers directly inside ``node`` (none when it is no container)."""
    values = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
    return (value for value in values if isinstance(value, dict | list))


def _strong_refs(node: Any) -> Iterator[str]:
    """Refs inside ``allOf`` and inside unions that carry a discriminator."""
    stack = [(node, False)]  # a container, and whether the refs in it are strong
    while stack:
        current, strong = stack.pop()
        if isinstance(current, dict):
            unions = strong or _discriminates(current)
            for key, value in current.items():
                if key == "$ref":
                    if strong and isinstance(value, str) and value.startswith(_REF):
                        yield value[len(_REF) :]
                elif isinstance(value, dict | list):
                    inner = strong or key in _STRONG or (unions and key in _UNIONS)
                    stack.append((value, inner))
        elif isinstance(current, list):
            stack.extend((item, strong) for item in current if isinstance(item, dict | list))


def _discriminated(node: Any) -> Iterator[str]:
    """The refs of the unions in ``node`` that carry a discriminator."""
    stack = [node]
    while stack:
        current = stack.pop()
        if _discriminates(current):
            yield from _refs(current)
        else:
            stack.extend(_inner(current))


def _discriminates(schema: Any) -> bool:
    return isinstance(schema, dict) and "discriminator" in schema


def run(chunk: Chunk) -> dict[str, Any]:
    """datamodel-code-generator on ``chunk``, apibind's steps after it, and the owners' statements
    (JSON-ready: it crosses processes and goes into the cache); ``{"error": text}`` if it fails."""
    from generator.modelgen import OPTIONS

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            source = dcg.generate(chunk.document, custom_file_header="", **OPTIONS)  # type: ignore[arg-type]
    except dcg.Error as exc:
        return {"error": f"datamodel-code-generator: {exc}"}
    if not isinstance(source, str):
        return {"error": "datamodel-code-generator returned no single module"}
    source = _names_given_back(source, chunk.document["components"]["schemas"])
    source = enumclasses.write_members(source, chunk.enums)
    source = modelinits.literal_inits(modelflatten.flatten_retyped(source))
    return _owned(source, set(chunk.owners), set(chunk.document["components"]["schemas"]))


def _names_given_back(source: str, schemas: Mapping[str, Any]) -> str:
    """``source`` with each component schema's name on its own class.

    datamodel-code-generator numbers clashing names in the order it meets them, so a class it
    invents (``Error`` for the items of an ``errors`` array) can take a component's name, the
    component becoming ``Error1``. Where a component's class is of the wrong kind (a root model
    for an object schema, a model for an enum...) and one invented class of the right kind carries
    its name plus digits, the two names are swapped back.
    """
    tree = ast.parse(source)
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    swaps: dict[str, str] = {}
    for name, schema in schemas.items():
        node = classes.get(name)
        if node is None or _kind(node) == _schema_kind(schema):
            continue
        found = [
            other
            for other, candidate in classes.items()
            if other not in schemas
            and other.rstrip("0123456789") == name
            and _kind(candidate) == _schema_kind(schema)
        ]
        if len(found) == 1:
            swaps |= {name: found[0], found[0]: name}
    if not swaps:
        return source
    lines = source.splitlines(keepends=True)
    edits = [
        (node.lineno, at, old)
        for node in tree.body
        for at, old in _sites(node, _named(node), lines, set(swaps))
    ]
    before = [0, *itertools.accumulate(map(len, lines))]  # characters before each line
    starts = {node.lineno: before[_first(node) - 1] for node in tree.body}
    text = source
    for lineno, at, old in sorted(edits, key=lambda e: starts[e[0]] + e[1], reverse=True):
        offset = starts[lineno] + at
        text = text[:offset] + swaps[old] + text[offset + len(old) :]
    return text


def _first(node: ast.stmt) -> int:
    """The first line of a statement, its decorators included."""
    decorators: list[ast.expr] = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)])


def _kind(node: ast.ClassDef) -> str:
    bases = {ast.unparse(base).split("[")[0] for base in node.bases}
    if bases & {"Enum", "StrEnum", "IntEnum"}:
        return "enum"
    return "root" if "RootModel" in bases else "model"


def _schema_kind(schema: Any) -> str:
    if not isinstance(schema, dict):
        return "root"
    if "enum" in schema:
        return "enum"
    objectlike = schema.get("type") == "object" or "properties" in schema or "allOf" in schema
    return "model" if objectlike else "root"


def _owned(source: str, owners: set[str], schemas: set[str]) -> dict[str, Any]:
    lines = source.splitlines(keepends=True)
    imports: list[str] = []
    parsed: list[tuple[ast.stmt, str, tuple[str, ...], set[str], list[_Named]]] = []
    for node in ast.parse(source).body:
        first = _first(node)
        text = "".join(lines[first - 1 : node.end_lineno]).rstrip()
        if isinstance(node, ast.Import | ast.ImportFrom):
            imports.append(text)
            continue
        named = _named(node)
        uses = {name for is_class, name, _, _ in named if not is_class}
        parsed.append((node, text, defined_names(node), uses, named))
    defined = {name: i for i, (_, _, names, _, _) in enumerate(parsed) for name in names}
    keep: set[int] = set()
    stack = [i for i, (_, _, names, _, _) in enumerate(parsed) if set(names) & owners]
    while stack:  # owners, and the extras they use
        i = stack.pop()
        if i not in keep:
            keep.add(i)
            used = (defined[n] for n in parsed[i][3] if n in defined)
            stack.extend(j for j in used if not set(parsed[j][2]) & schemas)
    for i, (_, _, names, uses, _) in enumerate(parsed):  # ``X.model_rebuild()`` goes with X
        if not names and any(defined.get(n) in keep for n in uses):
            keep.add(i)
    extras = [n for i in sorted(keep) for n in parsed[i][2] if n not in schemas]
    statements = []
    for i in sorted(keep):
        node, text, names, uses, named = parsed[i]
        sites = _sites(node, named, lines, set(extras))
        statements.append({"text": text, "defines": names, "uses": sorted(uses), "sites": sites})
    return {"imports": imports, "statements": statements, "extras": extras}


# a name in a statement: (whether it is a class it defines, the name, line, column of a use)
_Named = tuple[bool, str, int, int]


def _named(node: ast.stmt) -> list[_Named]:
    """The names a statement's code uses and the classes it defines, with where they are."""
    found: list[_Named] = []
    for inner in ast.walk(node):
        if isinstance(inner, ast.Name):
            found.append((False, inner.id, inner.lineno, inner.col_offset))
        elif isinstance(inner, ast.ClassDef):
            found.append((True, inner.name, inner.lineno, 0))
    return found


def _sites(
    node: ast.stmt, named: list[_Named], lines: list[str], extras: set[str]
) -> list[tuple[int, str]]:
    """Where the statement's text names an extra: (character offset in the text, name);
    ``named`` is the statement's ``_named``."""
    if not extras:
        return []
    first = _first(node)
    starts = [0]
    for line in lines[first - 1 : node.end_lineno]:
        starts.append(starts[-1] + len(line))

    def offset(lineno: int, byte: int) -> int:
        line = lines[lineno - 1]
        start: int = starts[lineno - first]
        return start + len(line.encode()[:byte].decode(errors="ignore"))

    found = []
    for is_class, name, lineno, col in named:
        if name not in extras:
            continue
        if not is_class:
            found.append((offset(lineno, col), name))
        else:
            match = re.compile(rf"class\s+({re.escape(name)})\b").search(lines[lineno - 1])
            if match:
                found.append((starts[lineno - first] + match.start(1), name))
    return sorted(found)


def assemble(
    made: Sequence[Mapping[str, Any]], taken: Iterable[str]
) -> tuple[list[str], list[Statement]]:
    """The imports and statements of every chunk, extras renamed over all chunks, every
    statement after what it uses (statements that use each other: in chunk order).

    An extra written the same way in two chunks (the inline schema of a base class, which the
    chunks of its subclasses hold whole) is one class: the copies after the first are dropped.
    """
    imports = list(dict.fromkeys(i for result in made for i in result["imports"]))
    imports.sort(key=lambda text: not text.startswith("from __future__"))
    names = set(taken) | _imported(imports)
    shapes: dict[str, str] = {}  # an extra's text, its own name blanked -> its name
    seen: set[str] = set()  # statement texts kept
    statements: list[Statement] = []
    for result in made:
        extras = set(result["extras"])
        renames: dict[str, str] = {}
        copies: set[int] = set()
        for index, raw in enumerate(result["statements"]):
            own = [n for n in raw["defines"] if n in extras]
            if len(own) == 1 and len(raw["defines"]) == 1:
                shape = _renamed(raw, {**renames, own[0]: "\0"})
                if shape in shapes:
                    renames[own[0]] = shapes[shape]
                    copies.add(index)
                    continue
                renames[own[0]] = shapes[shape] = _canonical(own[0], names)
            for name in own:
                if name not in renames:
                    renames[name] = _canonical(name, names)
        for index, raw in enumerate(result["statements"]):
            text = _renamed(raw, renames)
            if index in copies or text in seen:  # a copy, or ``X.model_rebuild()`` again
                continue
            seen.add(text)
            defines = tuple(renames.get(n, n) for n in raw["defines"])
            statements.append(
                Statement(text, defines, frozenset(renames.get(n, n) for n in raw["uses"]))
            )
    return imports, _ordered(statements)


def _renamed(raw: Mapping[str, Any], names: Mapping[str, str]) -> str:
    """A statement's text with each extra it names renamed as ``names`` says (else kept)."""
    text: str = raw["text"]
    for at, old in sorted(raw["sites"], reverse=True):
        text = text[:at] + names.get(old, old) + text[at + len(old) :]
    return text


def _canonical(extra: str, taken: set[str]) -> str:
    base = extra.rstrip("0123456789") or extra
    name, counter = base, 1
    while name in taken:
        name, counter = f"{base}{counter}", counter + 1
    taken.add(name)
    return name


def _imported(imports: Sequence[str]) -> set[str]:
    names: set[str] = set()
    for node in ast.parse("\n".join(imports)).body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def _ordered(statements: list[Statement]) -> list[Statement]:
    """``statements`` with each after the ones it uses, as far as they do not use each other."""
    import networkx as nx

    defined_by = {name: i for i, s in enumerate(statements) for name in s.defines}
    graph: nx.DiGraph[int] = nx.DiGraph()
    graph.add_nodes_from(range(len(statements)))
    for i, statement in enumerate(statements):
        for name in statement.uses:
            used = defined_by.get(name)
            if used is not None and used != i:
                graph.add_edge(used, i)
    components = nx.condensation(graph)
    members = {c: sorted(components.nodes[c]["members"]) for c in components}
    order = nx.lexicographical_topological_sort(components, key=lambda c: members[c][0])
    return [statements[i] for c in order for i in members[c]]
