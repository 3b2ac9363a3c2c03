"""Names across a version change: bullet pages of the "next version" parsed with and without evidence.

    python bench/evidence_names.py

Fixtures are made here from the bundled named-layout detail pages (specs/scraped/): every page is
rewritten in the bullet layout (scalar names removed, object properties as one-word bullets),
its descriptions slightly reworded ("defines" <-> "is", no final period) and every third block cut
after its second-to-last property (truncated scrape). The bullet pages are parsed three ways: no
evidence, the named pages as evidence, and the spec parsed from the named pages as evidence. Each
lost name is compared with the name the named page prints at the same place. Results:
bench/results/evidence.json.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from generator.diagnostics import Diagnostics
from generator.scrape import parse_sources
from generator.scrape.pages import read_pages
from generator.scrape.pagetypes import Block, DetailPage, Prop
from generator.specfile import dumps

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
CONFIDENT = 0.8


def named_pages() -> list[Path]:
    found = read_pages(sorted((ROOT / "specs" / "scraped").glob("*.txt")), Diagnostics())
    return [
        Path(p.file)
        for p in found
        if isinstance(p.page, DetailPage) and str(p.page.layout) == "named"
    ]


def bullet_page(page: DetailPage) -> str:
    """The page as the next version's scrape prints it: bullets, reworded, some blocks cut."""
    lines = [
        page.title,
        page.method,
        page.url,
        page.description,
        "Request",
        "Supported Media Types",
    ]
    counter = [0]
    for body in page.request:
        lines.append(f"Request Body - {body.media_types[0] if body.media_types else ''} ()")
        lines += _blocks(body.blocks, counter)
    lines += ["Response", "Supported Media Types"]
    for response in page.responses:
        lines += [f"{response.status} Response", response.description or "Response"]
        if response.body is not None:
            lines += ["Body ()", *_blocks(response.body.blocks, counter)]
    return "\n".join(lines) + "\n"


def _blocks(blocks: list[Block], counter: list[int]) -> list[str]:
    lines = []
    for block in blocks:
        counter[0] += 1
        kind = "Root Schema" if block.root else "Nested Schema"
        lines += [f"{kind} : {block.name}", f"Type: {block.type or 'object'}", "Show Source"]
        props = list(block.props or [])
        if counter[0] % 3 == 0 and len(props) >= 3:
            props = props[:-1]
        for prop in props:
            lines += _bullet(prop)
    return lines


def _bullet(prop: Prop) -> list[str]:
    if prop.ref or prop.type in ("object", "array"):
        return [f"  • {prop.name}"]
    facts = prop.facts
    text = []
    if facts.max_length is not None:
        text.append(f"Maximum Length: {facts.max_length}")
    if facts.minimum is not None:
        text.append(f"Minimum Value: {facts.minimum}")
    if facts.maximum is not None:
        text.append(f"Maximum Value: {facts.maximum}")
    if facts.enum:
        text.append("Allowed Values: [ " + ", ".join(f'"{v}"' for v in facts.enum) + " ]")
    description = reword(facts.description)
    if facts.enum_labels and "* `" not in description:
        labels = ", ".join(f"* `{k}` - {v}" for k, v in facts.enum_labels.items())
        description = f"{description} {labels}".strip()
    if description:
        text.append(description)
    if facts.example:
        text.append(f"Example: {facts.example}")
    text = text or ["(no description)"]
    return [f"  • {text[0]}", *(f"    {t}" for t in text[1:])]


def reword(text: str) -> str:
    """Slight rewording between versions."""
    text = text.strip().rstrip(".")
    if " defines " in text:
        return text.replace(" defines ", " is ", 1)
    return text.replace(" is ", " defines ", 1)


def walk(spec: dict[str, Any], schema: dict[str, Any], path: str, out: dict[str, Any]) -> None:
    """Pointer (by position) -> property schema, for every property below ``schema``."""
    seen = 0
    while "$ref" in schema and seen < 50:
        target: Any = spec
        for part in schema["$ref"][2:].split("/"):
            target = target[part]
        schema, seen = target, seen + 1
    if "items" in schema:
        walk(spec, schema["items"], f"{path}/items", out)
    for position, (name, sub) in enumerate((schema.get("properties") or {}).items()):
        here = f"{path}/{position}"
        out[here] = (name, sub)
        walk(spec, sub, here, out)


def properties(spec: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, item in spec["paths"].items():
        for method, op in item.items():
            for where, holder in [("req", op.get("requestBody", {})), *op["responses"].items()]:
                for media in sorted(holder.get("content") or {})[:1]:
                    schema = holder["content"][media]["schema"]
                    walk(spec, schema, f"{method} {path} {where}", out)
    return out


def score(truth: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    lost = exact = confident_wrong = confident = 0
    wrong: list[str] = []
    for pointer, (name, schema) in properties(spec).items():
        info = schema.get("x-apibind-name")
        if info is None or info["source"] == "page" or pointer not in truth:
            continue
        lost += 1
        right = truth[pointer][0]
        exact += name == right
        if info["confidence"] >= CONFIDENT:
            confident += 1
            if name != right:
                confident_wrong += 1
                wrong.append(f"{pointer}: {name} (is {right}; {info['source']})")
    return {
        "lost_names": lost,
        "exact": exact,
        "exact_rate": round(exact / lost, 3) if lost else None,
        "confident": confident,
        "confident_wrong": confident_wrong,
        "confident_wrong_examples": wrong[:10],
    }


def main() -> int:
    named = named_pages()
    with tempfile.TemporaryDirectory() as tmp:
        old, new = Path(tmp) / "v1", Path(tmp) / "v2"
        old.mkdir()
        new.mkdir()
        for path in named:
            (old / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
            page = read_pages([path], Diagnostics())[0].page
            assert isinstance(page, DetailPage)
            (new / path.name).write_text(bullet_page(page), encoding="utf-8")
        truth_spec = parse_sources([old]).spec
        truth = properties(truth_spec)
        spec_file = Path(tmp) / "v1.openapi.yaml"
        spec_file.write_text(dumps(truth_spec, spec_file), encoding="utf-8")
        results = {
            "pages": [p.name for p in named],
            "no evidence": score(truth, parse_sources([new]).spec),
            "named pages as evidence": score(truth, parse_sources([new], evidence=[str(old)]).spec),
            "spec as evidence": score(truth, parse_sources([new], evidence=[str(spec_file)]).spec),
        }
    for label, figures in results.items():
        if isinstance(figures, dict):
            print(
                f"{label:24s} lost {figures['lost_names']:4d}  exact {figures['exact']:4d} "
                f"({figures['exact_rate']})  confident {figures['confident']:4d}  "
                f"confident+wrong {figures['confident_wrong']}"
            )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "evidence.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
