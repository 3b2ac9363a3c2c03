"""The fast path of ``check``: skip the pipeline when nothing it reads or writes has changed.

A ``build`` that left the project up to date, or a ``check`` that found it so, records a stamp in
apibind's cache (``generator/cache.py``, keyed by the configuration file): the digest of every
input, and the sha256 of every output. The inputs are the configuration file and its resolved
settings; every file under the sources, the evidence and the templates folder; the overrides; the
spec on disk (the version it carries, and the default evidence); apibind's own code and
templates; the Python version and every installed distribution (name and version). The outputs
are the spec, the report, each package's manifest and every file it lists, and the absence of
retired packages and of staging folders left by a killed run.

The next ``check`` computes the same digest and hashes the outputs; when all match the stamp, the
project is up to date, as a full rebuild would find. Evidence from ``git:REV:PATH`` and evidence
specs with ``$ref``s to other files are not digested: with those, every ``check`` is a full one.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

from generator import cache
from generator.config import Config
from generator.diagnostics import Diagnostic, Level, Location
from generator.leftovers import stale_staging

KIND = "stamps"
MANIFEST = ".apibind-manifest.json"  # write.MANIFEST, without importing the writer
_EXTERNAL_REF = re.compile(r"""["']?\$ref["']?\s*:\s*["']?(?!#)[^\s"']""")


@dataclass(frozen=True)
class Stamp:
    """A project state known to be up to date: its inputs' digest, its outputs, what it reported."""

    inputs: str
    outputs: dict[str, str | None]  # absolute path -> sha256; None: must not exist
    diagnostics: list[Diagnostic]


def input_digest(config: Config) -> str | None:
    """The digest of everything the pipeline reads for ``config``; None when it cannot be known."""
    digest = hashlib.sha256()
    try:
        for name, data in _inputs(config):
            digest.update(b"%d:%s\0%d:" % (len(name), name.encode(), len(data)) + data)
    except _Undigestable:
        return None
    return digest.hexdigest()


def fresh(config: Config) -> Stamp | None:
    """The recorded stamp when the project still matches it; None when a full check is needed."""
    inputs = input_digest(config)
    data = cache.read(KIND, _name(config))
    if inputs is None or data is None:
        return None
    try:
        stamp = _decode(data)
    except (ValueError, KeyError, TypeError):
        return None
    if stamp.inputs != inputs or stale_staging(config.output):
        return None
    return stamp if all(_state(Path(p)) == h for p, h in stamp.outputs.items()) else None


def record(
    config: Config,
    inputs: str | None,
    files: Iterable[PurePosixPath],
    retired: Iterable[str],
    diagnostics: list[Diagnostic],
) -> None:
    """Record that the outputs on disk are what ``inputs`` make (call once they are verified).

    ``files`` are the generated files (paths in the output folder), ``retired`` the package
    folders that must hold no manifest. ``inputs`` is the digest taken before the run read
    anything; nothing is recorded when it is None or the inputs changed during the run.
    """
    if inputs is None or input_digest(config) != inputs:
        return
    packages = sorted({path.parts[0] for path in files})
    paths = [config.spec, *([config.report] if config.report else [])]
    try:
        paths += [config.output / p / r for p in packages for r in (MANIFEST, *_listed(config, p))]
    except (OSError, ValueError, KeyError, TypeError):  # no readable manifest: nothing to vouch for
        return
    outputs = {str(path): _state(path) for path in paths}
    outputs |= {str(config.output / name / MANIFEST): None for name in retired}
    stamp = {
        "inputs": inputs,
        "outputs": outputs,
        "diagnostics": [asdict(d) for d in diagnostics],
    }
    cache.write(KIND, _name(config), json.dumps(stamp, sort_keys=True).encode())


class _Undigestable(Exception):
    """An input whose content a digest cannot capture (a git revision, a remote reference)."""


def _inputs(config: Config) -> Iterator[tuple[str, bytes]]:
    yield "environment", cache.environment().encode()
    yield from _traversable("apibind", files("generator"))
    yield from _traversable("templates", files("generator.templates"))
    yield "config", config.file.read_bytes()
    yield "settings", repr(config).encode()
    yield from _file("spec", config.spec, refs_allowed=False)
    for source in config.sources:
        yield from _tree("source", source)
    if config.overrides:
        yield from _file("overrides", config.overrides)
    for given in config.evidence or ():
        if given.startswith("git:"):
            raise _Undigestable(given)
        path = config.file.parent / given
        yield from _tree("evidence", path) if path.is_dir() else _file("evidence", path, False)
    if config.templates:
        yield from _tree("template", config.templates)


def _file(label: str, path: Path, refs_allowed: bool = True) -> Iterator[tuple[str, bytes]]:
    data = _read(path)
    if (
        data is not None
        and not refs_allowed
        and _EXTERNAL_REF.search(data.decode(errors="replace"))
    ):
        raise _Undigestable(str(path))  # siblings it refers to would be read too
    yield f"{label} {path}", data if data is not None else b"<absent>"


def _tree(label: str, root: Path) -> Iterator[tuple[str, bytes]]:
    if not root.is_dir():
        yield from _file(label, root)
        return
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        yield from _file(label, path)


def _traversable(label: str, root: Traversable, prefix: str = "") -> Iterator[tuple[str, bytes]]:
    """Every file of a package's resources (apibind's code and templates), bytecode left out."""
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.is_dir():
            if entry.name != "__pycache__":
                yield from _traversable(label, entry, f"{prefix}{entry.name}/")
        elif not entry.name.endswith(".pyc"):
            yield f"{label} {prefix}{entry.name}", entry.read_bytes()


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:  # absent or unreadable: the run would fail, or find something else
        return None


def _state(path: Path) -> str | None:
    """A file's sha256 and real path (a symlink put in its place shows); None when absent."""
    data = _read(path)
    return None if data is None else f"{hashlib.sha256(data).hexdigest()} {os.path.realpath(path)}"


def _listed(config: Config, package: str) -> list[str]:
    """The files the manifest of ``package`` lists."""
    manifest = config.output / package / MANIFEST
    return sorted(json.loads(manifest.read_text(encoding="utf-8"))["files"])


def _name(config: Config) -> str:
    return cache.key("stamp", str(config.file.resolve()))


def _decode(data: bytes) -> Stamp:
    raw = json.loads(data)
    diagnostics = [
        Diagnostic(
            Level(d["level"]),
            str(d["code"]),
            str(d["message"]),
            Location(**d["location"]) if d["location"] else None,
            d["hint"],
        )
        for d in raw["diagnostics"]
    ]
    outputs = {str(p): None if h is None else str(h) for p, h in raw["outputs"].items()}
    return Stamp(inputs=str(raw["inputs"]), outputs=outputs, diagnostics=diagnostics)
