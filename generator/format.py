"""The last step: every generated Python file must parse, then ruff formats them all at once.

A file formatted before from the same text and settings comes from apibind's cache
(``generator/cache.py``): it is neither compiled again nor given to ruff, since its entry was
written only after that exact text passed ``check_syntax``. Only the other files go to ruff.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path, PurePosixPath

from ruff.__main__ import find_ruff_bin

from generator import cache
from generator.diagnostics import ApibindError, Diagnostic, Level, Location
from generator.leftovers import temp_prefix

FORMATTED = (".py", ".pyi", ".md")  # ruff formats the Python blocks of the READMEs too
# Each generated project's pyproject.toml configures ruff for its files (import sections, line length).
# Templates import exactly what they use, so only import sorting is fixed in their output; the models
# modules also get datamodel-code-generator's unused or old-style typing imports cleaned up and
# the package its `__all__` sorted.
TEMPLATE_FIXES = ("I",)
MODELS_FIXES = ("I", "F401", "UP006", "RUF022")
KIND = "ruff"  # the cache folder of formatted files


def check_syntax(files: dict[PurePosixPath, str]) -> None:
    """The safety gate: generated Python that does not parse is an error, never written."""
    problems = []
    for path, text in sorted(files.items()):
        if path.suffix in (".py", ".pyi"):
            try:
                # bytecode, not an AST: the same check, half the time on a 50,000-member enum
                compile(text, str(path), "exec", dont_inherit=True)
            except SyntaxError as exc:
                where = Location(file=str(path), line=exc.lineno)
                problems.append(
                    Diagnostic(
                        Level.ERROR,
                        "generated-syntax",
                        f"generated code does not parse: {exc.msg}",
                        where,
                    )
                )
    if problems:
        raise ApibindError(problems)


def format_python(
    files: dict[PurePosixPath, str], *, fixes: tuple[str, ...] = TEMPLATE_FIXES
) -> dict[PurePosixPath, str]:
    """``files`` with Python code import-sorted and formatted by ruff (one process per step for
    the files the cache does not hold)."""
    keys = _cache_keys(files, fixes)
    known = {
        path: text for path, key in keys.items() if (text := cache.read_text(KIND, key)) is not None
    }
    check_syntax({path: text for path, text in files.items() if path not in known})
    formatted = _ruff_format(files, [path for path in keys if path not in known], fixes)
    for path, text in formatted.items():
        cache.write_text(KIND, keys[path], text)
    return {path: known.get(path, formatted.get(path, text)) for path, text in files.items()}


def _ruff_format(
    files: Mapping[PurePosixPath, str], paths: Iterable[PurePosixPath], fixes: tuple[str, ...]
) -> dict[PurePosixPath, str]:
    """``paths`` (of ``files``) fixed and formatted by ruff, in a copy of the whole tree."""
    wanted = set(paths)
    if not wanted:
        return {}
    with tempfile.TemporaryDirectory(prefix=temp_prefix() + "format-") as tmp:
        root = Path(tmp)
        for path, text in files.items():
            if path.suffix in FORMATTED or path.name == "pyproject.toml":
                (root / path).parent.mkdir(parents=True, exist_ok=True)
                # a file from the cache is there, empty: ruff sees the tree it would see without it
                kept = path in wanted or path.suffix not in FORMATTED
                (root / path).write_text(text if kept else "", encoding="utf-8")
        # explicit paths; --force-exclude: excluded as they would be when ruff walks the tree
        names = ("--force-exclude", "--", *sorted(map(str, wanted)))
        _ruff(root, ("check", "--select", ",".join(fixes), "--fix", "--quiet", *names))
        _ruff(root, ("format", "--quiet", *names))
        return {path: (root / path).read_text(encoding="utf-8") for path in wanted}


def _cache_keys(
    files: Mapping[PurePosixPath, str], fixes: tuple[str, ...]
) -> dict[PurePosixPath, str]:
    """The cache entry of every file ruff formats: what ruff's output for it depends on."""
    tool = cache.key(KIND, cache.environment(), ",".join(fixes))  # the environment: ruff's version
    settings = _settings(files)
    return {
        path: cache.key(tool, settings(path.parent), str(path), text)
        for path, text in files.items()
        if path.suffix in FORMATTED
    }


def _settings(files: Mapping[PurePosixPath, str]) -> Callable[[PurePosixPath], str]:
    """For a folder of ``files``: the digest of ruff's settings there (every pyproject.toml above
    it), and of what ruff's isort looks at to tell first-party imports (the names next to a
    configuration and in its ``src``, the packages the folder is in)."""
    configs = {path.parent: text for path, text in files.items() if path.name == "pyproject.toml"}
    packages = {path.parent for path in files if path.name == "__init__.py"}
    entries: defaultdict[PurePosixPath, set[str]] = defaultdict(set)
    for path in files:
        for folder, entry in zip(path.parents, (path, *path.parents), strict=False):
            entries[folder].add(entry.name)
    digests: dict[PurePosixPath, str] = {}

    def digest(folder: PurePosixPath) -> str:
        if folder not in digests:
            parts = []
            for above in (folder, *folder.parents):
                if above in configs:
                    parts += [str(above), configs[above], *sorted(entries[above]), "src:"]
                    parts += sorted(entries.get(above / "src", ()))
                if above in packages:
                    parts.append(f"package {above}")
            digests[folder] = cache.key(*parts)
        return digests[folder]

    return digest


def _ruff(root: Path, arguments: tuple[str, ...]) -> None:
    result = subprocess.run(
        [find_ruff_bin(), *arguments], cwd=root, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        message = (
            " ".join((result.stderr or result.stdout).split())[:500]
            or f"exit code {result.returncode}"
        )
        raise ApibindError.single("format-failed", f"ruff {arguments[0]} failed: {message}")
