"""The one strict configuration object, read from ``[tool.apibind]`` or a TOML file.

Unknown keys and wrong types are errors naming the key. Paths are relative to the folder of the
file the configuration was read from.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.diagnostics import ApibindError, Diagnostic, Level, Location
from generator.naming import package_name_problem

TARGETS = ("models", "client", "server")  # the packages apibind can generate
DEFAULTS: dict[str, Any] = {
    "sources": ["specs/scraped"],
    "spec": "specs/{name}.openapi.yaml",
    "overrides": "specs/overrides.yaml",
    "output": "output",
    "name": None,
    "targets": list(TARGETS),
    "templates": None,
    "report": None,
    "evidence": None,
    "title": None,
}
_TYPES: dict[str, str] = {
    "sources": "list of paths",
    "spec": "path",
    "overrides": "path",
    "output": "path",
    "name": "str",
    "targets": "list of str",
    "templates": "path",
    "report": "path",
    "evidence": "list of paths",
    "title": "str",
}


@dataclass(frozen=True)
class _Where:
    """The config file and the key prefix of its table, for error locations."""

    path: Path
    prefix: str

    def problem(self, key: str, message: str, hint: str | None = None) -> Diagnostic:
        where = Location(file=str(self.path), key=self.prefix + key)
        return Diagnostic(Level.ERROR, "config-invalid", message, where, hint)


@dataclass(frozen=True)
class Config:
    """Resolved settings of one project; every path is absolute."""

    file: Path
    sources: tuple[Path, ...]
    spec: Path
    overrides: Path | None  # None when the (optional) overrides file does not exist
    output: Path
    name: str | None  # None: the generator derives it from the spec title
    targets: tuple[str, ...]
    templates: Path | None
    report: Path | None
    evidence: tuple[str, ...] | None  # None: the spec written last time, when it exists
    title: str | None  # info.title of the parsed spec; None: the built-in one


def load(config_path: Path | None) -> Config:
    """The configuration from ``config_path``, else from the nearest pyproject.toml."""
    return load_config(config_path or find_config(Path.cwd()))


def find_config(start: Path) -> Path:
    """The nearest ``pyproject.toml`` at or above ``start`` that has a ``[tool.apibind]`` table."""
    for folder in (start.resolve(), *start.resolve().parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and "apibind" in _read_toml(candidate).get("tool", {}):
            return candidate
    raise ApibindError.single(
        "config-missing",
        f"no pyproject.toml with a [tool.apibind] table in {start.resolve()} or above",
        Location(key="tool.apibind"),
        "add a [tool.apibind] table (see the README) or pass --config FILE",
    )


def load_config(path: Path) -> Config:
    """Read and check ``path``: its ``[tool.apibind]`` table, else its top level."""
    document = _read_toml(path)
    tool = document.get("tool")
    if isinstance(tool, dict) and "apibind" in tool:
        table, prefix = tool["apibind"], "tool.apibind."
    elif path.name == "pyproject.toml":
        raise ApibindError.single(
            "config-missing",
            "pyproject.toml has no [tool.apibind] table",
            Location(file=str(path), key="tool.apibind"),
            "add one (see the README) or pass --config FILE",
        )
    else:
        table, prefix = document, ""
    if not isinstance(table, dict):
        raise ApibindError.single(
            "config-invalid",
            "tool.apibind must be a table",
            Location(file=str(path), key="tool.apibind"),
        )
    return _build(table, _Where(path, prefix))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ApibindError.single(
            "config-unreadable", f"cannot read the config: {exc}", Location(file=str(path))
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        where = Location(file=str(path), line=int(found.group(1)) if found else None)
        raise ApibindError.single("config-syntax", f"invalid TOML: {exc}", where) from exc


def _build(table: Mapping[str, Any], where: _Where) -> Config:
    if isinstance(table.get("sources"), str):  # one path
        table = {**table, "sources": [table["sources"]]}
    problems = [
        where.problem(key, f"unknown key {key!r}", f"known keys: {', '.join(DEFAULTS)}")
        for key in table
        if key not in DEFAULTS
    ]
    problems += [
        where.problem(key, f"{key} must be a {_TYPES[key]}, not {type(value).__name__}")
        for key, value in table.items()
        if key in DEFAULTS and not _has_type(value, _TYPES[key])
    ]
    values = {**DEFAULTS, **table}
    if not problems:
        problems = _check_values(values, table, where)
    if problems:
        raise ApibindError(problems)
    if values["name"] is not None:
        values["name"] = values["name"].replace("-", "_")  # as on the command line
    root = where.path.resolve().parent

    def at(value: str | None) -> Path | None:
        return None if value is None else root / value

    overrides = at(values["overrides"])
    if overrides is not None and not overrides.is_file():
        overrides = None
    return Config(
        file=where.path.resolve(),
        sources=tuple(root / s for s in values["sources"]),
        spec=root / values["spec"].replace("{name}", values["name"] or ""),
        overrides=overrides,
        output=root / values["output"],
        name=values["name"],
        targets=tuple(values["targets"]),
        templates=at(values["templates"]),
        report=at(values["report"]),
        evidence=None
        if values["evidence"] is None
        else tuple(e if e.startswith("git:") else str(root / e) for e in values["evidence"]),
        title=values["title"],
    )


def _has_type(value: Any, expected: str) -> bool:
    if expected in ("path", "str"):
        return isinstance(value, str) and bool(value.strip())
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def _check_values(
    values: Mapping[str, Any], table: Mapping[str, Any], where: _Where
) -> list[Diagnostic]:
    """Problems with the values themselves (their types are already right)."""
    problems = []
    name = values["name"]
    if name is not None and (problem := package_name_problem(name)):
        hint = "use letters, digits, '_' or '-', for example oracle_utilities"
        problems.append(where.problem("name", problem, hint))
    if name is None and "{name}" in values["spec"]:
        hint = "set name, or set spec to a path without {name}"
        problems.append(where.problem("name", "name is required (the spec path uses {name})", hint))
    targets = values["targets"]
    if not targets or len(set(targets)) != len(targets) or not set(targets) <= set(TARGETS):
        message = f"targets must be distinct values among {', '.join(TARGETS)}; got {targets}"
        problems.append(where.problem("targets", message))
    if not values["sources"]:
        problems.append(where.problem("sources", "sources must list at least one folder or file"))
    root = where.path.resolve().parent
    if "templates" in table and not (root / table["templates"]).is_dir():
        problems.append(
            where.problem("templates", f"templates folder {table['templates']!r} does not exist")
        )
    return problems
