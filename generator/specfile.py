"""Read and write OpenAPI documents: YAML keys as written, deterministic YAML or JSON output."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    """Block-style YAML that keeps key order, quotes strings only where needed, never aliases."""

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
