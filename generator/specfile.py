"""Serialize an OpenAPI document deterministically as YAML or JSON (chosen by file extension)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml


class _Dumper(yaml.SafeDumper):
    """Block-style YAML that keeps key order, quotes strings only where needed, never aliases."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _str_representer(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data and data == data.strip() and "\t" not in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_representer)


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
