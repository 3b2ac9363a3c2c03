"""Evidence from other versions: names and types the run's pages lost, lent by other pages or a spec.

A source is a folder or file of scraped pages (any version, any layout), an OpenAPI spec file
(`.yaml`, `.yml`, `.json`), or `git:REV:PATH` (either, as committed). Evidence never adds, removes
or changes operations: an operation of the run finds its evidence by method + path, else (the path
moved) by its title or operationId; inside a body the same place in the schema tree, then an
order-preserving alignment on normalized description and constraints. A lent name replaces only a
weaker guess (placeholder, label) and must keep the block's alphabetical order; a printed name
always wins, and a disagreement is reported.
"""

from __future__ import annotations

import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from generator.diagnostics import ApibindError, Diagnostics, Location
from generator.scrape.pagetypes import Facts, Param
from generator.scrape.source import under
from generator.scrape.tree import Inference, Node
from generator.specfile import load_yaml

SPEC_SUFFIXES = (".yaml", ".yml", ".json")
EVIDENCE_THRESHOLD = 0.6
PARAM_LOCATIONS = ("path", "query", "header", "cookie")


@dataclass
class EvidenceOp:
    """One operation of an evidence source and its named schema trees by place."""

    file: str
    method: str
    path: str
    title: str
    operation_id: str
    trees: dict[str, Node] = field(default_factory=dict)  # "requestBody" | "responses/200"
    params: list[Param] = field(default_factory=list)


def load_evidence(
    sources: list[str], diagnostics: Diagnostics, base: Path | None = None
) -> list[EvidenceOp]:
    """Every operation the sources describe; unreadable sources are located errors.

    Relative paths (and ``git:`` ones) are read from ``base``, by default the working folder.
    """
    found: list[EvidenceOp] = []
    for source in sources:
        if source.startswith("git:"):
            found += _from_git(source, diagnostics, base)
        else:
            found += _from_path(under(base, Path(source)), source, diagnostics, base)
    return found


def _from_path(
    path: Path, label: str, diagnostics: Diagnostics, base: Path | None = None
) -> list[EvidenceOp]:
    if not path.exists():
        raise ApibindError.single(
            "evidence-missing", f"evidence source {label} does not exist", Location(file=label)
        )
    if path.is_file() and path.suffix in SPEC_SUFFIXES:
        return _from_spec(path.read_text(encoding="utf-8"), label)
    return _from_pages(path, diagnostics, base)


def _from_git(source: str, diagnostics: Diagnostics, base: Path | None) -> list[EvidenceOp]:
    _, rev, path = [*source.split(":", 2), "", ""][:3]
    run = subprocess.run(
        ["git", "archive", "--format=tar", rev, "--", path],
        capture_output=True,
        check=False,
        cwd=base,
    )
    if run.returncode != 0 or not path:
        raise ApibindError.single(
            "evidence-missing",
            f"evidence source {source}: {run.stderr.decode(errors='replace').strip() or 'no path'}",
            Location(file=source),
            hint="use git:REV:PATH with a revision and a path of this repository",
        )
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(fileobj=BytesIO(run.stdout)) as tar:
        tar.extractall(tmp, filter="data")
        ops = _from_path(Path(tmp) / path, source, diagnostics)
        for op in ops:
            op.file = op.file.replace(str(Path(tmp)), f"git:{rev}:").replace(f"{rev}:/", f"{rev}:")
        return ops


def _from_pages(path: Path, diagnostics: Diagnostics, base: Path | None) -> list[EvidenceOp]:
    """Parse the pages like a run (without emitting), keeping their trees."""
    from generator.scrape.assemble import attach_trees
    from generator.scrape.locate import locate
    from generator.scrape.operations import join
    from generator.scrape.pages import read_pages
    from generator.scrape.pagetypes import DetailPage, IndexPage
    from generator.scrape.source import collect_files

    quiet = Diagnostics()
    pages = read_pages(collect_files([path]), quiet, base)
    indexes = [p.page for p in pages if isinstance(p.page, IndexPage)]
    details = [p.page for p in pages if isinstance(p.page, DetailPage)]
    if not details:
        diagnostics.warning(
            "evidence-empty", "evidence source has no detail page", Location(file=str(path))
        )
        return []
    operations = join(indexes, locate(details, indexes, [], quiet), quiet)
    attach_trees(operations, quiet)
    found = []
    for op in operations:
        if op.detail is None:
            continue
        ev = EvidenceOp(op.detail.file, op.method, op.path, op.title, op.operation_id)
        ev.params = list(op.params)
        if op.request:
            ev.trees["requestBody"] = op.request[0].tree
        for r in op.responses:
            if r.tree is not None:
                ev.trees[f"responses/{r.response.status}"] = r.tree
        found.append(ev)
    return found


def _from_spec(text: str, label: str) -> list[EvidenceOp]:
    spec = load_yaml(text)
    if not isinstance(spec, dict) or not isinstance(spec.get("paths"), dict):
        raise ApibindError.single(
            "evidence-invalid", "evidence spec has no `paths` mapping", Location(file=label)
        )
    reader = _SpecReader(label, spec, _pointer_lines(text))
    found = []
    for path, item in spec["paths"].items():
        for method, op in (item or {}).items():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            base = f"/paths/{_escape(path)}/{method}"
            ev = EvidenceOp(
                f"{label}", method, path, str(op.get("summary", "")), str(op.get("operationId", ""))
            )
            shared = reader.params((item or {}).get("parameters"), base.rsplit("/", 1)[0])
            ev.params = shared + reader.params(op.get("parameters"), base)
            body = _first_schema(op.get("requestBody"))
            if body is not None:
                ev.trees["requestBody"] = reader.node(body[1], None, f"{base}/requestBody{body[0]}")
            for status, response in (op.get("responses") or {}).items():
                found_schema = _first_schema(response)
                if found_schema is not None:
                    pointer = f"{base}/responses/{status}{found_schema[0]}"
                    ev.trees[f"responses/{status}"] = reader.node(found_schema[1], None, pointer)
            found.append(ev)
    return found


def _first_schema(holder: Any) -> tuple[str, Any] | None:
    content = holder.get("content") if isinstance(holder, dict) else None
    for media, value in (content or {}).items():
        if isinstance(value, dict) and isinstance(value.get("schema"), dict):
            return f"/content/{_escape(media)}/schema", value["schema"]
    return None


def _escape(text: str) -> str:
    return text.replace("~", "~0").replace("/", "~1")


@dataclass
class _SpecReader:
    file: str
    spec: dict[str, Any]
    lines: dict[str, int]

    def node(self, schema: dict[str, Any], name: str | None, pointer: str, depth: int = 0) -> Node:
        while (
            isinstance(schema.get("$ref"), str) and schema["$ref"].startswith("#/") and depth < 50
        ):
            pointer = schema["$ref"][1:]
            schema, depth = self._resolve(pointer), depth + 1
        line = self.lines.get(pointer, 0)
        info = _name_info(schema.get("x-apibind-name"), f"{self.file}:{line}")
        if info is not None and info.source in ("placeholder", "override"):
            name = None  # not evidence: a placeholder, or an override that applies by itself
        kind = schema.get("type")
        kind = next((k for k in kind if k != "null"), None) if isinstance(kind, list) else kind
        node = Node("scalar", name, line, name_info=info, layout="named")
        if kind == "array" or "items" in schema:
            node.kind = "array"
            node.items = self.node(schema.get("items") or {}, None, f"{pointer}/items", depth + 1)
        elif kind == "object" or "properties" in schema:
            node.kind = "object"
            node.children = [
                self.node(sub, key, f"{pointer}/properties/{_escape(key)}", depth + 1)
                for key, sub in (schema.get("properties") or {}).items()
                if isinstance(sub, dict)
            ]
        else:
            node.type, node.facts = kind, _facts(schema)
        return node

    def params(self, raw: Any, base: str) -> list[Param]:
        """The parameters of an operation (or path item), `$ref`s to components followed."""
        out = []
        for i, item in enumerate(raw if isinstance(raw, list) else []):
            pointer = f"{base}/parameters/{i}"
            if isinstance(item, dict) and str(item.get("$ref", "")).startswith("#/"):
                pointer = item["$ref"][1:]
                item = self._resolve(pointer)
            if not isinstance(item, dict) or item.get("in") not in PARAM_LOCATIONS:
                continue
            schema = item["schema"] if isinstance(item.get("schema"), dict) else {}
            facts = _facts(schema)
            facts.description = str(item.get("description", ""))
            facts.example = str(item["example"]) if "example" in item else None
            kind = schema.get("type")
            kind = next((k for k in kind if k != "null"), None) if isinstance(kind, list) else kind
            name = item.get("x-apibind-original-name", item.get("name"))
            if isinstance(name, str):
                line = self.lines.get(pointer, 0)
                required = bool(item.get("required"))
                out.append(Param(line, name, item["in"], str(kind or "string"), required, facts))
        return out

    def _resolve(self, pointer: str) -> dict[str, Any]:
        target: Any = self.spec
        for part in pointer.strip("/").split("/"):
            target = target.get(part.replace("~1", "/").replace("~0", "~"), {})
        return target if isinstance(target, dict) else {}


def _name_info(raw: Any, where: str) -> Inference | None:
    if not isinstance(raw, dict):
        return None
    return Inference(
        str(raw.get("source", "")), float(raw.get("confidence", 0.0)), str(raw.get("evidence", ""))
    )


def _facts(schema: dict[str, Any]) -> Facts:
    enum = schema.get("enum")
    labels = schema.get("x-enum-descriptions")
    codes = [str(v) for v in enum] if isinstance(enum, list) else None
    return Facts(
        description=str(schema.get("description", "")),
        format=schema.get("format"),
        max_length=schema.get("maxLength"),
        minimum=schema.get("minimum"),
        maximum=schema.get("maximum"),
        enum=codes,
        enum_labels=dict(zip(codes, map(str, labels), strict=False))
        if codes and isinstance(labels, list)
        else {},
    )


def _pointer_lines(text: str) -> dict[str, int]:
    """JSON pointer -> 1-based line of every mapping value in a YAML/JSON document."""
    import yaml

    lines: dict[str, int] = {}
    try:
        root = yaml.compose(
            text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        )  # libyaml: 12x
    except yaml.YAMLError:
        return lines
    stack: list[tuple[Any, str]] = [(root, "")]
    while stack:
        node, pointer = stack.pop()
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = f"{pointer}/{_escape(str(key.value))}"
                lines[child] = key.start_mark.line + 1
                stack.append((value, child))
        elif isinstance(node, yaml.SequenceNode):
            for i, value in enumerate(node.value):
                lines[f"{pointer}/{i}"] = value.start_mark.line + 1
                stack.append((value, f"{pointer}/{i}"))
    return lines
