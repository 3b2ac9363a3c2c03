"""The last step: every generated Python file must parse, then ruff formats them all at once."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path, PurePosixPath

from ruff.__main__ import find_ruff_bin

from generator.diagnostics import ApibindError, Diagnostic, Level, Location
from generator.leftovers import temp_prefix

FORMATTED = (".py", ".md")  # ruff formats the Python blocks of the READMEs too
# Each generated project's pyproject.toml configures ruff for its files (import sections, line length).
# Templates import exactly what they use, so only import sorting is fixed in their output; the models
# modules also get datamodel-code-generator's unused or old-style typing imports cleaned up and
# the package its `__all__` sorted.
TEMPLATE_FIXES = ("I",)
MODELS_FIXES = ("I", "F401", "UP006", "RUF022")


def check_syntax(files: dict[PurePosixPath, str]) -> None:
    """The safety gate: generated Python that does not parse is an error, never written."""
    problems = []
    for path, text in sorted(files.items()):
        if path.suffix == ".py":
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
    """``files`` with Python code import-sorted and formatted by ruff (one process per step)."""
    check_syntax(files)
    python = sorted(path for path in files if path.suffix in FORMATTED)
    if not python:
        return dict(files)
    with tempfile.TemporaryDirectory(prefix=temp_prefix() + "format-") as tmp:
        root = Path(tmp)
        for path, text in files.items():
            if path.suffix in FORMATTED or path.name == "pyproject.toml":
                (root / path).parent.mkdir(parents=True, exist_ok=True)
                (root / path).write_text(text, encoding="utf-8")
        _ruff(root, ("check", "--select", ",".join(fixes), "--fix", "--quiet", "."))
        _ruff(root, ("format", "--quiet", "."))
        formatted = {path: (root / path).read_text(encoding="utf-8") for path in python}
    return {path: formatted.get(path, text) for path, text in files.items()}


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
