"""Helpers of the generator tests: generate the models of a small in-memory spec and import them."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path, PurePosixPath
from types import ModuleType
from typing import Any

from generator.generate import generate


def models_text(files: dict[PurePosixPath, str]) -> str:
    """Every module of the generated models package, as one text (for assertions on the code)."""
    return "\n".join(
        text for path, text in sorted(files.items()) if path.parts[0].endswith("_models")
    )


def models_source(spec: dict[str, Any], tmp_path: Path) -> str:
    """The generated models package of ``spec``, as one text."""
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return models_text(generate(path, only=frozenset({"models"})).files)


def import_models(spec: dict[str, Any], tmp_path: Path, name: str) -> tuple[str, ModuleType]:
    """The models package ``{name}_models`` of ``spec``, written to ``tmp_path`` and imported."""
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    files = generate(path, name=name, only=frozenset({"models"})).files
    for relative, text in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
    sys.path.insert(0, str(tmp_path / f"{name}_models"))
    try:
        return models_text(files), importlib.import_module(f"{name}_models")
    finally:
        sys.path.remove(str(tmp_path / f"{name}_models"))
