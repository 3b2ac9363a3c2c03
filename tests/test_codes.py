"""Diagnostic codes are registered and documented; the README pipeline table names every module."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from generator.codes import CODES

ROOT = Path(__file__).resolve().parents[1]
_CODE = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)+")
# How code reaches a diagnostic: the argument that holds the code, per callable name.
_CODE_ARGUMENT = {"error": 0, "warning": 0, "info": 0, "single": 0, "Diagnostic": 1, "add": 1}


def _emitted() -> dict[str, str]:
    """Every code written as a literal where a diagnostic is made, with its first place."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "generator").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            index = _CODE_ARGUMENT.get(name)
            if index is None or len(node.args) <= index:
                continue
            code = node.args[index]
            literal = code.value if isinstance(code, ast.Constant) else None
            if isinstance(literal, str) and _CODE.fullmatch(literal):
                found.setdefault(literal, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_emitted_code_is_registered_and_every_registered_code_is_emitted() -> None:
    emitted = _emitted()
    assert len(emitted) > 50  # the scan sees the codes (it would pass vacuously otherwise)
    unregistered = {code: where for code, where in emitted.items() if code not in CODES}
    assert not unregistered, f"add these to generator/codes.py: {unregistered}"
    assert sorted(set(CODES) - set(emitted)) == [], "registered but never emitted"


def test_every_code_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Diagnostic codes", 1)[-1].split("\n## ", 1)[0]
    missing = [code for code in CODES if f"`{code}`" not in section]
    assert not missing, f"document these under README 'Diagnostic codes': {missing}"


def test_meanings_are_one_line() -> None:
    assert all(meaning and "\n" not in meaning and len(meaning) < 100 for meaning in CODES.values())


def test_the_readme_pipeline_table_names_every_module() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## The pipeline", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`(?:generator/)?([a-z_/]+(?:\.py|/))`", table))
    modules = {
        p.name if p.is_file() else f"{p.name}/"
        for p in (ROOT / "generator").iterdir()
        if (p.suffix == ".py" and not p.name.startswith("_")) or (p / "__init__.py").is_file()
    }
    assert sorted(modules - named) == [], "add these to the README's pipeline table"
