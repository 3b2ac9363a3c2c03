"""Read and write OpenAPI documents: YAML keys as written, deterministic YAML or JSON output."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from generator.diagnostics import ApibindError, Location


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Block-style YAML that keeps key order, quotes strings only where needed, never aliases.

    libyaml's emitter: 3x faster than PyYAML's, and it escapes what PyYAML's writes raw and then
    reads back changed (NEL, LINE SEPARATOR, ...).
    """

    def ignore_aliases(self, data: object) -> bool:
        return True


# Plain scalars a YAML 1.2 reader (spectral, redocly, most JS tools) takes for a number, where
# PyYAML's YAML 1.1 resolver does not (`0340281111`, `0o17`, `1e5`): always quoted.
_YAML12_NUMBER = re.compile(
    r"^[-+]?(?:[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)$"
)


def _str_representer(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data and data == data.strip() and "\t" not in data else None
    if style is None and _YAML12_NUMBER.match(data):
        style = "'"
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_representer)


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML whose mapping keys stay the text written: ``200:`` is ``"200"``, ``on:`` is ``"on"``.

    OpenAPI is JSON: keys are strings. YAML 1.1 would turn unquoted status codes into ints and
    ``on``/``yes`` into booleans, which no JSON Schema validator accepts as keys.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        self.flatten_mapping(node)  # ``<<`` merge keys
        return {
            key.value
            if isinstance(key, yaml.ScalarNode)
            else self.construct_object(key, deep=deep): self.construct_object(value, deep=deep)
            for key, value in node.value
        }


def load_yaml(text: str) -> Any:
    """Parse a YAML spec with string keys (see ``_Loader``); raises ``yaml.YAMLError``."""
    return yaml.load(text, Loader=_Loader)


def yaml_syntax_error(exc: yaml.YAMLError, text: str, file: str) -> ApibindError:
    """A located ``spec-syntax`` error for ``exc``, with a hint when a tab is the culprit."""
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = getattr(exc, "problem", None) or exc
    hint = None
    lines = text.splitlines()
    if mark is not None and mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
        hint = "YAML does not allow tabs for indentation: indent with spaces"
    return ApibindError.single(
        "spec-syntax", f"invalid YAML: {problem}", Location(file=file, line=line), hint
    )


def not_a_mapping(document: Any, file: str) -> ApibindError:
    """The error for a document that is not a mapping (an empty file reads as None)."""
    message = (
        "the file is empty; a spec is a mapping with openapi, info and paths"
        if document is None
        else f"the spec must be a mapping at its top level, not a {type(document).__name__}"
    )
    return ApibindError.single("spec-not-object", message, Location(file=file, pointer="/"))


def is_json(path: Path | str) -> bool:
    return str(path).lower().endswith(".json")


def dumps(spec: dict[str, Any], path: Path | str) -> str:
    """Render ``spec`` as JSON for ``*.json`` paths, YAML otherwise; same input, same bytes."""
    if is_json(path):
        return json.dumps(spec, indent=2, ensure_ascii=False) + "\n"
    return yaml.dump(
        spec,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
