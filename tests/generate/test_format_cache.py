"""ruff formats a generated file once: the same text with the same settings comes from the cache."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from generator import format as fmt
from generator.cache import ENVIRONMENT
from generator.diagnostics import ApibindError

P = PurePosixPath
FILES = {
    P(
        "demo/pyproject.toml"
    ): '[tool.ruff]\nline-length = 100\n\n[tool.ruff.lint.isort]\nknown-first-party = ["demo"]\n',
    P("demo/README.md"): "# demo\n\n```python\nx = {  'a':1}\n```\n",
    P("demo/demo/__init__.py"): "import sys,os\nfrom demo import a\nprint(os, sys, a)\n",
    P("demo/demo/a.py"): "x = {  'a':1}\n",
    P("demo/demo/data.json"): "{}\n",
}


@pytest.fixture
def runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, ...]]:
    """The ruff commands run (each with the files it was given), in a cache of this test."""
    monkeypatch.setenv(ENVIRONMENT, str(tmp_path / "cache"))
    seen: list[tuple[str, ...]] = []
    real = fmt._ruff

    def counted(root: Path, arguments: tuple[str, ...]) -> None:
        seen.append(arguments)
        real(root, arguments)

    monkeypatch.setattr(fmt, "_ruff", counted)
    return seen


def _given(runs: list[tuple[str, ...]]) -> set[str]:
    return {name for arguments in runs for name in arguments[arguments.index("--") + 1 :]}


def test_a_second_format_of_the_same_files_runs_ruff_on_nothing(runs, monkeypatch) -> None:
    first = fmt.format_python(FILES)
    assert first[P("demo/demo/a.py")] == 'x = {"a": 1}\n'
    assert first[P("demo/demo/__init__.py")].startswith(
        "import os\nimport sys\n\nfrom demo import a\n"
    )
    assert _given(runs) == {"demo/README.md", "demo/demo/__init__.py", "demo/demo/a.py"}
    runs.clear()
    compiled: list[str] = []
    monkeypatch.setattr(
        fmt, "compile", lambda _t, name, *_a, **_k: compiled.append(name), raising=False
    )
    assert fmt.format_python(FILES) == first
    assert runs == [] and compiled == []  # nothing compiled again either: the entry passed the gate


def test_only_a_changed_file_is_formatted_again_and_checked(runs) -> None:
    first = fmt.format_python(FILES)
    runs.clear()
    changed = {**FILES, P("demo/demo/a.py"): "y = [  1,2]\n"}
    again = fmt.format_python(changed)
    assert _given(runs) == {"demo/demo/a.py"}
    assert again == {**first, P("demo/demo/a.py"): "y = [1, 2]\n"}
    with pytest.raises(ApibindError) as caught:
        fmt.format_python({**FILES, P("demo/demo/a.py"): "x = (\n"})
    assert caught.value.diagnostics[0].code == "generated-syntax"


def test_other_settings_are_another_entry(runs) -> None:
    fmt.format_python(FILES)
    runs.clear()
    fmt.format_python(FILES, fixes=fmt.MODELS_FIXES)
    assert _given(runs) == {"demo/README.md", "demo/demo/__init__.py", "demo/demo/a.py"}
    runs.clear()
    narrow = {**FILES, P("demo/pyproject.toml"): "[tool.ruff]\nline-length = 10\n"}
    assert fmt.format_python(narrow)[P("demo/demo/a.py")] == 'x = {\n    "a": 1\n}\n'
    assert len(_given(runs)) == 3


def test_the_output_is_the_same_with_a_cache_that_cannot_be_written(runs, tmp_path, monkeypatch):
    cached = fmt.format_python(FILES)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv(ENVIRONMENT, str(blocked))
    runs.clear()
    assert fmt.format_python(FILES) == cached
    assert fmt.format_python(FILES) == cached
    assert len(runs) == 4  # ruff ran both times, nothing was stored
